"""Reads of administrative units: provinces and communes, current and former."""

from collections.abc import Sequence

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from hdnd.core.errors import NotFound
from hdnd.councils.models import AdministrativeUnit, UnitLevel, UnitSuccession
from hdnd.councils.queries.ordering import vietnamese
from hdnd.councils.search import filter_by_search

# Official codes are at most ten digits.
MAX_CODE_LENGTH = 10


def is_official_code(code: str) -> bool:
    """Whether `code` can be an official unit code. Anything else names no unit, and must
    not reach the database (a NUL byte would make PostgreSQL raise)."""
    return code.isascii() and code.isdigit() and len(code) <= MAX_CODE_LENGTH


def current_provinces() -> QuerySet[AdministrativeUnit]:
    """Provinces and centrally-run cities, with how many communes each has today."""
    current_communes = Q(children__level=UnitLevel.COMMUNE, children__valid_until__isnull=True)
    return (
        AdministrativeUnit.objects.filter(level=UnitLevel.PROVINCE, valid_until__isnull=True)
        .select_related("council")
        .annotate(commune_count=Count("children", filter=current_communes))
        .order_by("code", "id")
    )


def units_with_code(
    *, code: str, linked_by: Sequence[str] = ("search_text", "code")
) -> list[AdministrativeUnit]:
    """Every unit that has held an official code: the current one first, then the
    former ones, latest ended first. Codes are reused after a merger.

    Each unit comes with its predecessors and successors, ordered by `linked_by`."""
    # Only the first characters: the message must not echo whatever was sent.
    not_found = NotFound(_("No administrative unit has the code “%(code)s”.") % {"code": code[:12]})
    if not is_official_code(code):
        raise not_found
    linked = AdministrativeUnit.objects.select_related("parent").order_by(*linked_by)
    units = list(
        AdministrativeUnit.objects.select_related("parent", "council")
        .prefetch_related(
            Prefetch("successors", queryset=linked),
            Prefetch("predecessors", queryset=linked),
        )
        .filter(code=code)
        .order_by(F("valid_until").desc(nulls_first=True), "level", "id")
    )
    if not units:
        raise not_found
    return units


def unit_code_exists(*, code: str) -> bool:
    return is_official_code(code) and AdministrativeUnit.objects.filter(code=code).exists()


def unit_list(
    *,
    level: str | None = None,
    kind: str | None = None,
    parent_code: str | None = None,
    include_former: bool = False,
    query: str = "",
) -> QuerySet[AdministrativeUnit]:
    units = AdministrativeUnit.objects.select_related("parent")
    if not include_former:
        units = units.filter(valid_until__isnull=True)
    if level:
        units = units.filter(level=level)
    if kind:
        units = units.filter(kind=kind)
    if parent_code:
        units = units.filter(parent__code=parent_code)
    if query:
        units = filter_by_search(units, query)
    return units.order_by("level", "code", "-valid_from", "id")


def unit_children(*, unit: AdministrativeUnit, kind: str = "") -> QuerySet[AdministrativeUnit]:
    """The current units directly under `unit` (a province's communes), by name."""
    children = AdministrativeUnit.objects.filter(parent=unit, valid_until__isnull=True)
    if kind:
        children = children.filter(kind=kind)
    return children.select_related("council").order_by(vietnamese("name"), "code", "id")


def unit_child_kinds(*, unit: AdministrativeUnit) -> dict[str, int]:
    """How many current units of each kind lie directly under `unit`."""
    rows = (
        AdministrativeUnit.objects.filter(parent=unit, valid_until__isnull=True)
        .values("kind")
        .annotate(count=Count("id"))
        .order_by("kind")
    )
    return {row["kind"]: row["count"] for row in rows}


def former_units(*, unit: AdministrativeUnit) -> QuerySet[AdministrativeUnit]:
    """Units that ceased to exist under `unit` (its former districts and their communes)
    or whose area passed to it or to one of its units."""
    taken_over_here = UnitSuccession.objects.filter(predecessor=OuterRef("pk")).filter(
        Q(successor=unit) | Q(successor__parent=unit)
    )
    successors = AdministrativeUnit.objects.order_by(vietnamese("name"), "code")
    return (
        AdministrativeUnit.objects.filter(valid_until__isnull=False)
        .filter(Q(parent=unit) | Q(parent__parent=unit) | Q(Exists(taken_over_here)))
        .select_related("parent")
        .prefetch_related(Prefetch("successors", queryset=successors))
        .order_by("level", "search_text", "code", "id")
    )
