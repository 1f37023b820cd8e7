"""Stamping a downloaded PDF with who downloaded it and when (a watermark), and reading
the text of a PDF's pages back (search, and checking the stamp).

The stamp is added with pyHanko's incremental writer: the original bytes are kept as
they are and the stamp is appended as an update, so the stored file never changes.
Every page gets a light grey diagonal line across it and a footer line.

Vietnamese needs a font with its letters: pyHanko's own OpenType support needs fontTools
and HarfBuzz, which we do not depend on, so a TrueType font is embedded here directly
(a Type0 font with Identity-H encoding, its glyphs found through the font's own cmap
table, and a ToUnicode map so that the text can be searched and copied). The font is
DejaVu Sans from Debian's fonts-dejavu-core package. Without that file the stamp falls
back to the PDF standard Helvetica with the text folded to ASCII ("Nguyen Van A").

`page_texts` reads the text of simple PDFs: strings shown with a font that has a
ToUnicode map, or literal strings in a single-byte encoding. Scanned pages (images) and
fonts without a Unicode map give no text.
"""

import io
import math
import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader

from hdnd.lib.vietnamese import fold

# From Debian's fonts-dejavu-core (never copied into the repository).
FONT_PATH = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FONT_NAME = "/HdndStampFont"
STATE_NAME = "/HdndStampState"
GREY = 0.55
OPACITY = 0.35
DEFAULT_BOX = (0.0, 0.0, 595.0, 842.0)  # A4 portrait, when a page does not say
MAX_TEXT_PAGES = 500


class StampError(Exception):
    """The PDF could not be stamped (unreadable, encrypted, or a broken page tree)."""


# The font -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TrueTypeFont:
    data: bytes
    units_per_em: int
    bbox: tuple[int, int, int, int]
    ascent: int
    descent: int
    cmap: dict[int, int]  # code point → glyph id
    advances: list[int]  # glyph id → advance width (font units)

    def glyph(self, char: str) -> int:
        return self.cmap.get(ord(char), 0)

    def width(self, glyph: int) -> int:
        """Advance width in text space units (1/1000 of the font size)."""
        advance = self.advances[glyph] if glyph < len(self.advances) else self.advances[-1]
        return round(advance * 1000 / self.units_per_em)

    def scale(self, value: int) -> int:
        return round(value * 1000 / self.units_per_em)


def _tables(data: bytes) -> dict[bytes, tuple[int, int]]:
    (count,) = struct.unpack_from(">H", data, 4)
    tables = {}
    for index in range(count):
        tag, _checksum, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * index)
        tables[tag] = (offset, length)
    return tables


def _cmap_format4(data: bytes, start: int) -> dict[int, int]:
    (seg_count_x2,) = struct.unpack_from(">H", data, start + 6)
    segments = seg_count_x2 // 2
    ends = start + 14
    starts = ends + seg_count_x2 + 2
    deltas = starts + seg_count_x2
    range_offsets = deltas + seg_count_x2
    mapping: dict[int, int] = {}
    for seg in range(segments):
        (end,) = struct.unpack_from(">H", data, ends + 2 * seg)
        (first,) = struct.unpack_from(">H", data, starts + 2 * seg)
        (delta,) = struct.unpack_from(">h", data, deltas + 2 * seg)
        offset_at = range_offsets + 2 * seg
        (range_offset,) = struct.unpack_from(">H", data, offset_at)
        for code in range(first, end + 1):
            if code == 0xFFFF:
                continue
            if range_offset == 0:
                glyph = (code + delta) & 0xFFFF
            else:
                (glyph,) = struct.unpack_from(
                    ">H", data, offset_at + range_offset + 2 * (code - first)
                )
                if glyph:
                    glyph = (glyph + delta) & 0xFFFF
            if glyph:
                mapping[code] = glyph
    return mapping


def load_truetype(path: Path) -> TrueTypeFont:
    """What the stamp needs from a TrueType file: its Unicode cmap (format 4, the Basic
    Multilingual Plane: Vietnamese is all there), advance widths and metrics."""
    data = path.read_bytes()
    tables = _tables(data)
    head, _ = tables[b"head"]
    (units_per_em,) = struct.unpack_from(">H", data, head + 18)
    bbox = struct.unpack_from(">hhhh", data, head + 36)
    hhea, _ = tables[b"hhea"]
    ascent, descent = struct.unpack_from(">hh", data, hhea + 4)
    (metric_count,) = struct.unpack_from(">H", data, hhea + 34)
    hmtx, _ = tables[b"hmtx"]
    advances = [struct.unpack_from(">H", data, hmtx + 4 * i)[0] for i in range(metric_count)]
    cmap, _ = tables[b"cmap"]
    (subtable_count,) = struct.unpack_from(">H", data, cmap + 2)
    mapping: dict[int, int] = {}
    for index in range(subtable_count):
        platform, encoding, offset = struct.unpack_from(">HHI", data, cmap + 4 + 8 * index)
        (fmt,) = struct.unpack_from(">H", data, cmap + offset)
        if fmt == 4 and (platform, encoding) in ((3, 1), (0, 3), (0, 4)):
            mapping = _cmap_format4(data, cmap + offset)
            break
    if not mapping:
        raise ValueError(f"{path}: no Unicode cmap of format 4")
    return TrueTypeFont(
        data=data,
        units_per_em=units_per_em,
        bbox=(bbox[0], bbox[1], bbox[2], bbox[3]),
        ascent=ascent,
        descent=descent,
        cmap=mapping,
        advances=advances,
    )


@lru_cache(maxsize=1)
def stamp_font() -> TrueTypeFont | None:
    """The embedded font, or None when the system font is missing (ASCII fallback)."""
    if not FONT_PATH.is_file():
        return None
    try:
        return load_truetype(FONT_PATH)
    except (ValueError, KeyError, struct.error):
        return None


def _add_type0_font(
    writer: IncrementalPdfFileWriter, font: TrueTypeFont, text: str
) -> generic.IndirectObject:
    glyphs = sorted({font.glyph(char) for char in text})
    font_file = generic.StreamObject(
        {pdf_name("/Length1"): generic.NumberObject(len(font.data))}, stream_data=font.data
    )
    font_file.compress()
    base = pdf_name("/DejaVuSans")
    descriptor = generic.DictionaryObject(
        {
            pdf_name("/Type"): pdf_name("/FontDescriptor"),
            pdf_name("/FontName"): base,
            pdf_name("/Flags"): generic.NumberObject(32),
            pdf_name("/FontBBox"): generic.ArrayObject(
                [generic.NumberObject(font.scale(v)) for v in font.bbox]
            ),
            pdf_name("/ItalicAngle"): generic.NumberObject(0),
            pdf_name("/Ascent"): generic.NumberObject(font.scale(font.ascent)),
            pdf_name("/Descent"): generic.NumberObject(font.scale(font.descent)),
            pdf_name("/CapHeight"): generic.NumberObject(font.scale(font.ascent)),
            pdf_name("/StemV"): generic.NumberObject(80),
            pdf_name("/FontFile2"): writer.add_object(font_file),
        }
    )
    widths = generic.ArrayObject()
    for glyph in glyphs:
        widths.append(generic.NumberObject(glyph))
        widths.append(generic.ArrayObject([generic.NumberObject(font.width(glyph))]))
    descendant = generic.DictionaryObject(
        {
            pdf_name("/Type"): pdf_name("/Font"),
            pdf_name("/Subtype"): pdf_name("/CIDFontType2"),
            pdf_name("/BaseFont"): base,
            pdf_name("/CIDSystemInfo"): generic.DictionaryObject(
                {
                    pdf_name("/Registry"): generic.TextStringObject("Adobe"),
                    pdf_name("/Ordering"): generic.TextStringObject("Identity"),
                    pdf_name("/Supplement"): generic.NumberObject(0),
                }
            ),
            pdf_name("/FontDescriptor"): writer.add_object(descriptor),
            pdf_name("/CIDToGIDMap"): pdf_name("/Identity"),
            pdf_name("/W"): widths,
        }
    )
    to_unicode = generic.StreamObject(stream_data=_to_unicode_cmap(font, text))
    to_unicode.compress()
    return writer.add_object(
        generic.DictionaryObject(
            {
                pdf_name("/Type"): pdf_name("/Font"),
                pdf_name("/Subtype"): pdf_name("/Type0"),
                pdf_name("/BaseFont"): base,
                pdf_name("/Encoding"): pdf_name("/Identity-H"),
                pdf_name("/DescendantFonts"): generic.ArrayObject([writer.add_object(descendant)]),
                pdf_name("/ToUnicode"): writer.add_object(to_unicode),
            }
        )
    )


def _to_unicode_cmap(font: TrueTypeFont, text: str) -> bytes:
    pairs = {font.glyph(char): char for char in text}
    entries = "\n".join(
        f"<{glyph:04X}> <{char.encode('utf-16-be').hex().upper()}>"
        for glyph, char in sorted(pairs.items())
    )
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        f"{len(pairs)} beginbfchar\n{entries}\nendbfchar\n"
        "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    ).encode("ascii")


def _add_helvetica(writer: IncrementalPdfFileWriter) -> generic.IndirectObject:
    return writer.add_object(
        generic.DictionaryObject(
            {
                pdf_name("/Type"): pdf_name("/Font"),
                pdf_name("/Subtype"): pdf_name("/Type1"),
                pdf_name("/BaseFont"): pdf_name("/Helvetica"),
                pdf_name("/Encoding"): pdf_name("/WinAnsiEncoding"),
            }
        )
    )


# Helvetica's widths for the ASCII the fallback shows (an average is good enough).
_HELVETICA_AVERAGE = 556


@dataclass(frozen=True)
class _Shaped:
    operand: bytes  # the string operand of Tj
    width: float  # in text space units (1/1000 of the font size)


def _shape(text: str, font: TrueTypeFont | None) -> _Shaped:
    if font is None:
        ascii_text = fold_for_ascii(text)
        escaped = ascii_text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return _Shaped(f"({escaped})".encode("latin-1"), _HELVETICA_AVERAGE * len(ascii_text))
    glyphs = [font.glyph(char) for char in text]
    operand = "<" + "".join(f"{glyph:04X}" for glyph in glyphs) + ">"
    return _Shaped(operand.encode("ascii"), sum(font.width(glyph) for glyph in glyphs))


def fold_for_ascii(text: str) -> str:
    """The text without diacritics, keeping its case ("Nguyễn" → "Nguyen"); the dash
    becomes a hyphen."""
    folded = []
    for char in text.replace("—", "-").replace("–", "-"):
        plain = fold(char) if not char.isspace() else " "
        folded.append(plain.upper() if char.isupper() else plain)
    return "".join(ch for ch in "".join(folded) if 32 <= ord(ch) < 127)


# Stamping ------------------------------------------------------------------------------


def _page_box(page: generic.DictionaryObject) -> tuple[float, float, float, float]:
    node: Any = page
    for _depth in range(32):
        box = node.get("/CropBox") or node.get("/MediaBox")
        if box is not None:
            values = [float(v) for v in box]
            if len(values) == 4:
                return (values[0], values[1], values[2], values[3])
        parent = node.get("/Parent")
        if parent is None:
            break
        node = parent.get_object() if hasattr(parent, "get_object") else parent
    return DEFAULT_BOX


def _number(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def _stamp_operators(shaped: _Shaped, box: tuple[float, float, float, float]) -> bytes:
    left, bottom, right, top = box
    width, height = right - left, top - bottom
    angle = math.atan2(height, width)
    cos, sin = math.cos(angle), math.sin(angle)
    diagonal = math.hypot(width, height)
    text_units = max(shaped.width, 1)
    size = max(8.0, min(36.0, 0.75 * diagonal * 1000 / text_units))
    run = text_units * size / 1000
    centre_x, centre_y = left + width / 2, bottom + height / 2
    # Start so that the line's middle sits at the page's centre.
    start_x = centre_x - cos * run / 2 + sin * size * 0.35
    start_y = centre_y - sin * run / 2 - cos * size * 0.35
    footer_size = max(6.0, min(8.0, 0.9 * width * 1000 / text_units))
    footer_x = left + (width - text_units * footer_size / 1000) / 2
    footer_y = bottom + 12
    operators = [
        "Q q",
        f"{STATE_NAME} gs",
        f"{_number(GREY)} g",
        "BT",
        f"{FONT_NAME} {_number(size)} Tf",
        " ".join(_number(v) for v in (cos, sin, -sin, cos, start_x, start_y)) + " Tm",
    ]
    footer = [
        "ET",
        "BT",
        f"{FONT_NAME} {_number(footer_size)} Tf",
        f"1 0 0 1 {_number(footer_x)} {_number(footer_y)} Tm",
    ]
    return (
        "\n".join(operators).encode("ascii")
        + b"\n"
        + shaped.operand
        + b" Tj\n"
        + "\n".join(footer).encode("ascii")
        + b"\n"
        + shaped.operand
        + b" Tj\nET Q\n"
    )


def stamp_pdf(data: bytes, text: str) -> bytes:
    """The PDF with `text` on every page (diagonal and footer), appended as an update."""
    font = stamp_font()
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        if writer.prev.encrypted:
            raise StampError("encrypted PDF")
        page_count = int(writer.root["/Pages"]["/Count"])
        font_ref = _add_helvetica(writer) if font is None else _add_type0_font(writer, font, text)
        state_ref = writer.add_object(
            generic.DictionaryObject(
                {
                    pdf_name("/Type"): pdf_name("/ExtGState"),
                    pdf_name("/ca"): generic.FloatObject(OPACITY),
                    pdf_name("/CA"): generic.FloatObject(OPACITY),
                }
            )
        )
        shaped = _shape(text, font)
        save_state = writer.add_object(generic.StreamObject(stream_data=b"q\n"))
        for index in range(page_count):
            page_ref, _resources = writer.find_page_for_modification(index)
            box = _page_box(page_ref.get_object())
            stream = generic.StreamObject(stream_data=_stamp_operators(shaped, box))
            stream.compress()
            resources = generic.DictionaryObject(
                {
                    pdf_name("/Font"): generic.DictionaryObject({pdf_name(FONT_NAME): font_ref}),
                    pdf_name("/ExtGState"): generic.DictionaryObject(
                        {pdf_name(STATE_NAME): state_ref}
                    ),
                }
            )
            # Wrap the page's own content in q … Q so that whatever state it leaves
            # behind (a scaled matrix, a colour) does not reach the stamp.
            writer.add_stream_to_page(index, save_state, prepend=True)
            writer.add_stream_to_page(index, writer.add_object(stream), resources=resources)
        out = io.BytesIO()
        writer.write(out)
    except StampError:
        raise
    except Exception as exc:  # Whatever pyHanko raises on a broken file.
        raise StampError(type(exc).__name__) from exc
    return out.getvalue()


# Reading text back ---------------------------------------------------------------------

_TOKENS = re.compile(
    rb"\((?:\\.|[^\\()]|\((?:\\.|[^\\()])*\))*\)"  # a literal string (one level of nesting)
    rb"|<[0-9A-Fa-f\s]*>"  # a hex string
    rb"|/[^\s/<>\[\]()]+"  # a name
    rb"|[A-Za-z'\"*]+"  # an operator
    rb"|-?[0-9.]+"  # a number
    rb"|\[|\]"
)
_BFCHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
_BFRANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


@dataclass
class _FontMap:
    code_bytes: int
    mapping: dict[int, str]

    def decode(self, raw: bytes) -> str:
        if not self.mapping:
            return raw.decode("latin-1")
        step = self.code_bytes
        chars = []
        for index in range(0, len(raw) - step + 1, step):
            code = int.from_bytes(raw[index : index + step], "big")
            chars.append(self.mapping.get(code, ""))
        return "".join(chars)


def _font_map(font: Any) -> _FontMap:
    font = font.get_object()
    two_byte = font.get("/Subtype") == "/Type0"
    mapping: dict[int, str] = {}
    to_unicode = font.get("/ToUnicode")
    if to_unicode is not None:
        cmap = to_unicode.get_object().data
        for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
            for low, high, target in _BFRANGE.findall(block):
                first = int(target, 16)
                for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                    mapping[code] = chr(first + offset)
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
            for code, target in _BFCHAR.findall(block):
                mapping[int(code, 16)] = bytes.fromhex(target.decode()).decode(
                    "utf-16-be", errors="ignore"
                )
    return _FontMap(code_bytes=2 if two_byte else 1, mapping=mapping)


def _literal(token: bytes) -> bytes:
    body = token[1:-1]
    out = bytearray()
    index = 0
    while index < len(body):
        byte = body[index : index + 1]
        if byte == b"\\" and index + 1 < len(body):
            following = body[index + 1 : index + 2]
            octal = re.match(rb"[0-7]{1,3}", body[index + 1 : index + 4])
            if octal:
                out.append(int(octal.group(), 8) & 0xFF)
                index += 1 + len(octal.group())
                continue
            out += _ESCAPES.get(following, following)
            index += 2
            continue
        out += byte
        index += 1
    return bytes(out)


def _content_streams(page: Any) -> Iterator[bytes]:
    contents = page.get("/Contents")
    if contents is None:
        return
    contents = contents.get_object()
    parts = contents if isinstance(contents, generic.ArrayObject) else [contents]
    for part in parts:
        yield part.get_object().data


def _page_text(page: Any) -> str:
    resources = page.get("/Resources")
    fonts = resources.get_object().get("/Font") if resources is not None else None
    maps = {}
    if fonts is not None:
        maps = {str(name): _font_map(ref) for name, ref in fonts.get_object().items()}
    current = _FontMap(1, {})
    pieces: list[str] = []
    content = b"\n".join(_content_streams(page))
    operands: list[bytes] = []
    for token in _TOKENS.findall(content):
        if token.startswith((b"/", b"(", b"<")) or token[:1] in b"[]-.0123456789":
            operands.append(token)
        else:
            if token == b"Tf" and len(operands) >= 2:
                current = maps.get(operands[-2].decode("latin-1"), _FontMap(1, {}))
            elif token in (b"Tj", b"TJ", b"'", b'"'):
                for operand in operands:
                    if operand.startswith(b"("):
                        pieces.append(current.decode(_literal(operand)))
                    elif operand.startswith(b"<"):
                        hexdigits = re.sub(rb"\s", b"", operand[1:-1])
                        if len(hexdigits) % 2:
                            hexdigits += b"0"
                        pieces.append(current.decode(bytes.fromhex(hexdigits.decode())))
                pieces.append(" " if token == b"TJ" else "\n")
            elif token in (b"ET", b"Td", b"TD", b"T*", b"Tm"):
                pieces.append("\n")
            operands = []
    return re.sub(r"[ \t]+", " ", "".join(pieces)).strip()


def page_count(data: bytes) -> int | None:
    """How many pages the PDF has; None when it cannot be read."""
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        if reader.encrypted:
            return None
        return int(reader.root["/Pages"]["/Count"])
    except Exception:  # A broken file: its pages cannot be counted.
        return None


def page_texts(data: bytes, *, max_pages: int = MAX_TEXT_PAGES) -> list[str]:
    """The text shown on each page, as far as it can be read (see the module's notes).
    An unreadable PDF gives an empty list."""
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        if reader.encrypted:
            return []
        count = int(reader.root["/Pages"]["/Count"])
        texts = []
        for index in range(min(count, max_pages)):
            page, _resources = reader.find_page_for_modification(index)
            texts.append(_page_text(page.get_object()))
        return texts
    except Exception:  # A broken file simply has no searchable text.
        return []
