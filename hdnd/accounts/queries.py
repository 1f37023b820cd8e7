"""Reads behind the account pages: a council's API tokens and their state."""

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from django.db.models import QuerySet
from django.utils import timezone

from hdnd.accounts.models import ApiToken
from hdnd.councils.models import Council

TokenStatus = Literal["active", "expired", "revoked"]


@dataclass(frozen=True)
class ApiTokenRow:
    """A line of the token page."""

    token: ApiToken
    status: TokenStatus
    expires_end_of: dt.date | None


def council_api_tokens(*, council: Council) -> QuerySet[ApiToken]:
    """The council's tokens, newest first, revoked and expired ones included."""
    return (
        ApiToken.objects.filter(council=council)
        .select_related("created_by")
        .order_by("-created_at", "id")
    )


def council_api_token_rows(*, council: Council, now: dt.datetime) -> list[ApiTokenRow]:
    return [
        ApiTokenRow(
            token=token,
            status=token_status(token, now=now),
            expires_end_of=expires_end_of(token),
        )
        for token in council_api_tokens(council=council)
    ]


def token_status(token: ApiToken, *, now: dt.datetime) -> TokenStatus:
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at is not None and token.expires_at <= now:
        return "expired"
    return "active"


def expires_end_of(token: ApiToken) -> dt.date | None:
    """The day a token expires at the end of, when it was set that way (the form does)."""
    if token.expires_at is None:
        return None
    local = timezone.localtime(token.expires_at)
    if local.time() != dt.time.min:
        return None
    return local.date() - dt.timedelta(days=1)
