"""Reads behind the public directory pages and the home page summaries.

Everything here is public except what the caller filters through access.py (contact
details are shown only after `can_view_person_contact`). Each list fetches what its
template shows with `select_related`/`prefetch_related`, so a page costs the same number
of queries whatever its size. "In force" means started on or before today and not ended
before today, in Asia/Ho_Chi_Minh.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Length
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hdnd.core.errors import NotFound
from hdnd.councils.models import (
    AdministrativeUnit,
    Agency,
    AgencyOfficial,
    Committee,
    CommitteeRole,
    CommitteeSeat,
    Council,
    CouncilLevel,
    DelegateGroup,
    GroupMember,
    GroupRole,
    Membership,
    Person,
    Position,
    Term,
    UnitLevel,
    UnitSuccession,
)
from hdnd.councils.search import filter_by_search, query_words, search_rank


def _in_force(prefix: str = "", *, on: dt.date) -> Q:
    """Started on or before `on` and not ended before it."""
    return Q(**{f"{prefix}start_date__lte": on}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": on})
    )


def _rank(field_name: str, values: Sequence[str]) -> Case:
    """Order by the position of a choice in `values` (e.g. chair before delegate)."""
    return Case(
        *(When(**{field_name: value}, then=Value(index)) for index, value in enumerate(values)),
        default=Value(len(values)),
        output_field=IntegerField(),
    )


POSITION_ORDER = [Position.CHAIR, Position.VICE_CHAIR, Position.STANDING_MEMBER, Position.DELEGATE]
STANDING_POSITIONS = [Position.CHAIR, Position.VICE_CHAIR, Position.STANDING_MEMBER]
COMMITTEE_ROLE_ORDER = [CommitteeRole.HEAD, CommitteeRole.DEPUTY, CommitteeRole.MEMBER]
GROUP_ROLE_ORDER = [GroupRole.LEADER, GroupRole.DEPUTY, GroupRole.MEMBER]


# Units


def current_provinces() -> QuerySet[AdministrativeUnit]:
    """Provinces and centrally-run cities, with how many communes each has today."""
    current_communes = Q(children__level=UnitLevel.COMMUNE, children__valid_until__isnull=True)
    return (
        AdministrativeUnit.objects.filter(level=UnitLevel.PROVINCE, valid_until__isnull=True)
        .select_related("council")
        .annotate(commune_count=Count("children", filter=current_communes))
        .order_by("code", "id")
    )


def units_with_code(*, code: str) -> list[AdministrativeUnit]:
    """Every unit that has held an official code: the current one first, then the
    former ones, latest ended first. Codes are reused after a merger."""
    if not (code.isascii() and code.isdigit() and len(code) <= 10):
        raise NotFound(_("No administrative unit has the code “%(code)s”.") % {"code": code[:12]})
    ordered_units = AdministrativeUnit.objects.select_related("parent").order_by(
        "search_text", "code"
    )
    units = list(
        AdministrativeUnit.objects.select_related("parent", "council")
        .prefetch_related(
            Prefetch("successors", queryset=ordered_units),
            Prefetch("predecessors", queryset=ordered_units),
        )
        .filter(code=code)
        .order_by(F("valid_until").desc(nulls_first=True), "level", "id")
    )
    if not units:
        raise NotFound(_("No administrative unit has the code “%(code)s”.") % {"code": code})
    return units


def unit_children(*, unit: AdministrativeUnit, kind: str = "") -> QuerySet[AdministrativeUnit]:
    """The current units directly under `unit` (a province's communes), by name."""
    children = AdministrativeUnit.objects.filter(parent=unit, valid_until__isnull=True)
    if kind:
        children = children.filter(kind=kind)
    return children.select_related("council").order_by("search_text", "code", "id")


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
    successors = AdministrativeUnit.objects.order_by("search_text", "code")
    return (
        AdministrativeUnit.objects.filter(valid_until__isnull=False)
        .filter(Q(parent=unit) | Q(parent__parent=unit) | Q(Exists(taken_over_here)))
        .select_related("parent")
        .prefetch_related(Prefetch("successors", queryset=successors))
        .order_by("level", "search_text", "code", "id")
    )


# Councils and terms


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


def standing_members(*, council: Council, term: Term) -> QuerySet[Membership]:
    """The chair, vice-chairs and standing committee members in office today."""
    return (
        Membership.objects.filter(council=council, term=term, position__in=STANDING_POSITIONS)
        .filter(_in_force(on=timezone.localdate()))
        .select_related("person")
        .order_by(_rank("position", POSITION_ORDER), "person__search_text", "id")
    )


def _current_committee_seats(
    to_attr: str = "current_seats",
) -> "Prefetch[str, QuerySet[CommitteeSeat], str]":
    seats = (
        CommitteeSeat.objects.filter(_in_force(on=timezone.localdate()))
        .select_related("membership__person")
        .order_by(_rank("role", COMMITTEE_ROLE_ORDER), "membership__person__search_text", "id")
    )
    return Prefetch("seats", queryset=seats, to_attr=to_attr)


def council_committees(*, council: Council) -> QuerySet[Committee]:
    """The council's active committees, each with its seats in force today."""
    return (
        Committee.objects.filter(council=council, is_active=True)
        .prefetch_related(_current_committee_seats())
        .order_by("search_text", "id")
    )


def council_groups(*, council: Council, term: Term) -> QuerySet[DelegateGroup]:
    return (
        DelegateGroup.objects.filter(council=council, term=term)
        .select_related("constituency")
        .annotate(member_count=Count("members"))
        .order_by(F("constituency__number").asc(nulls_last=True), "name", "id")
    )


def council_top_agencies(*, council: Council) -> QuerySet[Agency]:
    """The agencies at the top of the council's tree (its People's Committee)."""
    return Agency.objects.filter(council=council, parent__isnull=True, is_active=True).order_by(
        "kind", "name", "id"
    )


def council_delegate_count(*, council: Council, term: Term) -> int:
    today = timezone.localdate()
    return (
        Membership.objects.filter(council=council, term=term)
        .filter(_in_force(on=today))
        .values("person")
        .distinct()
        .count()
    )


def commune_council_count(*, council: Council) -> int:
    return Council.objects.filter(parent=council).count()


# Delegates


class DelegateStatus:
    ACTIVE = "active"
    FORMER = "former"
    ALL = "all"
    CHOICES = [
        (ACTIVE, gettext_lazy("In office")),
        (FORMER, gettext_lazy("Former")),
        (ALL, gettext_lazy("All")),
    ]


def council_delegates(
    *,
    council: Council,
    term: Term,
    position: str = "",
    committee: Committee | None = None,
    constituency_id: int | None = None,
    status: str = DelegateStatus.ACTIVE,
) -> QuerySet[Membership]:
    """The delegates' seats in a council for a term, with their committees and group."""
    today = timezone.localdate()
    seats = CommitteeSeat.objects.select_related("committee").order_by(
        _rank("role", COMMITTEE_ROLE_ORDER), "committee__name", "id"
    )
    members = (
        Membership.objects.filter(council=council, term=term)
        .select_related("person", "constituency")
        .prefetch_related(
            Prefetch("committee_seats", queryset=seats),
            Prefetch("group_seats", queryset=GroupMember.objects.select_related("group")),
        )
    )
    if position:
        members = members.filter(position=position)
    if committee is not None:
        members = members.filter(
            Exists(CommitteeSeat.objects.filter(membership=OuterRef("pk"), committee=committee))
        )
    if constituency_id is not None:
        members = members.filter(constituency_id=constituency_id)
    if status == DelegateStatus.ACTIVE:
        members = members.filter(_in_force(on=today))
    elif status == DelegateStatus.FORMER:
        members = members.filter(end_date__lt=today)
    return members.order_by(
        _rank("position", POSITION_ORDER), "person__search_text", "start_date", "id"
    )


# People


def public_people() -> QuerySet[Person]:
    """People the directory shows: those who hold or held a seat or an agency post.
    Staff known to the platform for other reasons stay out of it."""
    return Person.objects.filter(in_directory=True)


def person_profile(*, person_id: int) -> Person:
    """A person with their seats (latest first), committee seats, groups and posts."""
    memberships = Membership.objects.select_related(
        "council__unit", "term", "constituency"
    ).order_by("-start_date", "id")
    seats = CommitteeSeat.objects.select_related("committee").order_by("-start_date", "id")
    groups = GroupMember.objects.select_related("group__term").order_by("group__name", "id")
    posts = AgencyOfficial.objects.select_related("agency__council").order_by("-start_date", "id")
    person = (
        public_people()
        .prefetch_related(
            Prefetch("memberships", queryset=memberships),
            Prefetch("memberships__committee_seats", queryset=seats),
            Prefetch("memberships__group_seats", queryset=groups),
            Prefetch("official_posts", queryset=posts),
        )
        .filter(id=person_id)
        .first()
    )
    if person is None:
        raise NotFound(_("No person in the directory has the id %(id)s.") % {"id": person_id})
    return person


def person_memberships(*, person_id: int) -> QuerySet[Membership]:
    """A person's seats in force today, for their home page."""
    today = timezone.localdate()
    seats = (
        CommitteeSeat.objects.filter(_in_force(on=today))
        .select_related("committee")
        .order_by("committee__name", "id")
    )
    return (
        Membership.objects.filter(person_id=person_id)
        .filter(_in_force(on=today))
        .select_related("council__unit", "term", "constituency")
        .prefetch_related(
            Prefetch("committee_seats", queryset=seats),
            Prefetch("group_seats", queryset=GroupMember.objects.select_related("group")),
        )
        .order_by("council__level", "-start_date", "id")
    )


# Committees and groups


def committee_with_seats(*, committee_id: int) -> Committee:
    """A committee with its seats in force (`current_seats`) and its former seats
    (`former_seats`)."""
    today = timezone.localdate()
    former = (
        CommitteeSeat.objects.filter(end_date__lt=today)
        .select_related("membership__person")
        .order_by("-end_date", "id")
    )
    committee = (
        Committee.objects.select_related("council")
        .prefetch_related(
            _current_committee_seats(),
            Prefetch("seats", queryset=former, to_attr="former_seats"),
        )
        .filter(id=committee_id)
        .first()
    )
    if committee is None:
        raise NotFound(_("No committee has the id %(id)s.") % {"id": committee_id})
    return committee


def group_with_members(*, group_id: int) -> DelegateGroup:
    members = GroupMember.objects.select_related("membership__person").order_by(
        _rank("role", GROUP_ROLE_ORDER), "membership__person__search_text", "id"
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


@dataclass
class AgencyNode:
    agency: Agency
    children: list["AgencyNode"] = field(default_factory=list)


def _current_officials() -> "Prefetch[str, QuerySet[AgencyOfficial], str]":
    officials = (
        AgencyOfficial.objects.filter(_in_force(on=timezone.localdate()))
        .select_related("person")
        .order_by("-is_head", "person__search_text", "id")
    )
    return Prefetch("officials", queryset=officials, to_attr="current_officials")


def agency_tree(*, council: Council) -> list[AgencyNode]:
    """The council's active agencies as a tree: the People's Committee, then the
    departments or offices under it, each with its officials in office."""
    agencies = list(
        Agency.objects.filter(council=council, is_active=True)
        .prefetch_related(_current_officials())
        .order_by("kind", "search_text", "id")
    )
    nodes = {agency.pk: AgencyNode(agency) for agency in agencies}
    roots: list[AgencyNode] = []
    for agency in agencies:
        parent = nodes.get(agency.parent_id) if agency.parent_id else None
        (parent.children if parent else roots).append(nodes[agency.pk])
    return roots


def agency_with_officials(*, agency_id: int) -> Agency:
    """An agency with `current_officials`, `former_officials` and its active children."""
    former = (
        AgencyOfficial.objects.filter(end_date__lt=timezone.localdate())
        .select_related("person")
        .order_by("-end_date", "id")
    )
    children = Agency.objects.filter(is_active=True).order_by("kind", "search_text", "id")
    agency = (
        Agency.objects.select_related("council", "parent")
        .prefetch_related(
            _current_officials(),
            Prefetch("officials", queryset=former, to_attr="former_officials"),
            Prefetch("children", queryset=children),
        )
        .filter(id=agency_id)
        .first()
    )
    if agency is None:
        raise NotFound(_("No agency has the id %(id)s.") % {"id": agency_id})
    return agency


# Search


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
    LABELS = dict(CHOICES)
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
                "hit_former": Case(
                    When(valid_until__isnull=False, then=Value(True)),
                    default=Value(False),
                    output_field=BooleanField(),
                ),
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
                "hit_former": Case(
                    When(is_active=False, then=Value(True)),
                    default=Value(False),
                    output_field=BooleanField(),
                ),
            },
        ),
        SearchKind.AGENCY: (
            Agency.objects.all(),
            [],
            {
                "hit_code": Value("", output_field=CharField()),
                "hit_title": F("name"),
                "hit_detail": F("council__name"),
                "hit_former": Case(
                    When(is_active=False, then=Value(True)),
                    default=Value(False),
                    output_field=BooleanField(),
                ),
            },
        ),
    }
    parts: dict[str, QuerySet[Any]] = {}
    for rank, (kind, (queryset, also, columns)) in enumerate(sources.items()):
        found = filter_by_search(queryset, query, also=also).order_by()
        parts[kind] = found.annotate(
            hit_match=search_rank(query),
            hit_rank=Value(rank, output_field=IntegerField()),
            hit_kind=Value(kind, output_field=CharField()),
            hit_id=F("pk"),
            hit_sort=F("search_text"),
            hit_length=Length("search_text"),
            **columns,
        ).values(
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


# Home page summaries


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
        .filter(_in_force(on=today))
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
