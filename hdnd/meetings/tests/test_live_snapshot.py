"""The room's snapshot: what every client of the room gets after each change."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from hdnd.accounts.models import User
from hdnd.meetings.models import (
    AgendaItem,
    ItemStatus,
    Meeting,
    Participant,
    Question,
    QuestionStatus,
    SpeechKind,
    SpeechRequest,
    SpeechStatus,
)
from hdnd.meetings.queries.room import room_state, viewer_state
from hdnd.voting.models import Ballot, Poll, PollKind, PollStatus, PollSubject

pytestmark = pytest.mark.django_db


def _participant(meeting: Meeting, user: User) -> Participant:
    return Participant.objects.get(meeting=meeting, person=user.person)


@pytest.fixture
def busy_room(
    session: Meeting,
    chair: User,
    delegate: User,
    other_delegate: User,
    guest: User,
    respondent: User,
    check_in: Callable[..., None],
) -> dict[str, Any]:
    """The room mid-debate: item 2.1 current, a speaker on the floor, two waiting, a
    question being answered, a named poll open with one ballot."""
    check_in(chair, delegate, other_delegate, guest)
    AgendaItem.objects.create(meeting=session, position=1, title="Khai mạc")
    budget = AgendaItem.objects.create(meeting=session, position=2, title="Ngân sách")
    current = AgendaItem.objects.create(
        meeting=session,
        parent=budget,
        position=1,
        title="Dự toán ngân sách 2027",
        presenter_text="Đại diện UBND thành phố",
        status=ItemStatus.CURRENT,
        started_at=timezone.now(),
    )
    on_floor = SpeechRequest.objects.create(
        agenda_item=current,
        participant=_participant(session, delegate),
        kind=SpeechKind.SPEECH,
        status=SpeechStatus.SPEAKING,
        limit_seconds=300,
        started_at=timezone.now(),
    )
    for position, user in enumerate([other_delegate, chair], start=1):
        SpeechRequest.objects.create(
            agenda_item=current,
            participant=_participant(session, user),
            kind=SpeechKind.DEBATE,
            position=position,
            limit_seconds=180,
        )
    question = Question.objects.create(
        meeting=session,
        asker=_participant(session, other_delegate),
        respondent=_participant(session, respondent),
        text="Khi nào hoàn thành cải tạo đường Láng?",
        status=QuestionStatus.ASKED,
        asked_at=timezone.now(),
    )
    poll = Poll.objects.create(
        meeting=session,
        sitting=session.current_sitting,
        agenda_item=current,
        kind=PollKind.MOTION,
        title="Thông qua dự toán ngân sách 2027",
        status=PollStatus.OPEN,
        total_members=10,
        opened_at=timezone.now(),
    )
    PollSubject.objects.create(poll=poll, position=1, label=poll.title)
    Ballot.objects.create(
        poll=poll,
        person=_participant(session, delegate).person,
        cast_at=timezone.now(),
        channel="tablet",
    )
    return {"item": current, "speaker": on_floor, "question": question, "poll": poll}


def test_it_shows_the_current_item_floor_question_attendance_and_poll(
    session: Meeting, busy_room: dict[str, Any]
) -> None:
    state = room_state(Meeting.objects.select_related("current_sitting").get(pk=session.pk))

    assert state["meeting"]["id"] == session.pk
    assert state["sitting"]["id"] == session.current_sitting_id
    assert state["agenda_item"] == {
        "id": busy_room["item"].pk,
        "number": "2.1",
        "title": "Dự toán ngân sách 2027",
        "presenter": "Đại diện UBND thành phố",
    }
    # The chair and two delegates of 10 voters; quorum is two-thirds of 10 = 7.
    assert state["attendance"]["present"] == 3
    assert state["attendance"]["total"] == 10
    assert state["attendance"]["guests_present"] == 1
    assert state["attendance"]["quorum"] == {
        "present": 3,
        "total": 10,
        "required": 7,
        "reached": False,
    }
    assert state["speakers"]["current"]["name"] == "Trần Văn Đại Biểu 1"
    assert state["speakers"]["current"]["limit_seconds"] == 300
    assert state["speakers"]["current"]["started_at"] is not None
    assert [one["name"] for one in state["speakers"]["waiting"]] == [
        "Trần Văn Đại Biểu 2",
        "Nguyễn Thị Chủ Tọa",
    ]
    assert state["speakers"]["waiting_count"] == 2
    assert state["question"]["respondent"] == "Phạm Văn Giám Đốc"
    assert state["question"]["text"] == "Khi nào hoàn thành cải tạo đường Láng?"
    assert state["poll"]["id"] == busy_room["poll"].pk
    assert state["poll"]["status"] == PollStatus.OPEN
    # JSON-ready as it is.
    json.dumps(state, cls=DjangoJSONEncoder)


def test_an_empty_room_has_no_item_speaker_question_or_poll(session: Meeting) -> None:
    state = room_state(session)

    assert state["agenda_item"] is None
    assert state["speakers"] == {"current": None, "waiting": [], "waiting_count": 0}
    assert state["question"] is None
    assert state["poll"] is None
    assert state["attendance"]["present"] == 0


def test_the_snapshot_reads_in_a_fixed_number_of_queries(
    session: Meeting,
    busy_room: dict[str, Any],
    members: list[Any],
    check_in: Callable[..., None],
    django_assert_max_num_queries: Any,
) -> None:
    meeting = Meeting.objects.select_related("current_sitting").get(pk=session.pk)
    with django_assert_max_num_queries(14) as captured:
        room_state(meeting)
    baseline = len(captured)
    # More people present, more ballots, more waiting: not one query more.
    check_in(*User.objects.filter(person__in=[seat.person for seat in members]))
    for seat in members[3:]:
        Ballot.objects.create(
            poll=busy_room["poll"], person=seat.person, cast_at=timezone.now(), channel="tablet"
        )
    with django_assert_max_num_queries(baseline):
        state = room_state(meeting)
    assert state["attendance"]["present"] == 10


def test_a_delegate_sees_their_own_ballot_and_attendance(
    session: Meeting, busy_room: dict[str, Any], delegate: User, other_delegate: User
) -> None:
    voted = viewer_state(session, _participant(session, delegate))
    not_yet = viewer_state(session, _participant(session, other_delegate))

    assert voted["attendance"]["status"] == "present"
    assert voted["my_ballot"]["poll"] == busy_room["poll"].pk
    assert voted["my_ballot"]["voted"] is True
    assert voted["my_ballot"]["cast_at"] is not None
    assert not_yet["my_ballot"]["voted"] is False


def test_the_office_has_no_ballot(session: Meeting, busy_room: dict[str, Any]) -> None:
    assert viewer_state(session, None) == {
        "participant": None,
        "attendance": None,
        "my_ballot": None,
    }
