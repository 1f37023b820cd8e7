"""Pages of documents: the panel, the list with search and upload, the document page
with its office forms, publishing, the private note over htmx, council-wide search."""

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from hdnd.accounts.models import User
from hdnd.meetings.models import AgendaItem, Document, DocumentNote, ItemStatus, Meeting, Visibility
from hdnd.meetings.services import documents as services
from hdnd.meetings.tests.test_documents_services import add, pdf_upload
from hdnd.petitions.tests.test_signatures_pdf import make_pki, signed_pdf, unsigned_pdf


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def test_the_panel_renders_alone_with_the_current_items_documents_first(
    session: Meeting, city_staff: User, delegate: User, client: Client, login: Any
) -> None:
    item = AgendaItem.objects.create(
        meeting=session, title="Quyết định dự toán", position=1, status=ItemStatus.CURRENT
    )
    add(session, city_staff, title="Chương trình kỳ họp")
    add(session, city_staff, title="Dự thảo nghị quyết dự toán", agenda_item_id=item.pk)
    login(client, delegate)
    response = client.get(
        f"/meetings/{session.pk}/panels/documents/", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert html.index("Dự thảo nghị quyết dự toán") < html.index("Chương trình kỳ họp")


def test_the_outsider_gets_no_panel(
    session: Meeting, city_staff: User, outsider: User, client: Client, login: Any
) -> None:
    add(session, city_staff, title="Tờ trình mật")
    login(client, outsider)
    response = client.get(f"/meetings/{session.pk}/panels/documents/")
    assert response.status_code == 404
    assert "Tờ trình mật" not in response.content.decode()


def test_the_office_uploads_from_the_list_page(
    session: Meeting, city_staff: User, client: Client, login: Any
) -> None:
    login(client, city_staff)
    page = client.get(f"/meetings/{session.pk}/documents/")
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.content.decode()
    response = client.post(
        f"/meetings/{session.pk}/documents/",
        {
            "kind": "report",
            "title": "Báo cáo kinh tế - xã hội",
            "number": "200/BC-UBND",
            "file": pdf_upload("bao-cao.pdf", signed_pdf(make_pki())),
        },
    )
    document = Document.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/meetings/documents/{document.pk}/"
    detail = client.get(response["Location"]).content.decode()
    assert "Báo cáo kinh tế - xã hội" in detail
    assert 'data-signature="untrusted"' in detail
    assert "Nguyễn Văn Ký" in detail


def test_a_refused_upload_keeps_what_was_typed(
    session: Meeting, city_staff: User, client: Client, login: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(client, city_staff)
    response = client.post(
        f"/meetings/{session.pk}/documents/",
        {
            "kind": "report",
            "title": "Báo cáo giữ lại",
            "file": SimpleUploadedFile("virus.exe", b"MZ"),
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Báo cáo giữ lại" in html
    assert "field-invalid" in html
    assert not Document.objects.exists()


def test_a_delegate_cannot_upload(
    session: Meeting, delegate: User, client: Client, login: Any
) -> None:
    login(client, delegate)
    page = client.get(f"/meetings/{session.pk}/documents/").content.decode()
    assert 'enctype="multipart/form-data"' not in page
    response = client.post(
        f"/meetings/{session.pk}/documents/",
        {"kind": "report", "title": "X", "file": pdf_upload()},
    )
    assert response.status_code == 403
    assert not Document.objects.exists()


def test_the_office_uploads_a_version_and_publishes(
    session: Meeting, city_staff: User, client: Client, login: Any
) -> None:
    document = add(session, city_staff)
    login(client, city_staff)
    response = client.post(
        f"/meetings/documents/{document.pk}/versions/",
        {
            "version": document.version,
            "note": "Bổ sung phụ lục",
            "file": pdf_upload("v2.pdf", unsigned_pdf(b"Phu luc bo sung")),
        },
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.versions.count() == 2
    assert "Bổ sung phụ lục" in client.get(f"/meetings/documents/{document.pk}/").content.decode()
    response = client.post(
        f"/meetings/documents/{document.pk}/publish/", {"version": document.version}
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.visibility == Visibility.PUBLISHED


def test_the_office_withdraws_a_document_from_publication(
    session: Meeting, city_staff: User, delegate: User, client: Client, login: Any
) -> None:
    document = add(session, city_staff)
    services.publish_document(document_id=document.pk, expected_version=None, actor=city_staff)
    document.refresh_from_db()
    url = f"/meetings/documents/{document.pk}/unpublish/"
    login(client, delegate)
    assert client.post(url, {"version": document.version, "reason": "x"}).status_code == 403
    login(client, city_staff)
    page = client.get(f"/meetings/documents/{document.pk}/").content.decode()
    assert "Thôi công khai" in page
    refused = client.post(url, {"version": document.version, "reason": ""})
    assert refused.status_code == 400
    assert "Lý do" in refused.content.decode()
    stale = client.post(url, {"version": document.version - 1, "reason": "Công bố nhầm"})
    assert stale.status_code == 400
    # What was typed stays in the form.
    assert "Công bố nhầm" in stale.content.decode()
    document.refresh_from_db()
    assert document.visibility == Visibility.PUBLISHED
    done = client.post(url, {"version": document.version, "reason": "Công bố nhầm"})
    assert done.status_code == 302
    document.refresh_from_db()
    assert document.visibility == Visibility.PARTICIPANTS


def test_anyone_downloads_a_published_document_from_the_public_page(
    session: Meeting, city_staff: User, client: Client
) -> None:
    document = add(session, city_staff)
    url = f"/public/meetings/{session.pk}/documents/{document.pk}/file/"
    assert client.get(url).status_code == 404
    services.publish_document(document_id=document.pk, expected_version=None, actor=city_staff)
    page = client.get(f"/public/meetings/{session.pk}/").content.decode()
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    stored = document.versions.get()
    with stored.file.open("rb") as original:
        # As stored: a public copy carries no reader's stamp.
        assert response.getvalue() == original.read()
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
    # Another meeting's address, or a closed meeting, gives nothing.
    other = f"/public/meetings/{session.pk + 1000}/documents/{document.pk}/file/"
    assert client.get(other).status_code == 404
    Meeting.objects.filter(pk=session.pk).update(is_closed=True)
    assert client.get(url).status_code == 404


def test_a_delegate_cannot_publish(
    session: Meeting, city_staff: User, delegate: User, client: Client, login: Any
) -> None:
    document = add(session, city_staff)
    login(client, delegate)
    response = client.post(
        f"/meetings/documents/{document.pk}/publish/", {"version": document.version}
    )
    assert response.status_code == 403
    document.refresh_from_db()
    assert document.visibility == Visibility.PARTICIPANTS


def test_the_note_is_saved_over_htmx(
    session: Meeting, city_staff: User, delegate: User, client: Client, login: Any
) -> None:
    document = add(session, city_staff)
    login(client, delegate)
    response = client.post(
        f"/meetings/documents/{document.pk}/note/",
        {"text": "Cần hỏi thêm"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert 'id="private-note"' in response.content.decode()
    response = client.post(
        f"/meetings/documents/{document.pk}/highlights/",
        {"page": 1, "quote": "vốn đầu tư", "color": "green", "comment": "Xem lại"},
        headers={"HX-Request": "true"},
    )
    assert "vốn đầu tư" in response.content.decode()
    note = DocumentNote.objects.get(user=delegate)
    assert note.text == "Cần hỏi thêm"
    assert note.highlights == [
        {"page": 1, "quote": "vốn đầu tư", "color": "green", "comment": "Xem lại"}
    ]
    bad = client.post(
        f"/meetings/documents/{document.pk}/highlights/",
        {"page": 0, "quote": "", "color": "black"},
        headers={"HX-Request": "true"},
    )
    assert "field-invalid" in bad.content.decode()
    note.refresh_from_db()
    assert len(note.highlights) == 1


def test_an_outsider_cannot_write_a_note(
    session: Meeting, city_staff: User, outsider: User, client: Client, login: Any
) -> None:
    document = add(session, city_staff)
    login(client, outsider)
    response = client.post(f"/meetings/documents/{document.pk}/note/", {"text": "x"})
    assert response.status_code == 404
    assert not DocumentNote.objects.exists()


def test_search_pages_find_by_folded_words(
    session: Meeting, city_staff: User, delegate: User, client: Client, login: Any
) -> None:
    add(session, city_staff, title="Tờ trình về đầu tư công trung hạn")
    login(client, delegate)
    html = client.get(f"/meetings/{session.pk}/documents/", {"q": "dau tu cong"}).content.decode()
    assert "documents-results" in html
    assert "Tờ trình về đầu tư công trung hạn" in html
    html = client.get(
        f"/meetings/council/{session.council_id}/documents/search/", {"q": "TRUNG HAN"}
    ).content.decode()
    assert "Tờ trình về đầu tư công trung hạn" in html


def test_the_document_page_lists_few_queries(
    session: Meeting,
    city_staff: User,
    delegate: User,
    client: Client,
    login: Any,
    django_assert_max_num_queries: Any,
) -> None:
    for index in range(5):
        add(session, city_staff, title=f"Tài liệu {index}")
    services.save_note(
        document_id=Document.objects.first().pk,  # type: ignore[union-attr]
        user=delegate,
        text="",
        highlights=[],
    )
    login(client, delegate)
    with django_assert_max_num_queries(20):
        assert client.get(f"/meetings/{session.pk}/panels/documents/").status_code == 200
