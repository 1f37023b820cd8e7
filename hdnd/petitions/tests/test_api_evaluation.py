"""Evaluation and supervision over the API: the committee in charge rates the answer, the
standing committee flags a questioning topic (and it or the committee in charge takes it
off), the office carries petitions over. These are people's decisions: tokens are
refused."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from hdnd.accounts.models import ApiScope, User
from hdnd.councils.models import Agency, Committee, Council
from hdnd.petitions.models import (
    Petition,
    PetitionStatus,
    Rating,
    ResultCategory,
    SessionCycle,
)
from hdnd.petitions.services import answers as answer_services
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
def answered(
    cycle: SessionCycle,
    agency_a: Agency,
    committee: Committee,
    city_staff: User,
    deadline_rules: Any,
) -> Petition:
    """Agency A's transport petition, answered (work in progress), waiting for evaluation."""
    petition = pf.PetitionFactory(
        raised_in=cycle,
        status=PetitionStatus.ASSIGNED,
        lead_agency=agency_a,
        committee=committee,
        field=pf.field("giao-thong"),
        assigned_on=dt.date(2026, 10, 21),
        due_on=dt.date(2026, 11, 20),
    )
    answer_services.record_answer(
        petition_id=petition.pk,
        expected_version=1,
        text="Đang lập dự án cải tạo.",
        result=ResultCategory.IN_PROGRESS,
        roadmap="Lập dự án quý I, thi công quý III/2027.",
        planned_completion=dt.date(2027, 9, 30),
        answered_on=dt.date(2026, 11, 18),
        actor=city_staff,
    )
    return Petition.objects.get(pk=petition.pk)


def test_the_committee_in_charge_keeps_monitoring_a_roadmap(
    as_user: Callable[[Any], Api], committee_member: User, answered: Petition
) -> None:
    response = as_user(committee_member).post(
        f"petitions/{answered.pk}/rating/",
        {"expected_version": 2, "verdict": "satisfactory", "decision": "monitor"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "monitoring"
    assert body["verdict"] == "satisfactory"
    assert [rating["decision"] for rating in body["ratings"]] == ["monitor"]


def test_an_unsatisfactory_answer_is_reopened_with_a_new_deadline(
    as_user: Callable[[Any], Api], standing_member: User, answered: Petition
) -> None:
    api = as_user(standing_member)
    body = {"expected_version": 2, "verdict": "unsatisfactory", "decision": "resupervise"}
    error = assert_error(api.post(f"petitions/{answered.pk}/rating/", body), 400, "invalid")
    assert list(error["fields"]) == ["comment"]
    response = api.post(
        f"petitions/{answered.pk}/rating/", {**body, "comment": "Chưa nêu kinh phí."}
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "reopened"
    assert response.json()["due_on"] is not None


def test_a_satisfactory_in_progress_answer_cannot_be_closed(
    as_user: Callable[[Any], Api], committee_member: User, answered: Petition
) -> None:
    response = as_user(committee_member).post(
        f"petitions/{answered.pk}/rating/",
        {"expected_version": 2, "verdict": "satisfactory", "decision": "close"},
    )
    error = assert_error(response, 400, "invalid")
    assert list(error["fields"]) == ["decision"]
    assert not Rating.objects.exists()


def test_rating_twice_is_refused(
    as_user: Callable[[Any], Api], committee_member: User, answered: Petition
) -> None:
    api = as_user(committee_member)
    body = {"verdict": "satisfactory", "decision": "monitor"}
    first = api.post(f"petitions/{answered.pk}/rating/", {**body, "expected_version": 2})
    assert first.status_code == 201
    again = api.post(f"petitions/{answered.pk}/rating/", {**body, "expected_version": 3})
    assert_error(again, 409, "transition_not_allowed")


def test_a_stale_rating_is_refused(
    as_user: Callable[[Any], Api], committee_member: User, answered: Petition
) -> None:
    response = as_user(committee_member).post(
        f"petitions/{answered.pk}/rating/",
        {"expected_version": 1, "verdict": "satisfactory", "decision": "monitor"},
    )
    assert_error(response, 409, "stale_version")


@pytest.mark.parametrize("persona", ["responder_a", "delegate_user", "city_staff"])
def test_only_the_committee_in_charge_or_the_standing_committee_rates(
    as_user: Callable[[Any], Api],
    answered: Petition,
    request: pytest.FixtureRequest,
    persona: str,
) -> None:
    response = as_user(request.getfixturevalue(persona)).post(
        f"petitions/{answered.pk}/rating/",
        {"expected_version": 2, "verdict": "satisfactory", "decision": "monitor"},
    )
    assert_error(response, 403, "permission_denied")


def test_a_token_never_rates(answered: Petition, city_council: Council, city_staff: User) -> None:
    scopes = [ApiScope.PETITIONS_READ, ApiScope.PETITIONS_WRITE]
    api = token_api(Client(), city_council, city_staff, scopes)
    response = api.post(
        f"petitions/{answered.pk}/rating/",
        {"expected_version": 2, "verdict": "satisfactory", "decision": "monitor"},
    )
    error = assert_error(response, 403, "person_required")
    assert "person" in error["message"]


def test_an_outsider_never_learns_the_petition_exists(
    as_user: Callable[[Any], Api], outsider: User, answered: Petition
) -> None:
    response = as_user(outsider).post(
        f"petitions/{answered.pk}/rating/",
        {"expected_version": 2, "verdict": "satisfactory", "decision": "monitor"},
    )
    assert_error(response, 404, "not_found")


def test_the_standing_committee_flags_a_questioning_topic_once(
    as_user: Callable[[Any], Api], standing_member: User, answered: Petition
) -> None:
    api = as_user(standing_member)
    path = f"petitions/{answered.pk}/questioning/"
    response = api.post(path, {"expected_version": 2, "note": "Chất vấn Giám đốc Sở"})
    assert response.status_code == 200, response.content
    assert response.json()["is_questioning_topic"] is True
    assert_error(api.post(path, {"expected_version": 3}), 400, "invalid")


def test_a_petition_being_consolidated_is_not_a_questioning_topic(
    as_user: Callable[[Any], Api], standing_member: User, cycle: SessionCycle
) -> None:
    petition = pf.PetitionFactory(raised_in=cycle)
    response = as_user(standing_member).post(
        f"petitions/{petition.pk}/questioning/", {"expected_version": 1}
    )
    assert_error(response, 409, "transition_not_allowed")


def test_the_office_carries_open_petitions_over(
    as_user: Callable[[Any], Api],
    city_staff: User,
    answered: Petition,
    cycle: SessionCycle,
    next_cycle: SessionCycle,
) -> None:
    api = as_user(city_staff)
    path = f"councils/{cycle.council_id}/carry-over/"
    backwards = api.post(path, {"from_cycle": next_cycle.pk, "to_cycle": cycle.pk})
    assert list(assert_error(backwards, 400)["fields"]) == ["to_cycle"]
    response = api.post(path, {"from_cycle": cycle.pk, "to_cycle": next_cycle.pk})
    assert response.status_code == 200, response.content
    assert response.json() == {"moved": 1}
    assert Petition.objects.get(pk=answered.pk).current_cycle == next_cycle
    foreign = pf.SessionCycleFactory(
        term=factories.TermFactory(council=factories.CommuneCouncilFactory())
    )
    error = assert_error(api.post(path, {"from_cycle": cycle.pk, "to_cycle": foreign.pk}), 400)
    assert list(error["fields"]) == ["to_cycle"]


def test_carrying_over_is_the_offices_decision(
    as_user: Callable[[Any], Api],
    standing_member: User,
    cycle: SessionCycle,
    next_cycle: SessionCycle,
) -> None:
    response = as_user(standing_member).post(
        f"councils/{cycle.council_id}/carry-over/",
        {"from_cycle": cycle.pk, "to_cycle": next_cycle.pk},
    )
    assert_error(response, 403, "permission_denied")


# Taking a questioning topic off the list


@pytest.fixture
def topic(as_user: Callable[[Any], Api], standing_member: User, answered: Petition) -> Petition:
    response = as_user(standing_member).post(
        f"petitions/{answered.pk}/questioning/", {"expected_version": 2, "note": "Kéo dài"}
    )
    assert response.status_code == 200, response.content
    return Petition.objects.get(pk=answered.pk)


def test_the_committee_in_charge_takes_a_topic_off_once(
    as_user: Callable[[Any], Api], committee_member: User, topic: Petition
) -> None:
    api = as_user(committee_member)
    path = f"petitions/{topic.pk}/questioning/withdraw/"
    response = api.post(path, {"expected_version": 3, "reason": "Đã trả lời bổ sung."})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["is_questioning_topic"] is False
    assert body["version"] == 4
    again = api.post(path, {"expected_version": 4, "reason": "Lần nữa"})
    assert "not a questioning topic" in assert_error(again, 400, "invalid")["message"]


def test_taking_a_topic_off_needs_a_reason_and_the_current_version(
    as_user: Callable[[Any], Api], standing_member: User, topic: Petition
) -> None:
    api = as_user(standing_member)
    path = f"petitions/{topic.pk}/questioning/withdraw/"
    missing = assert_error(api.post(path, {"expected_version": 3}), 400, "invalid")
    assert list(missing["fields"]) == ["reason"]
    blank = assert_error(api.post(path, {"expected_version": 3, "reason": " "}), 400, "invalid")
    assert list(blank["fields"]) == ["reason"]
    assert_error(api.post(path, {"expected_version": 2, "reason": "Cũ"}), 409, "stale_version")
    assert Petition.objects.get(pk=topic.pk).is_questioning_topic is True


def test_a_token_never_takes_a_topic_off(
    topic: Petition, city_council: Council, city_staff: User
) -> None:
    scopes = [ApiScope.PETITIONS_READ, ApiScope.PETITIONS_WRITE]
    api = token_api(Client(), city_council, city_staff, scopes)
    response = api.post(
        f"petitions/{topic.pk}/questioning/withdraw/", {"expected_version": 3, "reason": "x"}
    )
    assert_error(response, 403, "person_required")


@pytest.mark.parametrize(
    ("persona", "status", "code"),
    [
        ("city_staff", 403, "permission_denied"),
        ("responder_a", 403, "permission_denied"),
        ("delegate_user", 403, "permission_denied"),
        ("responder_b", 404, "not_found"),
        ("commune_officer", 404, "not_found"),
        ("outsider", 404, "not_found"),
    ],
)
def test_only_the_committee_in_charge_or_the_standing_committee_take_a_topic_off(
    as_user: Callable[[Any], Api],
    topic: Petition,
    request: pytest.FixtureRequest,
    persona: str,
    status: int,
    code: str,
) -> None:
    response = as_user(request.getfixturevalue(persona)).post(
        f"petitions/{topic.pk}/questioning/withdraw/", {"expected_version": 3, "reason": "x"}
    )
    assert_error(response, status, code)
    assert Petition.objects.get(pk=topic.pk).is_questioning_topic is True
