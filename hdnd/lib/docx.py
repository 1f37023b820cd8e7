"""Word documents in the state document format of Nghị định 30/2020/NĐ-CP (python-docx).

What the decree fixes, and these helpers follow (Phụ lục I):
- A4 paper; margins top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm;
- Times New Roman, 13–14 pt body text, justified, first line indented, at least 6 pt
  between paragraphs; page numbers centred in the header from the second page;
- the heading: the issuing body on the left (the body above it in regular capitals, the
  body itself in bold capitals, a short rule under it, then "Số: …/…"), the national motto
  on the right ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" bold capitals, "Độc lập - Tự do - Hạnh
  phúc" bold, a rule as long as it, then the place and date in italics), side by side in
  a borderless two-column table;
- the document's kind in bold capitals centred, its summary in bold under it;
- at the end, "Nơi nhận:" on the left (bold italic 12 pt, the list in 11 pt) and the
  signature on the right (authority and position in bold capitals, room to sign, the
  signer's name in bold).

Document text is Vietnamese whatever the reader's language: a state document has one
language, so the callers write it directly rather than through gettext.
"""

import datetime as dt
import io
import math
from collections.abc import Sequence

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

FONT_NAME = "Times New Roman"
BODY_SIZE = 14
PAGE_WIDTH_MM = 210
PAGE_HEIGHT_MM = 297
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGINS_MM["left"] - MARGINS_MM["right"]
# The heading table: the issuing body's column and the national motto's.
LEFT_COLUMN_MM = 65
RIGHT_COLUMN_MM = TEXT_WIDTH_MM - LEFT_COLUMN_MM

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def new_document() -> Document:
    """An empty A4 document with the decree's margins, font and page numbers."""
    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Mm(PAGE_WIDTH_MM)
    section.page_height = Mm(PAGE_HEIGHT_MM)
    section.top_margin = _at_least_mm(MARGINS_MM["top"])
    section.bottom_margin = _at_least_mm(MARGINS_MM["bottom"])
    section.left_margin = _at_least_mm(MARGINS_MM["left"])
    section.right_margin = _at_least_mm(MARGINS_MM["right"])
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)

    normal = document.styles["Normal"]
    normal.font.name = FONT_NAME
    normal.font.size = Pt(BODY_SIZE)
    # Word picks the font per script: name it for every one, or Vietnamese letters
    # may fall back to another face.
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for script in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(script), FONT_NAME)
    paragraph_format = normal.paragraph_format
    paragraph_format.space_before = Pt(0)
    paragraph_format.space_after = Pt(6)
    paragraph_format.line_spacing = 1.1

    _add_page_numbers(document)
    return document


def place_and_date(place: str, day: dt.date) -> str:
    """ "Hà Nội, ngày 21 tháng 11 năm 2026". Days below 10 and months below 3 take a
    leading zero, as the decree asks ("ngày 05 tháng 02")."""
    day_text = f"{day.day:02d}" if day.day < 10 else str(day.day)
    month_text = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day_text} tháng {month_text} năm {day.year}"


def add_heading_block(
    document: Document,
    *,
    parent_body: str,
    issuing_body: str,
    number: str,
    place_date: str,
) -> Table:
    """The issuing body and "Số: …" on the left, the national motto and the place and
    date on the right."""
    table = _borderless_table(document, rows=1, widths_mm=[LEFT_COLUMN_MM, RIGHT_COLUMN_MM])
    left, right = table.rows[0].cells

    first = True
    if parent_body:
        _cell_line(left, parent_body.upper(), size=13, first=first)
        first = False
    _cell_line(left, issuing_body.upper(), size=13, bold=True, first=first)
    _rule(left, width_mm=LEFT_COLUMN_MM / 3, within_mm=LEFT_COLUMN_MM)
    _cell_line(left, number, size=13)

    _cell_line(right, NATIONAL_NAME, size=12, bold=True, first=True)
    _cell_line(right, MOTTO, size=13, bold=True)
    _rule(right, width_mm=62, within_mm=RIGHT_COLUMN_MM)
    _cell_line(right, place_date, size=14, italic=True)
    return table


def add_title(document: Document, kind: str, summary: str = "") -> None:
    """The document's kind ("BÁO CÁO") and its summary, bold and centred."""
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.paragraph_format.space_before = Pt(18)
    heading.paragraph_format.space_after = Pt(0)
    _run(heading, kind.upper(), size=BODY_SIZE, bold=True)
    if summary:
        line = document.add_paragraph()
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        line.paragraph_format.space_after = Pt(0)
        _run(line, summary, size=BODY_SIZE, bold=True)
    rule = document.add_paragraph()
    rule.paragraph_format.space_after = Pt(12)
    _bottom_rule(rule, width_mm=TEXT_WIDTH_MM / 4, within_mm=TEXT_WIDTH_MM)


def add_paragraph(
    document: Document,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    indent: bool = True,
    centered: bool = False,
) -> Paragraph:
    """A body paragraph: justified, first line indented 1 cm."""
    paragraph = document.add_paragraph()
    if bold:
        # A heading: room above it, after a table too.
        paragraph.paragraph_format.space_before = Pt(6)
        paragraph.paragraph_format.keep_with_next = True
    if centered:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    else:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if indent:
            paragraph.paragraph_format.first_line_indent = Mm(10)
    _run(paragraph, text, size=BODY_SIZE, bold=bold, italic=italic)
    return paragraph


def add_table(
    document: Document,
    *,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths_mm: Sequence[float],
    font_size: float = 12,
    bold_last_row: bool = False,
) -> Table:
    """A ruled table: bold centred headers, numbers centred, text left."""
    table = document.add_table(rows=1 + len(rows), cols=len(headers))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for index, header in enumerate(headers):
        cell = table.rows[0].cells[index]
        _cell_line(cell, header, size=font_size, bold=True, first=True)
    for row_index, values in enumerate(rows, start=1):
        bold = bold_last_row and row_index == len(rows)
        for index, value in enumerate(values):
            cell = table.rows[row_index].cells[index]
            text = "" if value is None else str(value)
            centered = not isinstance(value, str) or _looks_numeric(text)
            _cell_line(cell, text, size=font_size, bold=bold, first=True, centered=centered)
    _set_widths(table, widths_mm)
    _repeat_header_row(table)
    return table


def add_closing(
    document: Document,
    *,
    recipients: Sequence[str],
    authority: str,
    position: str,
    signer_name: str = "",
) -> Table:
    """ "Nơi nhận:" and the signature block. Without a known signer, the name is left
    blank for the person who signs."""
    spacer = document.add_paragraph()
    spacer.paragraph_format.space_after = Pt(0)
    table = _borderless_table(document, rows=1, widths_mm=[TEXT_WIDTH_MM / 2, TEXT_WIDTH_MM / 2])
    left, right = table.rows[0].cells

    _cell_line(left, "Nơi nhận:", size=12, bold=True, italic=True, first=True, centered=False)
    for index, recipient in enumerate(recipients):
        ending = "." if index == len(recipients) - 1 else ";"
        _cell_line(left, f"- {recipient.rstrip(';.')}{ending}", size=11, centered=False)

    first = True
    if authority:
        _cell_line(right, authority.upper(), size=14, bold=True, first=True)
        first = False
    _cell_line(right, position.upper(), size=14, bold=True, first=first)
    for _blank in range(4):
        _cell_line(right, "", size=14)
    _cell_line(right, signer_name, size=14, bold=True)
    return table


def add_signatures(document: Document, *, left: tuple[str, str], right: tuple[str, str]) -> Table:
    """Two signature blocks side by side, each (position, name): a record signed by two
    people, such as minutes (the secretary's and the chair's)."""
    spacer = document.add_paragraph()
    spacer.paragraph_format.space_after = Pt(0)
    table = _borderless_table(document, rows=1, widths_mm=[TEXT_WIDTH_MM / 2, TEXT_WIDTH_MM / 2])
    for cell, (position, name) in zip(table.rows[0].cells, (left, right), strict=True):
        _cell_line(cell, position.upper(), size=14, bold=True, first=True)
        for _blank in range(4):
            _cell_line(cell, "", size=14)
        _cell_line(cell, name, size=14, bold=True)
    return table


def document_bytes(document: Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _at_least_mm(millimetres: float) -> Twips:
    """A length Word keeps exactly: it stores twentieths of a point, and 15 mm rounded
    down would fall below the decree's minimum."""
    return Twips(math.ceil(millimetres * 1440 / 25.4))


def _run(
    paragraph: Paragraph, text: str, *, size: float, bold: bool = False, italic: bool = False
) -> None:
    run = paragraph.add_run(text)
    run.font.name = FONT_NAME
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic


def _cell_line(
    cell: _Cell,
    text: str,
    *,
    size: float,
    bold: bool = False,
    italic: bool = False,
    first: bool = False,
    centered: bool = True,
) -> Paragraph:
    """A line of a table cell; the first line reuses the cell's empty paragraph."""
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if centered else WD_ALIGN_PARAGRAPH.LEFT
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.first_line_indent = Mm(0)
    paragraph.paragraph_format.line_spacing = 1.0
    if text:
        _run(paragraph, text, size=size, bold=bold, italic=italic)
    return paragraph


def _rule(cell: _Cell, *, width_mm: float, within_mm: float) -> None:
    """A centred horizontal rule under a heading line."""
    paragraph = cell.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(4)
    paragraph.paragraph_format.line_spacing = 0.5
    _bottom_rule(paragraph, width_mm=width_mm, within_mm=within_mm)


def _bottom_rule(paragraph: Paragraph, *, width_mm: float, within_mm: float) -> None:
    """Draw the paragraph's bottom border, shortened by equal indents to `width_mm`."""
    side = max(0.0, (within_mm - width_mm) / 2)
    paragraph.paragraph_format.left_indent = Mm(side)
    paragraph.paragraph_format.right_indent = Mm(side)
    properties = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "6")
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    properties.append(borders)


def _borderless_table(document: Document, *, rows: int, widths_mm: Sequence[float]) -> Table:
    table = document.add_table(rows=rows, cols=len(widths_mm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    properties.append(borders)
    _set_widths(table, widths_mm)
    return table


def _set_widths(table: Table, widths_mm: Sequence[float]) -> None:
    # Word reads the width of every cell, not of the column.
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=False):
            cell.width = Mm(width)
    for column, width in zip(table.columns, widths_mm, strict=False):
        column.width = Mm(width)


def _repeat_header_row(table: Table) -> None:
    """The header row repeats at the top of every page the table crosses."""
    row_properties = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row_properties.append(header)


def _looks_numeric(text: str) -> bool:
    return bool(text) and all(ch.isdigit() or ch in ".,%" for ch in text)


def _add_page_numbers(document: Document) -> None:
    """The page number, centred at the top, from the second page on."""
    section = document.sections[0]
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    run.font.name = FONT_NAME
    run.font.size = Pt(BODY_SIZE)
    for kind, text in (("begin", ""), ("", "PAGE"), ("end", "")):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
