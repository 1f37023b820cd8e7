"""The meetings API: reads, planning and edits with expected_version, transitions,
agenda, check-in, the one JSON error shape, and the schema."""

from collections.abc import Callable
from typing import Any

import pytest
import yaml
from django.test import Client

from hdnd.accounts.models import User
from hdnd.councils.models import Term
from hdnd.meetings.models import AgendaItem, Attendance, Meeting

pytestmark = pytest.mark.django_db

Login = Callable[[Client, User], Client]
API = "/api/v1"


def error_code(response: Any) -> str:
    body = response.json()
    assert set(body["error"]) == {"code", "message", "fields"}
    return str(body["error"]["code"])


def test_reads_of_a_meeting_its_sittings_participants_and_agenda(
    client: Client, login: Login, delegate: User, session: Meeting
) -> None:
    AgendaItem.objects.create(meeting=session, title="Khai mạc")
    login(client, delegate)
    listing = client.get(f"{API}/councils/{session.council_id}/council-meetings/")
    assert listing.status_code == 200
    assert [row["id"] for row in listing.json()["results"]] == [session.pk]
    detail = client.get(f"{API}/council-meetings/{session.pk}/").json()
    assert detail["status"] == "in_progress" and detail["version"] == session.version
    sittings = client.get(f"{API}/council-meetings/{session.pk}/sittings/").json()
    assert [row["status"] for row in sittings] == ["open"]
    participants = client.get(f"{API}/council-meetings/{session.pk}/participants/").json()
    assert sum(row["votes"] for row in participants) == 10
    agenda = client.get(f"{API}/council-meetings/{session.pk}/agenda/").json()
    assert [(row["number"], row["title"]) for row in agenda] == [("1", "Khai mạc")]


def test_the_outsider_gets_404_in_the_json_shape(
    client: Client, login: Login, outsider: User, session: Meeting
) -> None:
    login(client, outsider)
    for url in (
        f"{API}/council-meetings/{session.pk}/",
        f"{API}/council-meetings/{session.pk}/agenda/",
        f"{API}/council-meetings/x/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert error_code(response) == "not_found"
    response = client.post(f"{API}/council-meetings/{session.pk}/check-in/")
    assert response.status_code == 404
    response = client.get(f"{API}/councils/{session.council_id}/council-meetings/")
    assert response.status_code == 403


def test_a_closed_meeting_is_hidden_from_a_delegate_who_does_not_take_part(
    client: Client, login: Login, delegate_user: User, session: Meeting
) -> None:
    Meeting.objects.filter(pk=session.pk).update(is_closed=True)
    login(client, delegate_user)
    assert client.get(f"{API}/council-meetings/{session.pk}/").status_code == 404
    listing = client.get(f"{API}/councils/{session.council_id}/council-meetings/").json()
    assert listing["count"] == 0


def test_the_office_plans_and_corrects_a_meeting_with_its_version(
    client: Client, login: Login, city_staff: User, term: Term, members: list[object]
) -> None:
    login(client, city_staff)
    body = {
        "kind": "regular",
        "term": term.pk,
        "number": 1,
        "title": "Kỳ họp thứ nhất",
        "starts_on": "2026-12-08",
        "ends_on": "2026-12-09",
    }
    url = f"{API}/councils/{term.council_id}/council-meetings/"
    created = client.post(url, body, content_type="application/json")
    assert created.status_code == 201, created.content
    meeting_id = created.json()["id"]
    assert Meeting.objects.get(pk=meeting_id).participants.count() == len(members)
    duplicate = client.post(url, body, content_type="application/json")
    assert duplicate.status_code == 400
    assert "number" in duplicate.json()["error"]["fields"]
    bad = client.post(url, {**body, "term": 999999}, content_type="application/json")
    assert bad.status_code == 400 and "term" in bad.json()["error"]["fields"]
    patch = client.patch(
        f"{API}/council-meetings/{meeting_id}/",
        {"expected_version": 1, "venue": "Hội trường A"},
        content_type="application/json",
    )
    assert patch.status_code == 200 and patch.json()["version"] == 2
    stale = client.patch(
        f"{API}/council-meetings/{meeting_id}/",
        {"expected_version": 1, "venue": "Hội trường B"},
        content_type="application/json",
    )
    assert stale.status_code == 409 and error_code(stale) == "stale_version"
    missing = client.patch(
        f"{API}/council-meetings/{meeting_id}/", {"venue": "x"}, content_type="application/json"
    )
    assert missing.status_code == 400
    started = client.post(
        f"{API}/council-meetings/{meeting_id}/start/",
        {"expected_version": 2},
        content_type="application/json",
    )
    assert started.status_code == 200 and started.json()["status"] == "in_progress"
    again = client.post(
        f"{API}/council-meetings/{meeting_id}/start/",
        {"expected_version": 3},
        content_type="application/json",
    )
    assert again.status_code == 409 and error_code(again) == "not_allowed_now"
    cancelled = client.post(
        f"{API}/council-meetings/{meeting_id}/cancel/",
        {"expected_version": 3, "reason": "Hoãn"},
        content_type="application/json",
    )
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"


def test_a_delegate_may_not_plan_edit_or_add_items(
    client: Client, login: Login, delegate: User, session: Meeting
) -> None:
    login(client, delegate)
    response = client.patch(
        f"{API}/council-meetings/{session.pk}/",
        {"expected_version": 1, "venue": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403 and error_code(response) == "permission_denied"
    response = client.post(
        f"{API}/council-meetings/{session.pk}/agenda/",
        {"title": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not AgendaItem.objects.exists()


def test_the_office_builds_the_agenda(
    client: Client, login: Login, city_staff: User, session: Meeting
) -> None:
    login(client, city_staff)
    url = f"{API}/council-meetings/{session.pk}/agenda/"
    first = client.post(url, {"title": "Kinh tế"}, content_type="application/json")
    assert first.status_code == 201
    parent = first.json()[0]["id"]
    nested = client.post(
        url, {"title": "Báo cáo", "parent": parent}, content_type="application/json"
    )
    assert [row["number"] for row in nested.json()] == ["1", "1.1"]
    child = nested.json()[1]["id"]
    wrong = client.post(url, {"title": "x", "parent": 999999}, content_type="application/json")
    assert wrong.status_code == 400 and "parent" in wrong.json()["error"]["fields"]
    edited = client.patch(
        f"{API}/agenda-items/{child}/", {"parent": None}, content_type="application/json"
    )
    assert edited.status_code == 200
    assert [row["number"] for row in edited.json()] == ["1", "2"]
    cycle = client.patch(
        f"{API}/agenda-items/{parent}/", {"parent": parent}, content_type="application/json"
    )
    assert cycle.status_code == 400


def test_check_in_answers_the_attendance_and_the_quorum(
    client: Client, login: Login, delegate: User, guest: User, session: Meeting
) -> None:
    login(client, delegate)
    response = client.post(f"{API}/council-meetings/{session.pk}/check-in/")
    assert response.status_code == 200
    body = response.json()
    assert body["attendance"]["status"] == "present"
    assert body["quorum"] == {"present": 1, "total": 10, "required": 7, "reached": False}
    assert client.post(f"{API}/council-meetings/{session.pk}/check-in/").status_code == 200
    assert Attendance.objects.count() == 1


def test_check_in_without_an_open_sitting_is_refused(
    client: Client, login: Login, delegate: User, session: Meeting
) -> None:
    Meeting.objects.filter(pk=session.pk).update(status="planned")
    login(client, delegate)
    response = client.post(f"{API}/council-meetings/{session.pk}/check-in/")
    assert response.status_code == 409 and error_code(response) == "not_allowed_now"


@pytest.fixture(scope="module")
def schema(django_db_blocker: Any) -> dict[str, Any]:
    with django_db_blocker.unblock():
        response = Client().get("/api/schema/")
    assert response.status_code == 200
    loaded: dict[str, Any] = yaml.safe_load(response.content)
    return loaded


def test_the_schema_lists_every_operation_with_the_one_error_shape(schema: dict[str, Any]) -> None:
    ours = {
        ("get", "/api/v1/councils/{council_id}/council-meetings/"),
        ("post", "/api/v1/councils/{council_id}/council-meetings/"),
        ("get", "/api/v1/council-meetings/{meeting_id}/"),
        ("patch", "/api/v1/council-meetings/{meeting_id}/"),
        ("post", "/api/v1/council-meetings/{meeting_id}/start/"),
        ("post", "/api/v1/council-meetings/{meeting_id}/end/"),
        ("post", "/api/v1/council-meetings/{meeting_id}/cancel/"),
        ("get", "/api/v1/council-meetings/{meeting_id}/sittings/"),
        ("get", "/api/v1/council-meetings/{meeting_id}/participants/"),
        ("get", "/api/v1/council-meetings/{meeting_id}/agenda/"),
        ("post", "/api/v1/council-meetings/{meeting_id}/agenda/"),
        ("patch", "/api/v1/agenda-items/{item_id}/"),
        ("post", "/api/v1/council-meetings/{meeting_id}/check-in/"),
    }
    operations = {
        (method, path): operation
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in {"get", "post", "patch"}
    }
    assert set(operations) >= ours
    for key in ours:
        operation = operations[key]
        assert operation["tags"] == ["meetings"], key
        for status, response in operation["responses"].items():
            if status.startswith("4"):
                ref = response["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/Error", (key, status)
        if key[0] != "get":
            assert "409" in operation["responses"], key
    components = schema["components"]["schemas"]
    assert components["CouncilMeetingKindEnum"]["enum"][0] == "regular"
    assert components["MeetingStatusEnum"]["enum"] == ["planned", "held", "cancelled"]
