"""The columns of an import file and how their headers are recognised.

Offices type headers in many ways: "Mã", "MÃ KIẾN NGHỊ", "Ma", "Mã (*)", "Ngày tiếp
nhận", "Ngay tiep nhan"… A header is matched by its key: folded (no diacritics, lower
case), without parenthesised notes, stars or punctuation. English aliases are accepted
for files exported by other systems. The column keys are also the field names of the
JSON import API.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hdnd.lib.vietnamese import fold

# How many rows above the header a file may have (titles, merged banners, notes).
HEADER_SEARCH_ROWS = 30


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # as in the template offered for download, in Vietnamese
    label: str | Promise  # for pages in either language
    aliases: tuple[str, ...] = ()
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column(
        "source_id",
        "Mã",
        _("Source id"),
        ("mã kiến nghị", "mã số", "mã nguồn", "số hiệu", "id", "source id", "code"),
        required=True,
    ),
    Column(
        "received_on",
        "Ngày tiếp nhận",
        _("Received on"),
        ("ngày nhận", "ngày", "received on", "received", "date received", "date"),
    ),
    Column("session", "Kỳ họp", _("Session"), ("kỳ", "session", "session cycle", "cycle")),
    Column(
        "text",
        "Nội dung",
        _("Text"),
        ("nội dung kiến nghị", "kiến nghị", "text", "content", "petition"),
        required=True,
    ),
    Column("field", "Lĩnh vực", _("Field"), ("field", "category")),
    Column(
        "level",
        "Cấp thẩm quyền",
        _("Competence level"),
        ("thẩm quyền", "cấp giải quyết", "level", "competence level", "competence"),
    ),
    Column(
        "unit",
        "Địa bàn",
        _("Place (unit)"),
        ("đơn vị", "xã phường", "địa phương", "unit", "area"),
    ),
    Column(
        "voter_count",
        "Số cử tri",
        _("Number of voters"),
        ("số lượng cử tri", "voter count", "voters"),
    ),
    Column("channel", "Kênh", _("Channel"), ("kênh tiếp nhận", "nguồn", "channel")),
    Column(
        "agency",
        "Cơ quan chủ trì",
        _("Lead agency"),
        (
            "cơ quan giải quyết",
            "cơ quan trả lời",
            "đơn vị chủ trì",
            "cơ quan",
            "agency",
            "lead agency",
        ),
    ),
    Column(
        "due_on",
        "Hạn trả lời",
        _("Answer due on"),
        ("thời hạn trả lời", "due on", "due date", "deadline"),
    ),
    Column("answered_on", "Ngày trả lời", _("Answered on"), ("answered on", "answer date")),
    Column("result", "Kết quả", _("Result"), ("kết quả giải quyết", "result")),
    Column(
        "answer_text",
        "Nội dung trả lời",
        _("Answer"),
        ("trả lời", "answer", "answer text"),
    ),
    Column("roadmap", "Lộ trình", _("Roadmap"), ("lộ trình giải quyết", "roadmap")),
    Column(
        "planned_completion",
        "Thời hạn hoàn thành",
        _("Planned completion"),
        ("hạn hoàn thành", "planned completion"),
    ),
    Column(
        "verdict",
        "Đánh giá",
        _("Evaluation"),
        ("kết quả đánh giá", "evaluation", "verdict", "rating"),
    ),
    Column(
        "rating_comment",
        "Nhận xét đánh giá",
        _("Evaluation comment"),
        ("nhận xét", "ý kiến đánh giá", "comment", "evaluation comment"),
    ),
    Column("rated_on", "Ngày đánh giá", _("Evaluated on"), ("rated on", "evaluated on")),
)
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}
REQUIRED_KEYS = tuple(column.key for column in COLUMNS if column.required)

_NOTES = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def header_key(text: Any) -> str:
    """What two spellings of a header share: "Mã kiến nghị (*)" → "ma kien nghi". Names
    of fields, agencies and places are compared the same way."""
    if text is None:
        return ""
    text = str(text)
    return _cached_key(text) if len(text) <= _LONGEST_CACHED_KEY else _key(text)


# A file repeats the same few names in every row: each is worked out once.
_LONGEST_CACHED_KEY = 200


@lru_cache(maxsize=8192)
def _cached_key(text: str) -> str:
    return _key(text)


def _key(text: str) -> str:
    folded = fold(_NOTES.sub(" ", text))
    return _NOT_WORD.sub(" ", folded).strip()


def _headers_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for column in COLUMNS:
        for spelling in (column.header, column.key.replace("_", " "), *column.aliases):
            index.setdefault(header_key(spelling), column.key)
    return index


_KEY_OF_HEADER = _headers_index()


@dataclass
class HeaderRow:
    """Where the header is and what each column holds."""

    row_number: int
    positions: dict[str, int]  # column key → index in the row
    headers: dict[str, str]  # column key → the header as written in the file
    ignored: list[str] = field(default_factory=list)  # headers we do not use
    repeated: list[str] = field(default_factory=list)  # headers naming a column twice

    def header_of(self, key: str) -> str:
        return self.headers.get(key) or COLUMNS_BY_KEY[key].header


def match_header(cells: Sequence[Any], row_number: int) -> HeaderRow | None:
    """The header, if this row is one: it names at least the required columns."""
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    ignored: list[str] = []
    repeated: list[str] = []
    for index, cell in enumerate(cells):
        written = " ".join(str(cell).split()) if cell is not None else ""
        if not written:
            continue
        key = _KEY_OF_HEADER.get(header_key(written))
        if key is None:
            ignored.append(written)
        elif key in positions:
            repeated.append(written)
        else:
            positions[key] = index
            headers[key] = written
    if not all(key in positions for key in REQUIRED_KEYS):
        return None
    return HeaderRow(row_number, positions, headers, ignored, repeated)
