"""Attendance (điểm danh) per sitting.

A participant checks in on their tablet, themselves only, while a sitting is open. The
office records anyone: present, absent with leave (with the reason) or absent, at the
open sitting, and absences ahead of a planned one. Delegates say they are ready to vote
once present; an absence clears it.
"""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hdnd.core.errors import DomainError, NotFound
from hdnd.lib.vietnamese import normalize
from hdnd.meetings.models import (
    VOTING_ROLES,
    Attendance,
    AttendanceStatus,
    CheckInMethod,
    Meeting,
    MeetingStatus,
    Participant,
    Sitting,
    SittingStatus,
)
from hdnd.meetings.services.common import NotAllowedNow, announce, lock_meeting, record


def _open_sitting(meeting: Meeting) -> Sitting:
    if meeting.status != MeetingStatus.IN_PROGRESS:
        raise NotAllowedNow(_("The meeting is not in progress."))
    sitting = (
        Sitting.objects.filter(meeting_id=meeting.pk, status=SittingStatus.OPEN)
        .order_by("number")
        .first()
    )
    if sitting is None:
        raise NotAllowedNow(_("No sitting is open: check-in opens with the sitting."))
    return sitting


def _participant(meeting: Meeting, participant_id: int) -> Participant:
    participant = (
        Participant.objects.select_related("person")
        .filter(meeting_id=meeting.pk, id=participant_id)
        .first()
    )
    if participant is None:
        raise NotFound(_("This participant is not in the meeting."))
    return participant


def _locked_row(sitting: Sitting, participant: Participant) -> Attendance | None:
    return (
        Attendance.objects.select_for_update()
        .filter(sitting_id=sitting.pk, participant_id=participant.pk)
        .first()
    )


def check_in(*, meeting_id: int, participant_id: int, actor: Any) -> Attendance:
    """The participant checks themselves in on their tablet at the open sitting. Checking
    in again changes nothing."""
    with transaction.atomic():
        meeting = lock_meeting(meeting_id)
        participant = _participant(meeting, participant_id)
        if participant.person_id != getattr(actor, "person_id", None):
            raise NotAllowedNow(_("You can check in only yourself."))
        sitting = _open_sitting(meeting)
        row = _locked_row(sitting, participant)
        if row is not None and row.status == AttendanceStatus.PRESENT:
            return row
        row = _write(
            sitting,
            participant,
            actor=actor,
            status=AttendanceStatus.PRESENT,
            reason="",
            method=CheckInMethod.TABLET,
            row=row,
        )
        record(
            meeting,
            actor=actor,
            action="attendance.check_in",
            obj=row,
            summary=_("Checked in at sitting %(number)s: %(person)s.")
            % {"number": sitting.number, "person": participant.person},
        )
        announce(meeting.pk, "attendance")
    return row


def record_attendance(
    *,
    meeting_id: int,
    participant_id: int,
    actor: Any,
    status: str,
    reason: str = "",
    sitting_id: int | None = None,
) -> Attendance:
    """The office records a participant present (open sitting only) or absent, with or
    without leave (open or planned sitting). Leave needs its reason."""
    reason = normalize(reason or "")[:500]
    if status not in AttendanceStatus.values:
        raise DomainError(_("Choose present or absent."), fields={"status": [_("Unknown status.")]})
    if status == AttendanceStatus.ABSENT_EXCUSED and not reason:
        raise DomainError(
            _("Give the reason for the leave of absence."),
            fields={"reason": [_("Give the reason.")]},
        )
    if status == AttendanceStatus.PRESENT:
        reason = ""
    with transaction.atomic():
        meeting = lock_meeting(meeting_id)
        participant = _participant(meeting, participant_id)
        if sitting_id is None:
            sitting = _open_sitting(meeting)
        else:
            found = Sitting.objects.filter(meeting_id=meeting.pk, id=sitting_id).first()
            if found is None:
                raise NotFound(_("This sitting does not exist."))
            sitting = found
            if meeting.status not in {MeetingStatus.PLANNED, MeetingStatus.IN_PROGRESS}:
                raise NotAllowedNow(
                    _("Attendance of a meeting that is “%(status)s” can no longer change.")
                    % {"status": meeting.get_status_display()}
                )
            if sitting.status == SittingStatus.CLOSED:
                raise NotAllowedNow(_("This sitting is closed: its attendance is final."))
            if sitting.status == SittingStatus.PLANNED and status == AttendanceStatus.PRESENT:
                raise NotAllowedNow(_("Nobody is present at a sitting that has not opened."))
        row = _locked_row(sitting, participant)
        before = row.status if row is not None else ""
        row = _write(
            sitting,
            participant,
            actor=actor,
            status=status,
            reason=reason,
            method=CheckInMethod.OFFICE,
            row=row,
        )
        record(
            meeting,
            actor=actor,
            action="attendance.record",
            obj=row,
            summary=_("Attendance at sitting %(number)s: %(person)s — %(status)s.")
            % {
                "number": sitting.number,
                "person": participant.person,
                "status": row.get_status_display(),
            },
            changes={"status": [before, status], "reason": reason},
        )
        announce(meeting.pk, "attendance")
    return row


def _write(
    sitting: Sitting,
    participant: Participant,
    *,
    actor: Any,
    status: str,
    reason: str,
    method: str,
    row: Attendance | None,
) -> Attendance:
    now = timezone.now()
    recorded_by = actor if getattr(actor, "pk", None) else None
    if row is None:
        return Attendance.objects.create(
            sitting=sitting,
            participant=participant,
            status=status,
            reason=reason,
            method=method,
            ready_to_vote=False,
            recorded_at=now,
            recorded_by=recorded_by,
        )
    row.status = status
    row.reason = reason
    row.method = method
    if status != AttendanceStatus.PRESENT:
        row.ready_to_vote = False
    row.recorded_at = now
    row.recorded_by = recorded_by
    row.save(
        update_fields=["status", "reason", "method", "ready_to_vote", "recorded_at", "recorded_by"]
    )
    return row


def set_ready(*, meeting_id: int, participant_id: int, actor: Any, ready: bool) -> Attendance:
    """A delegate says they are ready (or no longer ready) to vote; only once present."""
    with transaction.atomic():
        meeting = lock_meeting(meeting_id)
        participant = _participant(meeting, participant_id)
        if participant.person_id != getattr(actor, "person_id", None):
            raise NotAllowedNow(_("Only the delegate can say they are ready to vote."))
        if participant.role not in VOTING_ROLES:
            raise NotAllowedNow(_("Only the council's delegates vote; guests never do."))
        sitting = _open_sitting(meeting)
        row = _locked_row(sitting, participant)
        if row is None or row.status != AttendanceStatus.PRESENT:
            raise NotAllowedNow(_("Check in first: only delegates present can be ready to vote."))
        if row.ready_to_vote == ready:
            return row
        row.ready_to_vote = ready
        row.save(update_fields=["ready_to_vote"])
        record(
            meeting,
            actor=actor,
            action="attendance.ready",
            obj=row,
            summary=(
                _("Ready to vote: %(person)s.")
                if ready
                else _("No longer ready to vote: %(person)s.")
            )
            % {"person": participant.person},
            changes={"ready_to_vote": ready},
        )
        announce(meeting.pk, "attendance")
    return row
