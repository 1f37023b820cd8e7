"""Answers over the API: registering an answer document, recording and revising the
answer (the office, the lead agency's responder, or an agency's system with the council's
token), publishing it (the office only), and publishing a whole session's answers."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hdnd.accounts.models import ApiScope, User
from hdnd.councils.models import Agency, Committee, Council
from hdnd.petitions.models import (
    Answer,
    AnswerDocument,
    Decision,
    Petition,
    PetitionStatus,
    ResultCategory,
    SessionCycle,
    Verdict,
)
from hdnd.petitions.services import answers as answer_services
from hdnd.petitions.services.evaluation import rate_answer
from hdnd.petitions.tests.api_support import Api, assert_error, token_api
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
def petition(cycle: SessionCycle, agency_a: Agency, committee: Committee) -> Petition:
    return pf.PetitionFactory(
        raised_in=cycle,
        status=PetitionStatus.ASSIGNED,
        lead_agency=agency_a,
        committee=committee,
        field=pf.field("giao-thong"),
        assigned_on=dt.date(2026, 10, 21),
        due_on=dt.date(2026, 11, 20),
    )


def answer_body(**extra: Any) -> dict[str, Any]:
    return {
        "expected_version": 1,
        "text": "Sở Xây dựng đã sửa chữa mặt đường, hoàn thành ngày 15/11/2026.",
        "result": "resolved",
        "answered_on": "2026-11-18",
        **extra,
    }


# Answer documents


def test_the_office_registers_an_answer_document_with_its_pdf(
    office: Api, city_council: Council, agency_a: Agency
) -> None:
    response = office.client.post(
        f"/api/v1/councils/{city_council.pk}/answer-documents/",
        {
            "agency": agency_a.pk,
            "number": "1234/SXD-HT",
            "issued_on": "2026-11-18",
            "signer_name": "Nguyễn Văn Giám Đốc",
            "file": SimpleUploadedFile("tra-loi.pdf", b"%PDF-1.7\n%%EOF\n"),
        },
        headers=office.headers,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["has_file"] is True
    assert body["signature_status"] != "not_checked"
    listed = office.get(f"councils/{city_council.pk}/answer-documents/").json()
    assert [row["number"] for row in listed["results"]] == ["1234/SXD-HT"]
    assert office.get(f"answer-documents/{body['id']}/").json()["number"] == "1234/SXD-HT"


def test_the_api_refuses_a_document_file_that_is_not_a_pdf(
    office: Api, city_council: Council, agency_a: Agency
) -> None:
    path = f"/api/v1/councils/{city_council.pk}/answer-documents/"
    data = {"agency": agency_a.pk, "issued_on": "2026-11-18", "signer_name": "A"}
    disguised = SimpleUploadedFile("tra-loi.pdf", b"PK\x03\x04 not a pdf")
    response = office.client.post(
        path, {**data, "number": "2/SXD", "file": disguised}, headers=office.headers
    )
    assert list(assert_error(response, 400)["fields"]) == ["file"]
    renamed = SimpleUploadedFile("tra-loi.docx", b"%PDF-1.7\n%%EOF\n")
    response = office.client.post(
        path, {**data, "number": "3/SXD", "file": renamed}, headers=office.headers
    )
    assert list(assert_error(response, 400)["fields"]) == ["file"]
    assert not AnswerDocument.objects.filter(council=city_council).exists()


def test_a_document_registered_twice_is_a_conflict(
    office: Api, city_council: Council, agency_a: Agency
) -> None:
    data = {
        "agency": agency_a.pk,
        "number": "1/SXD",
        "issued_on": "2026-11-18",
        "signer_name": "A",
    }
    path = f"/api/v1/councils/{city_council.pk}/answer-documents/"
    assert office.client.post(path, data, headers=office.headers).status_code == 201
    assert_error(office.client.post(path, data, headers=office.headers), 409, "conflict")
    bad = office.client.post(path, {**data, "issued_on": "soon"}, headers=office.headers)
    assert list(assert_error(bad, 400)["fields"]) == ["issued_on"]


def test_a_responder_registers_only_their_agencys_documents(
    as_user: Callable[[Any], Api],
    responder_a: User,
    city_council: Council,
    agency_a: Agency,
    agency_b: Agency,
) -> None:
    api = as_user(responder_a)
    path = f"/api/v1/councils/{city_council.pk}/answer-documents/"
    data = {"number": "9/SXD", "issued_on": "2026-11-18", "signer_name": "B"}
    refused = api.client.post(path, {**data, "agency": agency_b.pk}, headers=api.headers)
    assert list(assert_error(refused, 400)["fields"]) == ["agency"]
    mine = api.client.post(path, {**data, "agency": agency_a.pk}, headers=api.headers)
    assert mine.status_code == 201, mine.content


def test_documents_of_another_agency_are_hidden_from_a_responder(
    as_user: Callable[[Any], Api], responder_b: User, city_council: Council, agency_a: Agency
) -> None:
    document = AnswerDocument.objects.create(
        council=city_council,
        agency=agency_a,
        number="5/SXD",
        issued_on=dt.date(2026, 11, 1),
        signer_name="C",
    )
    api = as_user(responder_b)
    assert api.get(f"councils/{city_council.pk}/answer-documents/").json()["count"] == 0
    assert_error(api.get(f"answer-documents/{document.pk}/"), 404, "not_found")


# Recording, revising and publishing


def test_the_lead_agencys_responder_records_the_answer(
    as_user: Callable[[Any], Api], responder_a: User, petition: Petition
) -> None:
    response = as_user(responder_a).post(f"petitions/{petition.pk}/answers/", answer_body())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "answered"
    assert body["answered_on_time"] is True
    assert body["current_answer"]["result"] == "resolved"
    assert body["current_answer"]["published_at"] is None
    assert body["version"] == 2


def test_another_agency_cannot_answer(
    as_user: Callable[[Any], Api], responder_b: User, petition: Petition
) -> None:
    response = as_user(responder_b).post(f"petitions/{petition.pk}/answers/", answer_body())
    assert_error(response, 404, "not_found")
    assert not Answer.objects.exists()


def test_an_agencys_system_records_the_answer_with_the_councils_token(
    system: Api, petition: Petition
) -> None:
    response = system.post(f"petitions/{petition.pk}/answers/", answer_body())
    assert response.status_code == 201, response.content
    assert Answer.objects.get().prepared_by is None


def test_an_answer_in_progress_needs_a_roadmap(office: Api, petition: Petition) -> None:
    response = office.post(f"petitions/{petition.pk}/answers/", answer_body(result="in_progress"))
    error = assert_error(response, 400, "invalid")
    assert {"roadmap", "planned_completion"} <= set(error["fields"])


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"result": "done"}, "result"),
        ({"answered_on": "yesterday"}, "answered_on"),
        ({"document": 424242}, "document"),
        ({"text": ""}, "text"),
        ({"expected_version": None}, "expected_version"),
    ],
)
def test_a_bad_answer_is_a_400_naming_the_field(
    office: Api, petition: Petition, change: dict[str, Any], field: str
) -> None:
    response = office.post(f"petitions/{petition.pk}/answers/", answer_body(**change))
    error = assert_error(response, 400, "invalid")
    assert field in error["fields"]


def test_answering_a_petition_still_being_consolidated_is_refused(
    office: Api, cycle: SessionCycle
) -> None:
    petition = pf.PetitionFactory(raised_in=cycle)
    response = office.post(f"petitions/{petition.pk}/answers/", answer_body())
    assert_error(response, 409, "transition_not_allowed")


def test_the_answer_is_revised_then_published_and_then_fixed(
    office: Api, petition: Petition
) -> None:
    office.post(f"petitions/{petition.pk}/answers/", answer_body())
    revised = office.put(
        f"petitions/{petition.pk}/answers/current/",
        answer_body(expected_version=2, text="Đã sửa xong mặt đường và hệ thống thoát nước."),
    )
    assert revised.status_code == 200, revised.content
    assert revised.json()["current_answer"]["text"].startswith("Đã sửa xong")
    stale = office.post(f"petitions/{petition.pk}/publish-answer/", {"expected_version": 2})
    assert_error(stale, 409, "stale_version")
    published = office.post(f"petitions/{petition.pk}/publish-answer/", {"expected_version": 3})
    assert published.status_code == 200, published.content
    assert published.json()["current_answer"]["published_at"] is not None
    assert [event["kind"] for event in published.json()["public_events"]] == ["published"]
    too_late = office.put(
        f"petitions/{petition.pk}/answers/current/", answer_body(expected_version=4)
    )
    assert_error(too_late, 409)


def test_publishing_is_the_offices_decision(
    as_user: Callable[[Any], Api], responder_a: User, system: Api, petition: Petition
) -> None:
    as_user(responder_a).post(f"petitions/{petition.pk}/answers/", answer_body())
    refused = as_user(responder_a).post(
        f"petitions/{petition.pk}/publish-answer/", {"expected_version": 2}
    )
    assert_error(refused, 403, "permission_denied")
    by_token = system.post(f"petitions/{petition.pk}/publish-answer/", {"expected_version": 2})
    assert_error(by_token, 403, "person_required")


def test_the_office_publishes_a_sessions_evaluated_answers(
    office: Api, petition: Petition, city_staff: User, standing_member: User
) -> None:
    answer_services.record_answer(
        petition_id=petition.pk,
        expected_version=1,
        text="Đã giải quyết.",
        result=ResultCategory.RESOLVED,
        roadmap="",
        planned_completion=None,
        answered_on=dt.date(2026, 11, 18),
        actor=city_staff,
    )
    rate_answer(
        petition_id=petition.pk,
        expected_version=2,
        verdict=Verdict.SATISFACTORY,
        decision=Decision.CLOSE,
        comment="",
        actor=standing_member,
    )
    path = f"councils/{petition.council_id}/cycles/{petition.current_cycle_id}/publish-answers/"
    response = office.post(path)
    assert response.status_code == 200, response.content
    assert response.json() == {"published": 1}
    assert office.post(path).json() == {"published": 0}
    assert_error(office.post(f"councils/{petition.council_id}/cycles/999999/publish-answers/"), 404)
