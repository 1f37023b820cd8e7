"""Checking uploaded files by their content, not only their name: what every upload
check of the platform shares (answer documents, meeting documents, resolutions, the
minutes of voter-contact meetings, imports)."""

import zipfile
from typing import IO, Any

from django.utils.translation import gettext as _

from hdnd.core.errors import DomainError

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"


def starts_with(upload: IO[bytes] | Any, magic: bytes) -> bool:
    """Whether the file's first bytes are `magic` (the file is left at its start)."""
    upload.seek(0)
    head = upload.read(len(magic))
    upload.seek(0)
    return bool(head == magic)


def is_office_package(upload: IO[bytes] | Any, part: str) -> bool:
    """Whether the file is an Office Open XML package holding `part` ("word/document.xml"
    for .docx, "xl/workbook.xml" for .xlsx)."""
    if not starts_with(upload, ZIP_MAGIC):
        return False
    try:
        with zipfile.ZipFile(upload) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)
    return "[Content_Types].xml" in names and part in names


def check_pdf_upload(upload: Any, *, limit_mb: int, field: str = "file") -> None:
    """A PDF by name and by content, no larger than `limit_mb`; refusals name `field`."""
    if upload.size is not None and upload.size > limit_mb * 1024 * 1024:
        message = _("The file is larger than %(limit)s MB.") % {"limit": limit_mb}
        raise DomainError(message, fields={field: [message]})
    if not (upload.name or "").lower().endswith(".pdf"):
        message = _("Upload a PDF file (.pdf).")
        raise DomainError(message, fields={field: [message]})
    if not starts_with(upload, PDF_MAGIC):
        message = _("This file is not a PDF document, whatever its name says.")
        raise DomainError(message, fields={field: [message]})
