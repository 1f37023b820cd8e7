"""Consolidation over the API: items become petitions, join one, split off, petitions
merge and are edited, duplicate suggestions are made, confirmed or rejected. Each with a
refusal; consolidating is the office's decision, so tokens are refused (they may only ask
for suggestions)."""

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from hdnd.accounts.models import ApiScope, User
from hdnd.councils.models import Council
from hdnd.petitions.models import (
    DuplicateSuggestion,
    Petition,
    PetitionStatus,
    SessionCycle,
    SuggestionStatus,
    TriageStatus,
    VoterItem,
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
def free_items(city_council: Council, cycle: SessionCycle) -> list[VoterItem]:
    return [
        pf.VoterItemFactory(council=city_council, cycle=cycle, voter_count=count)
        for count in (3, 5)
    ]


# Codes apart from those the services give (01-2026-0001…), whatever order tests run in.
_codes = itertools.count(1)


def a_petition(cycle: SessionCycle, **extra: Any) -> Petition:
    return pf.PetitionFactory(raised_in=cycle, code=f"TEST-{next(_codes):04d}", **extra)


def with_items(cycle: SessionCycle, count: int, **extra: Any) -> Petition:
    petition = a_petition(cycle, **extra)
    for _ in range(count):
        pf.VoterItemFactory(council=cycle.council, cycle=cycle, petition=petition)
    Petition.objects.filter(pk=petition.pk).update(item_count=count, voter_count=count)
    return Petition.objects.get(pk=petition.pk)


# Consolidating


def test_the_office_consolidates_items_into_a_petition(
    office: Api, city_council: Council, free_items: list[VoterItem]
) -> None:
    response = office.post(
        f"councils/{city_council.pk}/petitions/consolidate/",
        {
            "items": [item.pk for item in free_items],
            "title": "Chiếu sáng ngõ phố",
            "text": "Cử tri đề nghị lắp đèn chiếu sáng các ngõ.",
            "field": "giao-thong",
            "level": "city",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "consolidating"
    assert (body["item_count"], body["voter_count"]) == (2, 8)
    assert {item["id"] for item in body["items"]} == {item.pk for item in free_items}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"items": []}, "items"),
        ({"items": [424242]}, "items"),
        ({"items": "all"}, "items"),
        ({"title": ""}, "title"),
        ({"level": "galactic"}, "level"),
        ({"field": "khong-co"}, "field"),
    ],
)
def test_a_bad_consolidation_is_a_400_naming_the_field(
    office: Api,
    city_council: Council,
    free_items: list[VoterItem],
    change: dict[str, Any],
    field: str,
) -> None:
    body = {"items": [free_items[0].pk], "title": "T", "text": "Nội dung", **change}
    response = office.post(f"councils/{city_council.pk}/petitions/consolidate/", body)
    error = assert_error(response, 400, "invalid")
    assert field in error["fields"]
    assert not Petition.objects.exists()


def test_an_item_already_in_a_petition_or_waiting_for_triage_is_refused(
    office: Api, city_council: Council, cycle: SessionCycle, free_items: list[VoterItem]
) -> None:
    taken = with_items(cycle, 1).items.get()
    waiting = pf.VoterItemFactory(council=city_council, cycle=cycle, triage_status=TriageStatus.NEW)
    path = f"councils/{city_council.pk}/petitions/consolidate/"
    for item in (taken, waiting):
        body = {"items": [free_items[0].pk, item.pk], "title": "T", "text": "Nội dung"}
        assert_error(office.post(path, body), 409, "transition_not_allowed")
    assert VoterItem.objects.get(pk=free_items[0].pk).petition is None


def test_consolidating_is_a_persons_decision(
    system: Api, city_council: Council, free_items: list[VoterItem]
) -> None:
    body = {"items": [free_items[0].pk], "title": "T", "text": "Nội dung"}
    response = system.post(f"councils/{city_council.pk}/petitions/consolidate/", body)
    assert_error(response, 403, "person_required")


def test_a_delegate_does_not_consolidate(
    as_user: Callable[[Any], Api],
    delegate_user: User,
    city_council: Council,
    free_items: list[VoterItem],
) -> None:
    body = {"items": [free_items[0].pk], "title": "T", "text": "Nội dung"}
    response = as_user(delegate_user).post(
        f"councils/{city_council.pk}/petitions/consolidate/", body
    )
    assert_error(response, 403, "permission_denied")


def test_each_item_becomes_its_own_petition(
    office: Api, city_council: Council, free_items: list[VoterItem]
) -> None:
    response = office.post(
        f"councils/{city_council.pk}/petitions/consolidate-each/",
        {"items": [item.pk for item in free_items]},
    )
    assert response.status_code == 201, response.content
    assert len(response.json()) == 2
    assert Petition.objects.count() == 2


# Adding, splitting, merging, editing


def test_an_item_joins_a_petition_and_a_stale_request_is_refused(
    office: Api, cycle: SessionCycle, free_items: list[VoterItem]
) -> None:
    petition = with_items(cycle, 1)
    path = f"petitions/{petition.pk}/items/"
    response = office.post(path, {"expected_version": 1, "item": free_items[0].pk})
    assert response.status_code == 200, response.content
    assert response.json()["item_count"] == 2
    stale = office.post(path, {"expected_version": 1, "item": free_items[1].pk})
    assert_error(stale, 409, "stale_version")


def test_items_cannot_join_a_resolved_petition(
    office: Api, cycle: SessionCycle, free_items: list[VoterItem]
) -> None:
    petition = with_items(cycle, 1, status=PetitionStatus.RESOLVED)
    response = office.post(
        f"petitions/{petition.pk}/items/", {"expected_version": 1, "item": free_items[0].pk}
    )
    assert_error(response, 409, "transition_not_allowed")


def test_items_are_split_off_into_a_new_petition(office: Api, cycle: SessionCycle) -> None:
    petition = with_items(cycle, 3)
    leaving = list(petition.items.values_list("id", flat=True))[:1]
    path = f"petitions/{petition.pk}/split/"
    body = {"expected_version": 1, "items": leaving, "title": "Tách riêng", "text": "Nội dung"}
    response = office.post(path, body)
    assert response.status_code == 201, response.content
    assert response.json()["id"] != petition.pk
    assert [item["id"] for item in response.json()["items"]] == leaving
    assert Petition.objects.get(pk=petition.pk).item_count == 2
    everything = list(petition.items.values_list("id", flat=True))
    refused = office.post(path, {**body, "expected_version": 2, "items": everything})
    assert_error(refused, 400, "invalid")


def test_petitions_are_merged_with_every_version_checked(office: Api, cycle: SessionCycle) -> None:
    target, source = with_items(cycle, 2), with_items(cycle, 1)
    path = f"petitions/{target.pk}/merge/"
    stale = office.post(
        path, {"expected_version": 1, "sources": [{"id": source.pk, "expected_version": 7}]}
    )
    assert_error(stale, 409, "stale_version")
    response = office.post(
        path, {"expected_version": 1, "sources": [{"id": source.pk, "expected_version": 1}]}
    )
    assert response.status_code == 200, response.content
    assert response.json()["item_count"] == 3
    merged = Petition.objects.get(pk=source.pk)
    assert (merged.status, merged.merged_into_id) == (PetitionStatus.MERGED, target.pk)


def test_a_petition_of_another_council_cannot_be_merged_in(
    office: Api, cycle: SessionCycle, commune_a: Council
) -> None:
    target = with_items(cycle, 1)
    foreign = pf.PetitionFactory(
        raised_in=pf.SessionCycleFactory(term=factories.TermFactory(council=commune_a))
    )
    response = office.post(
        f"petitions/{target.pk}/merge/",
        {"expected_version": 1, "sources": [{"id": foreign.pk, "expected_version": 1}]},
    )
    error = assert_error(response, 400, "invalid")
    assert list(error["fields"]) == ["sources"]


def test_the_office_edits_the_consolidated_text(office: Api, cycle: SessionCycle) -> None:
    petition = with_items(cycle, 1)
    response = office.patch(
        f"petitions/{petition.pk}/",
        {"expected_version": 1, "title": "Tiêu đề mới", "tags": ["chiếu sáng", "an toàn"]},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["title"] == "Tiêu đề mới"
    assert sorted(body["tags"]) == ["an toàn", "chiếu sáng"]
    assert body["text"] == petition.text
    assert body["version"] == 2
    assert_error(office.patch(f"petitions/{petition.pk}/", {"expected_version": 1}), 409)


def test_a_resolved_petition_is_not_edited(office: Api, cycle: SessionCycle) -> None:
    petition = with_items(cycle, 1, status=PetitionStatus.RESOLVED)
    response = office.patch(f"petitions/{petition.pk}/", {"expected_version": 1, "title": "X"})
    assert_error(response, 409, "transition_not_allowed")


def test_an_agency_responder_edits_nothing(
    as_user: Callable[[Any], Api], responder_a: User, cycle: SessionCycle, agency_a: Any
) -> None:
    petition = with_items(cycle, 1, lead_agency=agency_a, status=PetitionStatus.ASSIGNED)
    response = as_user(responder_a).patch(
        f"petitions/{petition.pk}/", {"expected_version": 1, "title": "X"}
    )
    assert_error(response, 403, "permission_denied")


# Duplicate suggestions


def test_the_system_asks_for_suggestions_and_a_person_confirms_one(
    system: Api, office: Api, city_council: Council, cycle: SessionCycle
) -> None:
    repeated = pf.PetitionFactory(
        raised_in=cycle,
        title="Cải tạo nút giao Kim Mã – Nguyễn Thái Học",
        text="Cử tri đề nghị cải tạo nút giao Kim Mã – Nguyễn Thái Học thường xuyên ùn tắc.",
    )
    item = pf.VoterItemFactory(
        council=city_council,
        cycle=cycle,
        text="Nút giao Kim Mã Nguyễn Thái Học ùn tắc giờ cao điểm, đề nghị cải tạo",
    )
    response = system.post(f"items/{item.pk}/suggest-duplicates/")
    assert response.status_code == 200, response.content
    [suggestion] = response.json()
    assert suggestion["candidate"]["id"] == repeated.pk
    confirmed = office.post(
        f"petitions/{repeated.pk}/items/",
        {"expected_version": 1, "item": item.pk, "suggestion": suggestion["id"]},
    )
    assert confirmed.status_code == 200, confirmed.content
    assert DuplicateSuggestion.objects.get().status == SuggestionStatus.CONFIRMED


@pytest.fixture
def suggestion(city_council: Council, cycle: SessionCycle) -> DuplicateSuggestion:
    return DuplicateSuggestion.objects.create(
        council=city_council,
        item=pf.VoterItemFactory(council=city_council, cycle=cycle),
        candidate=a_petition(cycle),
        score=0.7,
        method="trigram",
        suggested_at=timezone.now(),
    )


def test_a_person_rejects_a_suggestion_once(office: Api, suggestion: DuplicateSuggestion) -> None:
    path = f"duplicate-suggestions/{suggestion.pk}/reject/"
    response = office.post(path)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "rejected"
    assert_error(office.post(path), 409, "transition_not_allowed")


def test_rejecting_is_neither_a_tokens_nor_an_outsiders_decision(
    system: Api,
    as_user: Callable[[Any], Api],
    outsider: User,
    delegate_user: User,
    suggestion: DuplicateSuggestion,
) -> None:
    path = f"duplicate-suggestions/{suggestion.pk}/reject/"
    assert_error(system.post(path), 403, "person_required")
    assert_error(as_user(outsider).post(path), 404, "not_found")
    assert_error(as_user(delegate_user).post(path), 403, "permission_denied")
    assert_error(as_user(outsider).post("duplicate-suggestions/abc/reject/"), 404)
    assert DuplicateSuggestion.objects.get().status == SuggestionStatus.PENDING
