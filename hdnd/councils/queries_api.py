"""Reads behind the directory API (hdnd/councils/api/).

Everything here is the public directory: no contact details of people, no accounts.
Each list query fetches what its serializer shows with `select_related` and
`prefetch_related`, so a page costs the same number of queries whatever its size.
"""

import datetime as dt

from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from hdnd.core.errors import NotFound
from hdnd.councils.models import (
    AdministrativeUnit,
    Agency,
    AgencyOfficial,
    Committee,
    CommitteeRole,
    CommitteeSeat,
    Council,
    Membership,
    Person,
    Term,
)
from hdnd.councils.search import filter_by_search


def _in_force(prefix: str = "", *, on: dt.date) -> Q:
    """Started on or before `on` and not ended before it."""
    return Q(**{f"{prefix}start_date__lte": on}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": on})
    )


# Units


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


def unit_code_exists(*, code: str) -> bool:
    return AdministrativeUnit.objects.filter(code=code).exists()


def unit_by_code(*, code: str) -> AdministrativeUnit:
    """The unit under an official code: the current one, else the one that ended last.

    Codes are reused after a merger, so a code can name a former unit and a current one.
    """
    not_found = NotFound(_("No administrative unit has the code “%(code)s”.") % {"code": code})
    # Official codes are short and alphanumeric; anything else (a NUL byte would make
    # PostgreSQL raise) cannot name a unit.
    if len(code) > 10 or not code.isalnum():
        raise not_found
    unit = (
        AdministrativeUnit.objects.select_related("parent", "council")
        .prefetch_related("successors", "predecessors")
        .filter(code=code)
        .order_by(
            Case(When(valid_until__isnull=True, then=Value(0)), default=Value(1)),
            "-valid_until",
            "level",
        )
        .first()
    )
    if unit is None:
        raise not_found
    return unit


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


def term_list(*, council_id: int | None = None) -> QuerySet[Term]:
    terms = Term.objects.select_related("council")
    if council_id is not None:
        terms = terms.filter(council_id=council_id)
    return terms.order_by("council__level", "council__unit__code", "-start_date", "id")


# People


def _public_people() -> QuerySet[Person]:
    """People the directory shows: those who hold or held a seat or an agency post.

    `has_seat` tells delegates (whose gender and birth year are public) from officials.
    """
    return Person.objects.filter(in_directory=True).annotate(
        has_seat=Exists(Membership.objects.filter(person=OuterRef("pk")))
    )


def person_list(*, council_id: int | None = None, query: str = "") -> QuerySet[Person]:
    people = _public_people()
    if council_id is not None:
        people = people.filter(
            Exists(Membership.objects.filter(person=OuterRef("pk"), council_id=council_id))
        )
    if query:
        people = filter_by_search(people, query)
    return people.order_by("full_name", "id")


def person_detail(*, person_id: int) -> Person:
    person = (
        _public_people()
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related(
                    "council", "term", "constituency"
                ).order_by("-start_date", "id"),
            ),
            Prefetch(
                "memberships__committee_seats",
                queryset=CommitteeSeat.objects.select_related("committee").order_by(
                    "-start_date", "id"
                ),
            ),
            Prefetch(
                "official_posts",
                queryset=AgencyOfficial.objects.select_related("agency").order_by(
                    "-start_date", "id"
                ),
            ),
        )
        .filter(id=person_id)
        .first()
    )
    if person is None:
        raise NotFound(_("No person in the directory has the id %(id)s.") % {"id": person_id})
    return person


# Memberships


def membership_list(
    *,
    council_id: int | None = None,
    term_id: int | None = None,
    person_id: int | None = None,
    active: bool | None = None,
    position: str | None = None,
    query: str = "",
) -> QuerySet[Membership]:
    memberships = Membership.objects.select_related("person", "council", "term", "constituency")
    if council_id is not None:
        memberships = memberships.filter(council_id=council_id)
    if term_id is not None:
        memberships = memberships.filter(term_id=term_id)
    if person_id is not None:
        memberships = memberships.filter(person_id=person_id)
    if active is not None:
        in_force = _in_force(on=timezone.localdate())
        memberships = memberships.filter(in_force) if active else memberships.exclude(in_force)
    if position:
        memberships = memberships.filter(position=position)
    if query:
        memberships = filter_by_search(memberships, query, field="person__search_text")
    return memberships.order_by("council_id", "-term__start_date", "person__full_name", "id")


# Committees


_SEAT_ORDER = Case(
    When(role=CommitteeRole.HEAD, then=Value(0)),
    When(role=CommitteeRole.DEPUTY, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def _current_seats() -> "Prefetch[str, QuerySet[CommitteeSeat], str]":
    seats = (
        CommitteeSeat.objects.filter(_in_force(on=timezone.localdate()))
        .select_related("membership__person")
        .order_by(_SEAT_ORDER, "membership__person__full_name", "id")
    )
    return Prefetch("seats", queryset=seats, to_attr="current_seats")


def committee_list(
    *, council_id: int | None = None, include_inactive: bool = False, query: str = ""
) -> QuerySet[Committee]:
    committees = Committee.objects.select_related("council").prefetch_related(_current_seats())
    if council_id is not None:
        committees = committees.filter(council_id=council_id)
    if not include_inactive:
        committees = committees.filter(is_active=True)
    if query:
        committees = filter_by_search(committees, query)
    return committees.order_by("council_id", "name", "id")


def committee_detail(*, committee_id: int) -> Committee:
    committee = (
        Committee.objects.select_related("council")
        .prefetch_related(_current_seats())
        .filter(id=committee_id)
        .first()
    )
    if committee is None:
        raise NotFound(_("No committee has the id %(id)s.") % {"id": committee_id})
    return committee


# Agencies


def _current_officials() -> "Prefetch[str, QuerySet[AgencyOfficial], str]":
    officials = (
        AgencyOfficial.objects.filter(_in_force(on=timezone.localdate()))
        .select_related("person")
        .order_by("-is_head", "person__full_name", "id")
    )
    return Prefetch("officials", queryset=officials, to_attr="current_officials")


def agency_list(
    *,
    council_id: int | None = None,
    kind: str | None = None,
    include_inactive: bool = False,
    query: str = "",
) -> QuerySet[Agency]:
    agencies = Agency.objects.select_related("council", "parent").prefetch_related(
        _current_officials()
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


def agency_detail(*, agency_id: int) -> Agency:
    agency = (
        Agency.objects.select_related("council", "parent")
        .prefetch_related(_current_officials())
        .filter(id=agency_id)
        .first()
    )
    if agency is None:
        raise NotFound(_("No agency has the id %(id)s.") % {"id": agency_id})
    return agency
