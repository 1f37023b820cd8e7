"""Which API callers may use an endpoint.

A person signed in with a session reads the public directory as on the website. An API
token reads only what its scopes allow: each view names the scope it needs in
`required_scope`, and `HasScope` checks it.
"""

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from hdnd.accounts.api_auth import TokenUser


class HasScope(BasePermission):
    """Session users pass; token callers need the view's `required_scope`."""

    code = "missing_scope"

    def has_permission(self, request: Request, view: APIView) -> bool:
        user: Any = request.user
        if not getattr(user, "is_authenticated", False):
            return False
        if not isinstance(user, TokenUser):
            return True
        scope = str(getattr(view, "required_scope", ""))
        # A view that forgot to name its scope is closed to tokens, never open.
        if scope and scope in user.token.scopes:
            return True
        # Read by DRF when it raises PermissionDenied; a fresh instance serves each request.
        self.message = _("This API token does not have the scope “%(scope)s”.") % {
            "scope": scope or "?"
        }
        return False
