"""Casting a ballot: only a present delegate, once, in an open poll; a secret ballot
leaves no trace of how the delegate voted."""

import json
import logging
from collections.abc import Callable
from typing import Any

import pytest

from hdnd.accounts.models import User
from hdnd.core.errors import NotFound, PermissionDenied
from hdnd.core.models import AuditEvent
from hdnd.core.versions import StaleVersion
from hdnd.meetings.models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    Participant,
    Sitting,
    SittingStatus,
)
from hdnd.meetings.services.common import NotAllowedNow
from hdnd.voting import services
from hdnd.voting.models import Ballot, Choice, Poll, PollKind, PollStatus, SecretTally, Vote

pytestmark = pytest.mark.django_db


def _choices(poll: Poll, choice: str) -> dict[int, str]:
    return {subject.pk: choice for subject in poll.subjects.all()}


def test_a_named_ballot_records_the_vote_and_answers_with_the_time(
    open_poll: Callable[..., Poll], delegate: User, check_in: Callable[..., None]
) -> None:
    poll = open_poll()
    check_in(delegate)
    result = services.cast_ballot(
        poll_id=poll.pk, user=delegate, choices=_choices(poll, Choice.NO), channel="web"
    )
    assert result.recorded and not result.already_recorded and not result.changed
    ballot = Ballot.objects.get(poll=poll)
    assert ballot.person_id == delegate.person_id
    assert ballot.cast_at == result.cast_at
    assert ballot.channel == "web"
    assert list(Vote.objects.filter(poll=poll).values_list("choice", flat=True)) == ["no"]
    event = AuditEvent.objects.get(action="poll.cast")
    assert event.actor == delegate
    assert event.changes["choices"] == {str(poll.subjects.get().pk): "no"}


def test_a_secret_ballot_stores_that_the_delegate_voted_never_how(
    open_poll: Callable[..., Poll],
    delegate: User,
    check_in: Callable[..., None],
    caplog: pytest.LogCaptureFixture,
) -> None:
    rated = [services.SubjectSpec(person_id=delegate.person_id, post="Phó Chủ tịch HĐND")]
    poll = open_poll(kind=PollKind.CONFIDENCE, title="Lấy phiếu tín nhiệm", subjects=rated)
    assert poll.is_secret
    check_in(delegate)
    caplog.set_level(logging.DEBUG)
    services.cast_ballot(
        poll_id=poll.pk, user=delegate, choices=_choices(poll, Choice.LOW), channel="ws"
    )

    assert not Vote.objects.exists()
    # The ballot row has no column for a choice: that they voted, when, how it arrived.
    assert {field.name for field in Ballot._meta.concrete_fields} == {
        "id",
        "poll",
        "person",
        "cast_at",
        "changed_at",
        "channel",
    }
    assert Ballot.objects.filter(poll=poll, person=delegate.person).exists()
    tallies = dict(SecretTally.objects.filter(poll=poll).values_list("choice", "count"))
    assert tallies == {"high": 0, "confident": 0, "low": 1}
    # The audit trail names the voter, never the choice.
    event = AuditEvent.objects.get(action="poll.cast")
    assert event.actor == delegate
    written = json.dumps(
        [event.summary, event.changes, event.object_repr], ensure_ascii=False
    ).lower()
    assert "low" not in written and "thấp" not in written
    assert "choices" not in event.changes
    assert all("low" not in record.getMessage().lower() for record in caplog.records)


def test_a_double_submission_counts_once(
    open_poll: Callable[..., Poll], delegate: User, check_in: Callable[..., None]
) -> None:
    poll = open_poll()
    check_in(delegate)
    first = services.cast_ballot(
        poll_id=poll.pk, user=delegate, choices=_choices(poll, Choice.YES), channel="ws"
    )
    again = services.cast_ballot(
        poll_id=poll.pk, user=delegate, choices=_choices(poll, Choice.YES), channel="ws"
    )
    assert again.already_recorded and not again.recorded
    assert again.cast_at == first.cast_at
    assert Vote.objects.filter(poll=poll).count() == 1
    assert AuditEvent.objects.filter(action="poll.cast").count() == 1


def test_a_second_secret_ballot_changes_nothing(
    open_poll: Callable[..., Poll], delegate: User, check_in: Callable[..., None]
) -> None:
    poll = open_poll(is_secret=True)
    check_in(delegate)
    services.cast_ballot(
        poll_id=poll.pk, user=delegate, choices=_choices(poll, Choice.YES), channel="ws"
    )
    again = services.cast_ballot(
        poll_id=poll.pk, user=delegate, choices=_choices(poll, Choice.NO), channel="ws"
    )
    assert again.already_recorded
    tallies = dict(SecretTally.objects.filter(poll=poll).values_list("choice", "count"))
    assert tallies == {"yes": 1, "no": 0, "abstain": 0}


def test_a_different_ballot_is_refused_unless_changes_are_allowed(
    open_poll: Callable[..., Poll], delegate: User, check_in: Callable[..., None]
) -> None:
    poll = open_poll()
    check_in(delegate)
    services.cast_ballot(
        poll_id=poll.pk, user=delegate, choices=_choices(poll, Choice.YES), channel="ws"
    )
    with pytest.raises(services.AlreadyVoted) as error:
        services.cast_ballot(
            poll_id=poll.pk, user=delegate, choices=_choices(poll, Choice.NO), channel="ws"
        )
    assert error.value.code == "already_voted"
    assert list(Vote.objects.values_list("choice", flat=True)) == ["yes"]


def test_with_changes_allowed_a_new_ballot_replaces_the_vote(
    open_poll: Callable[..., Poll],
    delegate: User,
    check_in: Callable[..., None],
    chair: User,
) -> None:
    poll = open_poll(allow_change=True)
    check_in(delegate)
    services.cast_ballot(
        poll_id=poll.pk, user=delegate, choices=_choices(poll, Choice.YES), channel="ws"
    )
    changed = services.cast_ballot(
        poll_id=poll.pk, user=delegate, choices=_choices(poll, Choice.NO), channel="web"
    )
    assert changed.recorded and changed.changed
    ballot = Ballot.objects.get(poll=poll)
    assert ballot.changed_at == changed.cast_at
    assert list(Vote.objects.values_list("choice", flat=True)) == ["no"]
    closed = services.close_poll(poll_id=poll.pk, actor=chair)
    assert closed.result["subjects"][0]["counts"] == {"yes": 0, "no": 1, "abstain": 0}


def test_a_secret_poll_cannot_allow_changes(new_poll: Callable[..., Poll]) -> None:
    with pytest.raises(services.InvalidPoll):
        new_poll(is_secret=True, allow_change=True)


def test_a_vote_after_close_is_refused_and_the_voter_told(
    open_poll: Callable[..., Poll],
    delegate: User,
    check_in: Callable[..., None],
    chair: User,
) -> None:
    poll = open_poll()
    check_in(delegate)
    services.close_poll(poll_id=poll.pk, actor=chair)
    with pytest.raises(services.PollNotOpen) as error:
        services.cast_ballot(
            poll_id=poll.pk, user=delegate, choices=_choices(poll, Choice.YES), channel="ws"
        )
    assert error.value.code == "poll_not_open"
    assert "not recorded" in error.value.message or "không được ghi" in error.value.message
    assert not Ballot.objects.exists()


def test_a_draft_poll_takes_no_ballot(
    new_poll: Callable[..., Poll], delegate: User, check_in: Callable[..., None]
) -> None:
    poll = new_poll()
    check_in(delegate)
    with pytest.raises(services.PollNotOpen):
        services.cast_ballot(
            poll_id=poll.pk, user=delegate, choices=_choices(poll, Choice.YES), channel="ws"
        )


def test_an_absent_delegate_cannot_vote(
    session: Meeting, open_poll: Callable[..., Poll], delegate: User
) -> None:
    poll = open_poll()
    with pytest.raises(services.NotPresent) as error:
        services.cast_ballot(
            poll_id=poll.pk, user=delegate, choices=_choices(poll, Choice.YES), channel="ws"
        )
    assert error.value.code == "not_present"
    # Absent with leave is absent too.
    assert session.current_sitting is not None and poll.opened_at is not None
    Attendance.objects.create(
        sitting=session.current_sitting,
        participant=Participant.objects.get(meeting=session, person=delegate.person),
        status=AttendanceStatus.ABSENT_EXCUSED,
        method="office",
        recorded_at=poll.opened_at,
    )
    with pytest.raises(services.NotPresent):
        services.cast_ballot(
            poll_id=poll.pk, user=delegate, choices=_choices(poll, Choice.YES), channel="ws"
        )
    assert not Ballot.objects.exists()


def test_presence_counts_at_the_polls_own_sitting(
    session: Meeting,
    new_poll: Callable[..., Poll],
    delegate: User,
    check_in: Callable[..., None],
    chair: User,
) -> None:
    check_in(delegate)  # present at sitting 1
    first = session.current_sitting
    assert first is not None
    Sitting.objects.filter(pk=first.pk).update(status=SittingStatus.CLOSED)
    second = Sitting.objects.create(
        meeting=session, number=2, date=first.date, part="afternoon", status=SittingStatus.OPEN
    )
    Meeting.objects.filter(pk=session.pk).update(current_sitting=second)
    poll = new_poll()
    services.open_poll(poll_id=poll.pk, actor=chair)
    with pytest.raises(services.NotPresent):
        services.cast_ballot(
            poll_id=poll.pk, user=delegate, choices=_choices(poll, Choice.YES), channel="ws"
        )


@pytest.mark.parametrize("persona", ["guest", "respondent", "outsider", "city_staff"])
def test_only_delegates_vote(
    request: pytest.FixtureRequest,
    session: Meeting,
    open_poll: Callable[..., Poll],
    persona: str,
    check_in: Callable[..., None],
) -> None:
    poll = open_poll()
    user: User = request.getfixturevalue(persona)
    if persona in ("guest", "respondent"):
        check_in(user)
    with pytest.raises(services.NotEntitled) as error:
        services.cast_ballot(
            poll_id=poll.pk, user=user, choices=_choices(poll, Choice.YES), channel="ws"
        )
    assert error.value.code == "not_entitled"
    assert not Ballot.objects.exists()


@pytest.mark.parametrize(
    "make_choices",
    [
        lambda poll: {},
        lambda poll: {subject.pk: "high" for subject in poll.subjects.all()},
        lambda poll: {subject.pk + 999: "yes" for subject in poll.subjects.all()},
        lambda poll: {"x": "yes"},
    ],
    ids=["empty", "wrong-kind", "other-subject", "bad-key"],
)
def test_an_invalid_ballot_is_refused(
    open_poll: Callable[..., Poll],
    delegate: User,
    check_in: Callable[..., None],
    make_choices: Callable[[Poll], dict[Any, str]],
) -> None:
    poll = open_poll()
    check_in(delegate)
    with pytest.raises(services.InvalidChoice) as error:
        services.cast_ballot(
            poll_id=poll.pk, user=delegate, choices=make_choices(poll), channel="ws"
        )
    assert error.value.code == "invalid_choice"
    assert not Ballot.objects.exists()


def test_every_person_rated_must_be_answered(
    open_poll: Callable[..., Poll],
    delegate: User,
    other_delegate: User,
    check_in: Callable[..., None],
) -> None:
    rated = [
        services.SubjectSpec(person_id=delegate.person_id, post="Phó Chủ tịch"),
        services.SubjectSpec(person_id=other_delegate.person_id, post="Trưởng ban"),
    ]
    poll = open_poll(kind=PollKind.CONFIDENCE, title="Tín nhiệm", subjects=rated)
    check_in(delegate)
    first = poll.subjects.order_by("position").first()
    assert first is not None
    with pytest.raises(services.InvalidChoice):
        services.cast_ballot(
            poll_id=poll.pk, user=delegate, choices={first.pk: "high"}, channel="ws"
        )


# Opening, closing, the console's rights.


def test_opening_freezes_the_total_and_creates_the_tallies(
    open_poll: Callable[..., Poll], session: Meeting
) -> None:
    poll = open_poll(is_secret=True)
    assert poll.status == PollStatus.OPEN
    assert poll.sitting_id == session.current_sitting_id
    assert poll.total_members == 10
    assert SecretTally.objects.filter(poll=poll, count=0).count() == 3
    assert AuditEvent.objects.filter(action="poll.open").exists()


def test_one_open_poll_per_meeting(
    open_poll: Callable[..., Poll], new_poll: Callable[..., Poll], chair: User
) -> None:
    open_poll()
    second = new_poll(title="Một việc khác")
    with pytest.raises(NotAllowedNow) as error:
        services.open_poll(poll_id=second.pk, actor=chair)
    assert "kết thúc cuộc biểu quyết đó trước" in error.value.message


def test_a_poll_opens_only_in_an_open_sitting(
    session: Meeting, new_poll: Callable[..., Poll], chair: User
) -> None:
    poll = new_poll()
    Sitting.objects.filter(meeting=session).update(status=SittingStatus.CLOSED)
    with pytest.raises(NotAllowedNow):
        services.open_poll(poll_id=poll.pk, actor=chair)


def test_the_office_runs_polls_too(
    session: Meeting, city_staff: User, delegate: User, check_in: Callable[..., None]
) -> None:
    poll = services.create_poll(
        meeting_id=session.pk, actor=city_staff, kind=PollKind.MOTION, title="Thông qua"
    )
    services.open_poll(poll_id=poll.pk, actor=city_staff)
    closed = services.close_poll(poll_id=poll.pk, actor=city_staff)
    assert closed.status == PollStatus.CLOSED


@pytest.mark.parametrize("persona", ["delegate", "guest", "respondent"])
def test_participants_other_than_the_chair_cannot_run_polls(
    request: pytest.FixtureRequest,
    session: Meeting,
    open_poll: Callable[..., Poll],
    new_poll: Callable[..., Poll],
    persona: str,
) -> None:
    user: User = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.create_poll(meeting_id=session.pk, actor=user, kind=PollKind.MOTION, title="X")
    draft = new_poll()
    with pytest.raises(PermissionDenied):
        services.open_poll(poll_id=draft.pk, actor=user)
    poll = open_poll(title="Đang mở")
    with pytest.raises(PermissionDenied):
        services.close_poll(poll_id=poll.pk, actor=user)
    assert Poll.objects.get(pk=poll.pk).status == PollStatus.OPEN


def test_an_outsider_sees_no_such_meeting(
    session: Meeting, open_poll: Callable[..., Poll], outsider: User
) -> None:
    poll = open_poll()
    with pytest.raises(NotFound):
        services.create_poll(meeting_id=session.pk, actor=outsider, kind=PollKind.MOTION, title="X")
    with pytest.raises(NotFound):
        services.close_poll(poll_id=poll.pk, actor=outsider)


def test_a_draft_can_be_edited_and_deleted_but_not_once_opened(
    new_poll: Callable[..., Poll], chair: User
) -> None:
    poll = new_poll()
    edited = services.edit_poll(
        poll_id=poll.pk,
        actor=chair,
        expected_version=poll.version,
        title="Tên mới",
        rule=services.PassRule.TWO_THIRDS,
    )
    assert edited.title == "Tên mới"
    assert edited.subjects.get().label == "Tên mới"
    assert edited.required_votes(9) == 6
    with pytest.raises(StaleVersion):
        services.edit_poll(poll_id=poll.pk, actor=chair, expected_version=poll.version, title="Y")
    services.open_poll(poll_id=poll.pk, actor=chair)
    with pytest.raises(NotAllowedNow):
        services.edit_poll(poll_id=poll.pk, actor=chair, title="Z")
    with pytest.raises(NotAllowedNow):
        services.delete_poll(poll_id=poll.pk, actor=chair)
    other = new_poll(title="Bỏ")
    services.delete_poll(poll_id=other.pk, actor=chair)
    assert not Poll.objects.filter(pk=other.pk).exists()


def test_closing_freezes_who_was_entitled(
    session: Meeting,
    open_poll: Callable[..., Poll],
    voters: list[User],
    check_in: Callable[..., None],
    chair: User,
) -> None:
    poll = open_poll()
    check_in(*voters[:4])
    services.cast_ballot(
        poll_id=poll.pk, user=voters[1], choices=_choices(poll, Choice.YES), channel="ws"
    )
    services.cast_ballot(
        poll_id=poll.pk, user=voters[2], choices=_choices(poll, Choice.NO), channel="ws"
    )
    # voters[2] leaves after voting: still entitled (they voted); voters[3] stays, not voting.
    Attendance.objects.filter(participant__person=voters[2].person).update(
        status=AttendanceStatus.ABSENT
    )
    closed = services.close_poll(poll_id=poll.pk, actor=chair)
    entitled = {row["person_id"]: row["voted"] for row in closed.entitled}
    assert entitled == {
        voters[0].person_id: False,
        voters[1].person_id: True,
        voters[2].person_id: True,
        voters[3].person_id: False,
    }
    assert closed.result["voted"] == 2
    assert AuditEvent.objects.filter(action="poll.close").exists()


def test_a_revote_copies_a_closed_poll_and_links_to_it(
    open_poll: Callable[..., Poll], chair: User
) -> None:
    poll = open_poll(rule=services.PassRule.TWO_THIRDS, allow_change=True)
    with pytest.raises(NotAllowedNow):
        services.revote(poll_id=poll.pk, actor=chair)
    services.close_poll(poll_id=poll.pk, actor=chair)
    again = services.revote(poll_id=poll.pk, actor=chair)
    assert again.revote_of_id == poll.pk
    assert again.status == PollStatus.DRAFT
    assert (again.title, again.kind, again.allow_change) == (poll.title, poll.kind, True)
    assert (again.required_numerator, again.required_denominator) == (2, 3)
    assert [s.label for s in again.subjects.all()] == [s.label for s in poll.subjects.all()]
