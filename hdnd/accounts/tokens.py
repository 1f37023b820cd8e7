"""Creating and checking API tokens. Only a SHA-256 of the secret is stored."""

import hashlib
import hmac
import re
import secrets
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hdnd.accounts.models import ApiScope, ApiToken, User
from hdnd.core.audit import record_event
from hdnd.core.errors import DomainError
from hdnd.councils.models import Council

TOKEN_PATTERN = re.compile(r"^hdnd_([A-Za-z0-9]{8})_([A-Za-z0-9_\-]{32,64})$")


class InvalidToken(Exception):
    pass


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def end_of_day(day: date) -> datetime:
    """When a token that "expires on" `day` stops working: the end of that day in the
    platform's time zone (Asia/Ho_Chi_Minh)."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def create_api_token(
    *,
    actor: User,
    council: Council,
    name: str,
    scopes: list[str],
    expires_at: datetime | None = None,
) -> tuple[ApiToken, str]:
    """Create a token; returns it with the only copy of its full text."""
    unknown = sorted(set(scopes) - set(ApiScope.values))
    if unknown:
        raise DomainError(
            _("Unknown scope: %(scopes)s.") % {"scopes": ", ".join(unknown)},
            fields={"scopes": [_("Unknown scope.")]},
        )
    if not name.strip():
        raise DomainError(_("Give the token a name."), fields={"name": [_("Required.")]})
    if expires_at is not None and expires_at <= timezone.now():
        raise DomainError(
            _("A token cannot expire in the past."),
            fields={"expires_at": [_("Choose today or a later day.")]},
        )
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            council=council,
            name=name.strip(),
            prefix=prefix,
            secret_hash=_hash(secret),
            scopes=sorted(set(scopes)),
            created_by=actor,
            expires_at=expires_at,
        )
        record_event(
            actor=actor,
            action="accounts.api_token.create",
            obj=token,
            council=council,
            summary=_("API token created"),
            changes={"scopes": [None, token.scopes]},
        )
    return token, f"hdnd_{prefix}_{secret}"


def revoke_api_token(*, actor: User, token: ApiToken) -> None:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            return
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event(
            actor=actor,
            action="accounts.api_token.revoke",
            obj=token,
            council=token.council,
            summary=_("API token revoked"),
        )


def authenticate_token(raw: str) -> ApiToken:
    match = TOKEN_PATTERN.match(raw)
    if not match:
        raise InvalidToken("malformed")
    prefix, secret = match.groups()
    token = ApiToken.objects.select_related("council").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.secret_hash, _hash(secret)):
        raise InvalidToken("unknown")
    now = timezone.now()
    if token.revoked_at is not None or (token.expires_at is not None and token.expires_at <= now):
        raise InvalidToken("inactive")
    # Record use at most once a minute: a busy client must not write on every call.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
