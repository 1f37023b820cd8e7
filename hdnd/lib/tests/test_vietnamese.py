import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hdnd.lib.vietnamese import fold, normalize, search_terms, slugify_vi


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("hoà", "hòa"),
        ("thuỷ", "thủy"),
        ("khoẻ", "khỏe"),
        ("Hoà Bình", "Hòa Bình"),
        ("HOÀ BÌNH", "HÒA BÌNH"),
        ("Uỷ ban nhân dân", "Ủy ban nhân dân"),
        ("mùa", "mùa"),
        ("muà", "mùa"),
        ("hoạ", "họa"),
        ("khoaí", "khoái"),
        ("ngoeỏ", "ngoẻo"),
        ("xoaý", "xoáy"),
        ("khuyủ", "khuỷu"),
        ("hoàn", "hoàn"),
        ("hòan", "hoàn"),
        ("huỳnh", "huỳnh"),
        ("thuyền", "thuyền"),
        ("thùyên", "thuyền"),
        ("trừơng", "trường"),
        ("rựơu", "rượu"),
        ("cưả", "cửa"),
        ("thủơ", "thuở"),
        ("hoặc", "hoặc"),
        ("tuần", "tuần"),
    ],
)
def test_it_moves_the_tone_to_the_canonical_vowel(typed: str, canonical: str) -> None:
    assert normalize(typed) == canonical


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("qúy", "quý"),
        ("quý", "quý"),
        ("qùa", "quà"),
        ("quốc", "quốc"),
        ("quỳnh", "quỳnh"),
        ("gía", "giá"),
        ("gìa", "già"),
        ("gì", "gì"),
        ("gìn", "gìn"),
        ("giưã", "giữa"),
        ("gíêng", "giếng"),
    ],
)
def test_it_treats_qu_and_gi_as_initial_consonants(typed: str, canonical: str) -> None:
    assert normalize(typed) == canonical


@pytest.mark.parametrize(
    "text",
    [
        "café",
        "naïve résumé",
        "Đắk Lắk",
        "Ea H'leo",
        "COVID-19",
        "Nghị định 30/2020/NĐ-CP",
        "email: hdnd@hanoi.gov.vn",
        "ǘ",
    ],
)
def test_it_leaves_what_is_not_one_vietnamese_syllable_alone(text: str) -> None:
    assert normalize(text) == text


def test_it_composes_decomposed_input() -> None:
    assert normalize(nfd("Hoà Bình")) == "Hòa Bình"
    assert unicodedata.is_normalized("NFC", normalize(nfd("Nguyễn Thị Thuỷ")))


def test_it_collapses_spaces() -> None:
    assert normalize("  Hà \t Nội\n\n") == "Hà Nội"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Ha Noi", "ha noi"),
        ("hà nội", "ha noi"),
        ("HÀ NỘI", "ha noi"),
        ("hoà", "hoa"),
        ("hòa", "hoa"),
        ("Đống Đa", "dong da"),
        ("  Phường   Hoàn Kiếm ", "phuong hoan kiem"),
    ],
)
def test_it_folds_every_spelling_to_one_form(text: str, folded: str) -> None:
    assert fold(text) == folded
    assert fold(nfd(text)) == folded


def test_it_splits_a_query_into_folded_terms() -> None:
    assert search_terms("  Hoàn  KIẾM ") == ["hoan", "kiem"]


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Phường Hoàn Kiếm", "phuong_hoan_kiem"),
        ("Xã Sóc Sơn", "xa_soc_son"),
        ("Thành phố Hà Nội", "thanh_pho_ha_noi"),
        ("Ea H'leo", "ea_h_leo"),
        ("Phường 12", "phuong_12"),
    ],
)
def test_it_makes_code_names(name: str, slug: str) -> None:
    assert slugify_vi(name) == slug


vietnamese_letters = st.sampled_from(
    [*"aăâeêioôơuưyAĂÂEÊIOÔƠUƯYbcdđghklmnpqrstvxĐQG", *"\u0300\u0301\u0303\u0309\u0323 -1"]
)
vietnamese_like = st.lists(vietnamese_letters, max_size=30).map("".join)
any_text = st.one_of(st.text(), vietnamese_like, vietnamese_like.map(nfd))


@given(any_text)
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@given(any_text)
def test_normalize_does_not_change_the_folded_form(text: str) -> None:
    assert fold(normalize(text)) == fold(text)


@given(any_text)
def test_fold_leaves_no_combining_marks(text: str) -> None:
    assert not any(unicodedata.combining(ch) for ch in fold(text))


def test_it_sorts_in_vietnamese_dictionary_order():
    from hdnd.lib.vietnamese import collation_key

    names = ["Đống Đa", "Dương Nội", "Ăn", "An", "Ấp", "Định Công", "Đại Mỗ", "Ba Đình", "Bạch Mai"]
    assert sorted(names, key=collation_key) == [
        "An",
        "Ăn",
        "Ấp",
        "Ba Đình",
        "Bạch Mai",
        "Dương Nội",
        "Đại Mỗ",
        "Định Công",
        "Đống Đa",
    ]


def test_tones_break_ties_in_dictionary_order():
    from hdnd.lib.vietnamese import collation_key

    tones = ["ma", "mà", "mả", "mã", "má", "mạ"]
    assert sorted(reversed(tones), key=collation_key) == tones
