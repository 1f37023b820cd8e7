"""The meeting pages: who may open them (the outsider sees nothing; a delegate of the
council who is not a participant does not see a closed meeting), the hub, the room, the
console, the panels re-rendered alone, planning through the form and the export."""

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from hdnd.accounts.models import User
from hdnd.councils.models import Term
from hdnd.meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    ItemStatus,
    Meeting,
    MeetingKind,
    Participant,
)

pytestmark = pytest.mark.django_db

Login = Callable[[Client, User], Client]


def pages(meeting: Meeting) -> list[str]:
    return [
        reverse("meetings:meeting", args=[meeting.pk]),
        reverse("meetings:panel_agenda", args=[meeting.pk]),
        reverse("meetings:panel_attendance", args=[meeting.pk]),
    ]


def test_the_outsider_sees_nothing(
    client: Client, login: Login, outsider: User, session: Meeting
) -> None:
    login(client, outsider)
    for url in [
        *pages(session),
        reverse("meetings:room", args=[session.pk]),
        reverse("meetings:console", args=[session.pk]),
        reverse("meetings:attendance_export", args=[session.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("meetings:council", args=[session.council_id])).status_code == 403
    response = client.post(reverse("meetings:check_in", args=[session.pk]))
    assert response.status_code == 404
    assert not Attendance.objects.exists()


def test_a_closed_meeting_is_hidden_from_a_delegate_who_does_not_take_part(
    client: Client, login: Login, delegate_user: User, delegate: User, session: Meeting
) -> None:
    login(client, delegate_user)
    assert client.get(pages(session)[0]).status_code == 200
    Meeting.objects.filter(pk=session.pk).update(is_closed=True)
    for url in pages(session):
        assert client.get(url).status_code == 404, url
    listing = client.get(reverse("meetings:council", args=[session.council_id]))
    assert session.title not in listing.content.decode()
    # A participant still sees it, and in the list.
    login(client, delegate)
    assert client.get(pages(session)[0]).status_code == 200
    listing = client.get(reverse("meetings:council", args=[session.council_id]))
    assert session.title in listing.content.decode()


def test_the_office_plans_a_meeting_through_the_form(
    client: Client, login: Login, city_staff: User, term: Term, members: list[object]
) -> None:
    login(client, city_staff)
    url = reverse("meetings:new", args=[term.council_id])
    form = client.get(url)
    assert form.status_code == 200
    assert form.context["form"].initial["number"] == 1
    data = {
        "kind": MeetingKind.REGULAR,
        "term": term.pk,
        "number": 1,
        "title": "Kỳ họp thứ nhất",
        "venue": "Hội trường",
        "starts_on": "2026-12-08",
        "ends_on": "2026-12-09",
        "quorum_numerator": 2,
        "quorum_denominator": 3,
        "allow_vote_change": "on",
        "speech_limit_seconds": 420,
        "speech_warning_seconds": 60,
    }
    response = client.post(url, data)
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert meeting.participants.count() == len(members)
    duplicate = client.post(url, {**data, "title": "Lặp số"})
    assert duplicate.status_code == 400
    assert "number" in duplicate.context["form"].errors
    assert Meeting.objects.count() == 1


def test_a_delegate_may_not_plan_nor_edit(
    client: Client, login: Login, delegate: User, session: Meeting
) -> None:
    login(client, delegate)
    assert client.get(reverse("meetings:new", args=[session.council_id])).status_code == 403
    assert client.get(reverse("meetings:edit", args=[session.pk])).status_code == 403
    response = client.post(
        reverse("meetings:cancel", args=[session.pk]), {"version": 1, "reason": "x"}
    )
    assert response.status_code == 403


def test_the_hub_shows_details_participants_and_office_controls(
    client: Client, login: Login, city_staff: User, delegate: User, session: Meeting
) -> None:
    login(client, city_staff)
    page = client.get(pages(session)[0]).content.decode()
    assert 'id="panel-agenda"' in page and 'id="panel-attendance"' in page
    assert reverse("meetings:edit", args=[session.pk]) in page
    assert "Trần Văn Đại Biểu 1" in page
    login(client, delegate)
    page = client.get(pages(session)[0]).content.decode()
    assert reverse("meetings:edit", args=[session.pk]) not in page
    assert reverse("meetings:room", args=[session.pk]) in page


def test_the_room_has_every_panel_and_the_check_in_button(
    client: Client, login: Login, delegate: User, session: Meeting
) -> None:
    login(client, delegate)
    response = client.get(reverse("meetings:room", args=[session.pk]))
    page = response.content.decode()
    for panel in ("agenda", "attendance", "speakers", "questions", "documents", "ballot"):
        assert f'id="panel-{panel}"' in page, panel
    assert 'id="check-in-button"' in page
    assert "voting/panels/ballot.html" in [t.name for t in response.templates]
    # The console is the chair's.
    assert client.get(reverse("meetings:console", args=[session.pk])).status_code == 403


def test_check_in_with_htmx_returns_the_panel_alone(
    client: Client, login: Login, delegate: User, session: Meeting
) -> None:
    login(client, delegate)
    response = client.post(reverse("meetings:check_in", args=[session.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.templates[0].name == "meetings/panels/attendance.html"
    assert Attendance.objects.get().status == "present"
    assert 'id="check-in-button"' not in response.content.decode()
    # The tablet's ballot panel refetches itself: its delegate may vote now.
    assert response["HX-Trigger"] == "meeting:poll"
    ready = client.post(
        reverse("meetings:ready", args=[session.pk]), {"ready": "1"}, HTTP_HX_REQUEST="true"
    )
    assert ready.status_code == 200
    assert Attendance.objects.get().ready_to_vote


def test_a_refused_check_in_without_htmx_goes_back_with_the_reason(
    client: Client, login: Login, delegate: User, city_staff: User, session: Meeting
) -> None:
    Meeting.objects.filter(pk=session.pk).update(status="planned")
    login(client, delegate)
    room = reverse("meetings:room", args=[session.pk])
    response = client.post(reverse("meetings:check_in", args=[session.pk]), {"next": room})
    assert response.status_code == 302 and response["Location"] == room
    assert not Attendance.objects.exists()


def test_the_chair_runs_the_console_and_the_agenda(
    client: Client, login: Login, chair: User, session: Meeting, check_in: Callable[..., None]
) -> None:
    first = AgendaItem.objects.create(meeting=session, title="Khai mạc", position=0)
    second = AgendaItem.objects.create(meeting=session, title="Bế mạc", position=1)
    login(client, chair)
    check_in(chair)
    console = client.get(reverse("meetings:console", args=[session.pk]))
    page = console.content.decode()
    assert console.status_code == 200
    assert 'id="panel-poll-console"' in page
    assert "1/10" in page  # delegates present / total
    response = client.post(
        reverse("meetings:agenda_current", args=[session.pk, second.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    second.refresh_from_db()
    assert second.status == ItemStatus.CURRENT
    client.post(
        reverse("meetings:agenda_move", args=[session.pk, second.pk, "up"]), HTTP_HX_REQUEST="true"
    )
    rows = client.get(reverse("meetings:panel_agenda", args=[session.pk])).context["agenda_rows"]
    assert [row.item.pk for row in rows] == [second.pk, first.pk]
    response = client.post(
        reverse("meetings:agenda_position", args=[session.pk, second.pk]),
        {"position": "x"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and response.context["panel_error"]


def test_a_delegate_cannot_reorder_nor_take_up_items(
    client: Client, login: Login, delegate: User, session: Meeting
) -> None:
    item = AgendaItem.objects.create(meeting=session, title="Khai mạc")
    login(client, delegate)
    response = client.post(reverse("meetings:agenda_current", args=[session.pk, item.pk]))
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.status == ItemStatus.PENDING


def test_the_attendance_exports_to_a_spreadsheet(
    client: Client,
    login: Login,
    city_staff: User,
    session: Meeting,
    delegate: User,
    guest: User,
    check_in: Callable[..., None],
) -> None:
    check_in(delegate)
    login(client, city_staff)
    response = client.get(reverse("meetings:attendance_export", args=[session.pk]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    names = [row[1] for row in rows[3:]]
    assert len(names) == Participant.objects.filter(meeting=session).count()
    status = {row[1]: row[4] for row in rows[3:]}
    assert delegate.person is not None and guest.person is not None
    with translation.override("vi"):
        assert status[delegate.person.full_name] == str(AttendanceStatus.PRESENT.label)
        assert status[guest.person.full_name] == translation.gettext("Not checked in")


def test_the_home_pages_link_to_the_meetings(
    client: Client, login: Login, delegate: User, session: Meeting
) -> None:
    login(client, delegate)
    home = client.get(reverse("core:home")).content.decode()
    assert reverse("meetings:home") in home
    mine = client.get(reverse("meetings:home")).content.decode()
    assert reverse("meetings:room", args=[session.pk]) in mine
    assert reverse("meetings:council", args=[session.council_id]) in mine


def test_the_meeting_page_leads_to_every_part_of_the_meeting(
    client: Client, login: Login, chair: User, delegate: User, session: Meeting
) -> None:
    login(client, chair)
    page = client.get(f"/meetings/{session.pk}/").content.decode()
    for url in (
        f"/meetings/{session.pk}/documents/",
        f"/meetings/{session.pk}/questioning/",
        f"/meetings/{session.pk}/resolutions/",
        f"/meetings/{session.pk}/minutes.docx",
        f"/meetings/display/{session.display_key}/",
        f"/public/meetings/{session.pk}/",
    ):
        assert f'href="{url}"' in page
        assert client.get(url).status_code == 200
    # A delegate does not get the projector's address nor the draft minutes.
    login(client, delegate)
    page = client.get(f"/meetings/{session.pk}/").content.decode()
    assert session.display_key not in page
    assert "minutes.docx" not in page


def test_the_console_reminds_the_chair_to_check_in(
    client: Client,
    login: Login,
    chair: User,
    session: Meeting,
    check_in: Callable[..., None],
) -> None:
    login(client, chair)
    url = reverse("meetings:console", args=[session.pk])
    assert "Bạn chưa điểm danh phiên họp này" in client.get(url).content.decode()
    check_in(chair)
    assert "Bạn chưa điểm danh phiên họp này" not in client.get(url).content.decode()


def test_the_chair_votes_from_the_console_too(
    client: Client, login: Login, chair: User, city_staff: User, session: Meeting
) -> None:
    login(client, chair)
    page = client.get(reverse("meetings:console", args=[session.pk])).content.decode()
    assert 'id="voting-console"' in page and 'id="voting-ballot"' in page
    # The office runs the console but does not vote.
    login(client, city_staff)
    page = client.get(reverse("meetings:console", args=[session.pk])).content.decode()
    assert 'id="voting-console"' in page and 'id="voting-ballot"' not in page


def test_a_tablets_attendance_panel_does_not_read_the_whole_list(
    client: Client,
    login: Login,
    delegate: User,
    session: Meeting,
    check_in: Callable[..., None],
    django_assert_max_num_queries: Any,
) -> None:
    check_in(delegate)
    login(client, delegate)
    url = reverse("meetings:panel_attendance", args=[session.pk])
    client.get(url)
    # Every tablet refetches this panel on each check-in: its own row, not every participant.
    with django_assert_max_num_queries(12) as captured:
        page = client.get(url).content.decode()
    reads = [query["sql"] for query in captured]
    attendance = [sql for sql in reads if 'FROM "meetings_attendance"' in sql]
    assert attendance and all(
        '"meetings_attendance"."participant_id" = ' in sql for sql in attendance
    )
    participants = [sql for sql in reads if 'FROM "meetings_participant"' in sql]
    assert all('"meetings_participant"."person_id" = ' in sql for sql in participants)
    assert "Báo sẵn sàng biểu quyết" in page
