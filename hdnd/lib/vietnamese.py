"""Vietnamese text: one normal form for storage, one folded form for search.

The same name reaches us spelt several ways: composed (NFC) or decomposed (NFD) Unicode, and
with the tone mark on either vowel ("Hoà" / "Hòa", "Thuỷ" / "Thủy"). Stored text and search
must not depend on which keyboard or office typed it, so:

- `normalize`: NFC, tone marks in the "old style" place used by official unit names
  ("Hòa Bình", "Thủy", "Khỏe"), single spaces. Words that are not one Vietnamese syllable
  (foreign words, abbreviations) are left as written.
- `fold`: what search compares: no diacritics, đ → d, lower case.
- `slugify_vi`: folded words joined by underscores, for code names ("phuong_hoan_kiem").
"""

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"[^\W\d_]+")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")

# Huyền, sắc, ngã, hỏi, nặng.
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
_VOWELS = frozenset("aăâeêioôơuưy")
_QUALITY_MARKED = frozenset("ăâêôơư")
_CONSONANTS = frozenset("bcdđfghjklmnpqrstvwxz")


def normalize(text: str) -> str:
    composed = unicodedata.normalize("NFC", text)
    return _SPACES.sub(" ", _WORD.sub(_retone_match, composed)).strip()


def fold(text: str) -> str:
    # Marks go before and after lower-casing: lower() can add one ("İ" → "i̇").
    lowered = _strip_marks(_strip_marks(text).lower()).replace("đ", "d")
    return _SPACES.sub(" ", lowered).strip()


def search_terms(query: str) -> list[str]:
    """The folded words of a query, each to be found somewhere in the folded text."""
    return [term for term in fold(query).split(" ") if term]


def slugify_vi(text: str) -> str:
    """An ASCII code name: "Phường Hoàn Kiếm" → "phuong_hoan_kiem"."""
    return _NOT_SLUG.sub("_", fold(text)).strip("_")


def _strip_marks(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


def _retone_match(match: re.Match[str]) -> str:
    following = match.string[match.end() : match.end() + 1]
    if following and unicodedata.category(following).startswith("M"):
        # A stray mark that NFC could not attach belongs to this word: moving a tone
        # next to it could let a later NFC compose the two, so leave the word as typed.
        return match.group()
    return _retone_word(match.group())


# Petitions repeat the same few thousand syllables: normalising each once is most of the
# cost of an import.
@lru_cache(maxsize=65536)
def _retone_word(word: str) -> str:
    """The word with its one tone mark moved to the canonical vowel."""
    letters: list[str] = []
    tones: list[str] = []
    for ch in word:
        decomposed = unicodedata.normalize("NFD", ch)
        tones.extend(mark for mark in decomposed if mark in _TONES)
        letters.append(
            unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
        )
    if len(tones) != 1:
        return word
    lowered = [letter.lower() for letter in letters]
    if not all(low in _VOWELS or low in _CONSONANTS for low in lowered):
        return word
    index = _tone_index("".join(lowered))
    if index is None:
        return word
    toned = unicodedata.normalize("NFC", letters[index] + tones[0])
    return "".join(letters[:index]) + toned + "".join(letters[index + 1 :])


def _tone_index(syllable: str) -> int | None:
    """Where the tone of a lower-case, toneless syllable goes; None if it is not one syllable."""
    start = next((i for i, ch in enumerate(syllable) if ch in _VOWELS), None)
    if start is None:
        return None
    end = start
    while end < len(syllable) and syllable[end] in _VOWELS:
        end += 1
    if any(ch in _VOWELS for ch in syllable[end:]):
        return None
    # In "qu" and in "gi" before another vowel the u and i belong to the initial consonant.
    if syllable[: start + 1] in ("qu", "gi") and end - start > 1:
        start += 1
    vowels = syllable[start:end]
    if len(vowels) > 3:
        return None
    marked = [i for i, ch in enumerate(vowels) if ch in _QUALITY_MARKED]
    if marked:
        # The last one, so that "ươ" takes it on ơ.
        return start + marked[-1]
    if len(vowels) == 1 or end < len(syllable):
        return end - 1
    return start + (len(vowels) - 1) // 2


# Vietnamese alphabetical order: ă and â after a, đ after d, ê after e, ô and ơ after o,
# ư after u; f, j, w and z (in foreign names) keep their Latin places.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {letter: 200 + index for index, letter in enumerate(_ALPHABET)}
# Tones break ties, in dictionary order: none, huyền, hỏi, ngã, sắc, nặng.
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


@lru_cache(maxsize=65536)
def collation_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """A sort key in Vietnamese dictionary order ("Dương" before "Đại", "An" before "Ăn"):
    letters first, then tones, then case. The same order as PostgreSQL's ICU collation
    "vi-VN", for the embedded SQLite database."""
    letters: list[int] = []
    tones: list[int] = []
    cases: list[int] = []
    for char in unicodedata.normalize("NFC", text):
        lower = char.lower()
        decomposed = unicodedata.normalize("NFD", lower)
        tone = next((_TONE_RANK[mark] for mark in decomposed if mark in _TONE_RANK), 0)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_RANK))
        if base in _LETTER_RANK:
            letters.append(_LETTER_RANK[base])
        elif base and ord(base[0]) < 200:
            letters.append(ord(base[0]))  # spaces, digits and punctuation before letters
        else:
            letters.append(1000 + ord(base[0]) if base else 0)
        tones.append(tone)
        cases.append(0 if char == lower else 1)
    return tuple(letters), tuple(tones), tuple(cases)


def compare_vietnamese(left: str, right: str) -> int:
    """-1, 0 or 1: the comparison behind the SQLite collation "vi"."""
    left_key, right_key = collation_key(left), collation_key(right)
    return (left_key > right_key) - (left_key < right_key)
