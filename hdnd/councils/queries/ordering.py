"""How directory lists order the people of a body: by the rank of their position or role
first (chair before delegate, head before member), then by name."""

from collections.abc import Sequence

from django.db.models import Case, IntegerField, Value, When

from hdnd.councils.models import CommitteeRole, GroupRole, Position

POSITION_ORDER = [Position.CHAIR, Position.VICE_CHAIR, Position.STANDING_MEMBER, Position.DELEGATE]
COMMITTEE_ROLE_ORDER = [CommitteeRole.HEAD, CommitteeRole.DEPUTY, CommitteeRole.MEMBER]
GROUP_ROLE_ORDER = [GroupRole.LEADER, GroupRole.DEPUTY, GroupRole.MEMBER]

# The pages order people by their folded name ("Ánh" next to "Anh"); the API by the name
# as written, as it always has.
BY_FOLDED_NAME = "search_text"
BY_FULL_NAME = "full_name"


def rank(field_name: str, values: Sequence[str]) -> Case:
    """Order by the position of a choice in `values` (e.g. chair before delegate)."""
    return Case(
        *(When(**{field_name: value}, then=Value(index)) for index, value in enumerate(values)),
        default=Value(len(values)),
        output_field=IntegerField(),
    )
