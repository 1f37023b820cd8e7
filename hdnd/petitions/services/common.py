"""What the petition services share: codes, locking with version checks, the petition's
timeline, the allowed state transitions and the folded search text."""

import secrets
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from hdnd.core.audit import record_event
from hdnd.core.errors import DomainError, NotFound
from hdnd.core.versions import check_version, save_versioned
from hdnd.lib.vietnamese import fold, normalize
from hdnd.petitions.models import (
    CodeCounter,
    EventKind,
    Petition,
    PetitionEvent,
    PetitionStatus,
    VoterItem,
)

S = PetitionStatus

# Which states each action may start from. A service calls `require_state` first; the
# refusal names the current state so the user knows why.
ALLOWED_FROM: dict[str, frozenset[str]] = {
    "edit": frozenset({S.CONSOLIDATING, S.ASSIGNED, S.FORWARDED, S.REOPENED}),
    "add_item": frozenset({S.CONSOLIDATING, S.ASSIGNED, S.FORWARDED, S.REOPENED}),
    "split": frozenset({S.CONSOLIDATING, S.ASSIGNED, S.FORWARDED, S.REOPENED}),
    "merge": frozenset({S.CONSOLIDATING, S.ASSIGNED, S.FORWARDED, S.REOPENED}),
    "assign": frozenset({S.CONSOLIDATING}),
    "reroute": frozenset({S.ASSIGNED, S.REOPENED}),
    "forward_central": frozenset({S.CONSOLIDATING, S.ASSIGNED}),
    "transfer": frozenset({S.CONSOLIDATING, S.ASSIGNED}),
    "answer": frozenset({S.ASSIGNED, S.FORWARDED, S.REOPENED, S.MONITORING}),
    "revise_answer": frozenset({S.ANSWERED}),
    "publish_answer": frozenset({S.ANSWERED, S.MONITORING, S.RESOLVED, S.REOPENED}),
    "rate": frozenset({S.ANSWERED}),
    "flag_questioning": frozenset({S.ANSWERED, S.REOPENED, S.MONITORING, S.ASSIGNED}),
    "unflag_questioning": frozenset(
        {S.ASSIGNED, S.FORWARDED, S.ANSWERED, S.MONITORING, S.REOPENED}
    ),
    "carry_over": frozenset(
        {S.CONSOLIDATING, S.ASSIGNED, S.FORWARDED, S.ANSWERED, S.MONITORING, S.REOPENED}
    ),
    "escalate": frozenset({S.ASSIGNED, S.FORWARDED, S.REOPENED}),
}


class TransitionNotAllowed(DomainError):
    code = "transition_not_allowed"
    status = 409


def require_state(petition: Petition, action: str) -> None:
    allowed = ALLOWED_FROM[action]
    if petition.status not in allowed:
        raise TransitionNotAllowed(
            _("This cannot be done while the petition is “%(status)s”.")
            % {"status": petition.get_status_display()}
        )


def lock_petition(petition_id: int, *, expected_version: int | None = None) -> Petition:
    """The petition, locked for this transaction. With `expected_version`, refuse if
    someone else has changed it since the user loaded it."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_petition must run inside a transaction")
    petition = Petition.objects.select_for_update().filter(id=petition_id).first()
    if petition is None:
        raise NotFound(_("This petition does not exist."))
    check_version(petition.version, expected_version)
    return petition


def lock_item(item_id: int, *, expected_version: int | None = None) -> VoterItem:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_item must run inside a transaction")
    item = VoterItem.objects.select_for_update().filter(id=item_id).first()
    if item is None:
        raise NotFound(_("This voter item does not exist."))
    check_version(item.version, expected_version)
    return item


def save_petition(petition: Petition, fields: Iterable[str]) -> None:
    """Save the named fields and bump the version (optimistic locking)."""
    petition.version += 1
    petition.save(update_fields=[*fields, "version", "updated_at"])


def save_item(item: VoterItem, fields: Iterable[str]) -> None:
    save_versioned(item, fields)


def log(
    petition: Petition,
    *,
    actor: Any,
    kind: EventKind | str,
    summary: str = "",
    details: dict[str, Any] | None = None,
    is_public: bool = False,
    audit_changes: dict[str, Any] | None = None,
) -> PetitionEvent:
    """Write the petition's timeline entry and the audit event for one change. The
    timeline names a person only; the audit event also names an API token that acted."""
    real_actor = actor if getattr(actor, "pk", None) else None
    event = PetitionEvent.objects.create(
        petition=petition,
        kind=kind,
        occurred_at=timezone.now(),
        actor=real_actor,
        summary=summary[:500],
        details=details or {},
        is_public=is_public,
    )
    record_event(
        actor=actor,
        action=f"petition.{kind}",
        obj=petition,
        council=petition.council,
        summary=summary,
        changes=audit_changes or details or {},
    )
    return event


# Crockford's alphabet without look-alikes: a voter reads the code over the phone.
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_item_code() -> str:
    """An unguessable item code such as KN-7Q4M-X2PA (the voter's lookup key)."""
    while True:
        body = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
        code = f"KN-{body[:4]}-{body[4:]}"
        if not VoterItem.objects.filter(code=code).exists():
            return code


def next_petition_code(*, council_id: int, unit_code: str, on: date) -> str:
    """The council's next petition number in the year: 01-2026-0042."""
    counter, _created = CodeCounter.objects.select_for_update().get_or_create(
        council_id=council_id, year=on.year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{unit_code}-{on.year}-{counter.last:04d}"


def search_text_of(*parts: str) -> str:
    """The folded, diacritics-free text that search and duplicate detection match."""
    return fold(" ".join(normalize(part) for part in parts if part))


def recount(petition: Petition) -> None:
    """Recompute the consolidated counts from the linked voter items (not saved here)."""
    totals = VoterItem.objects.filter(petition=petition).aggregate(
        items=Count("id"),
        voters=Sum("voter_count"),
        meetings=Count("meeting", distinct=True),
    )
    petition.item_count = totals["items"] or 0
    petition.voter_count = totals["voters"] or 0
    petition.meeting_count = totals["meetings"] or 0


COUNT_FIELDS = ["item_count", "voter_count", "meeting_count"]
