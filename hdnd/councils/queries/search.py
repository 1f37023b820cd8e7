"""The directory's search: one query over units, councils, people, committees and
agencies, ranked, and the hits of one page as a template shows them."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, Case, CharField, F, IntegerField, QuerySet, Value, When
from django.db.models.functions import Coalesce, Collate, Length
from django.utils.translation import gettext_lazy

from hdnd.councils.models import (
    AdministrativeUnit,
    Agency,
    AgencyOfficial,
    Committee,
    Council,
    Membership,
)
from hdnd.councils.queries.people import public_people
from hdnd.councils.search import filter_by_search, query_words, search_rank


class SearchKind:
    UNIT = "unit"
    COUNCIL = "council"
    PERSON = "person"
    COMMITTEE = "committee"
    AGENCY = "agency"
    CHOICES = [
        (UNIT, gettext_lazy("Administrative units")),
        (COUNCIL, gettext_lazy("Councils")),
        (PERSON, gettext_lazy("People")),
        (COMMITTEE, gettext_lazy("Committees")),
        (AGENCY, gettext_lazy("Agencies")),
    ]
    # What one hit is, shown next to it.
    SINGULAR = {
        UNIT: gettext_lazy("Administrative unit"),
        COUNCIL: gettext_lazy("Council"),
        PERSON: gettext_lazy("Person"),
        COMMITTEE: gettext_lazy("Committee"),
        AGENCY: gettext_lazy("Agency"),
    }


# Fewer letters than this match almost every name and only slow the database down.
MIN_QUERY_LETTERS = 2


def is_searchable(query: str) -> bool:
    return len("".join(query_words(query))) >= MIN_QUERY_LETTERS


def _text(value: Any) -> Any:
    return Coalesce(value, Value(""), output_field=CharField())


def _former_when(**condition: Any) -> Case:
    """True for the rows that meet `condition` (a unit that ended, a body wound up)."""
    return Case(
        When(**condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def _search_parts(query: str) -> dict[str, QuerySet[Any]]:
    """One SELECT per kind of record, all with the same columns so they can be united."""
    no_date = Value(False, output_field=BooleanField())
    sources: dict[str, tuple[QuerySet[Any], Sequence[str], dict[str, Any]]] = {
        SearchKind.UNIT: (
            AdministrativeUnit.objects.all(),
            ["code"],
            {
                "hit_code": F("code"),
                "hit_title": F("name"),
                "hit_detail": _text(F("parent__name")),
                "hit_former": _former_when(valid_until__isnull=False),
            },
        ),
        SearchKind.COUNCIL: (
            Council.objects.all(),
            [],
            {
                "hit_code": F("unit__code"),
                "hit_title": F("name"),
                "hit_detail": _text(F("parent__name")),
                "hit_former": no_date,
            },
        ),
        SearchKind.PERSON: (
            public_people(),
            [],
            {
                "hit_code": Value("", output_field=CharField()),
                "hit_title": F("full_name"),
                # Filled for the page's hits only (search_hits): a subquery per matching
                # row would run for thousands of rows before the page is cut.
                "hit_detail": Value("", output_field=CharField()),
                "hit_former": no_date,
            },
        ),
        SearchKind.COMMITTEE: (
            Committee.objects.all(),
            [],
            {
                "hit_code": Value("", output_field=CharField()),
                "hit_title": F("name"),
                "hit_detail": F("council__name"),
                "hit_former": _former_when(is_active=False),
            },
        ),
        SearchKind.AGENCY: (
            Agency.objects.all(),
            [],
            {
                "hit_code": Value("", output_field=CharField()),
                "hit_title": F("name"),
                "hit_detail": F("council__name"),
                "hit_former": _former_when(is_active=False),
            },
        ),
    }
    parts: dict[str, QuerySet[Any]] = {}
    for rank, (kind, (queryset, also, columns)) in enumerate(sources.items()):
        found = filter_by_search(queryset, query, also=also).order_by()
        parts[kind] = (
            found.annotate(
                hit_match=search_rank(query),
                hit_rank=Value(rank, output_field=IntegerField()),
                hit_kind=Value(kind, output_field=CharField()),
                hit_id=F("pk"),
                hit_length=Length("search_text"),
                **columns,
            )
            .annotate(
                # Vietnamese dictionary order of the names shown.
                hit_sort=Collate(F("hit_title"), "vi"),
            )
            .values(
                "hit_match",
                "hit_length",
                "hit_rank",
                "hit_kind",
                "hit_id",
                "hit_sort",
                "hit_code",
                "hit_title",
                "hit_detail",
                "hit_former",
            )
        )
    return parts


def directory_search(*, query: str, kind: str = "") -> QuerySet[Any]:
    """One search over units, councils, people, committees and agencies: rows of
    `hit_kind`, `hit_id`, `hit_code`, `hit_title`, `hit_detail`, `hit_former`, ordered
    whole-word matches first, current before former, then by kind, shorter names first. `kind` keeps one kind only."""
    parts = _search_parts(query)
    chosen = [parts[kind]] if kind else list(parts.values())
    combined = chosen[0].union(*chosen[1:], all=True) if len(chosen) > 1 else chosen[0]
    # Relevance: every word whole, current before former, then by kind, shorter names
    # (closer to the query) before longer ones.
    return combined.order_by(
        "hit_match", "hit_former", "hit_rank", "hit_length", "hit_sort", "hit_id"
    )


@dataclass(frozen=True)
class SearchHit:
    kind: str
    id: int
    code: str
    title: str
    detail: str
    former: bool

    @property
    def kind_label(self) -> str:
        return str(SearchKind.SINGULAR[self.kind])


def _person_details(person_ids: Sequence[int]) -> dict[int, str]:
    """Where each person serves: their latest council, else their latest agency."""
    if not person_ids:
        return {}
    posts = (
        AgencyOfficial.objects.filter(person_id__in=person_ids)
        .order_by("person_id", "start_date")
        .values_list("person_id", "agency__name")
    )
    seats = (
        Membership.objects.filter(person_id__in=person_ids)
        .order_by("person_id", "start_date")
        .values_list("person_id", "council__name")
    )
    # Later rows overwrite earlier ones, and seats overwrite posts.
    return dict([*posts, *seats])


def search_hits(rows: Iterable[dict[str, Any]]) -> list[SearchHit]:
    """The rows of `directory_search` (one page of them) as hits for a template."""
    rows = list(rows)
    people = _person_details(
        [row["hit_id"] for row in rows if row["hit_kind"] == SearchKind.PERSON]
    )
    return [
        SearchHit(
            kind=row["hit_kind"],
            id=row["hit_id"],
            code=row["hit_code"],
            title=row["hit_title"],
            detail=people.get(row["hit_id"], "")
            if row["hit_kind"] == SearchKind.PERSON
            else row["hit_detail"],
            former=bool(row["hit_former"]),
        )
        for row in rows
    ]


def directory_search_counts(*, query: str) -> dict[str, int]:
    """How many records of each kind match, for the kind filters."""
    return {kind: part.count() for kind, part in _search_parts(query).items()}
