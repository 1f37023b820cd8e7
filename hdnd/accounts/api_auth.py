"""API authentication with per-council tokens: `Authorization: Bearer hdnd_<prefix>_<secret>`."""

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from hdnd.accounts.models import ApiToken
from hdnd.accounts.tokens import InvalidToken, authenticate_token


class TokenUser:
    """The caller behind an API token: a system acting for one council, never a person."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_superuser = False
    is_staff = False
    pk = None
    id = None

    def __init__(self, token: ApiToken) -> None:
        self.token = token

    def __str__(self) -> str:
        return f"token:{self.token.prefix}"

    def get_username(self) -> str:
        return str(self)


class ApiTokenAuthentication(BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("The Authorization header must be: Bearer <token>.")
            )
        try:
            raw = header[1].decode("ascii")
            token = authenticate_token(raw)
        except (UnicodeDecodeError, InvalidToken) as exc:
            raise exceptions.AuthenticationFailed(
                _("The API token is malformed, unknown, expired or revoked.")
            ) from exc
        return TokenUser(token), token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'
