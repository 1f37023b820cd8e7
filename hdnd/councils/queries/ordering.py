"""How directory lists order the people of a body: by the rank of their position or role
first (chair before delegate, head before member), then by name."""

from collections.abc import Sequence

from django.db.models import Case, CharField, F, IntegerField, Q, Value, When
from django.db.models.functions import Collate, Left, Reverse, StrIndex

from hdnd.councils.models import CommitteeRole, GroupRole, Position

POSITION_ORDER = [Position.CHAIR, Position.VICE_CHAIR, Position.STANDING_MEMBER, Position.DELEGATE]
COMMITTEE_ROLE_ORDER = [CommitteeRole.HEAD, CommitteeRole.DEPUTY, CommitteeRole.MEMBER]
GROUP_ROLE_ORDER = [GroupRole.LEADER, GroupRole.DEPUTY, GroupRole.MEMBER]

# The pages order people as official Vietnamese lists do (given name first, dictionary
# order); the API by the name as written, as it always has.
BY_VIETNAMESE_ORDER = "vietnamese"
BY_FULL_NAME = "full_name"


def rank(field_name: str, values: Sequence[str]) -> Case:
    """Order by the position of a choice in `values` (e.g. chair before delegate)."""
    return Case(
        *(When(**{field_name: value}, then=Value(index)) for index, value in enumerate(values)),
        default=Value(len(values)),
        output_field=IntegerField(),
    )


def vietnamese(field_name: str) -> Collate:
    """Order by a name in Vietnamese dictionary order (collation "vi"): "Dương Nội" before
    "Đại Mỗ", "An" before "Ăn"."""
    return Collate(F(field_name), "vi")


def _given_name(field_name: str) -> Case:
    """The last word of a Vietnamese full name, the given name (tên): "Hòa" in
    "Nguyễn Thị Hòa". Written with functions both databases have."""
    backwards = Reverse(F(field_name))
    last_space = StrIndex(backwards, Value(" "))
    return Case(
        When(Q(**{f"{field_name}__contains": " "}), then=Reverse(Left(backwards, last_space - 1))),
        default=F(field_name),
        output_field=CharField(),
    )


def vietnamese_names(field_name: str) -> list[Collate]:
    """Order people as official Vietnamese lists do: by given name, then by the full name,
    both in dictionary order."""
    return [Collate(_given_name(field_name), "vi"), vietnamese(field_name)]


def person_order(prefix: str, people_by: str) -> Sequence[Collate | str]:
    """How to order by the name of the person at `prefix` ("membership__person__")."""
    if people_by == BY_VIETNAMESE_ORDER:
        return vietnamese_names(f"{prefix}full_name")
    return [f"{prefix}{people_by}"]
