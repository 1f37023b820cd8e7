"""The one search function of the directory.

Every searchable model keeps `search_text`, the folded form of its names
(lib/vietnamese.fold), so "Ha Noi", "hà nội" and "HÀ NỘI" all match "Hà Nội" and tone-mark
variants ("hoà"/"hòa") match each other. Each word of the query must appear. On
PostgreSQL a trigram index serves these LIKE lookups; on SQLite they scan, which is fine
for the embedded default's size.
"""

from typing import TypeVar

from django.db.models import Model, QuerySet

from hdnd.lib.vietnamese import search_terms

M = TypeVar("M", bound=Model)

MAX_QUERY_LENGTH = 200


def filter_by_search(
    queryset: QuerySet[M], query: str, *, field: str = "search_text"
) -> QuerySet[M]:
    for term in search_terms(query[:MAX_QUERY_LENGTH]):
        queryset = queryset.filter(**{f"{field}__contains": term})
    return queryset
