"""Who may see what in the council registry.

The directory itself (units, councils, terms, delegates' names and posts, committees,
groups, agencies) is public. Contact details and accounts are not: only people with a
role in that council see them. A commune officer never sees another commune's
non-public data; city roles see the city's. Each check is one condition per line.
"""

from typing import Any

from django.utils.translation import gettext as _

from hdnd.accounts.models import Role
from hdnd.accounts.roles import has_role, is_platform_admin, staff_council_ids
from hdnd.core.errors import NotFound, PermissionDenied
from hdnd.councils.models import Council, Person


def access_council(*, user: Any, council_id: int) -> Council:
    """Any council, for its public page."""
    council = Council.objects.select_related("unit", "parent").filter(id=council_id).first()
    if council is None:
        raise NotFound(_("This council does not exist."))
    return council


def can_view_person_contact(*, user: Any, person: Person) -> bool:
    """A person's email and phone: for the person, and for staff (who use a second factor)
    of a council the person serves."""
    if is_platform_admin(user):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "person_id", None) == person.pk:
        return True
    # Staff roles only: they have given a second factor; delegates need no contact lists.
    councils = staff_council_ids(user)
    if not councils:
        return False
    if person.memberships.filter(council_id__in=councils).exists():
        return True
    return person.official_posts.filter(agency__council_id__in=councils).exists()


def access_council_audit(*, user: Any, council_id: int) -> Council:
    """The audit page: system administrators of the council or of the council above it."""
    council = access_council(user=user, council_id=council_id)
    if is_platform_admin(user):
        return council
    if has_role(user, council_id=council.pk, roles={Role.SYSTEM_ADMIN}):
        return council
    if council.parent_id and has_role(
        user, council_id=council.parent_id, roles={Role.SYSTEM_ADMIN}
    ):
        return council
    raise PermissionDenied(
        _("Only the system administrators of this council may see its audit trail.")
    )
