"""API of documents and written consultations: the same visibility as the pages, the
one JSON error shape, stamped downloads, and no warning in the schema."""

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from hdnd.accounts.models import User
from hdnd.councils.models import Council, Membership
from hdnd.lib import pdfstamp
from hdnd.meetings.models import ConsultationResponse, Document, Meeting, Visibility
from hdnd.meetings.services import consultations as consultation_services
from hdnd.meetings.services import documents as services
from hdnd.meetings.tests.test_documents_services import add, pdf_upload
from hdnd.petitions.tests.test_signatures_pdf import unsigned_pdf


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def test_participants_list_and_read_documents(
    session: Meeting, city_staff: User, guest: User, client: Client, login: Any
) -> None:
    document = add(session, city_staff)
    login(client, guest)
    listing = client.get(f"/api/v1/council-meetings/{session.pk}/documents/")
    assert listing.status_code == 200
    assert [row["id"] for row in listing.json()] == [document.pk]
    detail = client.get(f"/api/v1/meeting-documents/{document.pk}/").json()
    assert detail["visibility"] == "participants"
    assert detail["versions"][0]["signature_status"] == "unsigned"
    found = client.get(f"/api/v1/council-meetings/{session.pk}/documents/", {"q": "DU TOAN"}).json()
    assert [row["id"] for row in found] == [document.pk]


def test_the_outsider_gets_the_json_404(
    session: Meeting, city_staff: User, outsider: User, client: Client, login: Any
) -> None:
    document = add(session, city_staff)
    login(client, outsider)
    for url in (
        f"/api/v1/council-meetings/{session.pk}/documents/",
        f"/api/v1/meeting-documents/{document.pk}/",
        f"/api/v1/meeting-files/{document.versions.get().pk}/",
        "/api/v1/meeting-documents/not-a-number/",
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


def test_the_office_uploads_a_version_and_publishes(
    session: Meeting, city_staff: User, client: Client, login: Any
) -> None:
    document = add(session, city_staff)
    login(client, city_staff)
    response = client.post(
        f"/api/v1/meeting-documents/{document.pk}/versions/",
        {"expected_version": document.version, "note": "Sửa lỗi chính tả", "file": pdf_upload()},
    )
    assert response.status_code == 201
    assert [v["number"] for v in response.json()["versions"]] == [2, 1]
    stale = client.post(
        f"/api/v1/meeting-documents/{document.pk}/publish/",
        {"expected_version": 1},
        content_type="application/json",
    )
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "stale_version"
    published = client.post(
        f"/api/v1/meeting-documents/{document.pk}/publish/",
        {"expected_version": 2},
        content_type="application/json",
    )
    assert published.status_code == 200
    assert published.json()["visibility"] == "published"


def test_bad_uploads_get_the_error_shape(
    session: Meeting, city_staff: User, client: Client, login: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    document = add(session, city_staff)
    login(client, city_staff)
    response = client.post(
        f"/api/v1/meeting-documents/{document.pk}/versions/",
        {
            "expected_version": document.version,
            "note": "x",
            "file": SimpleUploadedFile("a.pdf", b"not a pdf"),
        },
    )
    assert response.status_code == 400
    assert "file" in response.json()["error"]["fields"]
    missing = client.post(f"/api/v1/meeting-documents/{document.pk}/versions/", {})
    assert missing.status_code == 400
    assert set(missing.json()["error"]["fields"]) >= {"file", "note", "expected_version"}
    assert Document.objects.get().versions.count() == 1


def test_a_delegate_cannot_publish_through_the_api(
    session: Meeting, city_staff: User, delegate: User, client: Client, login: Any
) -> None:
    document = add(session, city_staff)
    login(client, delegate)
    response = client.post(
        f"/api/v1/meeting-documents/{document.pk}/publish/",
        {"expected_version": document.version},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    document.refresh_from_db()
    assert document.visibility == Visibility.PARTICIPANTS


def test_api_downloads_are_stamped(
    session: Meeting, city_staff: User, delegate: User, client: Client, login: Any
) -> None:
    document = add(session, city_staff, file=pdf_upload(data=unsigned_pdf()))
    login(client, delegate)
    url = client.get(f"/api/v1/meeting-documents/{document.pk}/").json()["versions"][0][
        "download_url"
    ]
    response = client.get(url)
    assert response.status_code == 200
    assert delegate.get_full_name() in pdfstamp.page_texts(response.content)[0]


def test_members_answer_a_consultation_through_the_api(
    city_council: Council,
    members: list[Membership],
    city_staff: User,
    delegate: User,
    client: Client,
    login: Any,
) -> None:
    draft = consultation_services.create_consultation(
        council_id=city_council.pk,
        title="Lấy ý kiến",
        question="Đồng ý?",
        deadline=timezone.now() + dt.timedelta(days=2),
        actor=city_staff,
    )
    opened = consultation_services.open_consultation(
        consultation_id=draft.pk, expected_version=draft.version, actor=city_staff
    )
    login(client, delegate)
    listing = client.get(f"/api/v1/councils/{city_council.pk}/consultations/").json()
    assert [row["id"] for row in listing] == [opened.pk]
    url = f"/api/v1/consultations/{opened.pk}/answer/"
    refused = client.post(url, {"choice": "other"}, content_type="application/json")
    assert refused.status_code == 400
    assert "comment" in refused.json()["error"]["fields"]
    answered = client.post(url, {"choice": "agree"}, content_type="application/json")
    assert answered.status_code == 200
    assert answered.json()["my_answer"]["choice"] == "agree"
    assert answered.json()["tally"] is None
    bad = client.post(url, {"choice": "maybe"}, content_type="application/json")
    assert bad.status_code == 400
    assert ConsultationResponse.objects.get().choice == "agree"
    login(client, city_staff)
    detail = client.get(f"/api/v1/consultations/{opened.pk}/").json()
    assert detail["tally"]["answered"] == 1
    assert detail["tally"]["total_members"] == len(members)


def test_the_schema_describes_these_endpoints_without_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schema = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--file", str(schema))
    # Warnings of other modules are theirs (the petitions schema test fails on any).
    warnings = capsys.readouterr().err
    assert "meetings/api/documents.py" not in warnings
    text = schema.read_text()
    for operation in (
        "meeting_documents_list",
        "meeting_documents_retrieve",
        "meeting_documents_versions_create",
        "meeting_documents_publish",
        "meeting_documents_download",
        "consultations_list",
        "consultations_retrieve",
        "consultations_answer",
    ):
        assert f"operationId: {operation}" in text


def test_the_office_withdraws_a_document_from_publication(
    session: Meeting, city_staff: User, delegate: User, client: Client, login: Any
) -> None:
    document = add(session, city_staff)
    services.publish_document(document_id=document.pk, expected_version=None, actor=city_staff)
    document.refresh_from_db()
    url = f"/api/v1/meeting-documents/{document.pk}/unpublish/"
    body = {"expected_version": document.version, "reason": "Công bố nhầm"}
    login(client, delegate)
    assert client.post(url, body, content_type="application/json").status_code == 403
    login(client, city_staff)
    missing = client.post(
        url, {"expected_version": document.version}, content_type="application/json"
    )
    assert missing.status_code == 400
    assert "reason" in missing.json()["error"]["fields"]
    done = client.post(url, body, content_type="application/json")
    assert done.status_code == 200
    assert done.json()["visibility"] == "participants"
    again = client.post(
        url, {**body, "expected_version": document.version + 1}, content_type="application/json"
    )
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "conflict"
