"""Pages of written consultations: preparing, opening, a delegate's answer form, who has
not answered, closing, results and the export."""

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation
from openpyxl import load_workbook

from hdnd.accounts.models import User
from hdnd.councils.models import Council, Membership
from hdnd.meetings.models import (
    Consultation,
    ConsultationChoice,
    ConsultationResponse,
    ConsultationStatus,
)
from hdnd.meetings.services import consultations as services


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def opened(city_council: Council, members: list[Membership], city_staff: User) -> Consultation:
    draft = services.create_consultation(
        council_id=city_council.pk,
        title="Lấy ý kiến về chủ trương đầu tư",
        question="Đồng ý chủ trương đầu tư cầu Tứ Liên?",
        deadline=timezone.now() + dt.timedelta(days=3),
        actor=city_staff,
    )
    return services.open_consultation(
        consultation_id=draft.pk, expected_version=draft.version, actor=city_staff
    )


def test_the_office_prepares_and_opens_one(
    city_council: Council, members: list[Membership], city_staff: User, client: Client, login: Any
) -> None:
    login(client, city_staff)
    deadline = (timezone.localtime() + dt.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        f"/meetings/council/{city_council.pk}/consultations/new/",
        {
            "title": "Lấy ý kiến về giá đất",
            "question": "Đồng ý bảng giá đất?",
            "deadline": deadline,
        },
    )
    consultation = Consultation.objects.get()
    assert response.status_code == 302
    assert consultation.status == ConsultationStatus.DRAFT
    response = client.post(
        f"/meetings/consultations/{consultation.pk}/open/", {"version": consultation.version}
    )
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.OPEN
    assert consultation.total_members == len(members)
    listing = client.get(f"/meetings/council/{city_council.pk}/consultations/").content.decode()
    assert "Lấy ý kiến về giá đất" in listing


def test_a_delegate_cannot_prepare_one(
    city_council: Council, members: list[Membership], delegate: User, client: Client, login: Any
) -> None:
    login(client, delegate)
    response = client.get(f"/meetings/council/{city_council.pk}/consultations/new/")
    assert response.status_code == 403


def test_a_delegate_answers_on_a_clear_form_and_may_change(
    opened: Consultation, delegate: User, client: Client, login: Any
) -> None:
    login(client, delegate)
    page = client.get(f"/meetings/consultations/{opened.pk}/").content.decode()
    assert 'type="radio"' in page
    assert "Đồng ý chủ trương đầu tư cầu Tứ Liên?" in page
    response = client.post(
        f"/meetings/consultations/{opened.pk}/answer/", {"choice": "other", "comment": ""}
    )
    assert response.status_code == 400
    assert "field-invalid" in response.content.decode()
    assert not ConsultationResponse.objects.exists()
    client.post(f"/meetings/consultations/{opened.pk}/answer/", {"choice": "agree"})
    client.post(f"/meetings/consultations/{opened.pk}/answer/", {"choice": "disagree"})
    assert list(ConsultationResponse.objects.values_list("choice", flat=True)) == ["disagree"]
    # The results are not the delegate's before the close.
    assert client.get(f"/meetings/consultations/{opened.pk}/results/").status_code == 404


def test_the_office_sees_who_has_not_answered_then_closes(
    opened: Consultation,
    delegate: User,
    members: list[Membership],
    city_staff: User,
    client: Client,
    login: Any,
) -> None:
    services.answer_consultation(consultation_id=opened.pk, user=delegate, choice="agree")
    login(client, city_staff)
    page = client.get(f"/meetings/consultations/{opened.pk}/").content.decode()
    assert members[0].person.full_name in page
    not_answered = page[page.index('class="plain-list not-answered"') :]
    assert delegate.get_full_name() not in not_answered.split("</ul>")[0]
    opened.refresh_from_db()
    # Nine members have not answered and the deadline is days away: the office must confirm.
    assert 'name="confirm" required' in page
    client.post(f"/meetings/consultations/{opened.pk}/close/", {"version": opened.version})
    opened.refresh_from_db()
    assert opened.status == ConsultationStatus.OPEN
    client.post(
        f"/meetings/consultations/{opened.pk}/close/", {"version": opened.version, "confirm": "on"}
    )
    opened.refresh_from_db()
    assert opened.status == ConsultationStatus.CLOSED
    login(client, delegate)
    closed_page = client.get(f"/meetings/consultations/{opened.pk}/").content.decode()
    assert "Văn phòng HĐND đã kết thúc lấy ý kiến lúc" in closed_page
    login(client, city_staff)
    results = client.get(f"/meetings/consultations/{opened.pk}/results/").content.decode()
    assert "10,00%" in results  # one of the ten members asked, in Vietnamese notation
    export = client.get(f"/meetings/consultations/{opened.pk}/results.xlsx")
    assert export.status_code == 200
    workbook = load_workbook(io.BytesIO(export.content))
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    counts = {row[0]: row[1] for row in rows if row and row[0]}
    with translation.override("vi"):
        assert counts[str(ConsultationChoice.AGREE.label)] == 1
    answers = list(workbook.worksheets[1].iter_rows(values_only=True))
    assert delegate.get_full_name() in [row[0] for row in answers]


def test_the_outsider_sees_nothing(
    opened: Consultation, outsider: User, client: Client, login: Any
) -> None:
    login(client, outsider)
    assert client.get(f"/meetings/consultations/{opened.pk}/").status_code == 404
    assert (
        client.post(f"/meetings/consultations/{opened.pk}/answer/", {"choice": "agree"}).status_code
        == 404
    )
    assert client.get(f"/meetings/consultations/{opened.pk}/results.xlsx").status_code == 404
    assert not ConsultationResponse.objects.exists()


def test_a_delegate_finds_an_open_consultation_on_the_meetings_page(
    opened: Consultation, delegate: User, client: Client, login: Any
) -> None:
    login(client, delegate)
    page = client.get("/meetings/").content.decode()
    assert "Lấy ý kiến về chủ trương đầu tư" in page
    assert f'href="/meetings/consultations/{opened.pk}/"' in page
    assert f'href="/meetings/council/{opened.council_id}/consultations/"' in page
    client.post(f"/meetings/consultations/{opened.pk}/answer/", {"choice": "agree"})
    # Answered: no longer waiting.
    assert "Lấy ý kiến về chủ trương đầu tư" not in client.get("/meetings/").content.decode()
