"""The shared personas hold what the other tests assume."""

from collections.abc import Callable

from hdnd.accounts.models import User
from hdnd.meetings.access import access_meeting_run, access_meeting_vote, participant_of
from hdnd.meetings.models import Attendance, Meeting, Participant, ParticipantRole
from hdnd.testing.meeting_fixtures import MEMBER_COUNT


def test_session_has_every_member_guest_and_respondent(session: Meeting) -> None:
    roles = list(Participant.objects.filter(meeting=session).values_list("role", flat=True))
    assert roles.count(ParticipantRole.CHAIR) == 1
    assert roles.count(ParticipantRole.DELEGATE) == MEMBER_COUNT - 1
    assert roles.count(ParticipantRole.GUEST) == 1
    assert roles.count(ParticipantRole.RESPONDENT) == 1
    assert session.current_sitting is not None


def test_chair_runs_and_delegate_votes(session: Meeting, chair: User, delegate: User) -> None:
    assert access_meeting_run(user=chair, meeting_id=session.pk) == session
    _meeting, participant = access_meeting_vote(user=delegate, meeting_id=session.pk)
    assert participant.role == ParticipantRole.DELEGATE


def test_check_in_marks_present(
    session: Meeting, delegate: User, check_in: Callable[..., None]
) -> None:
    check_in(delegate)
    participant = participant_of(delegate, session)
    assert Attendance.objects.filter(participant=participant, status="present").count() == 1
