"""Documents of a meeting: uploads and their refusals, versions, signatures, publishing,
search text, private notes."""

import hashlib
import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _

from hdnd.accounts.models import User
from hdnd.core.errors import Conflict, DomainError
from hdnd.core.models import AuditEvent
from hdnd.core.versions import StaleVersion
from hdnd.lib.pdfsign import SignatureStatus
from hdnd.meetings.models import (
    AgendaItem,
    Document,
    DocumentKind,
    DocumentNote,
    ItemStatus,
    Meeting,
    Visibility,
)
from hdnd.meetings.queries import documents as queries
from hdnd.meetings.services import documents as services
from hdnd.petitions.tests.test_signatures_pdf import make_pki, signed_pdf, tampered, unsigned_pdf


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def pdf_upload(name: str = "to-trinh.pdf", data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data or unsigned_pdf(), content_type="application/pdf")


def office_package(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(part, "<document/>")
    return buffer.getvalue()


def add(
    meeting: Meeting,
    actor: User,
    *,
    title: str = "Tờ trình về dự toán ngân sách năm 2027",
    file: SimpleUploadedFile | None = None,
    **extra: Any,
) -> Document:
    return services.add_document(
        meeting_id=meeting.pk,
        kind=extra.pop("kind", DocumentKind.SUBMISSION),
        title=title,
        number=extra.pop("number", "125/TTr-UBND"),
        file=file or pdf_upload(),
        actor=actor,
        **extra,
    )


@pytest.fixture
def add_doc(session: Meeting, city_staff: User) -> Callable[..., Document]:
    def _add(**extra: Any) -> Document:
        return add(session, city_staff, **extra)

    return _add


def test_it_stores_the_first_version_with_its_facts(
    session: Meeting, city_staff: User, add_doc: Callable[..., Document]
) -> None:
    data = unsigned_pdf()
    document = add_doc(file=pdf_upload("Tờ trình 125.pdf", data))
    version = document.versions.get()
    assert version.number == 1
    assert version.filename == "Tờ trình 125.pdf"
    assert version.content_type == "application/pdf"
    assert version.size == len(data)
    assert version.sha256 == hashlib.sha256(data).hexdigest()
    assert version.uploaded_by == city_staff
    with version.file.open("rb") as stored:
        assert stored.read() == data
    assert document.visibility == Visibility.PARTICIPANTS
    assert AuditEvent.objects.filter(action="meeting.document.add").count() == 1


def test_its_search_text_is_folded_title_number_and_pdf_text(
    add_doc: Callable[..., Document],
) -> None:
    document = add_doc()
    assert "to trinh ve du toan ngan sach" in document.search_text
    assert "125/ttr-ubnd" in document.search_text
    # The PDF's own text, read from the page.
    assert "kien nghi cu tri so 1234" in document.search_text


def test_a_new_version_gets_the_next_number_and_says_what_changed(
    add_doc: Callable[..., Document], city_staff: User
) -> None:
    document = add_doc()
    version = services.add_version(
        document_id=document.pk,
        expected_version=document.version,
        file=pdf_upload("v2.pdf", unsigned_pdf(b"Ban sua doi lan hai")),
        note="Sửa số liệu chi thường xuyên",
        actor=city_staff,
    )
    document.refresh_from_db()
    assert version.number == 2
    assert version.note == "Sửa số liệu chi thường xuyên"
    assert document.version == 2
    assert "ban sua doi lan hai" in document.search_text
    assert list(document.versions.values_list("number", flat=True)) == [2, 1]


def test_a_new_version_needs_a_note_and_the_current_version(
    add_doc: Callable[..., Document], city_staff: User
) -> None:
    document = add_doc()
    with pytest.raises(DomainError) as refused:
        services.add_version(
            document_id=document.pk,
            expected_version=document.version,
            file=pdf_upload(),
            note="  ",
            actor=city_staff,
        )
    assert "note" in refused.value.fields
    with pytest.raises(StaleVersion):
        services.add_version(
            document_id=document.pk,
            expected_version=document.version + 5,
            file=pdf_upload(),
            note="Bản mới",
            actor=city_staff,
        )
    assert document.versions.count() == 1


OTHER_FILE = "Upload a PDF document, or a Word (.docx) or Excel (.xlsx) file."
NOT_WHAT_IT_SAYS = "This file is not a %(kind)s file, whatever its name says."


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("bao-cao.txt", b"plain text", _(OTHER_FILE)),
        ("bao-cao.exe", b"MZ\x90\x00", _(OTHER_FILE)),
        ("gia-mao.pdf", b"<html>not a pdf</html>", "không phải văn bản PDF"),
        ("gia-mao.docx", b"%PDF-1.7 not a docx", _(NOT_WHAT_IT_SAYS) % {"kind": "DOCX"}),
        (
            "gia-mao.xlsx",
            office_package("word/document.xml"),
            _(NOT_WHAT_IT_SAYS) % {"kind": "XLSX"},
        ),
        ("rong.pdf", b"", _("The file is empty.")),
    ],
)
def test_it_refuses_other_files_with_a_message(
    add_doc: Callable[..., Document], name: str, data: bytes, message: str
) -> None:
    with pytest.raises(DomainError) as refused:
        add_doc(file=SimpleUploadedFile(name, data))
    assert message in refused.value.fields["file"][0]
    assert not Document.objects.exists()


def test_it_refuses_a_file_above_the_size_limit(
    add_doc: Callable[..., Document], settings: Any
) -> None:
    settings.MEETINGS_MAX_UPLOAD_MB = 1
    big = unsigned_pdf() + b"%" * (1024 * 1024)
    with pytest.raises(DomainError) as refused:
        add_doc(file=pdf_upload(data=big))
    assert "1 MB" in refused.value.message
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("name", "part"), [("phu-luc.docx", "word/document.xml"), ("so-lieu.xlsx", "xl/workbook.xml")]
)
def test_it_accepts_word_and_excel_attachments_unchecked(
    add_doc: Callable[..., Document], name: str, part: str
) -> None:
    document = add_doc(file=SimpleUploadedFile(name, office_package(part)))
    version = document.versions.get()
    assert version.content_type.startswith("application/vnd.openxmlformats")
    assert version.signature_status == SignatureStatus.NOT_CHECKED


def test_it_checks_the_digital_signature_of_a_pdf(
    add_doc: Callable[..., Document], settings: Any, tmp_path: Path
) -> None:
    pki = make_pki()
    signed = signed_pdf(pki)
    assert add_doc(file=pdf_upload()).versions.get().signature_status == SignatureStatus.UNSIGNED
    untrusted = add_doc(file=pdf_upload(data=signed)).versions.get()
    assert untrusted.signature_status == SignatureStatus.UNTRUSTED
    assert untrusted.signature_details["signer_common_name"] == "Nguyễn Văn Ký"
    roots = tmp_path / "ca.pem"
    roots.write_bytes(pki.ca_pem)
    settings.PETITIONS_SIGNATURE_TRUST_ROOTS = [str(roots)]
    valid = add_doc(file=pdf_upload(data=signed)).versions.get()
    assert valid.signature_status == SignatureStatus.VALID
    broken = add_doc(file=pdf_upload(data=tampered(signed))).versions.get()
    assert broken.signature_status == SignatureStatus.INVALID


def test_it_links_a_document_to_an_item_of_the_same_meeting_only(
    session: Meeting, add_doc: Callable[..., Document], city_staff: User
) -> None:
    item = AgendaItem.objects.create(meeting=session, title="Dự toán ngân sách", position=1)
    assert add_doc(agenda_item_id=item.pk).agenda_item == item
    other = Meeting.objects.create(
        council=session.council,
        term=session.term,
        kind="conference",
        title="Hội nghị",
        starts_on=session.starts_on,
        ends_on=session.ends_on,
    )
    foreign = AgendaItem.objects.create(meeting=other, title="Khác", position=1)
    with pytest.raises(DomainError) as refused:
        add_doc(agenda_item_id=foreign.pk)
    assert "agenda_item" in refused.value.fields


def test_publishing_makes_it_public_once(
    session: Meeting, add_doc: Callable[..., Document], city_staff: User
) -> None:
    document = add_doc()
    assert list(queries.published_documents(session)) == []
    services.publish_document(
        document_id=document.pk, expected_version=document.version, actor=city_staff
    )
    document.refresh_from_db()
    assert document.visibility == Visibility.PUBLISHED
    assert document.published_at is not None
    assert list(queries.published_documents(session)) == [document]
    with pytest.raises(Conflict):
        services.publish_document(document_id=document.pk, expected_version=None, actor=city_staff)


def test_withdrawing_from_publication_needs_a_reason_and_is_kept_in_the_history(
    session: Meeting, add_doc: Callable[..., Document], city_staff: User
) -> None:
    document = add_doc()
    with pytest.raises(Conflict):
        services.unpublish_document(
            document_id=document.pk, expected_version=None, actor=city_staff, reason="Nhầm"
        )
    services.publish_document(document_id=document.pk, expected_version=None, actor=city_staff)
    document.refresh_from_db()
    for reason in ("", "   ", "x" * 501):
        with pytest.raises(DomainError) as refused:
            services.unpublish_document(
                document_id=document.pk,
                expected_version=document.version,
                actor=city_staff,
                reason=reason,
            )
        assert "reason" in refused.value.fields
    with pytest.raises(StaleVersion):
        services.unpublish_document(
            document_id=document.pk, expected_version=1, actor=city_staff, reason="Nhầm"
        )
    services.unpublish_document(
        document_id=document.pk,
        expected_version=document.version,
        actor=city_staff,
        reason="Công bố nhầm bản dự thảo",
    )
    document.refresh_from_db()
    assert document.visibility == Visibility.PARTICIPANTS
    assert document.published_at is None
    assert list(queries.published_documents(session)) == []
    event = AuditEvent.objects.filter(action="meeting.document.unpublish").get()
    assert event.changes["reason"] == "Công bố nhầm bản dự thảo"
    assert event.changes["visibility"] == [Visibility.PUBLISHED, Visibility.PARTICIPANTS]


def test_a_closed_meeting_publishes_nothing_to_the_public(
    session: Meeting, add_doc: Callable[..., Document], city_staff: User
) -> None:
    document = add_doc()
    services.publish_document(document_id=document.pk, expected_version=None, actor=city_staff)
    Meeting.objects.filter(pk=session.pk).update(is_closed=True)
    session.refresh_from_db()
    assert list(queries.published_documents(session)) == []


def test_changes_are_announced_to_the_room_after_commit(
    add_doc: Callable[..., Document],
    city_staff: User,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    published: list[tuple[int, tuple[str, ...]]] = []
    monkeypatch.setattr(
        "hdnd.meetings.live.publish",
        lambda meeting_id, topics: published.append((meeting_id, topics)),
    )
    with django_capture_on_commit_callbacks(execute=True):
        document = add_doc()
    assert published == [(document.meeting_id, ("documents",))]


def test_the_panel_puts_the_current_items_documents_first(
    session: Meeting, add_doc: Callable[..., Document], delegate: User
) -> None:
    item = AgendaItem.objects.create(
        meeting=session, title="Dự toán", position=1, status=ItemStatus.CURRENT
    )
    general = add_doc(title="Chương trình kỳ họp", kind=DocumentKind.PROGRAMME)
    current = add_doc(title="Dự thảo nghị quyết dự toán", agenda_item_id=item.pk)
    panel = queries.panel_documents(user=delegate, meeting=session)
    assert panel["current_item"] == item
    assert panel["current_documents"] == [current]
    assert panel["documents"] == [general]


def test_search_ignores_diacritics_and_finds_pdf_text(
    session: Meeting, add_doc: Callable[..., Document], delegate: User
) -> None:
    budget = add_doc(title="Tờ trình về dự toán ngân sách")
    add_doc(title="Báo cáo thẩm tra", number="12/BC-KTNS", kind=DocumentKind.VERIFICATION)
    assert list(
        queries.search_meeting_documents(user=delegate, meeting=session, query="DU TOAN")
    ) == [budget]
    assert list(
        queries.search_meeting_documents(user=delegate, meeting=session, query="Dự toán ngân")
    ) == [budget]
    found = queries.search_meeting_documents(
        user=delegate, meeting=session, query="kiến nghị cử tri"
    )
    assert len(found) == 2
    assert not queries.search_meeting_documents(user=delegate, meeting=session, query="giáo dục")


def test_notes_belong_to_their_author(
    add_doc: Callable[..., Document], delegate: User, other_delegate: User
) -> None:
    document = add_doc()
    services.save_note(
        document_id=document.pk,
        user=delegate,
        text="Hỏi lại số liệu trang 1",
        highlights=[{"page": 1, "quote": "chi thường xuyên", "color": "yellow", "comment": "?"}],
    )
    services.add_highlight(
        document_id=document.pk,
        user=delegate,
        page=1,
        quote="đầu tư công",
        color="green",
        comment="",
    )
    note = queries.note_of(document=document, user=delegate)
    assert note is not None
    assert note.text == "Hỏi lại số liệu trang 1"
    assert [h["quote"] for h in note.highlights] == ["chi thường xuyên", "đầu tư công"]
    assert queries.note_of(document=document, user=other_delegate) is None
    services.remove_highlight(document_id=document.pk, user=delegate, index=0)
    note.refresh_from_db()
    assert [h["quote"] for h in note.highlights] == ["đầu tư công"]
    assert DocumentNote.objects.count() == 1


@pytest.mark.parametrize(
    "highlights",
    [
        "not a list",
        [{"page": 0, "quote": "x"}],
        [{"page": 2, "quote": ""}],
        [{"page": 2, "quote": "x", "color": "black"}],
        [{"page": True, "quote": "x"}],
    ],
)
def test_bad_highlights_are_refused(
    add_doc: Callable[..., Document], delegate: User, highlights: Any
) -> None:
    document = add_doc()
    with pytest.raises(DomainError):
        services.save_note(document_id=document.pk, user=delegate, text="", highlights=highlights)


def test_a_cancelled_meeting_takes_no_documents(
    session: Meeting, add_doc: Callable[..., Document]
) -> None:
    Meeting.objects.filter(pk=session.pk).update(status="cancelled")
    with pytest.raises(DomainError):
        add_doc()
    assert not Document.objects.exists()


def test_a_highlight_must_be_on_a_page_of_the_document(
    add_doc: Callable[..., Document], delegate: User
) -> None:
    document = add_doc()  # a one-page PDF
    with pytest.raises(DomainError) as refused:
        services.add_highlight(
            document_id=document.pk, user=delegate, page=7, quote="x", color="yellow", comment=""
        )
    assert "page" in refused.value.fields
    with pytest.raises(DomainError):
        services.save_note(
            document_id=document.pk,
            user=delegate,
            text="",
            highlights=[{"page": 2, "quote": "x", "color": "yellow"}],
        )
    note = services.add_highlight(
        document_id=document.pk, user=delegate, page=1, quote="x", color="yellow", comment=""
    )
    assert note.highlights[0]["page"] == 1


def test_saving_the_note_text_keeps_the_highlights_added_meanwhile(
    add_doc: Callable[..., Document], delegate: User
) -> None:
    document = add_doc()
    services.add_highlight(
        document_id=document.pk, user=delegate, page=1, quote="dự toán", color="green", comment=""
    )
    note = services.save_note(document_id=document.pk, user=delegate, text="Xem lại số liệu")
    assert note.text == "Xem lại số liệu"
    assert [one["quote"] for one in note.highlights] == ["dự toán"]
