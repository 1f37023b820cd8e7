"""Recording meetings and receiving voter items over the API: each action's happy path,
its refusals (wrong state, stale version, bad input), and who may call it — the office,
a delegate group's leader for their group, the council's own token for intake, never a
token for a triage decision."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from hdnd.accounts.models import ApiScope, User
from hdnd.councils.models import DelegateGroup, GroupMember, GroupRole, Term
from hdnd.petitions.models import (
    Channel,
    ContactMeeting,
    MeetingTiming,
    SessionCycle,
    SpotAnswer,
    TriageStatus,
    VoterItem,
)
from hdnd.petitions.services import meetings as meeting_services
from hdnd.petitions.tests.api_support import Api, assert_error, token_api
from hdnd.testing import factories
from hdnd.testing import petition_factories as pf

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"


@pytest.fixture(autouse=True)
def _today(time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def as_user(login: Callable[[Client, Any], Client]) -> Callable[[Any], Api]:
    def _as(user: Any) -> Api:
        return Api(login(Client(), user))

    return _as


@pytest.fixture
def office(as_user: Callable[[Any], Api], city_staff: User) -> Api:
    return as_user(city_staff)


@pytest.fixture
def system(city_council: Any, city_staff: User) -> Api:
    """The council's own system: reads and writes with its token."""
    scopes = [ApiScope.PETITIONS_READ, ApiScope.PETITIONS_WRITE]
    return token_api(Client(), city_council, city_staff, scopes)


@pytest.fixture
def planned(cycle: SessionCycle, city_staff: User) -> ContactMeeting:
    return meeting_services.create_meeting(
        council=cycle.council,
        actor=city_staff,
        cycle=cycle,
        timing=MeetingTiming.BEFORE_SESSION,
        starts_at=dt.datetime(2026, 11, 1, 1, 0, tzinfo=dt.UTC),
        unit=cycle.council.unit,
        venue="Hội trường UBND phường",
    )


def meeting_body(cycle: SessionCycle, /, **extra: Any) -> dict[str, Any]:
    return {
        "cycle": cycle.pk,
        "timing": "before_session",
        "starts_at": "2026-11-25T08:00:00+07:00",
        "unit": cycle.council.unit_id,
        "venue": "Nhà văn hóa tổ dân phố 5",
        "organisers": ["standing_committee"],
        **extra,
    }


# Meetings


def test_the_office_plans_a_meeting(office: Api, cycle: SessionCycle) -> None:
    response = office.post(f"councils/{cycle.council_id}/meetings/", meeting_body(cycle))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "planned"
    assert body["version"] == 1
    assert body["organisers"] == ["standing_committee"]
    meeting = ContactMeeting.objects.get(id=body["id"])
    assert meeting.venue == "Nhà văn hóa tổ dân phố 5"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"timing": "sometime"}, "timing"),
        ({"cycle": 999999}, "cycle"),
        ({"starts_at": "tomorrow"}, "starts_at"),
        ({"organisers": ["the mayor"]}, "organisers"),
        ({"voters_attending": -1}, "voters_attending"),
        ({"delegates_present": [123456789]}, "delegates_present"),
    ],
)
def test_a_bad_meeting_is_a_400_naming_the_field(
    office: Api, cycle: SessionCycle, change: dict[str, Any], field: str
) -> None:
    response = office.post(f"councils/{cycle.council_id}/meetings/", meeting_body(cycle, **change))
    error = assert_error(response, 400, "invalid")
    assert field in error["fields"]
    assert not ContactMeeting.objects.exists()


def test_a_place_outside_the_council_is_refused(
    office: Api, cycle: SessionCycle, commune_b: Any
) -> None:
    body = meeting_body(cycle, unit=factories.ProvinceUnitFactory(code="79", name="TP HCM").pk)
    error = assert_error(office.post(f"councils/{cycle.council_id}/meetings/", body), 400)
    assert list(error["fields"]) == ["unit"]


def test_the_councils_system_records_meetings_with_its_token(
    system: Api, cycle: SessionCycle
) -> None:
    response = system.post(f"councils/{cycle.council_id}/meetings/", meeting_body(cycle))
    assert response.status_code == 201, response.content


def test_a_read_only_token_writes_nothing(
    cycle: SessionCycle, city_council: Any, city_staff: User
) -> None:
    api = token_api(Client(), city_council, city_staff, [ApiScope.PETITIONS_READ])
    response = api.post(f"councils/{cycle.council_id}/meetings/", meeting_body(cycle))
    error = assert_error(response, 403, "missing_scope")
    assert "petitions:write" in error["message"]


def test_a_delegate_who_leads_no_group_records_no_meeting(
    as_user: Callable[[Any], Api], delegate_user: User, cycle: SessionCycle
) -> None:
    api = as_user(delegate_user)
    response = api.post(f"councils/{cycle.council_id}/meetings/", meeting_body(cycle))
    assert_error(response, 403, "permission_denied")


def test_a_group_leader_records_their_groups_meeting_only(
    as_user: Callable[[Any], Api], delegate_user: User, term: Term, cycle: SessionCycle
) -> None:
    group = factories.DelegateGroupFactory(term=term, name="Tổ đại biểu số 1")
    other = factories.DelegateGroupFactory(term=term, name="Tổ đại biểu số 2")
    delegate_user.person = factories.PersonFactory(full_name="Phạm Minh Tổ Trưởng")
    delegate_user.save(update_fields=["person"])
    seat = factories.MembershipFactory(person=delegate_user.person, term=term)
    GroupMember.objects.create(group=group, membership=seat, role=GroupRole.LEADER)
    api = as_user(delegate_user)
    path = f"councils/{cycle.council_id}/meetings/"
    assert_error(api.post(path, meeting_body(cycle, delegate_group=other.pk)), 403)
    response = api.post(path, meeting_body(cycle, delegate_group=group.pk))
    assert response.status_code == 201, response.content
    assert DelegateGroup.objects.get(contact_meetings__id=response.json()["id"]) == group


def test_an_outsider_records_nothing_in_another_council(
    as_user: Callable[[Any], Api], outsider: User, cycle: SessionCycle, planned: ContactMeeting
) -> None:
    api = as_user(outsider)
    assert_error(api.post(f"councils/{cycle.council_id}/meetings/", meeting_body(cycle)), 403)
    body = {"expected_version": 1, "voters_attending": 50}
    assert_error(api.post(f"meetings/{planned.pk}/held/", body), 404, "not_found")


def test_a_meeting_is_corrected_and_a_stale_correction_is_refused(
    office: Api, planned: ContactMeeting
) -> None:
    response = office.patch(
        f"meetings/{planned.pk}/", {"expected_version": 1, "venue": "Nhà văn hóa khu 3"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["venue"] == "Nhà văn hóa khu 3"
    assert response.json()["version"] == 2
    stale = office.patch(f"meetings/{planned.pk}/", {"expected_version": 1, "venue": "Khác"})
    assert_error(stale, 409, "stale_version")
    planned.refresh_from_db()
    assert planned.venue == "Nhà văn hóa khu 3"


def test_a_correction_without_the_version_is_a_400(office: Api, planned: ContactMeeting) -> None:
    error = assert_error(office.patch(f"meetings/{planned.pk}/", {"venue": "X"}), 400)
    assert list(error["fields"]) == ["expected_version"]


def test_a_meeting_is_marked_held_once(office: Api, planned: ContactMeeting) -> None:
    body = {"expected_version": 1, "voters_attending": 85}
    response = office.post(f"meetings/{planned.pk}/held/", body)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "held"
    again = office.post(f"meetings/{planned.pk}/held/", {**body, "expected_version": 2})
    assert_error(again, 409, "transition_not_allowed")


def test_held_needs_the_number_of_voters(office: Api, planned: ContactMeeting) -> None:
    response = office.post(f"meetings/{planned.pk}/held/", {"expected_version": 1})
    error = assert_error(response, 400, "invalid")
    assert list(error["fields"]) == ["voters_attending"]


def test_a_meeting_is_cancelled_with_a_reason(office: Api, planned: ContactMeeting) -> None:
    path = f"meetings/{planned.pk}/cancel/"
    error = assert_error(office.post(path, {"expected_version": 1, "reason": ""}), 400)
    assert list(error["fields"]) == ["reason"]
    response = office.post(path, {"expected_version": 1, "reason": "Mưa bão"})
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert_error(office.post(path, {"expected_version": 2, "reason": "Lại"}), 409)


def test_the_minutes_are_uploaded_and_a_wrong_file_is_refused(
    office: Api, planned: ContactMeeting
) -> None:
    path = f"/api/v1/meetings/{planned.pk}/minutes/"
    bad = office.client.put(
        path,
        _multipart({"expected_version": "1", "minutes_file": ("bien-ban.pdf", b"MZ not a pdf")}),
        content_type=MULTIPART,
        headers=office.headers,
    )
    assert_error(bad, 400)
    good = office.client.put(
        path,
        _multipart({"expected_version": "1", "minutes_file": ("bien-ban.pdf", PDF)}),
        content_type=MULTIPART,
        headers=office.headers,
    )
    assert good.status_code == 200, good.content
    assert good.json()["has_minutes"] is True


def test_a_spot_answer_is_recorded_for_an_item_of_the_meeting(
    office: Api, meeting: ContactMeeting, cycle: SessionCycle
) -> None:
    item = pf.VoterItemFactory(council=meeting.council, channel=Channel.MEETING, meeting=meeting)
    elsewhere = pf.VoterItemFactory(council=meeting.council)
    path = f"meetings/{meeting.pk}/spot-answers/"
    body = {"official_name": "Ông Nguyễn Văn Bình", "text": "Sẽ sửa trong quý I.", "item": item.pk}
    response = office.post(path, body)
    assert response.status_code == 201, response.content
    assert SpotAnswer.objects.get().item == item
    error = assert_error(office.post(path, {**body, "item": elsewhere.pk}), 400)
    assert list(error["fields"]) == ["item"]


# Voter items


def item_body(**extra: Any) -> dict[str, Any]:
    return {
        "text": "Đề nghị lắp đèn chiếu sáng ngõ 15 phố Kim Mã",
        "voter_name": "Lê Thị Hoa",
        "voter_phone": "0987654321",
        "field": "giao-thong",
        "level": "city",
        "tags": ["chiếu sáng"],
        "source_system": "cong-dich-vu-cong",
        "source_id": "DVC-2026-0001",
        **extra,
    }


def test_the_councils_system_sends_an_item_once(system: Api, city_council: Any, cycle: Any) -> None:
    path = f"councils/{city_council.pk}/items/"
    response = system.post(path, item_body())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["channel"] == "api"
    assert body["triage_status"] == "new"
    assert body["tags"] == ["chiếu sáng"]
    # The system gave the voter's identity; a token never reads it back.
    assert body["voter"] is None
    item = VoterItem.objects.get(id=body["id"])
    assert item.voter_name == "Lê Thị Hoa"
    assert item.cycle == cycle
    assert_error(system.post(path, item_body()), 409, "conflict")
    assert VoterItem.objects.count() == 1


def test_the_office_enters_an_item_heard_at_a_meeting(office: Api, meeting: ContactMeeting) -> None:
    body = item_body(channel="meeting", meeting=meeting.pk, source_id="")
    response = office.post(f"councils/{meeting.council_id}/items/", body)
    assert response.status_code == 201, response.content
    assert response.json()["triage_status"] == "accepted"
    assert response.json()["voter"]["name"] == "Lê Thị Hoa"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"text": ""}, "text"),
        ({"voter_count": 0}, "voter_count"),
        ({"voter_count": 10**12}, "voter_count"),
        ({"voter_email": "not-an-email"}, "voter_email"),
        ({"field": "no-such-field"}, "field"),
        ({"channel": "pigeon"}, "channel"),
        ({"received_on": "2026-13-45"}, "received_on"),
        ({"tags": "not a list"}, "tags"),
        ({"text": "nul\x00byte"}, "text"),
    ],
)
def test_a_bad_item_is_a_400_naming_the_field(
    system: Api, city_council: Any, cycle: Any, change: dict[str, Any], field: str
) -> None:
    response = system.post(f"councils/{city_council.pk}/items/", item_body(**change))
    error = assert_error(response, 400, "invalid")
    assert field in error["fields"]
    assert not VoterItem.objects.exists()


def test_a_future_receipt_date_is_refused_by_the_service(
    system: Api, city_council: Any, cycle: Any
) -> None:
    response = system.post(
        f"councils/{city_council.pk}/items/", item_body(received_on="2026-12-31")
    )
    error = assert_error(response, 400, "invalid")
    assert list(error["fields"]) == ["received_on"]


def test_malformed_json_is_a_400(system: Api, city_council: Any) -> None:
    response = system.post(f"councils/{city_council.pk}/items/", raw='{"text": "x",')
    assert_error(response, 400, "parse_error")
    response = system.post(f"councils/{city_council.pk}/items/", [1, 2, 3])
    assert_error(response, 400, "invalid")


@pytest.fixture
def waiting(city_council: Any, cycle: Any) -> VoterItem:
    return pf.VoterItemFactory(
        council=city_council, channel=Channel.WEB, cycle=cycle, triage_status=TriageStatus.NEW
    )


def test_triage_accepts_an_item_once(office: Api, waiting: VoterItem) -> None:
    response = office.post(f"items/{waiting.pk}/accept/", {"expected_version": 1})
    assert response.status_code == 200, response.content
    assert response.json()["triage_status"] == "accepted"
    again = office.post(f"items/{waiting.pk}/accept/", {"expected_version": 2})
    assert_error(again, 409, "transition_not_allowed")


def test_a_stale_triage_decision_is_refused(office: Api, waiting: VoterItem) -> None:
    VoterItem.objects.filter(pk=waiting.pk).update(version=3)
    response = office.post(f"items/{waiting.pk}/accept/", {"expected_version": 1})
    assert_error(response, 409, "stale_version")


def test_triage_redirects_a_complaint_with_its_reason(office: Api, waiting: VoterItem) -> None:
    path = f"items/{waiting.pk}/redirect/"
    body = {"expected_version": 1, "kind": "complaint", "redirected_to": "Ban tiếp công dân"}
    error = assert_error(office.post(path, body), 400, "invalid")
    assert list(error["fields"]) == ["reason"]
    error = assert_error(office.post(path, {**body, "kind": "petition", "reason": "x"}), 400)
    assert list(error["fields"]) == ["kind"]
    response = office.post(path, {**body, "reason": "Khiếu nại quyết định hành chính"})
    assert response.status_code == 200, response.content
    assert response.json()["triage_status"] == "redirected"
    assert response.json()["kind"] == "complaint"


def test_triage_is_a_persons_decision(system: Api, waiting: VoterItem) -> None:
    response = system.post(f"items/{waiting.pk}/accept/", {"expected_version": 1})
    error = assert_error(response, 403, "person_required")
    assert "Only a person signed in" in error["message"]


def test_a_delegate_cannot_triage(
    as_user: Callable[[Any], Api], delegate_user: User, waiting: VoterItem
) -> None:
    response = as_user(delegate_user).post(f"items/{waiting.pk}/accept/", {"expected_version": 1})
    assert_error(response, 403, "permission_denied")


def test_the_office_corrects_an_item(office: Api, waiting: VoterItem) -> None:
    response = office.patch(
        f"items/{waiting.pk}/",
        {"expected_version": 1, "place": "Ngõ 15 Kim Mã", "field": "giao-thong"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["place"] == "Ngõ 15 Kim Mã"
    assert response.json()["field"]["code"] == "giao-thong"
    assert response.json()["version"] == 2


def test_the_text_of_a_consolidated_item_cannot_change(
    office: Api, city_council: Any, cycle: Any
) -> None:
    petition = pf.PetitionFactory(raised_in=cycle)
    item = pf.VoterItemFactory(council=city_council, petition=petition)
    response = office.patch(f"items/{item.pk}/", {"expected_version": 1, "text": "Khác hẳn"})
    error = assert_error(response, 409, "transition_not_allowed")
    assert list(error["fields"]) == ["text"]


def test_a_group_leader_may_not_change_who_asked(
    as_user: Callable[[Any], Api],
    delegate_user: User,
    term: Term,
    cycle: SessionCycle,
) -> None:
    group = factories.DelegateGroupFactory(term=term, name="Tổ đại biểu số 1")
    delegate_user.person = factories.PersonFactory(full_name="Phạm Minh Tổ Trưởng")
    delegate_user.save(update_fields=["person"])
    seat = factories.MembershipFactory(person=delegate_user.person, term=term)
    GroupMember.objects.create(group=group, membership=seat, role=GroupRole.LEADER)
    meeting = pf.ContactMeetingFactory(cycle=cycle, delegate_group=group)
    item = pf.VoterItemFactory(council=cycle.council, channel=Channel.MEETING, meeting=meeting)
    api = as_user(delegate_user)
    refused = api.patch(f"items/{item.pk}/", {"expected_version": 1, "voter_name": "X"})
    assert list(assert_error(refused, 400)["fields"]) == ["voter_name"]
    allowed = api.patch(f"items/{item.pk}/", {"expected_version": 1, "place": "Tổ 5"})
    assert allowed.status_code == 200, allowed.content
    assert allowed.json()["voter"] is None


# Helpers

MULTIPART = "multipart/form-data; boundary=BoUnDaRy"


def _multipart(fields: dict[str, Any]) -> bytes:
    """A multipart body by hand: the test client's encoder does not do PUT."""
    parts = []
    for name, value in fields.items():
        if isinstance(value, tuple):
            filename, content = value
            parts.append(
                b"--BoUnDaRy\r\n"
                + f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'.encode()
                + b"Content-Type: application/octet-stream\r\n\r\n"
                + content
                + b"\r\n"
            )
        else:
            parts.append(
                b"--BoUnDaRy\r\n"
                + f'Content-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
                + str(value).encode()
                + b"\r\n"
            )
    return b"".join(parts) + b"--BoUnDaRy--\r\n"


@pytest.mark.parametrize(
    "starts_at", ["0001-01-01T00:00:00+07:00", "9999-12-31T23:59:59-12:00", "2026-11-25T08:00"]
)
def test_extreme_or_naive_times_never_break_a_meeting(
    office: Api, cycle: SessionCycle, starts_at: str
) -> None:
    response = office.post(
        f"councils/{cycle.council_id}/meetings/", meeting_body(cycle, starts_at=starts_at)
    )
    assert response.status_code in (201, 400), response.content


@pytest.mark.parametrize("received_on", ["0001-01-01", "9999-12-31"])
def test_extreme_dates_never_break_intake(
    system: Api, city_council: Any, cycle: Any, received_on: str
) -> None:
    response = system.post(f"councils/{city_council.pk}/items/", item_body(received_on=received_on))
    assert response.status_code in (201, 400), response.content
