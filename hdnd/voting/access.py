"""Who may check a council's sealed poll results: its office and its standing committee
(everything else about polls follows hdnd/meetings/access.py)."""

from typing import Any

from django.utils.translation import gettext as _

from hdnd.accounts.models import Role
from hdnd.core.errors import PermissionDenied
from hdnd.councils.access import access_council
from hdnd.councils.models import Council
from hdnd.meetings.access import council_roles, is_manager


def may_verify_seals(user: Any, council_id: int) -> bool:
    if is_manager(user, council_id):
        return True
    return Role.STANDING_COMMITTEE in council_roles(user, council_id)


def access_council_seals(*, user: Any, council_id: int) -> Council:
    council = access_council(user=user, council_id=council_id)
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Please sign in to see this page."))
    if may_verify_seals(user, council.pk):
        return council
    raise PermissionDenied(_("Only the council's office and standing committee check this."))
