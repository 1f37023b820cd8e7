"""Attendance: check-in rules, the office's records, readiness to vote, and the quorum's
arithmetic."""

from collections.abc import Callable

import pytest

from hdnd.accounts.models import User
from hdnd.core.errors import DomainError
from hdnd.meetings.models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    Participant,
    Sitting,
    SittingPart,
)
from hdnd.meetings.queries.attendance import (
    attendance_summary,
    is_present,
    quorum,
    required_for,
)
from hdnd.meetings.services import attendance as services
from hdnd.meetings.services import sittings as sitting_services
from hdnd.meetings.services.common import NotAllowedNow
from hdnd.testing.meeting_fixtures import MEMBER_COUNT

pytestmark = pytest.mark.django_db


def participant(meeting: Meeting, user: User) -> Participant:
    return Participant.objects.get(meeting=meeting, person=user.person)


@pytest.mark.parametrize(
    ("total", "numerator", "denominator", "required"),
    [
        (10, 2, 3, 7),
        (9, 2, 3, 6),
        (30, 2, 3, 20),
        (31, 2, 3, 21),
        (95, 2, 3, 64),
        (10, 1, 2, 5),
        (11, 1, 2, 6),
        (1, 2, 3, 1),
        (0, 2, 3, 0),
        (10, 3, 3, 10),
    ],
)
def test_the_required_number_is_rounded_up(
    total: int, numerator: int, denominator: int, required: int
) -> None:
    assert required_for(total, numerator, denominator) == required


def test_ten_members_need_seven_present(
    session: Meeting, members: list[object], check_in: Callable[..., None], guest: User
) -> None:
    voters = list(Participant.objects.filter(meeting=session, membership__isnull=False))
    assert len(voters) == MEMBER_COUNT
    check_in(*voters[:6], participant(session, guest))
    result = quorum(session)
    assert (result.present, result.total, result.required, result.reached) == (6, 10, 7, False)
    check_in(voters[6])
    result = quorum(session)
    assert (result.present, result.required, result.reached) == (7, 7, True)


def test_no_open_sitting_means_nobody_present(
    session: Meeting, city_staff: User, delegate: User, check_in: Callable[..., None]
) -> None:
    check_in(delegate)
    assert session.current_sitting is not None
    sitting = session.current_sitting
    assert is_present(participant(session, delegate), sitting)
    sitting_services.close_sitting(meeting_id=session.pk, sitting_id=sitting.pk, actor=city_staff)
    session.refresh_from_db()
    assert quorum(session).present == 0
    # Still recorded as present at the sitting that closed.
    assert is_present(participant(session, delegate), sitting)
    assert not is_present(participant(session, delegate), None)


def test_a_delegate_checks_in_only_themselves_and_only_while_a_sitting_is_open(
    session: Meeting, delegate: User, other_delegate: User, city_staff: User
) -> None:
    mine = participant(session, delegate)
    with pytest.raises(NotAllowedNow):
        services.check_in(
            meeting_id=session.pk,
            participant_id=participant(session, other_delegate).pk,
            actor=delegate,
        )
    row = services.check_in(meeting_id=session.pk, participant_id=mine.pk, actor=delegate)
    assert (row.status, row.method) == (AttendanceStatus.PRESENT, "tablet")
    # Again: nothing changes.
    again = services.check_in(meeting_id=session.pk, participant_id=mine.pk, actor=delegate)
    assert again.pk == row.pk and again.recorded_at == row.recorded_at
    assert session.current_sitting is not None
    sitting_services.close_sitting(
        meeting_id=session.pk, sitting_id=session.current_sitting.pk, actor=city_staff
    )
    other = participant(session, other_delegate)
    with pytest.raises(NotAllowedNow):
        services.check_in(meeting_id=session.pk, participant_id=other.pk, actor=other_delegate)
    assert not Attendance.objects.filter(participant=other).exists()


def test_ready_to_vote_only_when_present_and_an_absence_clears_it(
    session: Meeting, delegate: User, guest: User, city_staff: User
) -> None:
    mine = participant(session, delegate)
    with pytest.raises(NotAllowedNow):
        services.set_ready(
            meeting_id=session.pk, participant_id=mine.pk, actor=delegate, ready=True
        )
    services.check_in(meeting_id=session.pk, participant_id=mine.pk, actor=delegate)
    row = services.set_ready(
        meeting_id=session.pk, participant_id=mine.pk, actor=delegate, ready=True
    )
    assert row.ready_to_vote
    assert attendance_summary(session).ready == 1
    services.record_attendance(
        meeting_id=session.pk,
        participant_id=mine.pk,
        actor=city_staff,
        status=AttendanceStatus.ABSENT_EXCUSED,
        reason="Đi công tác",
    )
    row.refresh_from_db()
    assert (row.status, row.ready_to_vote, row.reason) == ("absent_excused", False, "Đi công tác")
    # Guests never vote.
    visitor = participant(session, guest)
    services.check_in(meeting_id=session.pk, participant_id=visitor.pk, actor=guest)
    with pytest.raises(NotAllowedNow):
        services.set_ready(
            meeting_id=session.pk, participant_id=visitor.pk, actor=guest, ready=True
        )


def test_the_office_records_absences_with_reasons_even_before_a_sitting_opens(
    session: Meeting, city_staff: User, delegate: User, other_delegate: User
) -> None:
    later = Sitting.objects.create(
        meeting=session, number=2, date=session.starts_on, part=SittingPart.AFTERNOON
    )
    mine = participant(session, delegate)
    with pytest.raises(DomainError) as error:
        services.record_attendance(
            meeting_id=session.pk,
            participant_id=mine.pk,
            actor=city_staff,
            status=AttendanceStatus.ABSENT_EXCUSED,
            sitting_id=later.pk,
        )
    assert "reason" in error.value.fields
    services.record_attendance(
        meeting_id=session.pk,
        participant_id=mine.pk,
        actor=city_staff,
        status=AttendanceStatus.ABSENT_EXCUSED,
        reason="Ốm",
        sitting_id=later.pk,
    )
    with pytest.raises(NotAllowedNow):
        services.record_attendance(
            meeting_id=session.pk,
            participant_id=mine.pk,
            actor=city_staff,
            status=AttendanceStatus.PRESENT,
            sitting_id=later.pk,
        )
    services.record_attendance(
        meeting_id=session.pk,
        participant_id=participant(session, other_delegate).pk,
        actor=city_staff,
        status=AttendanceStatus.PRESENT,
    )
    summary = attendance_summary(session)
    assert (summary.delegates.present, summary.delegates.total) == (1, MEMBER_COUNT)
    assert (summary.guests.present, summary.guests.total) == (0, 2)
    assert len(summary.absentees) == MEMBER_COUNT - 1
    with pytest.raises(DomainError):
        services.record_attendance(
            meeting_id=session.pk, participant_id=mine.pk, actor=city_staff, status="late"
        )
