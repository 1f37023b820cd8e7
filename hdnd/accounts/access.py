"""Who may manage what of accounts: a council's API tokens.

A refusal raises NotFound or PermissionDenied (hdnd/core/errors.py); each check is one
condition per line, as in hdnd/councils/access.py.
"""

from typing import Any

from django.utils.translation import gettext as _

from hdnd.accounts.models import ApiToken, Role
from hdnd.accounts.roles import has_role, is_platform_admin
from hdnd.core.errors import NotFound, PermissionDenied
from hdnd.councils.access import access_council
from hdnd.councils.models import Council


def access_council_tokens(*, user: Any, council_id: int) -> Council:
    """A council's API tokens: its system administrators, and platform administrators.

    Not the administrators of the council above: a token speaks for its own council.
    """
    council = access_council(user=user, council_id=council_id)
    if is_platform_admin(user):
        return council
    if has_role(user, council_id=council.pk, roles={Role.SYSTEM_ADMIN}):
        return council
    raise PermissionDenied(
        _("Only the system administrators of this council may manage its API tokens.")
    )


def access_api_token(*, user: Any, council_id: int, token_id: int) -> ApiToken:
    """One API token of a council, for whoever may manage that council's tokens."""
    council = access_council_tokens(user=user, council_id=council_id)
    token = ApiToken.objects.select_related("council").filter(pk=token_id, council=council).first()
    if token is None:
        raise NotFound(_("This council has no such API token."))
    return token
