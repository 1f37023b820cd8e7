"""Reading one cell: dates, numbers, the fixed choices and headers as offices type them.
Table-driven; the fast word-by-word normal form is checked against lib/vietnamese."""

import datetime as dt
from typing import Any

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from hdnd.lib.vietnamese import normalize
from hdnd.petitions.importing import values as v
from hdnd.petitions.importing.columns import header_key, match_header
from hdnd.petitions.importing.lookups import number_in_words, roman_number
from hdnd.petitions.services.common import search_text_of


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("cell", "day"),
    [
        ("20/06/2026", dt.date(2026, 6, 20)),
        ("5/6/2026", dt.date(2026, 6, 5)),
        ("05-06-2026", dt.date(2026, 6, 5)),
        ("05.06.2026", dt.date(2026, 6, 5)),
        ("20/06/2026 14:30", dt.date(2026, 6, 20)),
        ("2026-06-20", dt.date(2026, 6, 20)),
        ("2026-06-20T08:00:00+07:00", dt.date(2026, 6, 20)),
        ("ngày 15 tháng 3 năm 2024", dt.date(2024, 3, 15)),
        (dt.datetime(2026, 6, 20, 0, 0, tzinfo=dt.UTC), dt.date(2026, 6, 20)),
        (dt.date(2026, 6, 20), dt.date(2026, 6, 20)),
        (46193, dt.date(2026, 6, 20)),  # a date cell whose format was lost
        ("\u200b 20/06/2026\u00a0", dt.date(2026, 6, 20)),
        ("", None),
        (None, None),
    ],
)
def test_dates_are_read_as_offices_write_them(cell: Any, day: dt.date | None) -> None:
    assert v.date_value(cell) == day


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("31/02/2026", "“31/02/2026” is not a valid date: there is no such day."),
        ("20/6/26", "“20/6/26” is not a date: write it as dd/mm/yyyy."),
        ("06/20/2026", "“06/20/2026” is not a valid date: there is no such day."),
        ("hôm qua", "“hôm qua” is not a date: write it as dd/mm/yyyy."),
        (2026, "“2026” is not a date: write it as dd/mm/yyyy."),
        ("01/01/1900", "01/01/1900 is not a plausible date."),
        (True, "“True” is not a date."),
    ],
)
def test_a_bad_date_is_refused_with_its_reason(cell: Any, message: str) -> None:
    with pytest.raises(v.CellError) as refused:
        v.date_value(cell)
    assert refused.value.message == message


@pytest.mark.parametrize(
    ("cell", "count"),
    [(12, 12), (12.0, 12), ("12", 12), (" 7 ", 7), ("1.200", 1200), ("1,200", 1200), (None, None)],
)
def test_voter_counts(cell: Any, count: int | None) -> None:
    assert v.count_value(cell) == count


@pytest.mark.parametrize("cell", ["2 người", "12.5", 12.5, "1.2.3", "-3", True, "mười"])
def test_a_voter_count_that_is_not_a_whole_number_is_refused(cell: Any) -> None:
    with pytest.raises(v.CellError):
        v.count_value(cell)


@pytest.mark.parametrize(("cell", "message"), [(0, "The number of voters must be 1 or more.")])
def test_a_voter_count_below_one_is_refused(cell: Any, message: str) -> None:
    with pytest.raises(v.CellError, match=message):
        v.count_value(cell)


@pytest.mark.parametrize(
    ("parser", "cell", "value"),
    [
        (v.level_value, "Trung ương", "central"),
        (v.level_value, "TW", "central"),
        (v.level_value, "thanh pho", "city"),
        (v.level_value, "Cấp tỉnh", "city"),
        (v.level_value, "Xã-Phường", "commune"),
        (v.level_value, "xã/phường", "commune"),
        (v.level_value, "CẤP XÃ", "commune"),
        (v.level_value, "city", "city"),
        (v.result_value, "Đã giải quyết xong", "resolved"),
        (v.result_value, "đang giải quyết", "in_progress"),
        (v.result_value, "Sẽ giải quyết", "will_resolve"),
        (v.result_value, "Giải trình, cung cấp thông tin", "explained"),
        (v.result_value, "Giải trình về việc chưa bố trí vốn", "explained"),
        (v.result_value, "resolved", "resolved"),
        (v.verdict_value, "Thỏa đáng", "satisfactory"),
        (v.verdict_value, "thoả đáng", "satisfactory"),
        (v.verdict_value, "CHƯA THỎA ĐÁNG", "unsatisfactory"),
        (v.verdict_value, "Sai thẩm quyền", "wrong_competence"),
        (v.verdict_value, "Trả lời không đúng nội dung", "off_topic"),
        (v.channel_value, "TXCT", "meeting"),
        (v.channel_value, "Đường dây nóng", "hotline"),
        (v.channel_value, "Zalo", "zalo"),
    ],
)
def test_choices_are_matched_folded(parser: Any, cell: str, value: str) -> None:
    assert parser(cell) == value


@pytest.mark.parametrize(
    ("parser", "cell"),
    [
        (v.level_value, "Quận"),
        (v.result_value, "xong"),
        (v.verdict_value, "đạt yêu cầu một phần"),
        (v.channel_value, "bồ câu đưa thư"),
    ],
)
def test_an_unknown_choice_is_refused(parser: Any, cell: str) -> None:
    with pytest.raises(v.CellError):
        parser(cell)


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("Mã", "ma"),
        ("MÃ KIẾN NGHỊ (*)", "ma kien nghi"),
        ("Ngày  tiếp\nnhận", "ngay tiep nhan"),
        ("Số cử tri [người]", "so cu tri"),
        ("Cấp thẩm quyền:", "cap tham quyen"),
    ],
)
def test_headers_are_compared_by_their_folded_words(header: str, key: str) -> None:
    assert header_key(header) == key


def test_a_header_row_needs_the_id_and_the_text() -> None:
    assert match_header(["STT", "Nội dung"], 1) is None
    header = match_header(["STT", "Ma", "Noi dung", "Ghi chú", "Nội dung"], 3)
    assert header is not None
    assert header.positions == {"source_id": 1, "text": 2}
    assert header.ignored == ["STT", "Ghi chú"]
    assert header.repeated == ["Nội dung"]


@pytest.mark.parametrize(
    ("words", "number"),
    [
        ("nhat", 1),
        ("ba", 3),
        ("tu", 4),
        ("muoi", 10),
        ("muoi hai", 12),
        ("muoi lam", 15),
        ("hai muoi", 20),
        ("hai muoi mot", 21),
        ("ba hai", None),
        ("chuyen de", None),
    ],
)
def test_session_numbers_in_words(words: str, number: int | None) -> None:
    assert number_in_words(words) == number


@pytest.mark.parametrize(("text", "number"), [("xvii", 17), ("xvi", 16), ("iv", 4), ("abc", None)])
def test_term_numbers_in_roman(text: str, number: int | None) -> None:
    assert roman_number(text) == number


VIETNAMESE = st.text(
    alphabet=st.sampled_from(
        list(
            "aăâeêioôơuưy bcdđghklmnpqrstvx ÀÁẢÃẠàáảãạỳýỷỹỵĐđ.,;:-\n\t\u00a0\u0300\u0301\u0303\u0309\u0323"
        )
    ),
    max_size=80,
)


@given(VIETNAMESE)
def test_the_fast_normal_form_is_lib_vietnameses(text: str) -> None:
    assert v.normal_text(text) == normalize(text)


@given(VIETNAMESE, VIETNAMESE)
def test_the_fast_search_text_is_search_text_of(title: str, text: str) -> None:
    assert v.folded_text(normalize(title), normalize(text)) == search_text_of(title, text)
