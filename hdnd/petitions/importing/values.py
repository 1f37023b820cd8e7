"""One cell's value: text, dates, whole numbers and the fixed choices (competence
level, result, evaluation, channel), as offices actually type them.

Each parser takes what openpyxl, the csv module or a JSON body gives (str, int, float,
date, datetime, bool or None) and returns the clean value, None for an empty cell, or
raises `CellError` with a reason the user can act on.
"""

import datetime as dt
import re
import unicodedata
from functools import lru_cache
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils.datetime import from_excel

from hdnd.lib.vietnamese import fold, normalize
from hdnd.petitions.importing.columns import header_key
from hdnd.petitions.models import Channel, CompetenceLevel, ResultCategory, Verdict

MAX_SOURCE_ID = 100
MAX_TEXT = 10_000
MAX_VOTERS = 10_000_000
EARLIEST_YEAR = 1990
LATEST_YEAR = 2100
# Excel's serial numbers of 1 Jan 1955 and 31 Dec 9999: a bare number in between, in a
# date column, is a date cell whose format was lost.
_EXCEL_SERIALS = (20090, 2958465)

# Invisible characters that copying from web pages and Word leaves in cells.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_DAY_FIRST = re.compile(
    r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"
)
_YEAR_FIRST = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
)
# "ngày 15 tháng 3 năm 2024", as in the dates of administrative documents (folded).
_IN_WORDS = re.compile(r"^ngay (\d{1,2}) thang (\d{1,2}) nam (\d{4})$")
_WHOLE_NUMBER = re.compile(r"^\d{1,3}(?:([.,\s])\d{3})?(?:\1\d{3})*$|^\d+$")


class CellError(Exception):
    """What is wrong with one cell, in words for the person who typed it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# Petitions repeat the same few thousand syllables: normalising each distinct word once
# makes a 100,000-row import several times faster. Only words of a plausible length are
# kept, so that a hostile file cannot fill the memory with its cache.
_WORD_CACHE_SIZE = 100_000
_LONGEST_CACHED_WORD = 40


@lru_cache(maxsize=_WORD_CACHE_SIZE)
def _cached_normal_word(word: str) -> str:
    return normalize(word)


@lru_cache(maxsize=_WORD_CACHE_SIZE)
def _cached_folded_word(word: str) -> str:
    return fold(word)


def _normal_word(word: str) -> str:
    return _cached_normal_word(word) if len(word) <= _LONGEST_CACHED_WORD else normalize(word)


def _folded_word(word: str) -> str:
    return _cached_folded_word(word) if len(word) <= _LONGEST_CACHED_WORD else fold(word)


def normal_text(text: str) -> str:
    """`normalize(text)`, word by word: the same result (it works within words and
    collapses the spaces between them), with each distinct word worked out once."""
    composed = unicodedata.normalize("NFC", text)
    return " ".join(normal for word in composed.split() if (normal := _normal_word(word)))


def folded_text(*parts: str) -> str:
    """`search_text_of(*parts)` for parts already normalised: the folded words."""
    words = (_folded_word(word) for part in parts for word in part.split())
    return " ".join(word for word in words if word)


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.translate(_INVISIBLE).strip()
    return False


def shown(value: Any) -> str:
    """A cell's value quoted in a message, cut short."""
    text = " ".join(str(value).split())
    return text if len(text) <= 40 else text[:39] + "…"


def text_value(value: Any, *, limit: int = MAX_TEXT) -> str:
    """Text with one normal form: NFC, canonical tone marks, single spaces (no-break
    spaces and line breaks included), without invisible characters."""
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        raise CellError(_("Expected text, found a date."))
    text = normal_text(str(value).translate(_INVISIBLE))
    if len(text) > limit:
        raise CellError(
            _("The text is too long: %(length)s characters, at most %(limit)s.")
            % {"length": len(text), "limit": limit}
        )
    return text


def paragraphs_value(value: Any, *, limit: int = MAX_TEXT) -> str:
    """Like `text_value`, keeping the line breaks between paragraphs (answers, roadmaps)."""
    if is_blank(value):
        return ""
    if isinstance(value, dt.datetime | dt.date):
        raise CellError(_("Expected text, found a date."))
    lines = str(value).translate(_INVISIBLE).splitlines()
    text = "\n".join(cleaned for line in lines if (cleaned := normal_text(line)))
    if len(text) > limit:
        raise CellError(
            _("The text is too long: %(length)s characters, at most %(limit)s.")
            % {"length": len(text), "limit": limit}
        )
    return text


def source_id_value(value: Any) -> str:
    """The id the other system gave the row. A number typed in Excel comes back as a
    float (123.0): it is the id "123"."""
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” is not an id.") % {"value": shown(value)})
    return text_value(value, limit=MAX_SOURCE_ID)


def date_value(value: Any) -> dt.date | None:
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, bool):
        raise CellError(_("“%(value)s” is not a date.") % {"value": shown(value)})
    elif isinstance(value, int | float):
        day = _serial_date(value)
    else:
        day = _text_date(str(value).translate(_INVISIBLE).strip())
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise CellError(_("%(day)s is not a plausible date.") % {"day": day.strftime("%d/%m/%Y")})
    return day


def _serial_date(value: float) -> dt.date:
    if not _EXCEL_SERIALS[0] <= value <= _EXCEL_SERIALS[1]:
        raise CellError(
            _("“%(value)s” is not a date: write it as dd/mm/yyyy.") % {"value": shown(value)}
        )
    converted = from_excel(value)
    if not isinstance(converted, dt.datetime):
        raise CellError(_("“%(value)s” is not a date.") % {"value": shown(value)})
    return converted.date()


def _text_date(text: str) -> dt.date:
    parts: tuple[int, int, int] | None = None
    if match := _DAY_FIRST.match(text):
        parts = (int(match[3]), int(match[2]), int(match[1]))
    elif match := _YEAR_FIRST.match(text):
        parts = (int(match[1]), int(match[2]), int(match[3]))
    elif match := _IN_WORDS.match(header_key(text)):
        parts = (int(match[3]), int(match[2]), int(match[1]))
    if parts is None:
        raise CellError(
            _("“%(value)s” is not a date: write it as dd/mm/yyyy.") % {"value": shown(text)}
        )
    try:
        return dt.date(*parts)
    except ValueError:
        raise CellError(
            _("“%(value)s” is not a valid date: there is no such day.") % {"value": shown(text)}
        ) from None


def count_value(value: Any) -> int | None:
    """A number of voters: a whole number from 1, written with or without thousands
    separators ("1.200", "1,200")."""
    if is_blank(value):
        return None
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float):
        number = int(value) if value.is_integer() else None
    else:
        text = str(value).translate(_INVISIBLE).strip()
        if _WHOLE_NUMBER.match(text):
            number = int(re.sub(r"\D", "", text))
    if number is None:
        raise CellError(
            _("“%(value)s” is not a whole number: write only the digits, e.g. 12.")
            % {"value": shown(value)}
        )
    if number < 1:
        raise CellError(_("The number of voters must be 1 or more."))
    if number > MAX_VOTERS:
        raise CellError(_("%(number)s voters is not plausible.") % {"number": number})
    return number


def _choices(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    index: dict[str, str] = {}
    for value, spellings in table.items():
        for spelling in (value, *spellings):
            index[header_key(spelling)] = value
    return index


_LEVELS = _choices(
    {
        CompetenceLevel.CENTRAL: ("trung ương", "TW", "cấp trung ương", "quốc hội", "central"),
        CompetenceLevel.CITY: (
            "thành phố",
            "TP",
            "cấp thành phố",
            "tỉnh",
            "cấp tỉnh",
            "tỉnh, thành phố",
            "tỉnh/thành phố",
            "province",
            "city",
        ),
        CompetenceLevel.COMMUNE: (
            "xã",
            "phường",
            "xã, phường",
            "xã-phường",
            "xã/phường",
            "phường, xã",
            "cấp xã",
            "cơ sở",
            "commune",
            "ward",
        ),
    }
)
_RESULTS = _choices(
    {
        ResultCategory.RESOLVED: (
            "đã giải quyết xong",
            "đã giải quyết",
            "giải quyết xong",
            "resolved",
        ),
        ResultCategory.IN_PROGRESS: ("đang giải quyết", "in progress", "in_progress"),
        ResultCategory.WILL_RESOLVE: ("sẽ giải quyết", "will resolve", "will_resolve"),
        ResultCategory.EXPLAINED: (
            "giải trình",
            "cung cấp thông tin",
            "giải trình, cung cấp thông tin",
            "explained",
        ),
    }
)
_VERDICTS = _choices(
    {
        Verdict.SATISFACTORY: ("thỏa đáng", "đạt", "satisfactory"),
        Verdict.UNSATISFACTORY: ("chưa thỏa đáng", "không thỏa đáng", "unsatisfactory"),
        Verdict.WRONG_COMPETENCE: ("sai thẩm quyền", "không đúng thẩm quyền", "wrong competence"),
        Verdict.OFF_TOPIC: (
            "trả lời không đúng nội dung",
            "không đúng nội dung",
            "trả lời không đúng trọng tâm",
            "off topic",
        ),
    }
)
_CHANNELS = _choices(
    {
        Channel.MEETING: ("tiếp xúc cử tri", "TXCT", "hội nghị tiếp xúc cử tri", "meeting"),
        Channel.WEB: ("cổng thông tin", "trang web", "web", "website", "trực tuyến"),
        Channel.HOTLINE: ("đường dây nóng", "điện thoại", "hotline", "phone"),
        Channel.LETTER: ("thư", "đơn thư", "văn bản", "letter"),
        Channel.ZALO: ("zalo",),
        Channel.EMAIL: ("thư điện tử", "email", "e-mail"),
        Channel.RECEPTION: ("tiếp công dân", "reception"),
        Channel.IMPORT: ("nhập từ tệp", "import"),
        Channel.API: ("api", "hệ thống khác"),
    }
)


def _choice(value: Any, index: dict[str, str], message: Promise, *, prefix: bool = False) -> str:
    if is_blank(value):
        return ""
    key = header_key(value)
    if key.startswith("cap ") and key not in index:
        key = key[4:]
    found = index.get(key)
    if found is None and prefix:
        # "Giải trình, cung cấp thông tin về…": the category opens the cell.
        found = next(
            (index[k] for k in sorted(index, key=len, reverse=True) if key.startswith(k + " ")),
            None,
        )
    if found is None:
        raise CellError(str(message) % {"value": shown(value)})
    return found


def level_value(value: Any) -> str:
    return _choice(
        value,
        _LEVELS,
        gettext_lazy(
            "“%(value)s” is not a competence level: write Trung ương, Thành phố or Xã/phường."
        ),
    )


def result_value(value: Any) -> str:
    return _choice(
        value,
        _RESULTS,
        gettext_lazy(
            "“%(value)s” is not a result: write Đã giải quyết xong, Đang giải quyết, "
            "Sẽ giải quyết or Giải trình, cung cấp thông tin."
        ),
        prefix=True,
    )


def verdict_value(value: Any) -> str:
    return _choice(
        value,
        _VERDICTS,
        gettext_lazy(
            "“%(value)s” is not an evaluation: write Thỏa đáng, Chưa thỏa đáng, "
            "Sai thẩm quyền or Trả lời không đúng nội dung."
        ),
    )


def channel_value(value: Any) -> str:
    return _choice(value, _CHANNELS, gettext_lazy("“%(value)s” is not a known channel."))
