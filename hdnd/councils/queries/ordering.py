"""How directory lists order the people of a body: by the rank of their position or role
first (chair before delegate, head before member), then by name."""

from collections.abc import Sequence

from django.db.models import Case, F, IntegerField, Value, When
from django.db.models.functions import Collate

from hdnd.councils.models import CommitteeRole, GroupRole, Position

POSITION_ORDER = [Position.CHAIR, Position.VICE_CHAIR, Position.STANDING_MEMBER, Position.DELEGATE]
COMMITTEE_ROLE_ORDER = [CommitteeRole.HEAD, CommitteeRole.DEPUTY, CommitteeRole.MEMBER]
GROUP_ROLE_ORDER = [GroupRole.LEADER, GroupRole.DEPUTY, GroupRole.MEMBER]

# The pages order people in Vietnamese dictionary order; the API by the name as written,
# as it always has.
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


def person_order(prefix: str, people_by: str) -> Collate | str:
    """How to order by the name of the person at `prefix` ("membership__person__")."""
    if people_by == BY_VIETNAMESE_ORDER:
        return vietnamese(f"{prefix}full_name")
    return f"{prefix}{people_by}"
