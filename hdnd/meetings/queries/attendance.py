"""Attendance and quorum.

The quorum counts the participants who vote (the chair and the delegates): `total` is
all of them, whether present or not (thresholds are counted on the total number of
delegates), `required` is total × numerator / denominator rounded up, and it is reached
when at least that many are present at the current sitting. Guests never count.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Prefetch

from hdnd.meetings.models import (
    VOTING_ROLES,
    Attendance,
    AttendanceStatus,
    Meeting,
    Participant,
    ParticipantRole,
    Sitting,
    SittingStatus,
)

_VOTING = [str(role) for role in VOTING_ROLES]
# Invited from outside the council: counted apart from the delegates.
GUEST_ROLES = [str(ParticipantRole.GUEST), str(ParticipantRole.RESPONDENT)]


@dataclass(frozen=True)
class Quorum:
    present: int
    total: int
    required: int
    reached: bool


def required_for(total: int, numerator: int, denominator: int) -> int:
    """ceil(total × numerator / denominator), in integers (no floating point)."""
    return -(-total * numerator // denominator)


def quorum(meeting: Meeting) -> Quorum:
    """The quorum at the meeting's current (open) sitting; nobody is present when no
    sitting is open."""
    total = Participant.objects.filter(meeting_id=meeting.pk, role__in=_VOTING).count()
    present = 0
    if meeting.current_sitting_id is not None:
        present = Attendance.objects.filter(
            sitting_id=meeting.current_sitting_id,
            status=AttendanceStatus.PRESENT,
            participant__role__in=_VOTING,
            participant__meeting_id=meeting.pk,
        ).count()
    required = required_for(total, meeting.quorum_numerator, meeting.quorum_denominator)
    return Quorum(
        present=present, total=total, required=required, reached=total > 0 and present >= required
    )


def is_present(participant: Participant, sitting: Sitting | None) -> bool:
    """Whether the participant is checked in (present) at the sitting."""
    if sitting is None:
        return False
    return Attendance.objects.filter(
        sitting_id=sitting.pk, participant_id=participant.pk, status=AttendanceStatus.PRESENT
    ).exists()


def attendance_of(participant: Participant, sitting: Sitting | None) -> Attendance | None:
    """The participant's attendance row at the sitting (None: not checked in yet)."""
    if sitting is None:
        return None
    return Attendance.objects.filter(sitting_id=sitting.pk, participant_id=participant.pk).first()


@dataclass
class AttendanceRow:
    participant: Participant
    attendance: Attendance | None

    @property
    def status(self) -> str:
        return self.attendance.status if self.attendance is not None else ""

    @property
    def is_present(self) -> bool:
        return self.status == AttendanceStatus.PRESENT


@dataclass
class Count:
    present: int = 0
    total: int = 0


@dataclass
class AttendanceSummary:
    sitting: Sitting | None
    quorum: Quorum
    delegates: Count = field(default_factory=Count)
    guests: Count = field(default_factory=Count)
    ready: int = 0
    # Voting participants not present: absent (with or without leave) or not checked in.
    absentees: list[AttendanceRow] = field(default_factory=list)
    rows: list[AttendanceRow] = field(default_factory=list)


def sitting_rows(meeting: Meeting, sitting: Sitting | None) -> list[AttendanceRow]:
    """Every participant with their attendance at the sitting, in the list's order."""
    participants = Participant.objects.filter(meeting_id=meeting.pk).select_related(
        "person", "agency"
    )
    if sitting is None:
        return [AttendanceRow(participant, None) for participant in participants]
    participants = participants.prefetch_related(
        Prefetch(
            "attendance",
            queryset=Attendance.objects.filter(sitting_id=sitting.pk),
            to_attr="at_sitting",
        )
    )
    return [
        AttendanceRow(participant, next(iter(participant.at_sitting), None))
        for participant in participants
    ]


def attendance_summary(meeting: Meeting, sitting: Sitting | None = None) -> AttendanceSummary:
    """What the chair sees: present/total for delegates and for guests, the quorum, who
    is ready to vote, the absentees with their reasons. Defaults to the current sitting."""
    if sitting is None and meeting.current_sitting_id is not None:
        sitting = Sitting.objects.filter(id=meeting.current_sitting_id).first()
    rows = sitting_rows(meeting, sitting)
    summary = AttendanceSummary(sitting=sitting, quorum=Quorum(0, 0, 0, False), rows=rows)
    for row in rows:
        role = row.participant.role
        if role in VOTING_ROLES:
            summary.delegates.total += 1
            if row.is_present:
                summary.delegates.present += 1
                summary.ready += int(bool(row.attendance and row.attendance.ready_to_vote))
            else:
                summary.absentees.append(row)
        elif role in GUEST_ROLES:
            summary.guests.total += 1
            summary.guests.present += int(row.is_present)
    total = summary.delegates.total
    required = required_for(total, meeting.quorum_numerator, meeting.quorum_denominator)
    present = summary.delegates.present
    summary.quorum = Quorum(
        present=present, total=total, required=required, reached=total > 0 and present >= required
    )
    return summary


def export_sittings(meeting: Meeting) -> Iterator[tuple[Sitting, list[AttendanceRow]]]:
    """Each sitting that opened, with its rows (for the spreadsheet)."""
    sittings = Sitting.objects.filter(meeting_id=meeting.pk).exclude(status=SittingStatus.PLANNED)
    for sitting in sittings.order_by("number"):
        yield sitting, sitting_rows(meeting, sitting)
