"""Reading a meeting's documents: who sees which, the panel's order, search, a viewer's
private note.

Who sees a document:
- a participants-only document: the meeting's participants (chair, delegates, guests,
  respondents, staff) and the council's office;
- a published document: whoever reads the meeting (access_meeting), and the public
  through `published_documents` (meetings held in the open only).

The access rules are in hdnd/meetings/access.py.
"""

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hdnd.core.errors import Conflict
from hdnd.lib.pdfstamp import StampError, stamp_pdf
from hdnd.lib.vietnamese import search_terms
from hdnd.meetings.access import (
    is_manager,
    is_reader,
    sees_unpublished,
)
from hdnd.meetings.models import (
    Document,
    DocumentNote,
    DocumentVersion,
    ItemStatus,
    Meeting,
    Participant,
    Visibility,
)

SEARCH_LIMIT = 100
# Stamps show the council's time, whatever the server's zone.
STAMP_TIME_ZONE = "Asia/Ho_Chi_Minh"


# Lists ---------------------------------------------------------------------------------


def visible_documents(*, user: Any, meeting: Meeting) -> QuerySet[Document]:
    """The meeting's documents the user may read (access to the meeting is checked
    by the caller)."""
    documents = Document.objects.filter(meeting_id=meeting.pk)
    if sees_unpublished(user, meeting):
        return documents
    return documents.filter(visibility=Visibility.PUBLISHED)


def published_documents(meeting: Meeting) -> QuerySet[Document]:
    """What the public page of a meeting lists: its published documents, unless the
    meeting is held behind closed doors."""
    if meeting.is_closed:
        return Document.objects.none()
    return with_versions(
        Document.objects.filter(meeting_id=meeting.pk, visibility=Visibility.PUBLISHED)
    )


def with_versions(documents: QuerySet[Document]) -> QuerySet[Document]:
    """Documents with their agenda item and versions (newest first) in two queries."""
    return documents.select_related("agenda_item").prefetch_related(
        Prefetch("versions", queryset=DocumentVersion.objects.order_by("-number"))
    )


def current_version(document: Document) -> DocumentVersion | None:
    """The newest version (from the prefetched versions when there are any)."""
    versions = list(document.versions.all())
    return versions[0] if versions else None


def panel_documents(*, user: Any, meeting: Meeting) -> dict[str, Any]:
    """The panel: the current agenda item's documents first, then the others."""
    documents = list(with_versions(visible_documents(user=user, meeting=meeting)))
    current_item = next(
        (
            document.agenda_item
            for document in documents
            if document.agenda_item and document.agenda_item.status == ItemStatus.CURRENT
        ),
        None,
    )
    if current_item is None:
        current_item = meeting.agenda_items.filter(status=ItemStatus.CURRENT).first()
    current = [d for d in documents if current_item and d.agenda_item_id == current_item.pk]
    others = [d for d in documents if d not in current]
    return {"current_item": current_item, "current_documents": current, "documents": others}


# Search --------------------------------------------------------------------------------


def _matching(documents: QuerySet[Document], query: str) -> QuerySet[Document]:
    for term in search_terms(query):
        documents = documents.filter(search_text__contains=term)
    return documents


def search_meeting_documents(*, user: Any, meeting: Meeting, query: str) -> QuerySet[Document]:
    """The meeting's documents the user may read whose title, number or text hold every
    word of the query (diacritics and case ignored)."""
    found = _matching(visible_documents(user=user, meeting=meeting), query)
    return with_versions(found.select_related("meeting"))[:SEARCH_LIMIT]


def search_council_documents(*, user: Any, council_id: int, query: str) -> QuerySet[Document]:
    """The same across the council's meetings, as far as the user may read each one."""
    documents = Document.objects.filter(meeting__council_id=council_id)
    if not is_manager(user, council_id):
        person_id = getattr(user, "person_id", None)
        readable = Q(pk__in=[])
        if person_id is not None:
            own_meetings = Participant.objects.filter(person_id=person_id).values("meeting_id")
            readable = Q(meeting_id__in=own_meetings)
        if is_reader(user, council_id):
            readable |= Q(visibility=Visibility.PUBLISHED, meeting__is_closed=False)
        documents = documents.filter(readable)
    found = _matching(documents, query).order_by("-meeting__starts_on", "position", "id")
    return with_versions(found.select_related("meeting"))[:SEARCH_LIMIT]


# Private notes -------------------------------------------------------------------------


def note_of(*, document: Document, user: Any) -> DocumentNote | None:
    """The user's own note on the document: never anyone else's."""
    if not getattr(user, "is_authenticated", False):
        return None
    return DocumentNote.objects.filter(document_id=document.pk, user_id=user.pk).first()


# Downloads -----------------------------------------------------------------------------

PRODUCT_NAME = "HĐND số"


@dataclass(frozen=True)
class Download:
    content: bytes
    filename: str
    content_type: str
    stamped: bool


def stamp_text(user: Any, at: dt.datetime) -> str:
    """ "Nguyễn Văn A — 21/11/2026 09:14 — HĐND số" (local time, Asia/Ho_Chi_Minh)."""
    name = user.get_full_name() or user.get_username()
    local = timezone.localtime(at, zoneinfo.ZoneInfo(STAMP_TIME_ZONE))
    return f"{name} — {local:%d/%m/%Y %H:%M} — {PRODUCT_NAME}"


def download_of(*, version: DocumentVersion, user: Any) -> Download:
    """The version's file for this user: a PDF stamped on every page with the user's
    name and the time; other files (.docx, .xlsx) as stored. The stored file is never
    changed."""
    with version.file.open("rb") as stored:
        content = stored.read()
    return stamped_download(
        content=content, filename=version.filename, content_type=version.content_type, user=user
    )


def stamped_download(*, content: bytes, filename: str, content_type: str, user: Any) -> Download:
    """A file as one user downloads it: stamped when it is a PDF."""
    if content_type != "application/pdf":
        return Download(content, filename, content_type, stamped=False)
    try:
        stamped = stamp_pdf(content, stamp_text(user, timezone.now()))
    except StampError as exc:
        raise Conflict(
            _(
                "This PDF cannot be stamped with your name (it is damaged or protected "
                "by a password), so it cannot be downloaded. Ask the council's office for "
                "another copy."
            )
        ) from exc
    return Download(stamped, filename, content_type, stamped=True)
