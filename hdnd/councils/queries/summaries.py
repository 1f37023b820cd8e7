"""The home page's summaries of the councils a user serves: a city with its communes, or
one commune council."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from hdnd.councils.models import (
    AdministrativeUnit,
    Council,
    CouncilLevel,
    Membership,
    Term,
    UnitLevel,
)
from hdnd.councils.queries.bodies import council_terms, current_term
from hdnd.councils.queries.people import council_delegate_count, standing_members
from hdnd.councils.queries.units import unit_child_kinds
from hdnd.lib.periods import in_force_on


@dataclass(frozen=True)
class LevelCounts:
    label: str
    units: int
    councils: int
    delegates: int


@dataclass(frozen=True)
class CitySummary:
    council: Council
    levels: list[LevelCounts]
    commune_kinds: dict[str, int]


def city_summary(*, council: Council) -> CitySummary:
    """Units, councils and delegates in office at the city level and in its communes."""
    unit = council.unit
    today = timezone.localdate()
    units = AdministrativeUnit.objects.filter(
        Q(pk=unit.pk) | Q(parent=unit, level=UnitLevel.COMMUNE, valid_until__isnull=True)
    ).aggregate(
        province=Count("id", filter=Q(level=UnitLevel.PROVINCE)),
        commune=Count("id", filter=Q(level=UnitLevel.COMMUNE)),
    )
    councils = Council.objects.filter(Q(pk=council.pk) | Q(parent=council)).aggregate(
        province=Count("id", filter=Q(level=CouncilLevel.PROVINCE)),
        commune=Count("id", filter=Q(level=CouncilLevel.COMMUNE)),
    )
    delegates = (
        Membership.objects.filter(Q(council=council) | Q(council__parent=council))
        .filter(in_force_on(today))
        .aggregate(
            province=Count("person", distinct=True, filter=Q(council__level=CouncilLevel.PROVINCE)),
            commune=Count("person", distinct=True, filter=Q(council__level=CouncilLevel.COMMUNE)),
        )
    )
    levels = [
        LevelCounts(
            str(CouncilLevel.PROVINCE.label),
            units["province"],
            councils["province"],
            delegates["province"],
        ),
        LevelCounts(
            str(CouncilLevel.COMMUNE.label),
            units["commune"],
            councils["commune"],
            delegates["commune"],
        ),
    ]
    return CitySummary(council, levels, unit_child_kinds(unit=unit))


@dataclass(frozen=True)
class CommuneSummary:
    council: Council
    term: Term | None
    delegate_count: int
    standing: list[Membership]


def commune_summary(*, council: Council) -> CommuneSummary:
    """A commune council's current term, delegates in office and standing members."""
    term = current_term(council_terms(council=council))
    if term is None:
        return CommuneSummary(council, None, 0, [])
    return CommuneSummary(
        council,
        term,
        council_delegate_count(council=council, term=term),
        list(standing_members(council=council, term=term)),
    )
