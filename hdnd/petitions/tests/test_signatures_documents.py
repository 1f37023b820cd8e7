"""Registering answer documents: the upload is checked (size, type by name and content),
its digital signature verified and shown, and verified again on request."""

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from hdnd.accounts.models import User
from hdnd.core.errors import Conflict, DomainError
from hdnd.core.models import AuditEvent
from hdnd.councils.models import Agency, Council
from hdnd.petitions.models import AnswerDocument, SignatureStatus
from hdnd.petitions.services.answers import register_answer_document, verify_document_again
from hdnd.petitions.tests.test_signatures_pdf import Pki, make_pki, signed_pdf, unsigned_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def pki() -> Pki:
    return make_pki()


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def trust(settings: Any, tmp_path: Path, pki: Pki) -> Callable[[], None]:
    def _trust() -> None:
        path = tmp_path / "ca.pem"
        path.write_bytes(pki.ca_pem)
        settings.PETITIONS_SIGNATURE_TRUST_ROOTS = str(path)

    settings.PETITIONS_SIGNATURE_TRUST_ROOTS = None
    return _trust


def form_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "number": "1234/UBND-ĐT",
        "issued_on": "2026-09-01",
        "signer_name": "Nguyễn Văn Ký",
        "signer_title": "Phó Chủ tịch",
    }
    data.update(overrides)
    return data


def pdf_upload(content: bytes, name: str = "tra-loi.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_the_office_registers_a_signed_document_and_sees_it_valid(
    client: Client,
    login: Callable[[Client, User], Client],
    city_staff: User,
    city_council: Council,
    agency_a: Agency,
    pki: Pki,
    trust: Callable[[], None],
) -> None:
    trust()
    login(client, city_staff)
    url = reverse("petitions:answer_documents", args=[city_council.pk])
    response = client.post(url, form_data(agency=agency_a.pk, file=pdf_upload(signed_pdf(pki))))
    document = AnswerDocument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("petitions:answer_document", args=[document.pk])
    assert document.signature_status == SignatureStatus.VALID
    assert document.signature_details["signer_common_name"] == "Nguyễn Văn Ký"
    assert document.signature_checked_at is not None
    assert document.agency == agency_a
    page = client.get(response["Location"]).content.decode()
    assert 'data-signature="valid"' in page
    assert "Nguyễn Văn Ký" in page
    assert "1234ABCD" in page
    listing = client.get(url).content.decode()
    assert "1234/UBND-ĐT" in listing
    download = client.get(reverse("petitions:answer_document_file", args=[document.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")  # type: ignore[attr-defined]
    assert AuditEvent.objects.filter(action="petitions.answer_document.create").count() == 1


def test_verify_again_picks_up_a_newly_trusted_ca(
    client: Client,
    login: Callable[[Client, User], Client],
    city_staff: User,
    city_council: Council,
    pki: Pki,
    trust: Callable[[], None],
) -> None:
    login(client, city_staff)
    client.post(
        reverse("petitions:answer_documents", args=[city_council.pk]),
        form_data(file=pdf_upload(signed_pdf(pki))),
    )
    document = AnswerDocument.objects.get()
    assert document.signature_status == SignatureStatus.UNTRUSTED
    page = client.get(reverse("petitions:answer_document", args=[document.pk])).content.decode()
    assert 'data-signature="untrusted"' in page
    assert "Verify again" in page
    trust()
    response = client.post(reverse("petitions:answer_document_verify", args=[document.pk]))
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.signature_status == SignatureStatus.VALID
    assert AuditEvent.objects.filter(action="petitions.answer_document.verify").count() == 1


def test_an_unsigned_pdf_is_registered_as_unsigned(
    city_council: Council, city_staff: User, trust: Callable[[], None]
) -> None:
    document = register_answer_document(
        council_id=city_council.pk,
        agency_id=None,
        number="15/SXD-QLN",
        issued_on=dt.date(2026, 9, 1),
        signer_name="Lê Thị Hoa",
        file=pdf_upload(unsigned_pdf()),
        actor=city_staff,
    )
    assert document.signature_status == SignatureStatus.UNSIGNED
    with pytest.raises(Conflict):
        register_answer_document(
            council_id=city_council.pk,
            agency_id=None,
            number="15/sxd-qln",
            issued_on=dt.date(2026, 9, 1),
            signer_name="Lê Thị Hoa",
            actor=city_staff,
        )


def test_a_document_without_file_is_not_checked(city_council: Council, city_staff: User) -> None:
    document = register_answer_document(
        council_id=city_council.pk,
        agency_id=None,
        number="16/UBND-KT",
        issued_on=dt.date(2026, 9, 1),
        signer_name="Lê Thị Hoa",
        actor=city_staff,
    )
    assert document.signature_status == SignatureStatus.NOT_CHECKED
    with pytest.raises(DomainError, match="no file"):
        verify_document_again(document_id=document.pk, actor=city_staff)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("tra-loi.pdf", b"PK\x03\x04 zip"), "not a PDF"),
        (SimpleUploadedFile("tra-loi.docx", b"%PDF-1.7 fake"), "Upload a PDF"),
        (SimpleUploadedFile("lon.pdf", b"%PDF-" + b"0" * (1024 * 1024)), "larger than 1 MB"),
    ],
    ids=["zip-named-pdf", "wrong-extension", "too-large"],
)
def test_bad_uploads_are_refused_with_a_clear_message(
    client: Client,
    login: Callable[[Client, User], Client],
    settings: Any,
    city_staff: User,
    city_council: Council,
    upload: SimpleUploadedFile,
    message: str,
) -> None:
    settings.PETITIONS_MAX_UPLOAD_MB = 1
    login(client, city_staff)
    response = client.post(
        reverse("petitions:answer_documents", args=[city_council.pk]), form_data(file=upload)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AnswerDocument.objects.exists()


def test_a_responder_registers_only_for_their_own_agency(
    client: Client,
    login: Callable[[Client, User], Client],
    responder_a: User,
    city_council: Council,
    agency_a: Agency,
    agency_b: Agency,
) -> None:
    login(client, responder_a)
    url = reverse("petitions:answer_documents", args=[city_council.pk])
    refused = client.post(url, form_data(agency=agency_b.pk))
    assert refused.status_code == 400
    assert not AnswerDocument.objects.exists()
    missing_agency = client.post(url, form_data())
    assert missing_agency.status_code == 400
    accepted = client.post(url, form_data(agency=agency_a.pk))
    assert accepted.status_code == 302
    assert AnswerDocument.objects.get().agency == agency_a


def test_another_agency_and_another_commune_cannot_see_the_document(
    client: Client,
    login: Callable[[Client, User], Client],
    responder_b: User,
    outsider: User,
    city_council: Council,
    agency_a: Agency,
) -> None:
    document = AnswerDocument.objects.create(
        council=city_council,
        agency=agency_a,
        number="99/SXD",
        issued_on=dt.date(2026, 9, 1),
        signer_name="Phạm Văn D",
    )
    login(client, responder_b)
    assert client.get(reverse("petitions:answer_document", args=[document.pk])).status_code == 404
    listing = client.get(reverse("petitions:answer_documents", args=[city_council.pk]))
    assert "99/SXD" not in listing.content.decode()
    assert (
        client.post(reverse("petitions:answer_document_verify", args=[document.pk])).status_code
        == 404
    )
    login(client, outsider)
    assert client.get(reverse("petitions:answer_document", args=[document.pk])).status_code == 404
    assert (
        client.get(reverse("petitions:answer_documents", args=[city_council.pk])).status_code == 403
    )
    assert (
        client.get(reverse("petitions:answer_document_file", args=[document.pk])).status_code == 404
    )


def test_the_documents_list_makes_a_fixed_number_of_queries(
    client: Client,
    login: Callable[[Client, User], Client],
    city_staff: User,
    city_council: Council,
    agency_a: Agency,
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    def add(count: int, start: int) -> None:
        for n in range(start, start + count):
            AnswerDocument.objects.create(
                council=city_council,
                agency=agency_a,
                number=f"{n}/SXD",
                issued_on=dt.date(2026, 9, 1),
                signer_name="Phạm Văn D",
            )

    login(client, city_staff)
    url = reverse("petitions:answer_documents", args=[city_council.pk])
    add(3, 1)
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    add(20, 100)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
