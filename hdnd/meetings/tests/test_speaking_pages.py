"""The speakers panel and the floor page: what each persona sees and may do."""

from collections.abc import Callable
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client

from hdnd.accounts.models import User
from hdnd.meetings.models import AgendaItem, Meeting, SpeechRequest, SpeechStatus
from hdnd.meetings.services import speaking

pytestmark = pytest.mark.django_db

Login = Callable[[Client, User], Client]
HTMX = {"HX-Request": "true"}


@pytest.fixture
def item(session: Meeting) -> AgendaItem:
    return AgendaItem.objects.create(
        meeting=session, position=1, title="Dự thảo nghị quyết về ngân sách", status="current"
    )


def _panel(client: Client, meeting: Meeting) -> Any:
    return client.get(f"/meetings/{meeting.pk}/panels/speakers/", headers=HTMX)


def test_the_outsider_sees_nothing(
    client: Client, login: Login, session: Meeting, item: AgendaItem, outsider: User
) -> None:
    login(client, outsider)
    assert client.get(f"/meetings/{session.pk}/floor/").status_code == 404
    assert client.get(f"/meetings/{session.pk}/panels/speakers/").status_code == 404
    response = client.post(f"/meetings/{session.pk}/floor/request/", {"kind": "speech"})
    assert response.status_code == 404
    assert not SpeechRequest.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, session: Meeting) -> None:
    response = client.get(f"/meetings/{session.pk}/floor/")
    assert response.status_code in (302, 403)


def test_a_delegate_asks_withdraws_and_sees_their_place(
    client: Client,
    login: Login,
    session: Meeting,
    item: AgendaItem,
    delegate: User,
    other_delegate: User,
) -> None:
    speaking.request_speech(meeting_id=session.pk, actor=other_delegate, kind="speech")
    login(client, delegate)
    page = _panel(client, session).content.decode()
    assert "Đăng ký phát biểu" in page or 'name="kind"' in page
    assert "Dự thảo nghị quyết về ngân sách" in page

    response = client.post(
        f"/meetings/{session.pk}/floor/request/",
        {"kind": "debate", "note": "Về chi thường xuyên"},
        headers=HTMX,
    )
    assert response.status_code == 200
    mine = SpeechRequest.objects.get(participant__person=delegate.person)
    assert mine.kind == "debate"
    assert mine.note == "Về chi thường xuyên"
    body = response.content.decode()
    assert 'id="speakers-panel"' in body
    assert f"/meetings/speeches/{mine.pk}/withdraw/" in body
    # No chair's controls for a delegate.
    assert "/floor/grant/" not in body

    response = client.post(f"/meetings/speeches/{mine.pk}/withdraw/", headers=HTMX)
    assert response.status_code == 200
    mine.refresh_from_db()
    assert mine.status == SpeechStatus.WITHDRAWN


def test_a_delegate_cannot_grant_the_floor(
    client: Client, login: Login, session: Meeting, item: AgendaItem, delegate: User
) -> None:
    speech = speaking.request_speech(meeting_id=session.pk, actor=delegate, kind="speech")
    login(client, delegate)
    response = client.post(f"/meetings/{session.pk}/floor/grant/", {"request": speech.pk})
    assert response.status_code == 403
    response = client.post(f"/meetings/speeches/{speech.pk}/move/", {"move": "top"})
    assert response.status_code == 403
    speech.refresh_from_db()
    assert speech.status == SpeechStatus.WAITING


def test_a_guest_sees_the_list_but_cannot_ask(
    client: Client, login: Login, session: Meeting, item: AgendaItem, guest: User
) -> None:
    login(client, guest)
    body = _panel(client, session).content.decode()
    assert "/floor/request/" not in body
    response = client.post(
        f"/meetings/{session.pk}/floor/request/", {"kind": "speech"}, headers=HTMX
    )
    # The refusal goes to the page's message area.
    assert response["HX-Retarget"] == "#messages"
    assert not SpeechRequest.objects.exists()


def test_the_chair_runs_the_floor_with_a_timer(
    client: Client,
    login: Login,
    session: Meeting,
    item: AgendaItem,
    chair: User,
    delegate: User,
    other_delegate: User,
) -> None:
    first = speaking.request_speech(meeting_id=session.pk, actor=delegate, kind="speech")
    second = speaking.request_speech(meeting_id=session.pk, actor=other_delegate, kind="speech")
    login(client, chair)
    body = _panel(client, session).content.decode()
    assert "/floor/grant/" in body
    assert "/floor/add/" in body

    response = client.post(
        f"/meetings/{session.pk}/floor/grant/",
        {"request": first.pk},
        headers={**HTMX},
    )
    body = response.content.decode()
    assert "data-speech-timer" in body
    assert f'data-limit-seconds="{first.limit_seconds}"' in body
    assert f'data-warning-seconds="{session.speech_warning_seconds}"' in body
    assert "meetings/timer.js" in body

    # Someone speaks: a plain grant is refused, "end and give the floor" works.
    response = client.post(f"/meetings/{session.pk}/floor/grant/", {"request": second.pk})
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.status == SpeechStatus.WAITING
    client.post(f"/meetings/{session.pk}/floor/grant/", {"request": second.pk, "end_current": "on"})
    second.refresh_from_db()
    first.refresh_from_db()
    assert (first.status, second.status) == (SpeechStatus.DONE, SpeechStatus.SPEAKING)

    client.post(f"/meetings/speeches/{second.pk}/limit/", {"limit_minutes": "3"})
    second.refresh_from_db()
    assert second.limit_seconds == 180
    client.post(f"/meetings/{session.pk}/floor/end/")
    page = client.get(f"/meetings/{session.pk}/floor/").content.decode()
    assert "Trần Văn Đại Biểu 1" in page
    assert "Trần Văn Đại Biểu 2" in page


def test_the_chair_adds_a_guest_to_the_list(
    client: Client, login: Login, session: Meeting, item: AgendaItem, chair: User, guest: User
) -> None:
    login(client, chair)
    guest_participant = session.participants.get(person=guest.person)
    response = client.post(
        f"/meetings/{session.pk}/floor/add/",
        {"participant": guest_participant.pk, "kind": "speech", "limit_minutes": "5"},
    )
    assert response.status_code == 302
    speech = SpeechRequest.objects.get()
    assert speech.participant == guest_participant
    assert speech.limit_seconds == 300


def test_bad_input_is_refused_with_a_message(
    client: Client, login: Login, session: Meeting, item: AgendaItem, delegate: User
) -> None:
    login(client, delegate)
    response = client.post(f"/meetings/{session.pk}/floor/request/", {"kind": "yell"}, headers=HTMX)
    assert response["HX-Retarget"] == "#messages"
    assert not SpeechRequest.objects.exists()


def test_the_panel_loads_itself_when_included_without_its_data(
    session: Meeting, delegate: User
) -> None:
    html = render_to_string(
        "meetings/panels/speakers.html",
        {"meeting": session, "participant": None, "can_run": False},
    )
    assert f'hx-get="/meetings/{session.pk}/panels/speakers/"' in html
    assert 'hx-trigger="load, meeting:speakers from:body"' in html


def test_the_speaker_partial_stands_alone(
    session: Meeting, item: AgendaItem, chair: User, delegate: User
) -> None:
    speech = speaking.request_speech(meeting_id=session.pk, actor=delegate, kind="speech")
    speaking.grant_floor(meeting_id=session.pk, actor=chair)
    speech.refresh_from_db()
    html = render_to_string("meetings/floor/_speaker.html", {"speech": speech, "meeting": session})
    assert speech.started_at is not None
    assert f'data-started-at="{int(speech.started_at.timestamp())}"' in html
    assert "Trần Văn Đại Biểu 1" in html
    empty = render_to_string("meetings/floor/_speaker.html", {"speech": None, "meeting": session})
    assert "data-speech-timer" not in empty
