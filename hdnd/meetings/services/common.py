"""What the meeting services share: locking with version checks, the audit record of
each change, and telling the room what changed once the transaction commits.

Every state change is one service function: it locks what it changes (`lock_meeting`),
checks the current state, writes, calls `record()` (the audit event, in the same
transaction) and `announce()` (the live update, sent only after commit)."""

from typing import Any

from django.db import models, transaction
from django.utils.translation import pgettext

from hdnd.core.audit import record_event
from hdnd.core.errors import DomainError, NotFound
from hdnd.core.versions import check_version
from hdnd.meetings.models import Meeting


class NotAllowedNow(DomainError):
    """The action does not fit the current state (a closed poll, an ended meeting…)."""

    code = "not_allowed_now"
    status = 409


def lock_meeting(meeting_id: int, *, expected_version: int | None = None) -> Meeting:
    """The meeting, locked for this transaction (serialises the room's state changes)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_meeting must run inside a transaction")
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("council")
        .filter(id=meeting_id)
        .first()
    )
    if meeting is None:
        raise NotFound(pgettext("council meeting", "This meeting does not exist."))
    check_version(meeting.version, expected_version)
    return meeting


def record(
    meeting: Meeting,
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    summary: str = "",
    changes: dict[str, Any] | None = None,
) -> None:
    """The audit event of one change ("meeting.<action>"), in the change's transaction."""
    record_event(
        actor=actor,
        action=f"meeting.{action}",
        obj=obj if obj is not None else meeting,
        council=meeting.council,
        summary=summary,
        changes=changes or {},
    )


def announce(meeting_id: int, *topics: str) -> None:
    """Tell the room (tablets, chair's console, projector) that these parts of the
    meeting changed, once the transaction commits. Topics: "meeting", "agenda",
    "attendance", "speakers", "questions", "documents", "poll"."""
    from hdnd.meetings import live

    transaction.on_commit(lambda: live.publish(meeting_id, topics))
