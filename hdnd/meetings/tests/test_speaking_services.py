"""The floor: requests to speak, the queue, one speaker at a time, and the log."""

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from hdnd.accounts.models import User
from hdnd.core.errors import DomainError, PermissionDenied
from hdnd.core.models import AuditEvent
from hdnd.meetings.access import participant_of
from hdnd.meetings.models import (
    AgendaItem,
    ItemStatus,
    Meeting,
    MeetingStatus,
    Participant,
    SpeechRequest,
    SpeechStatus,
)
from hdnd.meetings.queries.speaking import floor_state, seconds_left, speech_log, went_over
from hdnd.meetings.services import speaking
from hdnd.meetings.services.common import NotAllowedNow

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(session: Meeting) -> AgendaItem:
    return AgendaItem.objects.create(
        meeting=session, position=1, title="Dự thảo nghị quyết về ngân sách", status="current"
    )


@pytest.fixture
def announced(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, tuple[str, ...]]]:
    """What the room was told, after commit (live.publish leaves the process)."""
    sent: list[tuple[int, tuple[str, ...]]] = []
    monkeypatch.setattr(
        "hdnd.meetings.live.publish", lambda meeting_id, topics: sent.append((meeting_id, topics))
    )
    return sent


def _participant(user: User, meeting: Meeting) -> Participant:
    found = participant_of(user, meeting)
    assert found is not None
    return found


def _ask(user: User, meeting: Meeting, **extra: Any) -> SpeechRequest:
    return speaking.request_speech(
        meeting_id=meeting.pk, actor=user, kind=extra.pop("kind", "speech"), **extra
    )


def test_a_delegate_asks_to_speak_on_the_current_item(
    session: Meeting,
    item: AgendaItem,
    delegate: User,
    announced: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        speech = _ask(delegate, session, note="Về đầu tư công")
    assert speech.agenda_item == item
    assert speech.status == SpeechStatus.WAITING
    assert speech.limit_seconds == session.speech_limit_seconds
    assert speech.position == 1
    assert announced == [(session.pk, ("speakers",))]
    assert AuditEvent.objects.filter(action="meeting.speech.request").count() == 1


def test_requests_queue_in_order(
    session: Meeting, item: AgendaItem, delegate: User, other_delegate: User, chair: User
) -> None:
    first = _ask(delegate, session)
    second = _ask(other_delegate, session, kind="debate")
    third = _ask(chair, session)
    assert [first.position, second.position, third.position] == [1, 2, 3]
    state = floor_state(session, participant=_participant(other_delegate, session))
    assert state.waiting == [first, second, third]
    assert state.my_place == 2


def test_one_open_request_per_person_per_item(
    session: Meeting, item: AgendaItem, delegate: User
) -> None:
    _ask(delegate, session)
    with pytest.raises(NotAllowedNow):
        _ask(delegate, session, kind="debate")
    assert SpeechRequest.objects.count() == 1


def test_the_database_refuses_a_second_open_request(
    session: Meeting, item: AgendaItem, delegate: User
) -> None:
    speech = _ask(delegate, session)
    with pytest.raises(IntegrityError), transaction.atomic():
        SpeechRequest.objects.create(
            agenda_item=item, participant=speech.participant, kind="debate", limit_seconds=60
        )


def test_after_withdrawing_one_may_ask_again(
    session: Meeting, item: AgendaItem, delegate: User
) -> None:
    speech = _ask(delegate, session)
    speaking.withdraw_speech(request_id=speech.pk, actor=delegate)
    again = _ask(delegate, session)
    assert again.status == SpeechStatus.WAITING


def test_guests_and_respondents_cannot_ask(
    session: Meeting, item: AgendaItem, guest: User, respondent: User
) -> None:
    for user in (guest, respondent):
        with pytest.raises(PermissionDenied):
            _ask(user, session)
    assert not SpeechRequest.objects.exists()


def test_the_chair_adds_a_guest_with_a_limit(
    session: Meeting, item: AgendaItem, chair: User, guest: User
) -> None:
    speech = speaking.add_speaker(
        meeting_id=session.pk,
        actor=chair,
        participant_id=_participant(guest, session).pk,
        kind="speech",
        limit_seconds=180,
    )
    assert speech.limit_seconds == 180
    assert speech.participant.role == "guest"


def test_the_office_adds_a_speaker(
    session: Meeting, item: AgendaItem, city_staff: User, respondent: User
) -> None:
    speech = speaking.add_speaker(
        meeting_id=session.pk,
        actor=city_staff,
        participant_id=_participant(respondent, session).pk,
        kind="speech",
    )
    assert speech.limit_seconds == session.speech_limit_seconds


def test_a_delegate_cannot_add_anyone(
    session: Meeting, item: AgendaItem, delegate: User, other_delegate: User
) -> None:
    with pytest.raises(PermissionDenied):
        speaking.add_speaker(
            meeting_id=session.pk,
            actor=delegate,
            participant_id=_participant(other_delegate, session).pk,
            kind="speech",
        )


def test_a_participant_of_another_meeting_cannot_be_added(
    session: Meeting, item: AgendaItem, chair: User
) -> None:
    with pytest.raises(DomainError) as refused:
        speaking.add_speaker(
            meeting_id=session.pk, actor=chair, participant_id=10**9, kind="speech"
        )
    assert "participant" in refused.value.fields


def test_bad_kind_note_and_limit_are_refused(
    session: Meeting, item: AgendaItem, delegate: User, chair: User
) -> None:
    with pytest.raises(DomainError) as refused:
        _ask(delegate, session, kind="shout")
    assert "kind" in refused.value.fields
    with pytest.raises(DomainError) as refused:
        _ask(delegate, session, note="x" * 301)
    assert "note" in refused.value.fields
    with pytest.raises(DomainError) as refused:
        speaking.add_speaker(
            meeting_id=session.pk,
            actor=chair,
            participant_id=_participant(delegate, session).pk,
            kind="speech",
            limit_seconds=5,
        )
    assert "limit_seconds" in refused.value.fields
    assert not SpeechRequest.objects.exists()


def test_asking_needs_a_current_item_or_an_open_one(
    session: Meeting, delegate: User, item: AgendaItem
) -> None:
    item.status = ItemStatus.DONE
    item.save(update_fields=["status"])
    with pytest.raises(NotAllowedNow):
        _ask(delegate, session)
    with pytest.raises(NotAllowedNow):
        _ask(delegate, session, agenda_item_id=item.pk)
    later = AgendaItem.objects.create(meeting=session, position=2, title="Tiếp theo")
    assert _ask(delegate, session, agenda_item_id=later.pk).agenda_item == later


def test_an_ended_meeting_takes_no_requests(
    session: Meeting, item: AgendaItem, delegate: User
) -> None:
    Meeting.objects.filter(pk=session.pk).update(status=MeetingStatus.ENDED)
    with pytest.raises(NotAllowedNow):
        _ask(delegate, session)


def test_only_the_requester_or_the_chair_withdraws(
    session: Meeting, item: AgendaItem, delegate: User, other_delegate: User, chair: User
) -> None:
    speech = _ask(delegate, session)
    with pytest.raises(PermissionDenied):
        speaking.withdraw_speech(request_id=speech.pk, actor=other_delegate)
    speaking.withdraw_speech(request_id=speech.pk, actor=chair)
    speech.refresh_from_db()
    assert speech.status == SpeechStatus.WITHDRAWN
    with pytest.raises(NotAllowedNow):
        speaking.withdraw_speech(request_id=speech.pk, actor=delegate)


def test_the_chair_reorders_the_queue(
    session: Meeting, item: AgendaItem, delegate: User, other_delegate: User, chair: User
) -> None:
    first = _ask(delegate, session)
    second = _ask(other_delegate, session)
    third = _ask(chair, session)

    def order() -> list[int]:
        return [one.pk for one in floor_state(session).waiting]

    speaking.move_speech(request_id=third.pk, actor=chair, move="top")
    assert order() == [third.pk, first.pk, second.pk]
    speaking.move_speech(request_id=first.pk, actor=chair, move="down")
    assert order() == [third.pk, second.pk, first.pk]
    speaking.move_speech(request_id=second.pk, actor=chair, move="up")
    assert order() == [second.pk, third.pk, first.pk]
    # Moving the first up or the last down changes nothing.
    speaking.move_speech(request_id=second.pk, actor=chair, move="up")
    speaking.move_speech(request_id=first.pk, actor=chair, move="down")
    assert order() == [second.pk, third.pk, first.pk]
    with pytest.raises(DomainError):
        speaking.move_speech(request_id=first.pk, actor=chair, move="sideways")
    with pytest.raises(PermissionDenied):
        speaking.move_speech(request_id=first.pk, actor=delegate, move="top")


def test_granting_the_floor_to_the_next_in_line(
    session: Meeting, item: AgendaItem, delegate: User, other_delegate: User, chair: User
) -> None:
    first = _ask(delegate, session)
    _ask(other_delegate, session)
    speech = speaking.grant_floor(meeting_id=session.pk, actor=chair)
    assert speech == first
    assert speech.status == SpeechStatus.SPEAKING
    assert speech.started_at is not None
    state = floor_state(session, participant=_participant(delegate, session))
    assert state.speaker == first
    assert state.mine == first
    assert len(state.waiting) == 1


def test_one_speaker_at_a_time(
    session: Meeting, item: AgendaItem, delegate: User, other_delegate: User, chair: User
) -> None:
    first = _ask(delegate, session)
    second = _ask(other_delegate, session)
    speaking.grant_floor(meeting_id=session.pk, actor=chair, request_id=first.pk)
    with pytest.raises(NotAllowedNow) as refused:
        speaking.grant_floor(meeting_id=session.pk, actor=chair, request_id=second.pk)
    assert "Trần Văn Đại Biểu 1" in refused.value.message
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == SpeechStatus.SPEAKING
    assert second.status == SpeechStatus.WAITING


def test_the_database_refuses_a_second_speaker(
    session: Meeting, item: AgendaItem, delegate: User, other_delegate: User, chair: User
) -> None:
    first = _ask(delegate, session)
    second = _ask(other_delegate, session)
    speaking.grant_floor(meeting_id=session.pk, actor=chair, request_id=first.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        SpeechRequest.objects.filter(pk=second.pk).update(status=SpeechStatus.SPEAKING)


def test_end_and_give_the_floor_to_the_next(
    session: Meeting, item: AgendaItem, delegate: User, other_delegate: User, chair: User
) -> None:
    first = _ask(delegate, session)
    second = _ask(other_delegate, session)
    speaking.grant_floor(meeting_id=session.pk, actor=chair)
    speech = speaking.grant_floor(meeting_id=session.pk, actor=chair, end_current=True)
    assert speech == second
    first.refresh_from_db()
    assert first.status == SpeechStatus.DONE
    assert first.ended_at is not None


def test_granting_with_nobody_waiting_is_refused(
    session: Meeting, item: AgendaItem, chair: User
) -> None:
    with pytest.raises(NotAllowedNow):
        speaking.grant_floor(meeting_id=session.pk, actor=chair)


def test_a_delegate_cannot_grant_or_end_the_floor(
    session: Meeting, item: AgendaItem, delegate: User, chair: User
) -> None:
    speech = _ask(delegate, session)
    with pytest.raises(PermissionDenied):
        speaking.grant_floor(meeting_id=session.pk, actor=delegate, request_id=speech.pk)
    speaking.grant_floor(meeting_id=session.pk, actor=chair, request_id=speech.pk)
    with pytest.raises(PermissionDenied):
        speaking.end_speech(meeting_id=session.pk, actor=delegate)


def test_ending_with_nobody_speaking_is_refused(
    session: Meeting, item: AgendaItem, chair: User
) -> None:
    with pytest.raises(NotAllowedNow):
        speaking.end_speech(meeting_id=session.pk, actor=chair)


def test_a_speaking_request_cannot_be_withdrawn(
    session: Meeting, item: AgendaItem, delegate: User, chair: User
) -> None:
    speech = _ask(delegate, session)
    speaking.grant_floor(meeting_id=session.pk, actor=chair)
    with pytest.raises(NotAllowedNow):
        speaking.withdraw_speech(request_id=speech.pk, actor=delegate)


def test_the_log_records_durations_and_overruns(
    session: Meeting, item: AgendaItem, delegate: User, other_delegate: User, chair: User
) -> None:
    start = dt.datetime(2026, 7, 1, 2, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        short = _ask(delegate, session)
        long = _ask(other_delegate, session)
        speaking.set_speech_limit(request_id=long.pk, actor=chair, limit_seconds=120)
        speaking.grant_floor(meeting_id=session.pk, actor=chair)
    with time_machine.travel(start + dt.timedelta(seconds=95), tick=False):
        speaking.grant_floor(meeting_id=session.pk, actor=chair, end_current=True)
    with time_machine.travel(start + dt.timedelta(seconds=95 + 150), tick=False):
        current = floor_state(session).speaker
        assert current is not None
        assert seconds_left(current, now=timezone.now()) == 120 - 150
        speaking.end_speech(meeting_id=session.pk, actor=chair)

    log = list(speech_log(session))
    assert log == [short, long]
    assert [one.duration_seconds for one in log] == [95, 150]
    assert [went_over(one) for one in log] == [False, True]
    assert log[0].limit_seconds == session.speech_limit_seconds


def test_the_limit_of_a_finished_speech_cannot_change(
    session: Meeting, item: AgendaItem, delegate: User, chair: User
) -> None:
    speech = _ask(delegate, session)
    speaking.grant_floor(meeting_id=session.pk, actor=chair)
    speaking.set_speech_limit(request_id=speech.pk, actor=chair, limit_seconds=600)
    speaking.end_speech(meeting_id=session.pk, actor=chair)
    with pytest.raises(NotAllowedNow):
        speaking.set_speech_limit(request_id=speech.pk, actor=chair, limit_seconds=60)
    with pytest.raises(PermissionDenied):
        speaking.set_speech_limit(request_id=speech.pk, actor=delegate, limit_seconds=60)


def test_every_change_is_announced(
    session: Meeting,
    item: AgendaItem,
    delegate: User,
    chair: User,
    announced: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        speech = _ask(delegate, session)
        speaking.set_speech_limit(request_id=speech.pk, actor=chair, limit_seconds=60)
        speaking.grant_floor(meeting_id=session.pk, actor=chair)
        speaking.end_speech(meeting_id=session.pk, actor=chair)
    assert announced == [(session.pk, ("speakers",))] * 4
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "meeting.speech.request",
        "meeting.speech.limit",
        "meeting.speech.grant",
        "meeting.speech.end",
    } <= actions
