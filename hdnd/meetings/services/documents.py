"""A meeting's documents: the office uploads them (tờ trình, draft resolutions, reports…)
and their new versions, a signed PDF's digital signature is checked, and publishing
makes a document public. Each participant keeps a private note on a document.

Uploads are checked by size (MEETINGS_MAX_UPLOAD_MB) and by content: a PDF by its
header, a Word or Excel file (.docx, .xlsx) by being the zip package its name claims.
The text of a PDF goes into the document's search text (folded: no diacritics).
"""

import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from hdnd.core.errors import Conflict, DomainError, NotFound
from hdnd.core.versions import check_version
from hdnd.lib.pdfsign import SignatureStatus, verify_pdf
from hdnd.lib.pdfstamp import page_count, page_texts
from hdnd.lib.uploads import PDF_MAGIC, is_office_package, starts_with
from hdnd.lib.vietnamese import fold, normalize
from hdnd.meetings.models import (
    AgendaItem,
    Document,
    DocumentKind,
    DocumentNote,
    DocumentVersion,
    Meeting,
    MeetingStatus,
    Visibility,
)
from hdnd.meetings.services.common import NotAllowedNow, announce, lock_meeting, record

# The part every Word or Excel package holds, by extension.
OFFICE_PARTS = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
SEARCH_TEXT_LIMIT = 200_000
HIGHLIGHT_COLOURS = ("yellow", "green", "blue", "pink")
MAX_HIGHLIGHTS = 200
MAX_NOTE_CHARS = 20_000
MAX_QUOTE_CHARS = 2_000
MAX_REASON_CHARS = 500


@dataclass(frozen=True)
class CheckedUpload:
    file: "File[bytes]"
    filename: str
    extension: str
    content_type: str
    size: int
    sha256: str


def _refuse(message: str) -> DomainError:
    return DomainError(message, fields={"file": [message]})


def check_upload(upload: "File[bytes] | None") -> CheckedUpload:
    """A PDF, .docx or .xlsx file, by name and by content, within the size limit."""
    if upload is None:
        raise _refuse(_("Choose a file to upload."))
    limit_mb = settings.MEETINGS_MAX_UPLOAD_MB
    size = upload.size or 0
    if size > limit_mb * 1024 * 1024:
        raise _refuse(_("The file is larger than %(limit)s MB.") % {"limit": limit_mb})
    if size == 0:
        raise _refuse(_("The file is empty."))
    filename = Path(upload.name or "").name
    extension = Path(filename).suffix.lower()
    if extension not in CONTENT_TYPES:
        raise _refuse(_("Upload a PDF document, or a Word (.docx) or Excel (.xlsx) file."))
    if extension == ".pdf" and not starts_with(upload, PDF_MAGIC):
        raise _refuse(_("This file is not a PDF document, whatever its name says."))
    if extension in OFFICE_PARTS and not is_office_package(upload, OFFICE_PARTS[extension]):
        raise _refuse(
            _("This file is not a %(kind)s file, whatever its name says.")
            % {"kind": extension.lstrip(".").upper()}
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(
        file=upload,
        filename=filename[-255:],
        extension=extension,
        content_type=CONTENT_TYPES[extension],
        size=size,
        sha256=digest.hexdigest(),
    )


def guess_content_type(filename: str) -> str:
    return CONTENT_TYPES.get(Path(filename).suffix.lower()) or (
        mimetypes.guess_type(filename)[0] or "application/octet-stream"
    )


@dataclass(frozen=True)
class _FileFacts:
    """What is learnt from the file before the transaction (reading a large PDF must
    not hold the meeting's lock)."""

    upload: CheckedUpload
    signature_status: str
    signature_details: dict[str, Any]
    text: str


def _read_file(upload: "File[bytes] | None") -> _FileFacts:
    checked = check_upload(upload)
    if checked.extension != ".pdf":
        return _FileFacts(checked, SignatureStatus.NOT_CHECKED, {}, "")
    result = verify_pdf(checked.file)
    checked.file.seek(0)
    data = checked.file.read()
    checked.file.seek(0)
    text = " ".join(page_texts(data))
    return _FileFacts(checked, result.status, result.details, text)


def _search_text(document: Document, text: str) -> str:
    return fold(" ".join([document.title, document.number, text]))[:SEARCH_TEXT_LIMIT]


def _clean_fields(
    *, kind: str, title: str, number: str, meeting_id: int, agenda_item_id: int | None
) -> tuple[str, str]:
    title, number = normalize(title), normalize(number)
    errors: dict[str, list[str]] = {}
    if kind not in DocumentKind.values:
        errors["kind"] = [_("Choose one of the kinds of document.")]
    if not title:
        errors["title"] = [_("Enter the document's title.")]
    elif len(title) > 500:
        errors["title"] = [_("The title is longer than 500 characters.")]
    if len(number) > 80:
        errors["number"] = [_("The number and symbol is longer than 80 characters.")]
    if (
        agenda_item_id is not None
        and not AgendaItem.objects.filter(id=agenda_item_id, meeting_id=meeting_id).exists()
    ):
        errors["agenda_item"] = [_("Choose an item of this meeting's agenda.")]
    if errors:
        raise DomainError(_("Please correct the marked fields."), fields=errors)
    return title, number


def _store_version(
    document: Document, facts: _FileFacts, *, number: int, note: str, actor: Any
) -> DocumentVersion:
    version = DocumentVersion(
        document=document,
        number=number,
        filename=facts.upload.filename,
        content_type=facts.upload.content_type,
        size=facts.upload.size,
        sha256=facts.upload.sha256,
        note=normalize(note)[:500],
        signature_status=facts.signature_status,
        signature_details=facts.signature_details,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    version.file.save(facts.upload.filename, facts.upload.file, save=False)
    try:
        with transaction.atomic():
            version.save(force_insert=True)
    except IntegrityError as exc:
        raise Conflict(_("Someone else uploaded a version at the same time: try again.")) from exc
    return version


def add_document(
    *,
    meeting_id: int,
    kind: str,
    title: str,
    number: str = "",
    agenda_item_id: int | None = None,
    file: "File[bytes] | None",
    actor: Any,
) -> Document:
    """A new document of the meeting with its first version, for participants only."""
    title, number = _clean_fields(
        kind=kind, title=title, number=number, meeting_id=meeting_id, agenda_item_id=agenda_item_id
    )
    facts = _read_file(file)
    with transaction.atomic():
        meeting = lock_meeting(meeting_id)
        if meeting.status == MeetingStatus.CANCELLED:
            raise NotAllowedNow(_("This meeting is cancelled: it takes no more documents."))
        position = (
            Document.objects.filter(meeting=meeting).aggregate(last=Max("position"))["last"] or 0
        )
        document = Document(
            meeting=meeting,
            agenda_item_id=agenda_item_id,
            kind=kind,
            title=title,
            number=number,
            position=position + 1,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        document.search_text = _search_text(document, facts.text)
        document.save(force_insert=True)
        version = _store_version(document, facts, number=1, note="", actor=actor)
        record(
            meeting,
            actor=actor,
            action="document.add",
            obj=document,
            summary=_("Document added: %(title)s") % {"title": title},
            changes={
                "kind": kind,
                "sha256": version.sha256,
                "signature_status": version.signature_status,
            },
        )
        announce(meeting.pk, "documents")
    return document


def add_version(
    *,
    document_id: int,
    expected_version: int | None,
    file: "File[bytes] | None",
    note: str,
    actor: Any,
) -> DocumentVersion:
    """A new version of the document's file, saying what changed."""
    note = normalize(note)
    if not note:
        message = _("Say what changed in this version.")
        raise DomainError(message, fields={"note": [message]})
    facts = _read_file(file)
    with transaction.atomic():
        meeting, document = _lock_document(document_id)
        check_version(document.version, expected_version)
        if meeting.status == MeetingStatus.CANCELLED:
            raise NotAllowedNow(_("This meeting is cancelled: it takes no more documents."))
        last = document.versions.aggregate(last=Max("number"))["last"] or 0
        version = _store_version(document, facts, number=last + 1, note=note, actor=actor)
        document.search_text = _search_text(document, facts.text)
        document.version += 1
        document.save(update_fields=["search_text", "version"])
        record(
            meeting,
            actor=actor,
            action="document.version",
            obj=document,
            summary=_("Version %(number)s of %(title)s: %(note)s")
            % {"number": version.number, "title": document.title, "note": version.note},
            changes={"version": version.number, "sha256": version.sha256},
        )
        announce(meeting.pk, "documents")
    return version


def publish_document(*, document_id: int, expected_version: int | None, actor: Any) -> Document:
    """Make the document public: the meeting's public page lists it."""
    with transaction.atomic():
        meeting, document = _lock_document(document_id)
        check_version(document.version, expected_version)
        if document.visibility == Visibility.PUBLISHED:
            raise Conflict(_("This document is already published."))
        document.visibility = Visibility.PUBLISHED
        document.published_at = timezone.now()
        document.version += 1
        document.save(update_fields=["visibility", "published_at", "version"])
        record(
            meeting,
            actor=actor,
            action="document.publish",
            obj=document,
            summary=_("Document published: %(title)s") % {"title": document.title},
            changes={"visibility": [Visibility.PARTICIPANTS, Visibility.PUBLISHED]},
        )
        announce(meeting.pk, "documents")
    return document


def unpublish_document(
    *, document_id: int, expected_version: int | None, actor: Any, reason: str
) -> Document:
    """Withdraw a published document from the public page (published by mistake, or
    replaced): it is for participants only again. The reason stays in the history."""
    reason = normalize(reason or "").strip()
    if not reason:
        message = _("Give the reason for withdrawing the document from publication.")
        raise DomainError(message, fields={"reason": [message]})
    if len(reason) > MAX_REASON_CHARS:
        message = _("The reason is too long (at most %(limit)s characters).") % {
            "limit": MAX_REASON_CHARS
        }
        raise DomainError(message, fields={"reason": [message]})
    with transaction.atomic():
        meeting, document = _lock_document(document_id)
        check_version(document.version, expected_version)
        if document.visibility != Visibility.PUBLISHED:
            raise Conflict(_("This document is not published."))
        published_at = document.published_at
        document.visibility = Visibility.PARTICIPANTS
        document.published_at = None
        document.version += 1
        document.save(update_fields=["visibility", "published_at", "version"])
        record(
            meeting,
            actor=actor,
            action="document.unpublish",
            obj=document,
            summary=_("Document withdrawn from publication: %(title)s") % {"title": document.title},
            changes={
                "visibility": [Visibility.PUBLISHED, Visibility.PARTICIPANTS],
                "published_at": [published_at.isoformat() if published_at else None, None],
                "reason": reason,
            },
        )
        announce(meeting.pk, "documents")
    return document


def _lock_document(document_id: int) -> tuple[Meeting, Document]:
    """The document's meeting, then the document, locked (the meeting first, as every
    meeting service locks)."""
    meeting_id = Document.objects.filter(id=document_id).values_list("meeting_id", flat=True)
    if not meeting_id:
        raise NotFound(_("This document does not exist."))
    meeting = lock_meeting(meeting_id[0])
    document = Document.objects.select_for_update().get(id=document_id)
    return meeting, document


# Private notes -------------------------------------------------------------------------


def _clean_highlights(highlights: Any) -> list[dict[str, Any]]:
    if not isinstance(highlights, list):
        raise DomainError(
            _("The highlights could not be read."), fields={"highlights": [_("Not a list.")]}
        )
    if len(highlights) > MAX_HIGHLIGHTS:
        message = _("A note holds at most %(count)s highlights.") % {"count": MAX_HIGHLIGHTS}
        raise DomainError(message, fields={"highlights": [message]})
    cleaned = []
    for one in highlights:
        if not isinstance(one, dict):
            raise DomainError(_("The highlights could not be read."))
        page = one.get("page")
        quote = normalize(str(one.get("quote") or ""))
        colour = one.get("color") or HIGHLIGHT_COLOURS[0]
        comment = str(one.get("comment") or "").strip()
        if not isinstance(page, int) or isinstance(page, bool) or not 1 <= page <= 100_000:
            message = _("A highlight needs the page number it is on.")
            raise DomainError(message, fields={"highlights": [message]})
        if not quote:
            message = _("A highlight needs the text it marks.")
            raise DomainError(message, fields={"highlights": [message]})
        if colour not in HIGHLIGHT_COLOURS:
            message = _("Choose one of the highlight colours.")
            raise DomainError(message, fields={"highlights": [message]})
        cleaned.append(
            {
                "page": page,
                "quote": quote[:MAX_QUOTE_CHARS],
                "color": colour,
                "comment": comment[:MAX_QUOTE_CHARS],
            }
        )
    return cleaned


def save_note(*, document_id: int, user: Any, text: str, highlights: Any = None) -> DocumentNote:
    """The user's own private note and highlights on a document (nobody else's); without
    `highlights`, the ones it has are kept (read under the lock, so that a highlight added
    meanwhile from another tab is not lost). Not audited and not announced: nobody else is
    told anything about it."""
    text = (text or "").strip()
    if len(text) > MAX_NOTE_CHARS:
        message = _("The note is longer than %(count)s characters.") % {"count": MAX_NOTE_CHARS}
        raise DomainError(message, fields={"text": [message]})
    cleaned = None
    if highlights is not None:
        cleaned = _clean_highlights(highlights)
        _check_pages(document_id, [one["page"] for one in cleaned], field="highlights")
    with transaction.atomic():
        note, _created = DocumentNote.objects.select_for_update().get_or_create(
            document_id=document_id, user_id=user.pk
        )
        note.text = text
        if cleaned is not None:
            note.highlights = cleaned
        note.save(update_fields=["text", "highlights", "updated_at"])
    return note


def add_highlight(
    *, document_id: int, user: Any, page: int, quote: str, color: str, comment: str
) -> DocumentNote:
    """One more highlight on the user's note (the note's text is kept). Its page must be
    one of the current version's, when that is a PDF whose pages can be counted."""
    _check_pages(document_id, [page], field="page")
    with transaction.atomic():
        note, _created = DocumentNote.objects.select_for_update().get_or_create(
            document_id=document_id, user_id=user.pk
        )
        highlights = [
            *note.highlights,
            {"page": page, "quote": quote, "color": color, "comment": comment},
        ]
        note.highlights = _clean_highlights(highlights)
        note.save(update_fields=["highlights", "updated_at"])
    return note


def _check_pages(document_id: int, pages: list[int], *, field: str) -> None:
    """Every page is one of the current version's (when it is a PDF that can be read)."""
    if not pages:
        return
    count = _current_page_count(document_id)
    if count is not None and max(pages) > count:
        message = _("This document has %(count)s pages: give the page the text is on.") % {
            "count": count
        }
        raise DomainError(message, fields={field: [message]})


def _current_page_count(document_id: int) -> int | None:
    version = DocumentVersion.objects.filter(document_id=document_id).order_by("-number").first()
    if version is None or version.content_type != "application/pdf":
        return None
    with version.file.open("rb") as stored:
        return page_count(stored.read())


def remove_highlight(*, document_id: int, user: Any, index: int) -> DocumentNote:
    with transaction.atomic():
        note = (
            DocumentNote.objects.select_for_update()
            .filter(document_id=document_id, user_id=user.pk)
            .first()
        )
        if note is None or not 0 <= index < len(note.highlights):
            raise NotFound(_("This highlight does not exist."))
        note.highlights = [h for position, h in enumerate(note.highlights) if position != index]
        note.save(update_fields=["highlights", "updated_at"])
    return note
