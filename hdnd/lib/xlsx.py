"""Small helpers for the .xlsx files the offices exchange (openpyxl).

Workbooks are built in write-only mode: rows stream to the file, so an export of
100,000 rows does not hold a cell object per value in memory. Text that a person typed
is always written as text: a title beginning with "=" must not become a formula.
"""

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill(fill_type="solid", start_color="FFDDE6F0", end_color="FFDDE6F0")
HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)
TITLE_FONT = Font(bold=True, size=13)
DATE_FORMAT = "dd/mm/yyyy"

# Characters Excel refuses in a sheet's name, and its length limit.
_BAD_TITLE_CHARACTERS = re.compile(r"[\[\]:*?/\\]")
_MAX_TITLE = 31
# A cell's text limit in Excel.
_MAX_TEXT = 32767


def new_workbook() -> Workbook:
    return Workbook(write_only=True)


def sheet_title(title: str) -> str:
    """A name Excel accepts for a sheet."""
    cleaned = _BAD_TITLE_CHARACTERS.sub(" ", title).strip() or "Sheet"
    return cleaned[:_MAX_TITLE]


def add_sheet(
    workbook: Workbook,
    title: str,
    *,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    widths: Sequence[float] | None = None,
    heading: str = "",
) -> WriteOnlyWorksheet:
    """A sheet with an optional heading line, a styled header row (frozen) and the rows."""
    sheet: WriteOnlyWorksheet = workbook.create_sheet(sheet_title(title))
    set_widths(sheet, widths or [max(10.0, len(header) + 2.0) for header in headers])
    if heading:
        cell = WriteOnlyCell(sheet, value=heading)
        cell.font = TITLE_FONT
        sheet.append([cell])
        sheet.append([])
        sheet.freeze_panes = "A4"
    else:
        sheet.freeze_panes = "A2"
    sheet.append(header_cells(sheet, headers))
    write_rows(sheet, rows)
    return sheet


def set_widths(sheet: WriteOnlyWorksheet, widths: Sequence[float]) -> None:
    """Column widths, in characters. In write-only mode they must come before the rows."""
    for index, width in enumerate(widths, start=1):
        # The stubs miss the write-only sheet's column dimensions; openpyxl has them.
        sheet.column_dimensions[get_column_letter(index)].width = width  # type: ignore[attr-defined]


def header_cells(sheet: WriteOnlyWorksheet, headers: Sequence[str]) -> list[Cell]:
    cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = HEADER_ALIGNMENT
        cells.append(cell)
    return cells


def write_rows(sheet: WriteOnlyWorksheet, rows: Iterable[Sequence[Any]]) -> None:
    for row in rows:
        sheet.append([_value(sheet, value) for value in row])


def _value(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    if isinstance(value, dt.date):
        moment = value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())
        cell = WriteOnlyCell(sheet, value=moment)
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, str):
        text = value[:_MAX_TEXT]
        if text.startswith(("=", "+", "-", "@")):
            # Written as text, never as a formula.
            cell = WriteOnlyCell(sheet, value=text)
            cell.data_type = "s"
            return cell
        return text
    return value


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
