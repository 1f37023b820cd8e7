"""Vietnamese text: one normal form for storage, one folded form for search.

- `normalize`: NFC with tone marks in their canonical place, single spaces.
- `fold`: what search compares: no diacritics, đ → d, lower case.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip().lower()


def search_terms(query: str) -> list[str]:
    """The folded words of a query, each to be found somewhere in the folded text."""
    return [term for term in fold(query).split(" ") if term]
