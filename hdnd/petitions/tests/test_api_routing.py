"""Routing over the API: the routing table, committees in charge and deadline rules (set
from today, history kept), and routing a petition — assign, re-route, change its field,
forward it centrally, move it to a commune, escalate it to the standing committee. Each
with a refusal; all are the office's decisions, so tokens are refused."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from hdnd.accounts.models import ApiScope, User
from hdnd.councils.models import Agency, Committee, Council
from hdnd.petitions.models import (
    CompetenceLevel,
    DeadlineRule,
    FieldCommittee,
    Petition,
    PetitionStatus,
    RouteKind,
    RoutingRule,
    SessionCycle,
)
from hdnd.petitions.tests.api_support import Api, assert_error, token_api
from hdnd.testing import factories
from hdnd.testing import petition_factories as pf

pytestmark = pytest.mark.django_db


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
def system(city_council: Council, city_staff: User) -> Api:
    scopes = [ApiScope.PETITIONS_READ, ApiScope.PETITIONS_WRITE]
    return token_api(Client(), city_council, city_staff, scopes)


@pytest.fixture
def fresh(cycle: SessionCycle, committee: Committee, deadline_rules: Any) -> Petition:
    """A city-level transport petition, consolidated, waiting to be sent."""
    return pf.PetitionFactory(raised_in=cycle, field=pf.field("giao-thong"))


def assigned(office: Api, petition: Petition, agency: Agency) -> dict[str, Any]:
    response = office.post(
        f"petitions/{petition.pk}/assign/",
        {"expected_version": petition.version, "lead_agency": agency.pk},
    )
    assert response.status_code == 200, response.content
    return dict(response.json())


# The routing table and the rules


def test_the_office_routes_a_field_and_keeps_the_history(
    office: Api, city_council: Council, agency_a: Agency, agency_b: Agency
) -> None:
    path = f"councils/{city_council.pk}/routing-rules/giao-thong/city/"
    first = office.put(path, {"agency": agency_a.pk})
    assert first.status_code == 200, first.content
    assert first.json()["agency"]["id"] == agency_a.pk
    assert first.json()["in_force"] is True
    assert_error(office.put(path, {"agency": agency_a.pk}), 400, "invalid")
    second = office.put(path, {"agency": agency_b.pk, "note": "Sở mới"})
    assert second.status_code == 200
    assert RoutingRule.objects.filter(council=city_council).count() == 2
    ended = office.put(path, {"agency": None})
    assert ended.status_code == 204
    assert not RoutingRule.objects.filter(valid_until__isnull=True).exists()


@pytest.mark.parametrize(
    "path",
    [
        "routing-rules/no-such-field/city/",
        "routing-rules/giao-thong/central/",
        "routing-rules/giao-thong/anything/",
        "deadline-rules/sometimes/",
        "field-committees/no-such-field/",
    ],
)
def test_an_unknown_cell_of_the_tables_is_a_404(
    office: Api, city_council: Council, path: str
) -> None:
    assert_error(office.put(f"councils/{city_council.pk}/{path}", {}), 404, "not_found")


def test_an_agency_of_another_council_cannot_be_routed_to(
    office: Api, city_council: Council, commune_b: Council
) -> None:
    foreign = factories.AgencyFactory(council=commune_b)
    path = f"councils/{city_council.pk}/routing-rules/giao-thong/city/"
    error = assert_error(office.put(path, {"agency": foreign.pk}), 400, "invalid")
    assert list(error["fields"]) == ["agency"]


def test_the_office_puts_a_committee_in_charge(
    office: Api, city_council: Council, committee: Committee
) -> None:
    path = f"councils/{city_council.pk}/field-committees/y-te/"
    response = office.put(path, {"committee": committee.pk})
    assert response.status_code == 200, response.content
    assert FieldCommittee.objects.filter(field__code="y-te", committee=committee).exists()
    assert_error(office.put(path, {"committee": committee.pk}), 400)


def test_the_office_replaces_a_deadline_rule_from_today(
    office: Api, city_council: Council, deadline_rules: Any
) -> None:
    path = f"councils/{city_council.pk}/deadline-rules/own_agency/"
    body = {"days": 45, "counting": "working", "legal_basis": "Quyết định 01/2026"}
    response = office.put(path, body)
    assert response.status_code == 200, response.content
    assert response.json()["days"] == 45
    assert response.json()["valid_from"] == "2026-11-20"
    assert DeadlineRule.objects.filter(route=RouteKind.OWN_AGENCY).count() == 2
    error = assert_error(office.put(path, {**body, "days": 0}), 400, "invalid")
    assert list(error["fields"]) == ["days"]


def test_configuration_is_a_persons_decision(system: Api, city_council: Council) -> None:
    path = f"councils/{city_council.pk}/deadline-rules/central/"
    response = system.put(path, {"days": 60, "counting": "calendar"})
    assert_error(response, 403, "person_required")


def test_a_delegate_does_not_configure(
    as_user: Callable[[Any], Api], delegate_user: User, city_council: Council
) -> None:
    path = f"councils/{city_council.pk}/deadline-rules/central/"
    response = as_user(delegate_user).put(path, {"days": 60, "counting": "calendar"})
    assert_error(response, 403, "permission_denied")


# Routing a petition


def test_the_office_assigns_a_petition_with_its_deadline(
    office: Api, fresh: Petition, agency_a: Agency, agency_b: Agency
) -> None:
    response = office.post(
        f"petitions/{fresh.pk}/assign/",
        {
            "expected_version": 1,
            "lead_agency": agency_a.pk,
            "coordinating_agencies": [agency_b.pk],
            "reason": "Theo bảng phân công",
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "assigned"
    assert body["lead_agency"]["id"] == agency_a.pk
    assert [agency["id"] for agency in body["coordinating_agencies"]] == [agency_b.pk]
    assert body["due_on"] == "2026-12-21"
    assert body["committee"]["name"] == "Ban Đô thị"
    assert {route["role"] for route in body["routes"]} == {"lead", "coordinating"}


def test_assigning_twice_is_refused(office: Api, fresh: Petition, agency_a: Agency) -> None:
    body = assigned(office, fresh, agency_a)
    again = office.post(
        f"petitions/{fresh.pk}/assign/",
        {"expected_version": body["version"], "lead_agency": agency_a.pk},
    )
    assert_error(again, 409, "transition_not_allowed")


def test_a_stale_assignment_is_refused(office: Api, fresh: Petition, agency_a: Agency) -> None:
    Petition.objects.filter(pk=fresh.pk).update(version=2)
    response = office.post(
        f"petitions/{fresh.pk}/assign/", {"expected_version": 1, "lead_agency": agency_a.pk}
    )
    assert_error(response, 409, "stale_version")
    assert Petition.objects.get(pk=fresh.pk).status == PetitionStatus.CONSOLIDATING


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"lead_agency": "Sở Xây dựng"}, "lead_agency"),
        ({"lead_agency": 987654}, "lead_agency"),
        ({"coordinating_agencies": [None]}, "coordinating_agencies"),
        ({"expected_version": 0}, "expected_version"),
        ({"expected_version": "1; drop table"}, "expected_version"),
    ],
)
def test_a_bad_assignment_is_a_400_naming_the_field(
    office: Api, fresh: Petition, agency_a: Agency, body: dict[str, Any], field: str
) -> None:
    full = {"expected_version": 1, "lead_agency": agency_a.pk, **body}
    error = assert_error(office.post(f"petitions/{fresh.pk}/assign/", full), 400, "invalid")
    assert field in error["fields"]


def test_routing_is_a_persons_decision(system: Api, fresh: Petition, agency_a: Agency) -> None:
    response = system.post(
        f"petitions/{fresh.pk}/assign/", {"expected_version": 1, "lead_agency": agency_a.pk}
    )
    assert_error(response, 403, "person_required")


def test_a_responder_cannot_route(
    as_user: Callable[[Any], Api], responder_a: User, fresh: Petition, agency_a: Agency
) -> None:
    Petition.objects.filter(pk=fresh.pk).update(lead_agency=agency_a)
    response = as_user(responder_a).post(
        f"petitions/{fresh.pk}/assign/", {"expected_version": 1, "lead_agency": agency_a.pk}
    )
    assert_error(response, 403, "permission_denied")


def test_the_office_reroutes_an_assigned_petition(
    office: Api, fresh: Petition, agency_a: Agency, agency_b: Agency
) -> None:
    body = assigned(office, fresh, agency_a)
    path = f"petitions/{fresh.pk}/reroute/"
    no_reason = {"expected_version": body["version"], "lead_agency": agency_b.pk}
    assert list(assert_error(office.post(path, no_reason), 400)["fields"]) == ["reason"]
    response = office.post(path, {**no_reason, "reason": "Sai thẩm quyền"})
    assert response.status_code == 200, response.content
    routes = response.json()["routes"]
    assert [(route["agency"]["id"], route["ended_on"] is None) for route in routes] == [
        (agency_a.pk, False),
        (agency_b.pk, True),
    ]


def test_rerouting_a_petition_not_yet_assigned_is_refused(
    office: Api, fresh: Petition, agency_b: Agency
) -> None:
    response = office.post(
        f"petitions/{fresh.pk}/reroute/",
        {"expected_version": 1, "lead_agency": agency_b.pk, "reason": "x"},
    )
    assert_error(response, 409, "transition_not_allowed")


def test_the_office_changes_the_field(office: Api, fresh: Petition) -> None:
    path = f"petitions/{fresh.pk}/classification/"
    body = {"expected_version": 1, "field": "y-te", "level": "city", "reason": "Nhầm lĩnh vực"}
    response = office.post(path, body)
    assert response.status_code == 200, response.content
    assert response.json()["field"]["code"] == "y-te"
    error = assert_error(office.post(path, {**body, "field": "khong-co"}), 400)
    assert list(error["fields"]) == ["field"]


def test_the_office_forwards_a_central_petition(office: Api, fresh: Petition) -> None:
    Petition.objects.filter(pk=fresh.pk).update(level=CompetenceLevel.CENTRAL)
    path = f"petitions/{fresh.pk}/forward-central/"
    error = assert_error(office.post(path, {"expected_version": 1}), 400)
    assert list(error["fields"]) == ["reference"]
    response = office.post(path, {"expected_version": 1, "reference": "123/HĐND-VP"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "forwarded"
    again = office.post(path, {"expected_version": 2, "reference": "124/HĐND-VP"})
    assert_error(again, 409, "transition_not_allowed")


def test_the_office_moves_a_petition_to_a_commune(
    office: Api, fresh: Petition, commune_a: Council, commune_b: Council
) -> None:
    pf.SessionCycleFactory(term=factories.TermFactory(council=commune_a, name="Khóa I"))
    path = f"petitions/{fresh.pk}/transfer/"
    body = {"expected_version": 1, "to_council": commune_a.pk, "reason": "Thẩm quyền cấp xã"}
    response = office.post(path, body)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "transferred"
    [successor] = response.json()["successors"]
    assert successor["council_id"] == commune_a.pk
    stranger = pf.SessionCycleFactory(
        term=factories.TermFactory(
            council=factories.CityCouncilFactory(
                unit=factories.ProvinceUnitFactory(code="79", name="TP HCM")
            )
        )
    )
    other = pf.PetitionFactory(raised_in=fresh.raised_in)
    error = assert_error(
        office.post(
            f"petitions/{other.pk}/transfer/",
            {**body, "to_council": stranger.council_id},
        ),
        400,
    )
    assert list(error["fields"]) == ["to_council"]


def test_an_outsider_cannot_route_another_councils_petition(
    as_user: Callable[[Any], Api], outsider: User, fresh: Petition, agency_a: Agency
) -> None:
    response = as_user(outsider).post(
        f"petitions/{fresh.pk}/assign/", {"expected_version": 1, "lead_agency": agency_a.pk}
    )
    assert_error(response, 404, "not_found")


# Escalating to the standing committee by hand


@pytest.fixture
def overdue(cycle: SessionCycle, agency_a: Agency, deadline_rules: Any) -> Petition:
    return pf.PetitionFactory(
        raised_in=cycle,
        field=pf.field("giao-thong"),
        status=PetitionStatus.ASSIGNED,
        lead_agency=agency_a,
        assigned_on=dt.date(2026, 10, 1),
        due_on=dt.date(2026, 10, 31),
    )


def test_the_office_escalates_a_petition_once_per_deadline(
    office: Api, overdue: Petition, standing_member: User
) -> None:
    path = f"petitions/{overdue.pk}/escalate/"
    response = office.post(path, {"expected_version": 1, "reason": "Sở không phản hồi."})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["escalated_on"] == "2026-11-20"
    assert body["version"] == 2
    assert standing_member.petition_notifications.filter(petition=overdue).count() == 1
    again = office.post(path, {"expected_version": 2, "reason": "Lần nữa"})
    error = assert_error(again, 409, "already_escalated")
    assert "20/11/2026" in error["message"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"reason": ""}, "reason"),
        ({"reason": None}, "reason"),
        ({"reason": "x" * 301}, "reason"),
        ({"expected_version": "một"}, "expected_version"),
    ],
)
def test_a_bad_escalation_is_a_400_naming_the_field(
    office: Api, overdue: Petition, body: dict[str, Any], field: str
) -> None:
    full = {"expected_version": 1, "reason": "Chậm", **body}
    error = assert_error(office.post(f"petitions/{overdue.pk}/escalate/", full), 400, "invalid")
    assert list(error["fields"]) == [field]
    assert Petition.objects.get(pk=overdue.pk).escalated_on is None


def test_an_escalation_is_refused_when_stale_or_not_awaiting_an_answer(
    office: Api, overdue: Petition, fresh: Petition
) -> None:
    stale = office.post(
        f"petitions/{overdue.pk}/escalate/", {"expected_version": 7, "reason": "Chậm"}
    )
    assert_error(stale, 409, "stale_version")
    waiting = office.post(f"petitions/{fresh.pk}/escalate/", {"expected_version": 1, "reason": "x"})
    assert_error(waiting, 409, "transition_not_allowed")


def test_escalating_is_a_persons_decision(system: Api, overdue: Petition) -> None:
    response = system.post(
        f"petitions/{overdue.pk}/escalate/", {"expected_version": 1, "reason": "Chậm"}
    )
    assert_error(response, 403, "person_required")
    assert Petition.objects.get(pk=overdue.pk).escalated_on is None


@pytest.mark.parametrize(
    ("persona", "status", "code"),
    [
        ("responder_a", 403, "permission_denied"),
        ("standing_member", 403, "permission_denied"),
        ("delegate_user", 403, "permission_denied"),
        ("responder_b", 404, "not_found"),
        ("commune_officer", 404, "not_found"),
        ("outsider", 404, "not_found"),
    ],
)
def test_only_the_office_escalates(
    as_user: Callable[[Any], Api],
    overdue: Petition,
    request: pytest.FixtureRequest,
    persona: str,
    status: int,
    code: str,
) -> None:
    response = as_user(request.getfixturevalue(persona)).post(
        f"petitions/{overdue.pk}/escalate/", {"expected_version": 1, "reason": "Chậm"}
    )
    assert_error(response, status, code)
    assert Petition.objects.get(pk=overdue.pk).escalated_on is None
