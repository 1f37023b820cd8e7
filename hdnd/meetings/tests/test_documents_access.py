"""Who reads which document: participants and the office read participants-only
documents; the council's other readers only published ones of open meetings; an
outsider nothing; a private note is its author's alone."""

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from hdnd.accounts.models import User
from hdnd.core.errors import NotFound, PermissionDenied
from hdnd.councils.models import Membership
from hdnd.meetings import access as meeting_access
from hdnd.meetings.models import Document, Meeting, MeetingKind, Participant, ParticipantRole
from hdnd.meetings.queries import documents as queries
from hdnd.meetings.services import documents as services
from hdnd.meetings.tests.test_documents_services import add, pdf_upload


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def closed_meeting(session: Meeting, members: list[Membership]) -> Meeting:
    """A meeting behind closed doors whose only participant is the chair."""
    meeting = Meeting.objects.create(
        council=session.council,
        term=session.term,
        kind=MeetingKind.STANDING_COMMITTEE,
        title="Phiên họp Thường trực (họp kín)",
        starts_on=session.starts_on,
        ends_on=session.ends_on,
        is_closed=True,
    )
    Participant.objects.create(
        meeting=meeting,
        person=members[0].person,
        membership=members[0],
        role=ParticipantRole.CHAIR,
    )
    return meeting


@pytest.fixture
def open_meeting_without_delegate(session: Meeting, members: list[Membership]) -> Meeting:
    meeting = Meeting.objects.create(
        council=session.council,
        term=session.term,
        kind=MeetingKind.CONFERENCE,
        title="Hội nghị giao ban",
        starts_on=session.starts_on,
        ends_on=session.ends_on,
    )
    Participant.objects.create(
        meeting=meeting, person=members[0].person, membership=members[0], role="chair"
    )
    return meeting


def _reads(user: User, document: Document) -> bool:
    try:
        meeting_access.access_document(user=user, document_id=document.pk)
    except (NotFound, PermissionDenied):
        return False
    return True


@pytest.mark.parametrize("persona", ["chair", "delegate", "guest", "respondent", "city_staff"])
def test_participants_and_the_office_read_participants_only_documents(
    session: Meeting, city_staff: User, persona: str, request: pytest.FixtureRequest
) -> None:
    document = add(session, city_staff)
    user = request.getfixturevalue(persona)
    assert _reads(user, document)
    assert document in queries.visible_documents(user=user, meeting=session)


def test_the_outsider_reads_nothing_even_published(
    session: Meeting, city_staff: User, outsider: User
) -> None:
    document = add(session, city_staff)
    assert not _reads(outsider, document)
    services.publish_document(document_id=document.pk, expected_version=None, actor=city_staff)
    assert not _reads(outsider, document)
    assert not queries.search_council_documents(
        user=outsider, council_id=session.council_id, query="to trinh"
    )


def test_a_delegate_outside_a_closed_meeting_reads_none_of_its_documents(
    closed_meeting: Meeting, city_staff: User, delegate: User, chair: User
) -> None:
    document = add(closed_meeting, city_staff)
    assert _reads(chair, document)
    assert not _reads(delegate, document)
    services.publish_document(document_id=document.pk, expected_version=None, actor=city_staff)
    assert not _reads(delegate, document)
    assert not queries.search_council_documents(
        user=delegate, council_id=closed_meeting.council_id, query="to trinh"
    )


def test_a_reader_outside_an_open_meeting_reads_only_published_documents(
    open_meeting_without_delegate: Meeting, city_staff: User, delegate: User
) -> None:
    meeting = open_meeting_without_delegate
    draft = add(meeting, city_staff, title="Dự thảo chưa công bố")
    public = add(meeting, city_staff, title="Báo cáo đã công bố")
    services.publish_document(document_id=public.pk, expected_version=None, actor=city_staff)
    assert not _reads(delegate, draft)
    assert _reads(delegate, public)
    assert list(queries.visible_documents(user=delegate, meeting=meeting)) == [public]
    found = queries.search_council_documents(
        user=delegate, council_id=meeting.council_id, query="cong bo"
    )
    assert list(found) == [public]


def test_only_the_office_changes_documents(
    session: Meeting, city_staff: User, chair: User, delegate: User
) -> None:
    document = add(session, city_staff)
    assert (
        meeting_access.access_document_manage(user=city_staff, document_id=document.pk) == document
    )
    for user in (chair, delegate):
        with pytest.raises(PermissionDenied):
            meeting_access.access_document_manage(user=user, document_id=document.pk)


def test_nobody_else_reads_a_private_note(
    session: Meeting,
    city_staff: User,
    chair: User,
    delegate: User,
    client: Client,
    login: Any,
) -> None:
    document = add(session, city_staff)
    services.save_note(
        document_id=document.pk,
        user=delegate,
        text="Ghi chú riêng: hỏi Sở Tài chính",
        highlights=[{"page": 1, "quote": "trích dẫn bí mật", "color": "pink", "comment": ""}],
    )
    for user in (chair, city_staff):
        assert queries.note_of(document=document, user=user) is None
        login(client, user)
        page = client.get(f"/meetings/documents/{document.pk}/")
        assert page.status_code == 200
        assert "hỏi Sở Tài chính" not in page.content.decode()
        assert "trích dẫn bí mật" not in page.content.decode()
    login(client, delegate)
    own = client.get(f"/meetings/documents/{document.pk}/").content.decode()
    assert "Ghi chú riêng: hỏi Sở Tài chính" in own
    assert "trích dẫn bí mật" in own


def test_a_download_goes_through_the_access_check(
    session: Meeting, city_staff: User, outsider: User, guest: User, client: Client, login: Any
) -> None:
    document = add(session, city_staff, file=pdf_upload())
    version = document.versions.get()
    url = f"/meetings/files/{version.pk}/"
    assert client.get(url).status_code in (302, 403)
    login(client, outsider)
    assert client.get(url).status_code == 404
    login(client, guest)
    assert client.get(url).status_code == 200
