"""The one search function of the directory.

Every searchable model keeps `search_text`, the folded form of its names
(lib/vietnamese.fold), so "Ha Noi", "hà nội" and "HÀ NỘI" all match "Hà Nội" and tone-mark
variants ("hoà"/"hòa") match each other. Each word of the query must begin a word of
the name ("ha" finds "Hà Nội", not the "ha" inside "nhân"). On
PostgreSQL a trigram index serves these LIKE lookups; on SQLite they scan, which is fine
for the embedded default's size.
"""

import re
from collections.abc import Sequence
from typing import TypeVar

from django.db.models import Case, IntegerField, Model, Q, QuerySet, Value, When

from hdnd.lib.vietnamese import search_terms

M = TypeVar("M", bound=Model)

MAX_QUERY_LENGTH = 200

# Punctuation typed around words ("Hà Nội," or "(Hoàn Kiếm)") is not part of any name.
_NOT_WORD = re.compile(r"[^\w]+")

# Abbreviations every office uses; the full form is what names are stored with.
ABBREVIATIONS = {
    "hdnd": "hoi dong nhan dan",
    "ubnd": "uy ban nhan dan",
    "tp": "thanh pho",
}


def query_words(query: str) -> list[str]:
    """The folded words of a query, without punctuation."""
    folded = " ".join(search_terms(query[:MAX_QUERY_LENGTH]))
    return [word for word in _NOT_WORD.split(folded) if word]


def _starts_a_word(field: str, words: str) -> Q:
    """`words` at the start of `field` or right after a space: "ha" finds "Hà Nội" but not
    the "ha" inside "nhân". The plain `contains` comes first so that PostgreSQL's trigram
    index finds the candidates; the word-start test then only filters them."""
    return Q(**{f"{field}__contains": words}) & (
        Q(**{f"{field}__startswith": words}) | Q(**{f"{field}__contains": f" {words}"})
    )


def filter_by_search(
    queryset: QuerySet[M], query: str, *, field: str = "search_text", also: Sequence[str] = ()
) -> QuerySet[M]:
    """Keep the rows where every word of `query` begins a word of `field` (folded text) or
    begins one of the `also` fields (e.g. a unit's official code). An empty query keeps all
    rows."""
    for word in query_words(query):
        condition = _starts_a_word(field, word)
        if word in ABBREVIATIONS:
            condition |= _starts_a_word(field, ABBREVIATIONS[word])
        for other in also:
            condition |= Q(**{f"{other}__startswith": word})
        queryset = queryset.filter(condition)
    return queryset


def search_rank(query: str, *, field: str = "search_text") -> Case:
    """0 where every word of `query` is a whole word of `field`, else 1: "hoa" puts
    "Hòa Bình" before "Hoàng Mai". Order by it after `filter_by_search`."""
    words = query_words(query)
    if not words:
        return Case(default=Value(1), output_field=IntegerField())
    whole_words = Q()
    for word in words:
        whole_words &= (
            Q(**{field: word})
            | Q(**{f"{field}__startswith": f"{word} "})
            | Q(**{f"{field}__endswith": f" {word}"})
            | Q(**{f"{field}__contains": f" {word} "})
        )
    return Case(When(whole_words, then=Value(0)), default=Value(1), output_field=IntegerField())
