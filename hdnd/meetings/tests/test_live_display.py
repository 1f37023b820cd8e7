"""The projector page: through the display key only, big-screen, and never a secret vote."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from hdnd.accounts.models import User
from hdnd.meetings.models import AgendaItem, ItemStatus, Meeting
from hdnd.voting.models import PollKind
from hdnd.voting.services import cast_ballot, close_poll, create_poll, open_poll

pytestmark = pytest.mark.django_db


def _url(meeting: Meeting) -> str:
    return f"/meetings/display/{meeting.display_key}/"


def test_the_display_key_shows_the_room_without_signing_in(session: Meeting) -> None:
    AgendaItem.objects.create(
        meeting=session,
        position=1,
        title="Báo cáo kinh tế - xã hội",
        status=ItemStatus.CURRENT,
        started_at=timezone.now(),
    )

    response = Client().get(_url(session))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Báo cáo kinh tế - xã hội" in page
    assert f'data-socket="/ws/meetings/display/{session.display_key}/"' in page
    assert response["Referrer-Policy"] == "no-referrer"


def test_the_body_alone_is_what_the_script_swaps(session: Meeting) -> None:
    response = Client().get(_url(session), {"part": "body"})

    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b"display-grid" in response.content


def test_a_wrong_key_shows_nothing(session: Meeting) -> None:
    response = Client().get(f"/meetings/display/{session.display_key}x/")

    assert response.status_code == 404
    assert session.title.encode() not in response.content


def test_a_secret_poll_shows_no_counts_while_open_and_the_result_once_closed(
    session: Meeting,
    chair: User,
    delegate: User,
    other_delegate: User,
    check_in: Callable[..., None],
) -> None:
    check_in(chair, delegate, other_delegate)
    draft = create_poll(
        meeting_id=session.pk,
        actor=chair,
        kind=PollKind.MOTION,
        title="Bầu bổ sung Ủy viên",
        is_secret=True,
    )
    poll = open_poll(poll_id=draft.pk, actor=chair)
    subject_id = poll.subjects.get().pk
    cast_ballot(poll_id=poll.pk, user=delegate, choices={subject_id: "yes"}, channel="tablet")
    cast_ballot(poll_id=poll.pk, user=other_delegate, choices={subject_id: "no"}, channel="web")

    while_open = Client().get(_url(session)).content.decode()
    assert '<table class="display-table"' not in while_open
    assert "Trần Văn Đại Biểu 1" not in while_open

    close_poll(poll_id=poll.pk, actor=chair)
    closed = Client().get(_url(session)).content.decode()
    assert '<table class="display-table"' in closed
    # 1 of 10 delegates in favour, 1 against: percentages of ALL delegates.
    assert closed.count("10,00%") == 2
    assert "Trần Văn Đại Biểu 1" not in closed
    assert "Trần Văn Đại Biểu 2" not in closed


def test_the_scripts_translations_are_served(client: Client) -> None:
    response = client.get("/jsi18n/")

    assert response.status_code == 200
    assert b"gettext" in response.content


def test_an_ended_meeting_says_so_on_the_big_screen(session: Meeting) -> None:
    Meeting.objects.filter(pk=session.pk).update(status="ended")
    page = Client().get(_url(session), {"part": "body"}).content.decode()
    assert "Cuộc họp đã kết thúc." in page
    assert "đại biểu có mặt" not in page
