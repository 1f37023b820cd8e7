"""Writing and verifying the audit trail (see models.AuditEvent)."""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from hdnd.core.models import AuditChainHead, AuditEvent
from hdnd.core.request_context import current_request_id

GENESIS_HASH = "0" * 64
ACTOR_LABEL_LENGTH = 150  # AuditEvent.actor_label


def _canonical(value: Any) -> Any:
    """The JSON form of `value`, exactly as the database will give it back."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, sort_keys=True))


def event_hash(event: AuditEvent) -> str:
    payload = {
        "seq": event.seq,
        "occurred_at": event.occurred_at.astimezone(UTC).isoformat(),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "council_id": event.council_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "summary": event.summary,
        "changes": event.changes,
        "request_id": event.request_id,
        "prev_hash": event.prev_hash,
    }
    encoded = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def changes_between(
    before: dict[str, Any] | None, after: dict[str, Any] | None
) -> dict[str, list[Any]]:
    """Field-by-field [old, new] pairs of what differs."""
    before = before or {}
    after = after or {}
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def actor_label(actor: Any) -> str:
    """How the trail names who acted: a person by their username; a system calling the API
    by its token, "token:<name> [<prefix>] (<council>)" (tokens are not people, so the
    event has no actor row); nobody (a scheduled job) by nothing."""
    if actor is None:
        return ""
    if getattr(actor, "pk", None):
        return str(actor.get_username())[:ACTOR_LABEL_LENGTH]
    # Duck-typed: accounts.api_auth.TokenUser carries the ApiToken it authenticated with.
    token = getattr(actor, "token", None)
    if token is None:
        return ""
    council = getattr(token, "council", None)
    label = f"token:{token.name[:60]} [{token.prefix}]"
    if council is not None:
        label = f"{label} ({council})"
    return label[:ACTOR_LABEL_LENGTH]


def record_event(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    council: Any = None,
    summary: str = "",
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain. Call inside the service's transaction. `actor` is a
    user, the TokenUser of an API request (recorded by its label), or None."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_event must run inside the transaction of the change")
    # Lock the head: writers append one at a time, so the chain never forks.
    head = AuditChainHead.objects.select_for_update().get(id=1)
    real_actor = actor if actor is not None and getattr(actor, "pk", None) else None
    event = AuditEvent(
        seq=head.last_seq + 1,
        occurred_at=timezone.now(),
        actor=real_actor,
        actor_label=actor_label(actor),
        council=council,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        summary=summary,
        changes=_canonical(changes or {}),
        request_id=current_request_id(),
        prev_hash=head.last_hash,
    )
    event.hash = event_hash(event)
    event.save(force_insert=True)
    head.last_seq = event.seq
    head.last_hash = event.hash
    head.save(update_fields=["last_seq", "last_hash"])
    return event


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    kind: str  # "edited", "missing", "unlinked", "truncated"
    detail: str


def verify_chain(*, batch_size: int = 2000) -> tuple[int, list[ChainProblem]]:
    """Recompute the chain; return how many events were checked and what is wrong."""
    problems: list[ChainProblem] = []
    expected_seq = 1
    expected_prev = GENESIS_HASH
    checked = 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size):
        checked += 1
        if event.seq != expected_seq:
            problems.append(
                ChainProblem(event.seq, "missing", f"events {expected_seq}..{event.seq - 1}")
            )
        elif event.prev_hash != expected_prev:
            problems.append(ChainProblem(event.seq, "unlinked", "previous hash does not match"))
        if event_hash(event) != event.hash:
            problems.append(ChainProblem(event.seq, "edited", "content does not match its hash"))
        expected_seq = event.seq + 1
        expected_prev = event.hash
    head = AuditChainHead.objects.filter(id=1).first()
    last_seq = head.last_seq if head else 0
    if last_seq != expected_seq - 1 or (head and last_seq and head.last_hash != expected_prev):
        problems.append(
            ChainProblem(last_seq, "truncated", f"the chain head expects event {last_seq}")
        )
    return checked, problems
