"""Import files: which ones are accepted (checked by content, not only by name), and
their rows, read as a stream so that a 100,000-row file never sits whole in memory.

- .xlsx: a zip holding `[Content_Types].xml` and a workbook; the first sheet with a
  header row is read (openpyxl in read-only mode), values as Excel shows them.
- .csv: UTF-8, with or without the byte-order mark Excel writes ("CSV UTF-8"),
  separated by commas, semicolons (Excel in Vietnamese) or tabs.

The header row may sit under title rows and merged banners; rows after it that are
empty in every column we read are skipped (Excel keeps formatted empty rows).
"""

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from hdnd.core.errors import DomainError
from hdnd.petitions.importing.columns import (
    COLUMNS_BY_KEY,
    HEADER_SEARCH_ROWS,
    HeaderRow,
    match_header,
)
from hdnd.petitions.importing.values import is_blank

XLSX = "xlsx"
CSV = "csv"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and any password-protected workbook
# A workbook that unpacks to more than this many times the upload limit is refused.
_MAX_UNPACKED_RATIO = 20
_CSV_DELIMITERS = (",", ";", "\t")
# Long petitions in a CSV cell: well above what a real row holds, far below memory limits.
csv.field_size_limit(1_000_000)


class ImportFileRefused(DomainError):
    code = "import_file_refused"


@dataclass(frozen=True, slots=True)
class RawRow:
    number: int  # as the spreadsheet shows it: the first row is 1
    values: dict[str, Any]  # column key → the cell's value


def kind_of(filename: str) -> str:
    """The kind of a stored file, by its name (its content was checked on upload)."""
    return XLSX if PurePath(filename).suffix.lower() == ".xlsx" else CSV


def max_upload_bytes() -> int:
    return int(settings.PETITIONS_MAX_UPLOAD_MB) * 1024 * 1024


def _refuse(message: str) -> ImportFileRefused:
    return ImportFileRefused(message, fields={"file": [message]})


def check_upload(upload: "File[bytes]") -> str:
    """The kind of file (XLSX or CSV), or ImportFileRefused saying what is wrong."""
    size = upload.size or 0
    if size > max_upload_bytes():
        raise _refuse(
            _(
                "The file is too large (%(size)s MB): the limit is %(limit)s MB, set by "
                "%(setting)s on the server. Split the file, or ask the administrator to "
                "raise the limit."
            )
            % {
                "size": f"{size / 1024 / 1024:.1f}",
                "limit": settings.PETITIONS_MAX_UPLOAD_MB,
                "setting": "PETITIONS_MAX_UPLOAD_MB",
            }
        )
    if size == 0:
        raise _refuse(_("The file is empty."))
    extension = PurePath(upload.name or "").suffix.lower()
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(_OLE_MAGIC) or extension == ".xls":
        raise _refuse(
            _(
                "This is an old Excel workbook (.xls) or one protected by a password. Open it in "
                "Excel and save it as “Excel Workbook (.xlsx)” or “CSV UTF-8”, without a password."
            )
        )
    if extension == ".xlsx":
        _check_xlsx(upload, head)
        return XLSX
    if extension == ".csv":
        _check_csv(upload, head)
        return CSV
    raise _refuse(_("Upload an Excel workbook (.xlsx) or a CSV file (.csv)."))


def _check_xlsx(upload: "File[bytes]", head: bytes) -> None:
    not_xlsx = _refuse(_("This file is not an Excel workbook, although its name ends in .xlsx."))
    if not head.startswith(_ZIP_MAGIC):
        raise not_xlsx
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise not_xlsx from None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise not_xlsx
    if unpacked > _MAX_UNPACKED_RATIO * max_upload_bytes():
        raise _refuse(_("This workbook is too large once unpacked."))


def _check_csv(upload: "File[bytes]", head: bytes) -> None:
    if head.startswith(_ZIP_MAGIC):
        raise _refuse(_("This file is a workbook or an archive, not a CSV text file."))
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for chunk in upload.chunks():
            if b"\x00" in chunk:
                raise _refuse(_("This file is not a CSV text file."))
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise _refuse(
            _(
                "The CSV file is not in UTF-8. In Excel, choose File → Save As → “CSV UTF-8 "
                "(Comma delimited)” and upload it again."
            )
        ) from None
    finally:
        upload.seek(0)


@dataclass
class OpenedFile:
    header: HeaderRow
    rows: Iterator[RawRow]
    # How many lines (rows of the sheet, lines of the CSV) the file seems to hold, header
    # and title rows included, for a progress bar; None when it cannot tell cheaply. A CSV
    # cell with line breaks counts more than once.
    line_count: int | None = None


def _no_header() -> ImportFileRefused:
    return _refuse(
        _(
            "No header row found in the first %(rows)s rows: the file needs at least the "
            "columns “%(id)s” and “%(text)s”."
        )
        % {
            "rows": HEADER_SEARCH_ROWS,
            "id": COLUMNS_BY_KEY["source_id"].header,
            "text": COLUMNS_BY_KEY["text"].header,
        }
    )


@contextmanager
def open_rows(handle: IO[bytes], kind: str) -> Iterator[OpenedFile]:
    """The header and a stream of the data rows. Raises ImportFileRefused when the file
    cannot be read or has no header row."""
    handle.seek(0)
    if kind == XLSX:
        with _xlsx_rows(handle) as opened:
            yield opened
    else:
        with _csv_rows(handle) as opened:
            yield opened


@contextmanager
def _xlsx_rows(handle: IO[bytes]) -> Iterator[OpenedFile]:
    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file; all mean the same
        raise _refuse(_("The workbook could not be read: it may be damaged.")) from None
    try:
        for sheet in workbook.worksheets:
            lines = _guarded(enumerate(sheet.iter_rows(values_only=True), start=1))
            header = _find_header(lines)
            if header is not None:
                # The sheet's recorded dimension: no reading, but absent from some files.
                max_row = getattr(sheet, "max_row", None)
                line_count = max_row if isinstance(max_row, int) else None
                yield OpenedFile(header, _data_rows(lines, header), line_count)
                return
        raise _no_header()
    finally:
        workbook.close()


def _count_lines(handle: IO[bytes]) -> int:
    """The lines of the file (its line breaks, one more when the last line has none),
    counted in one pass over the bytes without decoding them."""
    handle.seek(0)
    lines = 0
    last = b""
    while chunk := handle.read(1024 * 1024):
        lines += chunk.count(b"\n")
        last = chunk
    handle.seek(0)
    return lines + (1 if last and not last.endswith(b"\n") else 0)


@contextmanager
def _csv_rows(handle: IO[bytes]) -> Iterator[OpenedFile]:
    line_count = _count_lines(handle)
    for delimiter in _CSV_DELIMITERS:
        handle.seek(0)
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
        try:
            lines = _guarded(enumerate(csv.reader(text, delimiter=delimiter), start=1))
            header = _find_header(lines)
            if header is not None:
                yield OpenedFile(header, _data_rows(lines, header), line_count)
                return
        finally:
            # The caller owns the file: the wrapper must not close it.
            with suppress(ValueError):
                text.detach()
    raise _no_header()


def _guarded(lines: Iterator[tuple[int, Sequence[Any]]]) -> Iterator[tuple[int, Sequence[Any]]]:
    """The file's lines; a file damaged in the middle stops with a message, not a crash."""
    number = 0
    while True:
        try:
            number, cells = next(lines)
        except StopIteration:
            return
        except (csv.Error, UnicodeDecodeError, ValueError, KeyError, OSError, zipfile.BadZipFile):
            raise _refuse(
                _("The file could not be read after row %(row)s: it may be damaged.")
                % {"row": number}
            ) from None
        yield number, cells


def _find_header(lines: Iterator[tuple[int, Sequence[Any]]]) -> HeaderRow | None:
    for number, cells in lines:
        header = match_header(cells, number)
        if header is not None:
            return header
        if number >= HEADER_SEARCH_ROWS:
            return None
    return None


def _data_rows(lines: Iterator[tuple[int, Sequence[Any]]], header: HeaderRow) -> Iterator[RawRow]:
    positions = header.positions.items()
    for number, cells in lines:
        count = len(cells)
        values = {key: cells[index] if index < count else None for key, index in positions}
        if all(is_blank(value) for value in values.values()):
            continue
        yield RawRow(number, values)
