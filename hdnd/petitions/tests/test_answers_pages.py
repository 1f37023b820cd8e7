"""The answer pages and panel: who may record, revise and publish an answer, and what the
petition page shows."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from hdnd.accounts.models import User
from hdnd.councils.models import Agency, Committee
from hdnd.petitions.models import (
    Answer,
    AnswerDocument,
    Petition,
    PetitionStatus,
    ResultCategory,
    SessionCycle,
    SignatureStatus,
)
from hdnd.petitions.services.answers import record_answer
from hdnd.petitions.services.evaluation import rate_answer
from hdnd.testing import petition_factories as pf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today_in_english(time_machine: Any, settings: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 9, 15, 3, 0, tzinfo=dt.UTC), tick=False)
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def petition(cycle: SessionCycle, agency_a: Agency, committee: Committee) -> Petition:
    return pf.PetitionFactory(
        raised_in=cycle,
        status=PetitionStatus.ASSIGNED,
        lead_agency=agency_a,
        committee=committee,
        field=pf.field("giao-thong"),
        due_on=dt.date(2026, 9, 30),
    )


def answer_form(petition: Petition, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "version": Petition.objects.get(pk=petition.pk).version,
        "text": "Sở đã sửa chữa xong đoạn đường ngõ 12.",
        "result": ResultCategory.RESOLVED,
        "roadmap": "",
        "planned_completion": "",
        "answered_on": "2026-09-14",
        "document": "",
    }
    data.update(overrides)
    return data


def test_the_lead_agencys_responder_records_the_answer(
    client: Client, login: Callable[[Client, User], Client], responder_a: User, petition: Petition
) -> None:
    login(client, responder_a)
    url = reverse("petitions:answer_record", args=[petition.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, answer_form(petition))
    assert response.status_code == 302
    assert response["Location"] == reverse("petitions:detail", args=[petition.pk])
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.ANSWERED
    assert Answer.objects.get(petition=petition).on_time is True


def test_an_answer_being_resolved_without_roadmap_is_a_form_error(
    client: Client, login: Callable[[Client, User], Client], responder_a: User, petition: Petition
) -> None:
    login(client, responder_a)
    response = client.post(
        reverse("petitions:answer_record", args=[petition.pk]),
        answer_form(petition, result=ResultCategory.IN_PROGRESS),
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "must state the roadmap and resources" in body
    assert "must state when it will be completed" in body
    # What was typed is still there.
    assert "Sở đã sửa chữa xong đoạn đường ngõ 12." in body
    assert not Answer.objects.exists()


def test_a_stale_form_is_refused_without_overwriting(
    client: Client, login: Callable[[Client, User], Client], responder_a: User, petition: Petition
) -> None:
    login(client, responder_a)
    stale = answer_form(petition)
    Petition.objects.filter(pk=petition.pk).update(version=petition.version + 1)
    response = client.post(reverse("petitions:answer_record", args=[petition.pk]), stale)
    assert response.status_code == 409
    assert "Someone else changed this record" in response.content.decode()
    assert not Answer.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("responder_b", 404), ("outsider", 404), ("delegate_user", 403), ("committee_member", 403)],
)
def test_only_the_lead_agency_and_the_office_may_answer(
    client: Client,
    login: Callable[[Client, User], Client],
    request: pytest.FixtureRequest,
    petition: Petition,
    persona: str,
    status: int,
) -> None:
    login(client, request.getfixturevalue(persona))
    url = reverse("petitions:answer_record", args=[petition.pk])
    assert client.get(url).status_code == status
    assert client.post(url, answer_form(petition)).status_code == status
    assert not Answer.objects.exists()


def test_the_office_may_answer_for_the_agency(
    client: Client, login: Callable[[Client, User], Client], city_staff: User, petition: Petition
) -> None:
    login(client, city_staff)
    response = client.post(
        reverse("petitions:answer_record", args=[petition.pk]), answer_form(petition)
    )
    assert response.status_code == 302
    assert Answer.objects.get(petition=petition).prepared_by == city_staff


def _answered(petition: Petition, actor: User, **extra: Any) -> Answer:
    return record_answer(
        petition_id=petition.pk,
        expected_version=petition.version,
        text="Sở đã sửa chữa xong đoạn đường ngõ 12.",
        result=ResultCategory.RESOLVED,
        roadmap="",
        planned_completion=None,
        answered_on=dt.date(2026, 9, 14),
        actor=actor,
        **extra,
    )


def test_only_the_office_publishes(
    client: Client,
    login: Callable[[Client, User], Client],
    responder_a: User,
    city_staff: User,
    petition: Petition,
) -> None:
    _answered(petition, responder_a)
    url = reverse("petitions:answer_publish", args=[petition.pk])
    version = Petition.objects.get(pk=petition.pk).version
    login(client, responder_a)
    assert client.post(url, {"version": version}).status_code == 403
    assert Answer.objects.get().published_at is None
    login(client, city_staff)
    assert client.post(url, {"version": version}).status_code == 302
    assert Answer.objects.get().published_at is not None
    # Publishing again is refused with a message, not an error page.
    again = client.post(url, {"version": version + 1}, follow=True)
    assert again.status_code == 200
    assert "already published" in again.content.decode()


def test_the_petition_page_shows_the_answer_its_document_and_the_actions(
    client: Client,
    login: Callable[[Client, User], Client],
    responder_a: User,
    city_staff: User,
    petition: Petition,
    agency_a: Agency,
) -> None:
    document = AnswerDocument.objects.create(
        council=petition.council,
        agency=agency_a,
        number="1234/UBND-ĐT",
        issued_on=dt.date(2026, 9, 14),
        signer_name="Nguyễn Văn Ký",
        signature_status=SignatureStatus.VALID,
    )
    _answered(petition, responder_a, document_id=document.pk)
    url = reverse("petitions:detail", args=[petition.pk])

    login(client, city_staff)
    body = client.get(url).content.decode()
    assert "Sở đã sửa chữa xong đoạn đường ngõ 12." in body
    assert "1234/UBND-ĐT" in body
    assert 'data-signature="valid"' in body
    assert "Not published" in body
    assert reverse("petitions:answer_publish", args=[petition.pk]) in body

    login(client, responder_a)
    body = client.get(url).content.decode()
    assert reverse("petitions:answer_revise", args=[petition.pk]) in body
    assert reverse("petitions:answer_publish", args=[petition.pk]) not in body


def test_the_answer_is_revised_through_its_form(
    client: Client, login: Callable[[Client, User], Client], responder_a: User, petition: Petition
) -> None:
    _answered(petition, responder_a)
    login(client, responder_a)
    url = reverse("petitions:answer_revise", args=[petition.pk])
    page = client.get(url)
    assert "Sở đã sửa chữa xong đoạn đường ngõ 12." in page.content.decode()
    response = client.post(url, answer_form(petition, text="Bản trả lời đã chỉnh sửa."))
    assert response.status_code == 302
    assert Answer.objects.get().text == "Bản trả lời đã chỉnh sửa."


def test_the_office_publishes_a_sessions_evaluated_answers(
    client: Client,
    login: Callable[[Client, User], Client],
    city_staff: User,
    committee_member: User,
    responder_a: User,
    petition: Petition,
    cycle: SessionCycle,
) -> None:
    _answered(petition, responder_a)
    rate_answer(
        petition_id=petition.pk,
        expected_version=Petition.objects.get(pk=petition.pk).version,
        verdict="satisfactory",
        decision="close",
        comment="",
        actor=committee_member,
    )
    url = reverse("petitions:publish_answers", args=[cycle.council_id])
    login(client, committee_member)
    assert client.get(url).status_code == 403
    login(client, city_staff)
    page = client.get(url)
    assert page.status_code == 200
    assert 'data-cycle-count="1"' in page.content.decode()
    response = client.post(url, {"cycle": cycle.pk}, follow=True)
    assert "1 answer of Kỳ họp thứ ba published." in response.content.decode()
    assert Answer.objects.get().published_at is not None
