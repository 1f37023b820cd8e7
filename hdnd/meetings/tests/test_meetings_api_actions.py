"""The meetings API's actions of the pages: sittings (plan, open, close, remove),
participants (invite, remove, hand over the chair), the agenda (remove, move, position,
take up, finish), attendance (the office's record, ready to vote, the list with the
quorum). Who may act is exactly the pages' rule; refusals have the one JSON error shape;
tests run in Vietnamese."""

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator

from hdnd.accounts.models import ApiScope, User
from hdnd.councils.models import Agency, Council
from hdnd.councils.tests.api.api_client import api_token, assert_error
from hdnd.meetings.api.meetings.participants import AddedParticipantRole
from hdnd.meetings.models import (
    AgendaItem,
    Attendance,
    ItemStatus,
    Meeting,
    MeetingStatus,
    Participant,
    ParticipantRole,
    Sitting,
    SittingPart,
    SittingStatus,
    SpeechKind,
    SpeechRequest,
    SpeechStatus,
)
from hdnd.meetings.services import agenda as agenda_services
from hdnd.meetings.services.participants import ADDED_ROLES
from hdnd.testing import factories
from hdnd.testing.meeting_fixtures import MEMBER_COUNT
from hdnd.voting.models import Ballot, Poll, PollKind

pytestmark = pytest.mark.django_db

Login = Callable[[Client, User], Client]
CheckIn = Callable[..., None]
API = "/api/v1"
HUGE_ID = 2**64


def call(client: Client, method: str, path: str, body: Any = None, **headers: str) -> Any:
    """A request to /api/v1/ with a JSON body, in the default language (Vietnamese)."""
    if method == "get":
        return client.get(f"{API}/{path}", headers=headers)
    send = getattr(client, method)
    data = json.dumps(body) if body is not None else ""
    return send(f"{API}/{path}", data, content_type="application/json", headers=headers)


def participant(meeting: Meeting, user: User) -> Participant:
    return Participant.objects.get(meeting=meeting, person=user.person)


def message(response: Any) -> str:
    return str(response.json()["error"]["message"])


def fields(response: Any) -> dict[str, list[str]]:
    found: dict[str, list[str]] = response.json()["error"]["fields"]
    return found


@pytest.fixture
def planned_sitting(session: Meeting) -> Sitting:
    return Sitting.objects.create(
        meeting=session, number=2, date=session.starts_on, part=SittingPart.AFTERNOON
    )


@pytest.fixture
def items(session: Meeting, city_staff: User) -> list[AgendaItem]:
    return [
        agenda_services.add_item(meeting_id=session.pk, actor=city_staff, title=title)
        for title in ("Khai mạc", "Kinh tế - xã hội", "Ngân sách")
    ]


def titles(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["title"] for row in response.json()]


# Sittings


def test_the_office_plans_a_sitting_on_a_day_of_the_meeting(
    client: Client, login: Login, city_staff: User, session: Meeting
) -> None:
    login(client, city_staff)
    url = f"council-meetings/{session.pk}/sittings/"
    body = {"date": session.ends_on.isoformat(), "part": "afternoon", "title": "Phiên bế mạc"}
    created = call(client, "post", url, body)
    assert created.status_code == 201, created.content
    sitting = created.json()
    assert (sitting["number"], sitting["status"], sitting["part"]) == (2, "planned", "afternoon")
    assert Sitting.objects.get(pk=sitting["id"]).title == "Phiên bế mạc"

    late = (session.ends_on + dt.timedelta(days=1)).isoformat()
    for bad, field in (
        ({**body, "date": late}, "date"),
        ({**body, "date": "08/12/2026"}, "date"),
        ({**body, "part": "noon"}, "part"),
        ({"part": "morning"}, "date"),
        ({**body, "title": "x" * 301}, "title"),
        ({**body, "is_closed": "có lẽ"}, "is_closed"),
    ):
        response = call(client, "post", url, bad)
        assert_error(response, 400, "invalid")
        assert field in fields(response), (bad, response.json())
    broken = client.post(f"{API}/{url}", "[1", content_type="application/json")
    assert_error(broken, 400, "parse_error")
    assert session.sittings.count() == 2


def test_only_the_office_plans_and_removes_sittings(
    client: Client,
    login: Login,
    chair: User,
    delegate: User,
    session: Meeting,
    planned_sitting: Sitting,
) -> None:
    body = {"date": session.starts_on.isoformat(), "part": "evening"}
    for user in (chair, delegate):
        login(client, user)
        refused = call(client, "post", f"council-meetings/{session.pk}/sittings/", body)
        assert_error(refused, 403, "permission_denied")
        assert message(refused) == "Chỉ cán bộ Văn phòng HĐND mới được chuẩn bị cuộc họp này."
        assert_error(call(client, "delete", f"sittings/{planned_sitting.pk}/"), 403)
    assert session.sittings.count() == 2


def test_the_chair_closes_and_opens_sittings_one_at_a_time(
    client: Client, login: Login, chair: User, session: Meeting, planned_sitting: Sitting
) -> None:
    first = session.current_sitting
    assert first is not None
    login(client, chair)
    refused = call(client, "post", f"sittings/{planned_sitting.pk}/open/")
    assert_error(refused, 409, "not_allowed_now")
    assert message(refused) == (
        "Phiên họp thứ 1 vẫn đang mở: vui lòng kết thúc phiên họp đó trước."
    )

    closed = call(client, "post", f"sittings/{first.pk}/close/")
    assert closed.status_code == 200, closed.content
    assert closed.json()["status"] == "closed" and closed.json()["closed_at"]
    session.refresh_from_db()
    assert session.current_sitting_id is None
    again = call(client, "post", f"sittings/{first.pk}/close/")
    assert_error(again, 409, "not_allowed_now")
    assert message(again) == "Chỉ kết thúc được phiên họp đang mở."

    opened = call(client, "post", f"sittings/{planned_sitting.pk}/open/")
    assert opened.status_code == 200 and opened.json()["status"] == "open"
    session.refresh_from_db()
    assert session.current_sitting_id == planned_sitting.pk
    assert_error(call(client, "post", f"sittings/{planned_sitting.pk}/open/"), 409)


def test_a_sitting_opens_only_while_the_meeting_is_in_progress(
    client: Client, login: Login, city_staff: User, session: Meeting, planned_sitting: Sitting
) -> None:
    Sitting.objects.filter(meeting=session).exclude(pk=planned_sitting.pk).update(
        status=SittingStatus.CLOSED
    )
    Meeting.objects.filter(pk=session.pk).update(status=MeetingStatus.PLANNED, current_sitting=None)
    login(client, city_staff)
    refused = call(client, "post", f"sittings/{planned_sitting.pk}/open/")
    assert_error(refused, 409, "not_allowed_now")
    assert Sitting.objects.get(pk=planned_sitting.pk).status == SittingStatus.PLANNED


def test_a_delegate_may_not_open_or_close_a_sitting(
    client: Client, login: Login, delegate: User, session: Meeting, planned_sitting: Sitting
) -> None:
    login(client, delegate)
    current = session.current_sitting
    assert current is not None
    refused = call(client, "post", f"sittings/{current.pk}/close/")
    assert_error(refused, 403, "permission_denied")
    assert message(refused) == "Chỉ chủ tọa hoặc Văn phòng HĐND mới được điều hành cuộc họp."
    assert_error(call(client, "post", f"sittings/{planned_sitting.pk}/open/"), 403)
    assert Sitting.objects.get(pk=current.pk).status == SittingStatus.OPEN


def test_only_a_sitting_that_never_opened_is_removed(
    client: Client, login: Login, city_staff: User, session: Meeting, planned_sitting: Sitting
) -> None:
    login(client, city_staff)
    refused = call(client, "delete", f"sittings/{session.current_sitting_id}/")
    assert_error(refused, 409, "not_allowed_now")
    assert message(refused) == "Chỉ xóa được phiên họp chưa từng được mở."
    removed = call(client, "delete", f"sittings/{planned_sitting.pk}/")
    assert removed.status_code == 204
    assert not Sitting.objects.filter(pk=planned_sitting.pk).exists()
    gone = call(client, "delete", f"sittings/{planned_sitting.pk}/")
    assert_error(gone, 404, "not_found")
    assert message(gone) == "Phiên họp này không tồn tại."


# Participants


def test_the_office_invites_a_guest_a_respondent_and_staff(
    client: Client,
    login: Login,
    city_staff: User,
    session: Meeting,
    construction: Agency,
) -> None:
    official = factories.AgencyOfficialFactory(
        agency=construction, person__full_name="Hoàng Văn Phó Giám Đốc", title="Phó Giám đốc"
    )
    login(client, city_staff)
    url = f"council-meetings/{session.pk}/participants/"
    guest = call(
        client,
        "post",
        url,
        {"role": "guest", "new_name": "Đỗ Thị Cử Tri", "title": "Đại diện cử tri", "seat": "K1"},
    )
    assert guest.status_code == 201, guest.content
    assert guest.json()["name"] == "Đỗ Thị Cử Tri"
    assert (guest.json()["role"], guest.json()["votes"], guest.json()["seat"]) == (
        "guest",
        False,
        "K1",
    )
    respondent = call(
        client,
        "post",
        url,
        {"role": "respondent", "person": official.person_id, "agency": construction.pk},
    )
    assert respondent.status_code == 201, respondent.content
    assert respondent.json()["agency"] == construction.pk
    staff = call(client, "post", url, {"role": "staff", "new_name": "Vũ Văn Thư Ký"})
    assert staff.status_code == 201, staff.content
    roles = dict(
        Participant.objects.filter(meeting=session).values_list("person__full_name", "role")
    )
    assert roles["Đỗ Thị Cử Tri"] == ParticipantRole.GUEST
    assert roles["Hoàng Văn Phó Giám Đốc"] == ParticipantRole.RESPONDENT
    assert roles["Vũ Văn Thư Ký"] == ParticipantRole.STAFF


def test_bad_participant_input_is_a_400_naming_the_field(
    client: Client,
    login: Login,
    city_staff: User,
    delegate: User,
    session: Meeting,
    commune_b: Council,
) -> None:
    elsewhere = factories.AgencyFactory(council=commune_b)
    # Not an official of the area, without a seat or a role in the council.
    uninvitable = factories.PersonFactory()
    login(client, city_staff)
    url = f"council-meetings/{session.pk}/participants/"
    guest = {"role": "guest", "new_name": "Khách", "title": "Nhà báo"}
    cases: list[tuple[dict[str, Any], str]] = [
        ({**guest, "role": "delegate"}, "role"),
        ({**guest, "role": "chair"}, "role"),
        ({**guest, "role": 7}, "role"),
        ({"role": "guest", "title": "Nhà báo"}, "person"),
        ({**guest, "person": delegate.person_id}, "new_name"),
        ({"role": "guest", "title": "Nhà báo", "person": 99999999}, "person"),
        ({"role": "guest", "title": "Nhà báo", "person": "abc"}, "person"),
        ({"role": "guest", "title": "Nhà báo", "person": HUGE_ID}, "person"),
        ({"role": "guest", "title": "Nhà báo", "person": uninvitable.pk}, "person"),
        ({"role": "guest", "title": "Nhà báo", "person": delegate.person_id}, "person"),
        ({**guest, "new_name": "x" * 151}, "new_name"),
        ({**guest, "title": ""}, "title"),
        ({**guest, "seat": "x" * 21}, "seat"),
        ({"role": "respondent", "new_name": "Cán bộ"}, "agency"),
        ({"role": "respondent", "new_name": "Cán bộ", "agency": elsewhere.pk}, "agency"),
    ]
    count = session.participants.count()
    for body, field in cases:
        response = call(client, "post", url, body)
        assert_error(response, 400, "invalid")
        assert field in fields(response), (body, response.json())
    both = call(client, "post", url, {**guest, "person": delegate.person_id})
    assert fields(both)["new_name"] == ["Vui lòng chọn một người hoặc ghi tên, không chọn cả hai."]
    untitled = call(client, "post", url, {**guest, "title": ""})
    assert message(untitled) == ("Vui lòng nêu tư cách tham dự của khách mời (chức danh, chức vụ).")
    assert session.participants.count() == count


def test_only_the_office_invites_removes_and_changes_the_chair(
    client: Client,
    login: Login,
    chair: User,
    delegate: User,
    guest: User,
    session: Meeting,
) -> None:
    guest_id = participant(session, guest).pk
    delegate_id = participant(session, delegate).pk
    body = {"role": "guest", "new_name": "Khách", "title": "Nhà báo"}
    for user in (chair, delegate):
        login(client, user)
        invited = call(client, "post", f"council-meetings/{session.pk}/participants/", body)
        assert_error(invited, 403, "permission_denied")
        assert_error(call(client, "delete", f"participants/{guest_id}/"), 403)
        assert_error(call(client, "post", f"participants/{delegate_id}/chair/"), 403)
    assert session.participants.count() == MEMBER_COUNT + 2
    assert participant(session, chair).role == ParticipantRole.CHAIR


def test_the_office_removes_a_guest_but_never_the_chair_nor_one_who_voted_or_spoke(
    client: Client,
    login: Login,
    city_staff: User,
    chair: User,
    delegate: User,
    other_delegate: User,
    guest: User,
    session: Meeting,
) -> None:
    poll = Poll.objects.create(
        meeting=session, kind=PollKind.MOTION, title="Thông qua", total_members=MEMBER_COUNT
    )
    assert delegate.person is not None
    Ballot.objects.create(poll=poll, person=delegate.person, cast_at=timezone.now())
    item = AgendaItem.objects.create(meeting=session, title="Báo cáo")
    SpeechRequest.objects.create(
        agenda_item=item,
        participant=participant(session, other_delegate),
        kind=SpeechKind.SPEECH,
        status=SpeechStatus.DONE,
        limit_seconds=300,
    )
    login(client, city_staff)
    chair_refused = call(client, "delete", f"participants/{participant(session, chair).pk}/")
    assert_error(chair_refused, 409, "not_allowed_now")
    assert message(chair_refused) == (
        "Vui lòng giao chủ tọa cho người khác trước khi xóa chủ tọa hiện tại."
    )
    for user in (delegate, other_delegate):
        refused = call(client, "delete", f"participants/{participant(session, user).pk}/")
        assert_error(refused, 409, "not_allowed_now")
    guest_id = participant(session, guest).pk
    removed = call(client, "delete", f"participants/{guest_id}/")
    assert removed.status_code == 204
    assert not Participant.objects.filter(pk=guest_id).exists()
    gone = call(client, "delete", f"participants/{guest_id}/")
    assert_error(gone, 404, "not_found")
    assert message(gone) == "Người này không có trong thành phần tham dự cuộc họp."
    assert session.participants.count() == MEMBER_COUNT + 1


def test_the_office_hands_the_chair_to_a_member_with_a_seat(
    client: Client,
    login: Login,
    city_staff: User,
    chair: User,
    delegate: User,
    guest: User,
    session: Meeting,
) -> None:
    login(client, city_staff)
    new_chair = participant(session, delegate).pk
    handed = call(client, "post", f"participants/{new_chair}/chair/")
    assert handed.status_code == 200, handed.content
    listed = {row["id"]: row["role"] for row in handed.json()}
    assert listed[new_chair] == "chair"
    assert listed[participant(session, chair).pk] == "delegate"
    assert participant(session, delegate).role == ParticipantRole.CHAIR
    assert participant(session, chair).role == ParticipantRole.DELEGATE

    refused = call(client, "post", f"participants/{participant(session, guest).pk}/chair/")
    assert_error(refused, 400, "invalid")
    assert "participant" in fields(refused)
    assert message(refused) == "Chỉ đại biểu HĐND đương nhiệm mới được làm chủ tọa cuộc họp."

    Meeting.objects.filter(pk=session.pk).update(status=MeetingStatus.ENDED)
    ended = call(client, "post", f"participants/{participant(session, chair).pk}/chair/")
    assert_error(ended, 409, "not_allowed_now")
    assert participant(session, delegate).role == ParticipantRole.CHAIR


# The agenda


def test_the_office_removes_an_item_nothing_refers_to(
    client: Client,
    login: Login,
    city_staff: User,
    chair: User,
    session: Meeting,
    items: list[AgendaItem],
) -> None:
    opening, economy, budget = items
    login(client, chair)
    assert_error(call(client, "delete", f"agenda-items/{budget.pk}/"), 403, "permission_denied")

    login(client, city_staff)
    removed = call(client, "delete", f"agenda-items/{economy.pk}/")
    assert removed.status_code == 204
    assert list(session.agenda_items.order_by("position").values_list("id", flat=True)) == [
        opening.pk,
        budget.pk,
    ]
    assert AgendaItem.objects.get(pk=budget.pk).position == 1

    AgendaItem.objects.filter(pk=opening.pk).update(status=ItemStatus.DONE)
    taken_up = call(client, "delete", f"agenda-items/{opening.pk}/")
    assert_error(taken_up, 409, "not_allowed_now")
    SpeechRequest.objects.create(
        agenda_item=budget,
        participant=participant(session, chair),
        kind=SpeechKind.SPEECH,
        limit_seconds=300,
    )
    referenced = call(client, "delete", f"agenda-items/{budget.pk}/")
    assert_error(referenced, 409, "not_allowed_now")
    assert session.agenda_items.count() == 2
    assert_error(call(client, "delete", f"agenda-items/{economy.pk}/"), 404, "not_found")


def test_the_chair_reorders_the_agenda(
    client: Client, login: Login, chair: User, session: Meeting, items: list[AgendaItem]
) -> None:
    opening, economy, budget = items
    login(client, chair)
    down = call(client, "post", f"agenda-items/{opening.pk}/move/", {"direction": "down"})
    assert titles(down) == ["Kinh tế - xã hội", "Khai mạc", "Ngân sách"]
    assert [row["number"] for row in down.json()] == ["1", "2", "3"]
    up = call(client, "post", f"agenda-items/{budget.pk}/move/", {"direction": "up"})
    assert titles(up) == ["Kinh tế - xã hội", "Ngân sách", "Khai mạc"]
    first = call(client, "post", f"agenda-items/{opening.pk}/position/", {"position": 1})
    assert titles(first) == ["Khai mạc", "Kinh tế - xã hội", "Ngân sách"]
    positions = dict(session.agenda_items.values_list("id", "position"))
    assert positions == {opening.pk: 0, economy.pk: 1, budget.pk: 2}
    # At the top already: nothing moves, nothing is refused.
    top = call(client, "post", f"agenda-items/{opening.pk}/move/", {"direction": "up"})
    assert titles(top) == titles(first)


def test_bad_moves_and_positions_are_400(
    client: Client, login: Login, chair: User, session: Meeting, items: list[AgendaItem]
) -> None:
    item = items[0]
    login(client, chair)
    move = f"agenda-items/{item.pk}/move/"
    position = f"agenda-items/{item.pk}/position/"
    for path, body, field in (
        (move, {"direction": "left"}, "direction"),
        (move, {}, "direction"),
        (position, {"position": 0}, "position"),
        (position, {"position": "một"}, "position"),
        (position, {"position": 10001}, "position"),
        (position, {}, "position"),
        (position, {"position": 4}, "position"),
    ):
        response = call(client, "post", path, body)
        assert_error(response, 400, "invalid")
        assert field in fields(response), (body, response.json())
    assert dict(session.agenda_items.values_list("id", "position"))[item.pk] == 0


def test_a_delegate_may_not_reorder_or_take_up_items(
    client: Client, login: Login, delegate: User, session: Meeting, items: list[AgendaItem]
) -> None:
    item = items[0]
    login(client, delegate)
    for path, body in (
        (f"agenda-items/{item.pk}/move/", {"direction": "down"}),
        (f"agenda-items/{item.pk}/position/", {"position": 2}),
        (f"agenda-items/{item.pk}/current/", None),
        (f"council-meetings/{session.pk}/agenda/done/", None),
    ):
        assert_error(call(client, "post", path, body), 403, "permission_denied")
    assert AgendaItem.objects.get(pk=item.pk).position == 0
    assert not session.agenda_items.exclude(status=ItemStatus.PENDING).exists()


def test_the_chair_takes_up_an_item_and_finishes_it(
    client: Client, login: Login, chair: User, session: Meeting, items: list[AgendaItem]
) -> None:
    opening, economy, _budget = items
    login(client, chair)
    current = call(client, "post", f"agenda-items/{opening.pk}/current/")
    assert [row["status"] for row in current.json()] == ["current", "pending", "pending"]
    following = call(client, "post", f"agenda-items/{economy.pk}/current/")
    assert [row["status"] for row in following.json()] == ["done", "current", "pending"]
    assert AgendaItem.objects.get(pk=opening.pk).ended_at is not None

    done = call(client, "post", f"council-meetings/{session.pk}/agenda/done/")
    assert done.status_code == 200
    assert [row["status"] for row in done.json()] == ["done", "done", "pending"]
    assert AgendaItem.objects.get(pk=economy.pk).status == ItemStatus.DONE
    nothing = call(client, "post", f"council-meetings/{session.pk}/agenda/done/")
    assert_error(nothing, 409, "not_allowed_now")
    assert message(nothing) == "Không có nội dung nào đang được xem xét."


def test_items_are_taken_up_only_while_the_meeting_is_in_progress(
    client: Client, login: Login, city_staff: User, session: Meeting, items: list[AgendaItem]
) -> None:
    Meeting.objects.filter(pk=session.pk).update(status=MeetingStatus.PLANNED)
    login(client, city_staff)
    refused = call(client, "post", f"agenda-items/{items[0].pk}/current/")
    assert_error(refused, 409, "not_allowed_now")
    assert message(refused) == "Chỉ đưa nội dung ra xem xét khi cuộc họp đang diễn ra."
    assert AgendaItem.objects.get(pk=items[0].pk).status == ItemStatus.PENDING


# Attendance


def test_the_chair_reads_the_attendance_and_the_quorum(
    client: Client,
    login: Login,
    chair: User,
    delegate: User,
    guest: User,
    session: Meeting,
    check_in: CheckIn,
) -> None:
    check_in(chair, delegate, guest)
    Attendance.objects.filter(participant=participant(session, delegate)).update(ready_to_vote=True)
    login(client, chair)
    response = call(client, "get", f"council-meetings/{session.pk}/attendance/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["sitting"]["id"] == session.current_sitting_id
    assert body["quorum"] == {"present": 2, "total": 10, "required": 7, "reached": False}
    assert body["delegates"] == {"present": 2, "total": 10}
    assert body["guests"] == {"present": 1, "total": 2}
    assert body["ready"] == 1
    assert len(body["rows"]) == MEMBER_COUNT + 2
    rows = {row["participant"]["id"]: row for row in body["rows"]}
    mine = rows[participant(session, delegate).pk]
    assert mine["participant"]["name"] == "Trần Văn Đại Biểu 1"
    assert mine["attendance"]["status"] == "present"
    assert mine["attendance"]["ready_to_vote"] is True
    assert rows[participant(session, guest).pk]["attendance"]["status"] == "present"
    absent = [row for row in body["rows"] if row["attendance"] is None]
    assert len(absent) == MEMBER_COUNT - 2 + 1


def test_without_an_open_sitting_nobody_is_present(
    client: Client, login: Login, city_staff: User, session: Meeting
) -> None:
    Sitting.objects.filter(meeting=session).update(status=SittingStatus.CLOSED)
    Meeting.objects.filter(pk=session.pk).update(current_sitting=None)
    login(client, city_staff)
    body = call(client, "get", f"council-meetings/{session.pk}/attendance/").json()
    assert body["sitting"] is None
    assert body["quorum"]["present"] == 0 and body["quorum"]["reached"] is False
    assert all(row["attendance"] is None for row in body["rows"])


def test_the_attendance_list_costs_the_same_queries_however_many_take_part(
    client: Client, login: Login, city_staff: User, session: Meeting, check_in: CheckIn
) -> None:
    login(client, city_staff)
    url = f"council-meetings/{session.pk}/attendance/"
    call(client, "get", url)  # Warms the session and the caches of the access checks.
    with CaptureQueriesContext(connection) as before:
        assert call(client, "get", url).status_code == 200
    for index in range(5):
        extra = Participant.objects.create(
            meeting=session,
            person=factories.PersonFactory(),
            role=ParticipantRole.GUEST,
            agency=session.participants.get(role=ParticipantRole.RESPONDENT).agency,
            sort_key=f"95{index}",
        )
        check_in(extra)
    with CaptureQueriesContext(connection) as after:
        response = call(client, "get", url)
    assert len(response.json()["rows"]) == MEMBER_COUNT + 2 + 5
    assert len(after) == len(before)


def test_only_the_chair_and_the_office_read_the_attendance_list(
    client: Client,
    login: Login,
    delegate: User,
    guest: User,
    delegate_user: User,
    outsider: User,
    session: Meeting,
) -> None:
    url = f"council-meetings/{session.pk}/attendance/"
    for user in (delegate, guest, delegate_user):
        login(client, user)
        assert_error(call(client, "get", url), 403, "permission_denied")
    login(client, outsider)
    assert_error(call(client, "get", url), 404, "not_found")


def test_the_office_records_presence_and_leave(
    client: Client,
    login: Login,
    city_staff: User,
    delegate: User,
    other_delegate: User,
    session: Meeting,
    planned_sitting: Sitting,
) -> None:
    login(client, city_staff)
    url = f"council-meetings/{session.pk}/attendance/"
    delegate_id = participant(session, delegate).pk
    present = call(client, "post", url, {"participant": delegate_id, "status": "present"})
    assert present.status_code == 200, present.content
    assert present.json()["attendance"]["method"] == "office"
    assert present.json()["quorum"]["present"] == 1
    row = Attendance.objects.get(participant_id=delegate_id)
    assert (row.status, row.sitting_id) == ("present", session.current_sitting_id)

    other_id = participant(session, other_delegate).pk
    leave = call(
        client,
        "post",
        url,
        {
            "participant": other_id,
            "status": "absent_excused",
            "reason": "Đi công tác",
            "sitting": planned_sitting.pk,
        },
    )
    assert leave.status_code == 200, leave.content
    assert leave.json()["attendance"]["sitting"] == planned_sitting.pk
    ahead = Attendance.objects.get(participant_id=other_id, sitting=planned_sitting)
    assert (ahead.status, ahead.reason) == ("absent_excused", "Đi công tác")

    not_open = call(
        client,
        "post",
        url,
        {"participant": other_id, "status": "present", "sitting": planned_sitting.pk},
    )
    assert_error(not_open, 409, "not_allowed_now")
    assert message(not_open) == "Chưa thể ghi nhận có mặt khi phiên họp chưa mở."
    Sitting.objects.filter(pk=planned_sitting.pk).update(status=SittingStatus.CLOSED)
    closed = call(
        client,
        "post",
        url,
        {"participant": other_id, "status": "absent", "sitting": planned_sitting.pk},
    )
    assert_error(closed, 409, "not_allowed_now")
    assert Attendance.objects.get(pk=ahead.pk).status == "absent_excused"


def test_bad_attendance_input_is_a_400_naming_the_field(
    client: Client,
    login: Login,
    city_staff: User,
    delegate: User,
    session: Meeting,
    term: Any,
) -> None:
    other = Meeting.objects.create(
        council=session.council,
        term=term,
        kind="thematic",
        number=2,
        title="Kỳ họp chuyên đề",
        starts_on=session.starts_on,
        ends_on=session.ends_on,
    )
    stranger = Participant.objects.create(
        meeting=other, person=factories.PersonFactory(), role=ParticipantRole.GUEST
    )
    foreign_sitting = Sitting.objects.create(
        meeting=other, number=1, date=other.starts_on, part=SittingPart.MORNING
    )
    login(client, city_staff)
    url = f"council-meetings/{session.pk}/attendance/"
    mine = participant(session, delegate).pk
    for body, field in (
        ({"participant": mine, "status": "late"}, "status"),
        ({"participant": mine}, "status"),
        ({"status": "present"}, "participant"),
        ({"participant": 99999999, "status": "present"}, "participant"),
        ({"participant": HUGE_ID, "status": "present"}, "participant"),
        ({"participant": stranger.pk, "status": "present"}, "participant"),
        ({"participant": mine, "status": "absent", "sitting": foreign_sitting.pk}, "sitting"),
        ({"participant": mine, "status": "absent", "sitting": "một"}, "sitting"),
        ({"participant": mine, "status": "absent_excused"}, "reason"),
        ({"participant": mine, "status": "absent_excused", "reason": "x" * 501}, "reason"),
    ):
        response = call(client, "post", url, body)
        assert_error(response, 400, "invalid")
        assert field in fields(response), (body, response.json())
    no_reason = call(client, "post", url, {"participant": mine, "status": "absent_excused"})
    assert message(no_reason) == "Vui lòng nêu lý do vắng mặt."
    assert not Attendance.objects.exists()


def test_only_the_office_records_attendance(
    client: Client,
    login: Login,
    chair: User,
    delegate: User,
    other_delegate: User,
    session: Meeting,
) -> None:
    body = {"participant": participant(session, other_delegate).pk, "status": "absent"}
    for user in (chair, delegate):
        login(client, user)
        refused = call(client, "post", f"council-meetings/{session.pk}/attendance/", body)
        assert_error(refused, 403, "permission_denied")
    assert not Attendance.objects.exists()


def test_a_delegate_says_they_are_ready_to_vote_once_present(
    client: Client, login: Login, delegate: User, session: Meeting, check_in: CheckIn
) -> None:
    login(client, delegate)
    url = f"council-meetings/{session.pk}/ready/"
    early = call(client, "post", url, {"ready": True})
    assert_error(early, 409, "not_allowed_now")
    assert message(early) == (
        "Vui lòng điểm danh trước: chỉ đại biểu có mặt mới sẵn sàng biểu quyết được."
    )
    check_in(delegate)
    ready = call(client, "post", url, {"ready": True})
    assert ready.status_code == 200, ready.content
    assert ready.json()["attendance"]["ready_to_vote"] is True
    assert ready.json()["quorum"]["present"] == 1
    assert Attendance.objects.get(participant=participant(session, delegate)).ready_to_vote
    not_ready = call(client, "post", url, {"ready": False})
    assert not_ready.json()["attendance"]["ready_to_vote"] is False
    assert not Attendance.objects.get(participant=participant(session, delegate)).ready_to_vote
    for body in ({}, {"ready": "có lẽ"}, {"ready": None}):
        response = call(client, "post", url, body)
        assert_error(response, 400, "invalid")
        assert "ready" in fields(response)


def test_guests_and_non_participants_are_never_ready_to_vote(
    client: Client,
    login: Login,
    guest: User,
    city_staff: User,
    outsider: User,
    session: Meeting,
    check_in: CheckIn,
) -> None:
    check_in(guest)
    url = f"council-meetings/{session.pk}/ready/"
    login(client, guest)
    refused = call(client, "post", url, {"ready": True})
    assert_error(refused, 409, "not_allowed_now")
    assert message(refused) == "Chỉ đại biểu HĐND mới được biểu quyết; khách mời không biểu quyết."
    login(client, city_staff)
    staff = call(client, "post", url, {"ready": True})
    assert_error(staff, 403, "permission_denied")
    assert message(staff) == "Bạn không phải là thành phần tham dự cuộc họp này."
    login(client, outsider)
    assert_error(call(client, "post", url, {"ready": True}), 404, "not_found")
    assert not Attendance.objects.filter(ready_to_vote=True).exists()


# Every action: anonymous callers, tokens, outsiders and unknown ids.


def _actions(session: Meeting, items: list[AgendaItem], guest_id: int) -> list[tuple[str, str]]:
    sitting = session.current_sitting_id
    item = items[0].pk
    return [
        ("post", f"council-meetings/{session.pk}/sittings/"),
        ("delete", f"sittings/{sitting}/"),
        ("post", f"sittings/{sitting}/open/"),
        ("post", f"sittings/{sitting}/close/"),
        ("post", f"council-meetings/{session.pk}/participants/"),
        ("delete", f"participants/{guest_id}/"),
        ("post", f"participants/{guest_id}/chair/"),
        ("delete", f"agenda-items/{item}/"),
        ("post", f"agenda-items/{item}/move/"),
        ("post", f"agenda-items/{item}/position/"),
        ("post", f"agenda-items/{item}/current/"),
        ("post", f"council-meetings/{session.pk}/agenda/done/"),
        ("get", f"council-meetings/{session.pk}/attendance/"),
        ("post", f"council-meetings/{session.pk}/attendance/"),
        ("post", f"council-meetings/{session.pk}/ready/"),
    ]


def _state(session: Meeting) -> tuple[Any, ...]:
    return (
        list(session.sittings.values_list("id", "status")),
        list(session.participants.values_list("id", "role")),
        list(session.agenda_items.values_list("id", "position", "status")),
        Attendance.objects.count(),
    )


def test_anonymous_callers_get_401_and_api_tokens_403(
    client: Client, city_staff: User, guest: User, session: Meeting, items: list[AgendaItem]
) -> None:
    before = _state(session)
    actions = _actions(session, items, participant(session, guest).pk)
    for method, path in actions:
        assert_error(call(client, method, path, {}), 401, "not_authenticated")
    token = api_token(session.council, city_staff, list(ApiScope.values))
    for method, path in actions:
        response = call(client, method, path, {}, Authorization=f"Bearer {token}")
        assert_error(response, 403, "missing_scope")
    assert _state(session) == before


def test_the_outsider_gets_404_on_every_action(
    client: Client, login: Login, outsider: User, guest: User, session: Meeting, items: Any
) -> None:
    before = _state(session)
    login(client, outsider)
    for method, path in _actions(session, items, participant(session, guest).pk):
        assert_error(call(client, method, path, {}), 404, "not_found")
    assert _state(session) == before


def test_a_row_of_a_hidden_meeting_answers_as_an_unknown_id(
    client: Client, login: Login, outsider: User, session: Meeting, items: list[AgendaItem]
) -> None:
    login(client, outsider)
    hidden = call(client, "post", f"agenda-items/{items[0].pk}/current/")
    unknown = call(client, "post", "agenda-items/99999999/current/")
    assert message(hidden) == message(unknown) == "Nội dung chương trình này không tồn tại."
    hidden = call(client, "post", f"sittings/{session.current_sitting_id}/close/")
    assert message(hidden) == "Phiên họp này không tồn tại."


@pytest.mark.parametrize("bad_id", ["99999999", "abc", str(HUGE_ID), "-1", "١"])
def test_unknown_ids_in_paths_are_404(
    client: Client, login: Login, city_staff: User, session: Meeting, bad_id: str
) -> None:
    login(client, city_staff)
    for method, path in (
        ("delete", f"sittings/{bad_id}/"),
        ("post", f"sittings/{bad_id}/open/"),
        ("post", f"sittings/{bad_id}/close/"),
        ("delete", f"participants/{bad_id}/"),
        ("post", f"participants/{bad_id}/chair/"),
        ("delete", f"agenda-items/{bad_id}/"),
        ("post", f"agenda-items/{bad_id}/move/"),
        ("post", f"agenda-items/{bad_id}/position/"),
        ("post", f"agenda-items/{bad_id}/current/"),
        ("post", f"council-meetings/{bad_id}/sittings/"),
        ("post", f"council-meetings/{bad_id}/participants/"),
        ("post", f"council-meetings/{bad_id}/agenda/done/"),
        ("get", f"council-meetings/{bad_id}/attendance/"),
        ("post", f"council-meetings/{bad_id}/attendance/"),
        ("post", f"council-meetings/{bad_id}/ready/"),
    ):
        assert_error(call(client, method, path, {}), 404, "not_found")


# The schema


ACTION_OPERATIONS = {
    ("post", "/api/v1/council-meetings/{meeting_id}/sittings/"),
    ("delete", "/api/v1/sittings/{sitting_id}/"),
    ("post", "/api/v1/sittings/{sitting_id}/open/"),
    ("post", "/api/v1/sittings/{sitting_id}/close/"),
    ("post", "/api/v1/council-meetings/{meeting_id}/participants/"),
    ("delete", "/api/v1/participants/{participant_id}/"),
    ("post", "/api/v1/participants/{participant_id}/chair/"),
    ("delete", "/api/v1/agenda-items/{item_id}/"),
    ("post", "/api/v1/agenda-items/{item_id}/move/"),
    ("post", "/api/v1/agenda-items/{item_id}/position/"),
    ("post", "/api/v1/agenda-items/{item_id}/current/"),
    ("post", "/api/v1/council-meetings/{meeting_id}/agenda/done/"),
    ("get", "/api/v1/council-meetings/{meeting_id}/attendance/"),
    ("post", "/api/v1/council-meetings/{meeting_id}/attendance/"),
    ("post", "/api/v1/council-meetings/{meeting_id}/ready/"),
}


def test_the_actions_are_in_the_schema_without_warnings() -> None:
    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    problems = [
        text
        for text in [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
        if "api/meetings/" in text or "Meeting" in text or "Sitting" in text
    ]
    assert problems == []
    paths = schema["paths"]
    for method, path in ACTION_OPERATIONS:
        operation = paths[path][method]
        assert operation["tags"] == ["meetings"], path
        assert operation["operationId"].startswith("council_meetings_"), path
        expected = {"401", "403", "404"} if method == "get" else {"400", "401", "403", "404", "409"}
        assert expected <= set(map(str, operation["responses"])), (method, path)
        for status, response in operation["responses"].items():
            if str(status).startswith("4"):
                ref = response["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/Error", (path, status)
    components = schema["components"]["schemas"]
    assert components["MeetingAddedRoleEnum"]["enum"] == ["guest", "respondent", "staff"]
    assert components["AgendaMoveEnum"]["enum"] == ["up", "down"]
    assert components["MeetingAttendanceStatusEnum"]["enum"] == [
        "present",
        "absent_excused",
        "absent",
    ]


def test_the_roles_offered_are_the_ones_the_service_adds() -> None:
    assert set(AddedParticipantRole.values) == {str(role) for role in ADDED_ROLES}
