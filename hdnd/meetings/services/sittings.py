"""A meeting's sittings (phiên): planned on one of its days, opened (one at a time: the
open one is the meeting's `current_sitting`), closed, or removed if never held."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from hdnd.core.errors import DomainError, NotFound
from hdnd.core.versions import save_versioned
from hdnd.lib.vietnamese import normalize
from hdnd.meetings.models import Meeting, Sitting, SittingPart, SittingStatus
from hdnd.meetings.services.common import NotAllowedNow, announce, lock_meeting, record
from hdnd.meetings.services.meetings import require_state


def _sitting(meeting: Meeting, sitting_id: int) -> Sitting:
    sitting = (
        Sitting.objects.select_for_update(of=("self",))
        .filter(meeting_id=meeting.pk, id=sitting_id)
        .first()
    )
    if sitting is None:
        raise NotFound(_("This sitting does not exist."))
    return sitting


def add_sitting(
    *,
    meeting_id: int,
    actor: Any,
    date: dt.date,
    part: str,
    title: str = "",
    is_closed: bool = False,
) -> Sitting:
    """Plan a sitting on one of the meeting's days; sittings are numbered in order of
    creation."""
    with transaction.atomic():
        meeting = lock_meeting(meeting_id)
        require_state(meeting, "sittings")
        errors: dict[str, list[str]] = {}
        if not (meeting.starts_on <= date <= meeting.ends_on):
            errors["date"] = [_("Choose a day of the meeting.")]
        if part not in SittingPart.values:
            errors["part"] = [_("Choose a part of the day.")]
        if errors:
            raise DomainError(_("Please correct the sitting."), fields=errors)
        last = meeting.sittings.aggregate(last=Max("number"))["last"] or 0
        sitting = Sitting.objects.create(
            meeting=meeting,
            number=last + 1,
            date=date,
            part=part,
            title=normalize(title or "")[:300],
            is_closed=is_closed,
        )
        record(
            meeting,
            actor=actor,
            action="sitting.add",
            obj=sitting,
            summary=_("Sitting %(number)s planned.") % {"number": sitting.number},
            changes={"date": date, "part": part, "is_closed": is_closed},
        )
        announce(meeting.pk, "meeting")
    return sitting


def open_sitting(*, meeting_id: int, sitting_id: int, actor: Any) -> Sitting:
    """Open a planned sitting, or reopen a closed one (after a break); one at a time."""
    with transaction.atomic():
        meeting = lock_meeting(meeting_id)
        require_state(meeting, "open_sitting")
        sitting = _sitting(meeting, sitting_id)
        if sitting.status == SittingStatus.OPEN:
            raise NotAllowedNow(_("This sitting is already open."))
        other = meeting.sittings.filter(status=SittingStatus.OPEN).exclude(id=sitting.pk).first()
        if other is not None:
            raise NotAllowedNow(
                _("Sitting %(number)s is still open: close it first.") % {"number": other.number}
            )
        sitting.status = SittingStatus.OPEN
        sitting.opened_at = sitting.opened_at or timezone.now()
        sitting.closed_at = None
        sitting.save(update_fields=["status", "opened_at", "closed_at"])
        meeting.current_sitting = sitting
        save_versioned(meeting, ["current_sitting", "updated_at"])
        record(
            meeting,
            actor=actor,
            action="sitting.open",
            obj=sitting,
            summary=_("Sitting %(number)s opened.") % {"number": sitting.number},
        )
        announce(meeting.pk, "meeting", "attendance", "poll")
    return sitting


def close_sitting(*, meeting_id: int, sitting_id: int, actor: Any) -> Sitting:
    """Close the open sitting; the meeting has no current sitting until the next opens.
    A poll still open in it must be closed first."""
    from hdnd.voting.models import Poll, PollStatus

    with transaction.atomic():
        meeting = lock_meeting(meeting_id)
        sitting = _sitting(meeting, sitting_id)
        if sitting.status != SittingStatus.OPEN:
            raise NotAllowedNow(_("Only an open sitting can be closed."))
        if Poll.objects.filter(sitting=sitting, status=PollStatus.OPEN).exists():
            raise NotAllowedNow(_("A poll is still open in this sitting: close it first."))
        sitting.status = SittingStatus.CLOSED
        sitting.closed_at = timezone.now()
        sitting.save(update_fields=["status", "closed_at"])
        meeting.current_sitting = None
        save_versioned(meeting, ["current_sitting", "updated_at"])
        record(
            meeting,
            actor=actor,
            action="sitting.close",
            obj=sitting,
            summary=_("Sitting %(number)s closed.") % {"number": sitting.number},
        )
        announce(meeting.pk, "meeting", "attendance", "poll")
    return sitting


def remove_sitting(*, meeting_id: int, sitting_id: int, actor: Any) -> None:
    """Drop a sitting that never opened."""
    with transaction.atomic():
        meeting = lock_meeting(meeting_id)
        require_state(meeting, "sittings")
        sitting = _sitting(meeting, sitting_id)
        if sitting.status != SittingStatus.PLANNED:
            raise NotAllowedNow(_("Only a sitting that never opened can be removed."))
        # Leave given ahead for a sitting that will not be held goes with it; the history
        # keeps who had asked for it.
        leave = [
            {"person_id": row.participant.person_id, "status": row.status, "reason": row.reason}
            for row in sitting.attendance.select_related("participant").order_by("id")
        ]
        record(
            meeting,
            actor=actor,
            action="sitting.remove",
            obj=sitting,
            summary=_("Sitting %(number)s removed.") % {"number": sitting.number},
            changes={"attendance_removed": leave} if leave else None,
        )
        sitting.delete()
        announce(meeting.pk, "meeting")
