"""Reads of a council's bodies: the councils themselves and their terms of office, their
committees with their seats, delegate groups, and the agencies answering to them with
their officials."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hdnd.core.errors import NotFound
from hdnd.councils.models import (
    Agency,
    AgencyOfficial,
    Committee,
    CommitteeSeat,
    Council,
    DelegateGroup,
    GroupMember,
    Term,
)
from hdnd.councils.queries.ordering import (
    BY_VIETNAMESE_ORDER,
    COMMITTEE_ROLE_ORDER,
    GROUP_ROLE_ORDER,
    person_order,
    rank,
    vietnamese,
    vietnamese_names,
)
from hdnd.councils.search import filter_by_search
from hdnd.lib.periods import in_force_on

# Councils and terms


def council_list(
    *, level: str | None = None, parent_id: int | None = None, query: str = ""
) -> QuerySet[Council]:
    councils = Council.objects.select_related("unit", "parent")
    if level:
        councils = councils.filter(level=level)
    if parent_id is not None:
        councils = councils.filter(parent_id=parent_id)
    if query:
        councils = filter_by_search(councils, query)
    return councils.order_by("level", "unit__code", "id")


def council_detail(*, council_id: int) -> Council:
    council = (
        Council.objects.select_related("unit", "parent")
        .prefetch_related(Prefetch("terms", queryset=Term.objects.order_by("-start_date")))
        .filter(id=council_id)
        .first()
    )
    if council is None:
        raise NotFound(_("No council has the id %(id)s.") % {"id": council_id})
    return council


def council_exists(*, council_id: int) -> bool:
    return Council.objects.filter(id=council_id).exists()


def commune_council_count(*, council: Council) -> int:
    return Council.objects.filter(parent=council).count()


def council_terms(*, council: Council) -> list[Term]:
    return list(council.terms.order_by("-start_date", "id"))


def current_term(terms: Sequence[Term], *, on: dt.date | None = None) -> Term | None:
    """The term that started last on or before `on`; before any term, the first one.

    `terms` are ordered latest first, as `council_terms` returns them."""
    day = on or timezone.localdate()
    for term in terms:
        if term.start_date <= day:
            return term
    return terms[-1] if terms else None


def term_list(*, council_id: int | None = None) -> QuerySet[Term]:
    terms = Term.objects.select_related("council")
    if council_id is not None:
        terms = terms.filter(council_id=council_id)
    return terms.order_by("council__level", "council__unit__code", "-start_date", "id")


# Committees


def current_committee_seats(
    *, people_by: str = BY_VIETNAMESE_ORDER
) -> "Prefetch[str, QuerySet[CommitteeSeat], str]":
    """A committee's seats in force today as `current_seats`: the head, deputies, then
    members, each by the person's name field `people_by`."""
    seats = (
        CommitteeSeat.objects.filter(in_force_on(timezone.localdate()))
        .select_related("membership__person")
        .order_by(
            rank("role", COMMITTEE_ROLE_ORDER),
            *person_order("membership__person__", people_by),
            "id",
        )
    )
    return Prefetch("seats", queryset=seats, to_attr="current_seats")


def council_committees(*, council: Council) -> QuerySet[Committee]:
    """The council's active committees, each with its seats in force today."""
    return (
        Committee.objects.filter(council=council, is_active=True)
        .prefetch_related(current_committee_seats())
        .order_by(vietnamese("name"), "id")
    )


def committee_list(
    *,
    council_id: int | None = None,
    include_inactive: bool = False,
    query: str = "",
    people_by: str = BY_VIETNAMESE_ORDER,
) -> QuerySet[Committee]:
    committees = Committee.objects.select_related("council").prefetch_related(
        current_committee_seats(people_by=people_by)
    )
    if council_id is not None:
        committees = committees.filter(council_id=council_id)
    if not include_inactive:
        committees = committees.filter(is_active=True)
    if query:
        committees = filter_by_search(committees, query)
    return committees.order_by("council_id", "name", "id")


def committee_with_seats(
    *, committee_id: int, with_former: bool = False, people_by: str = BY_VIETNAMESE_ORDER
) -> Committee:
    """A committee with its seats in force (`current_seats`) and, `with_former`, its
    former seats (`former_seats`), latest ended first."""
    related = [current_committee_seats(people_by=people_by)]
    if with_former:
        former = (
            CommitteeSeat.objects.filter(end_date__lt=timezone.localdate())
            .select_related("membership__person")
            .order_by("-end_date", "id")
        )
        related.append(Prefetch("seats", queryset=former, to_attr="former_seats"))
    committee = (
        Committee.objects.select_related("council")
        .prefetch_related(*related)
        .filter(id=committee_id)
        .first()
    )
    if committee is None:
        raise NotFound(_("No committee has the id %(id)s.") % {"id": committee_id})
    return committee


# Delegate groups


def council_groups(*, council: Council, term: Term) -> QuerySet[DelegateGroup]:
    return (
        DelegateGroup.objects.filter(council=council, term=term)
        .select_related("constituency")
        .annotate(member_count=Count("members"))
        .order_by(F("constituency__number").asc(nulls_last=True), "name", "id")
    )


def group_with_members(*, group_id: int) -> DelegateGroup:
    members = GroupMember.objects.select_related("membership__person").order_by(
        rank("role", GROUP_ROLE_ORDER), *vietnamese_names("membership__person__full_name"), "id"
    )
    group = (
        DelegateGroup.objects.select_related("council", "term", "constituency")
        .prefetch_related(Prefetch("members", queryset=members))
        .filter(id=group_id)
        .first()
    )
    if group is None:
        raise NotFound(_("No delegate group has the id %(id)s.") % {"id": group_id})
    return group


# Agencies


def current_officials(
    *, people_by: str = BY_VIETNAMESE_ORDER
) -> "Prefetch[str, QuerySet[AgencyOfficial], str]":
    """An agency's officials in post today as `current_officials`: the head first, then
    by the person's name field `people_by`."""
    officials = (
        AgencyOfficial.objects.filter(in_force_on(timezone.localdate()))
        .select_related("person")
        .order_by("-is_head", *person_order("person__", people_by), "id")
    )
    return Prefetch("officials", queryset=officials, to_attr="current_officials")


def council_top_agencies(*, council: Council) -> QuerySet[Agency]:
    """The agencies at the top of the council's tree (its People's Committee)."""
    return Agency.objects.filter(council=council, parent__isnull=True, is_active=True).order_by(
        "kind", "name", "id"
    )


@dataclass
class AgencyNode:
    agency: Agency
    children: list["AgencyNode"] = field(default_factory=list)


def agency_tree(*, council: Council) -> list[AgencyNode]:
    """The council's active agencies as a tree: the People's Committee, then the
    departments or offices under it, each with its officials in office."""
    agencies = list(
        Agency.objects.filter(council=council, is_active=True)
        .prefetch_related(current_officials())
        .order_by("kind", vietnamese("name"), "id")
    )
    nodes = {agency.pk: AgencyNode(agency) for agency in agencies}
    roots: list[AgencyNode] = []
    for agency in agencies:
        parent = nodes.get(agency.parent_id) if agency.parent_id else None
        (parent.children if parent else roots).append(nodes[agency.pk])
    return roots


def agency_list(
    *,
    council_id: int | None = None,
    kind: str | None = None,
    include_inactive: bool = False,
    query: str = "",
    people_by: str = BY_VIETNAMESE_ORDER,
) -> QuerySet[Agency]:
    agencies = Agency.objects.select_related("council", "parent").prefetch_related(
        current_officials(people_by=people_by)
    )
    if council_id is not None:
        agencies = agencies.filter(council_id=council_id)
    if kind:
        agencies = agencies.filter(kind=kind)
    if not include_inactive:
        agencies = agencies.filter(is_active=True)
    if query:
        agencies = filter_by_search(agencies, query)
    return agencies.order_by("council_id", "kind", "name", "id")


def agency_with_officials(
    *,
    agency_id: int,
    with_former: bool = False,
    with_children: bool = False,
    people_by: str = BY_VIETNAMESE_ORDER,
) -> Agency:
    """An agency with its officials in post (`current_officials`), `with_former` its
    former officials (`former_officials`, latest ended first), `with_children` its active
    child agencies."""
    related: list[Prefetch[str, QuerySet[Any], str]] = [current_officials(people_by=people_by)]
    if with_former:
        former = (
            AgencyOfficial.objects.filter(end_date__lt=timezone.localdate())
            .select_related("person")
            .order_by("-end_date", "id")
        )
        related.append(Prefetch("officials", queryset=former, to_attr="former_officials"))
    if with_children:
        children = Agency.objects.filter(is_active=True).order_by("kind", vietnamese("name"), "id")
        related.append(Prefetch("children", queryset=children))
    agency = (
        Agency.objects.select_related("council", "parent")
        .prefetch_related(*related)
        .filter(id=agency_id)
        .first()
    )
    if agency is None:
        raise NotFound(_("No agency has the id %(id)s.") % {"id": agency_id})
    return agency
