"""Downloads of PDFs carry the reader's name and the time on every page; the stored
file never changes."""

import datetime as dt
import hashlib
import io
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.test import Client
from pyhanko.pdf_utils.reader import PdfFileReader

from hdnd.accounts.models import User
from hdnd.lib import pdfstamp
from hdnd.meetings.models import Meeting
from hdnd.meetings.queries import documents as queries
from hdnd.meetings.tests.test_documents_services import add, office_package, pdf_upload
from hdnd.petitions.tests.test_signatures_pdf import make_pki, signed_pdf, unsigned_pdf

NAME = "Nguyễn Văn Ánh"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def three_pages() -> bytes:
    """A three-page PDF: the one-page test PDF's page, three times."""
    from pyhanko.pdf_utils.writer import copy_into_new_writer

    writer = copy_into_new_writer(PdfFileReader(io.BytesIO(unsigned_pdf())))
    page_ref, _resources = writer.find_page_for_modification(0)
    for _ in range(2):
        from pyhanko.pdf_utils.writer import PageObject

        page = page_ref.get_object()
        writer.insert_page(
            PageObject(
                contents=page.raw_get("/Contents"),
                media_box=[0, 0, 842, 595],
                resources=page["/Resources"],
            )
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_every_page_carries_the_stamp_with_vietnamese_letters() -> None:
    text = f"{NAME} — 21/11/2026 09:14 — HĐND số"
    stamped = pdfstamp.stamp_pdf(three_pages(), text)
    reader = PdfFileReader(io.BytesIO(stamped))
    assert int(reader.root["/Pages"]["/Count"]) == 3
    pages = pdfstamp.page_texts(stamped)
    assert len(pages) == 3
    for page in pages:
        assert "Van ban tra loi kien nghi cu tri" in page
        assert text in page
    # The font that draws it is embedded (DejaVu Sans from the system).
    assert pdfstamp.stamp_font() is not None
    assert b"/FontFile2" in stamped


def test_the_font_has_a_glyph_for_every_vietnamese_letter() -> None:
    font = pdfstamp.stamp_font()
    assert font is not None
    letters = "ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
    missing = [ch for ch in letters + letters.upper() + "—" if font.glyph(ch) == 0]
    assert missing == []


def test_without_the_system_font_the_stamp_folds_to_ascii(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pdfstamp, "stamp_font", lambda: None)
    stamped = pdfstamp.stamp_pdf(unsigned_pdf(), f"{NAME} — 21/11/2026 09:14 — HĐND số")
    assert "Nguyen Van Anh - 21/11/2026 09:14 - HDND so" in pdfstamp.page_texts(stamped)[0]


def test_the_original_bytes_are_kept_before_the_stamp() -> None:
    original = signed_pdf(make_pki())
    stamped = pdfstamp.stamp_pdf(original, NAME)
    assert stamped.startswith(original)


def test_a_file_that_is_not_a_pdf_cannot_be_stamped() -> None:
    with pytest.raises(pdfstamp.StampError):
        pdfstamp.stamp_pdf(b"%PDF-1.7 then nothing", NAME)


def test_the_stamp_shows_ho_chi_minh_time(delegate: User) -> None:
    moment = dt.datetime(2026, 11, 21, 2, 14, tzinfo=dt.UTC)
    name = delegate.get_full_name()
    assert queries.stamp_text(delegate, moment) == f"{name} — 21/11/2026 09:14 — HĐND số"


@time_machine.travel(dt.datetime(2026, 11, 21, 2, 14, tzinfo=dt.UTC), tick=False)
def test_a_download_is_stamped_for_its_reader_and_the_file_is_unchanged(
    session: Meeting, city_staff: User, delegate: User, client: Client, login: Any
) -> None:
    data = three_pages()
    document = add(session, city_staff, file=pdf_upload(data=data))
    version = document.versions.get()
    login(client, delegate)
    response = client.get(f"/meetings/files/{version.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    expected = f"{delegate.get_full_name()} — 21/11/2026 09:14 — HĐND số"
    pages = pdfstamp.page_texts(response.content)
    assert len(pages) == 3
    assert all(expected in page for page in pages)
    with version.file.open("rb") as stored:
        assert (
            hashlib.sha256(stored.read()).hexdigest()
            == version.sha256
            == (hashlib.sha256(data).hexdigest())
        )


def test_word_and_excel_files_are_served_as_stored(
    session: Meeting, city_staff: User, guest: User, client: Client, login: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = office_package("word/document.xml")
    document = add(session, city_staff, file=SimpleUploadedFile("phu-luc.docx", data))
    login(client, guest)
    response = client.get(f"/meetings/files/{document.versions.get().pk}/")
    assert response.status_code == 200
    assert response.content == data
