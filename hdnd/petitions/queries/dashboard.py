"""The supervision figures of a council's petitions: totals and breakdowns by lead
agency, field and place, and for a city its communes' totals.

Every figure is counted from the petition's denormalised columns (status, due_on,
answered_on_time, result, verdict, item_count, …), one query per grouping, so the cost
does not grow with the number of rows shown: the petitions are grouped by the columns
that decide the figures and the groups' figures added up here (`_grouped_figures`).
On PostgreSQL the index `petition_council_figures` (migration 0007) holds those columns,
so a grouping reads the index alone once vacuum has marked the table all-visible. One set
of definitions (`_COUNTS_IN`) serves the dashboard, its export and the statutory reports:

- in scope: the council's petitions, less those merged into another (their items count
  in the petition they joined) and those moved to another council (they count there);
- received: petitions in scope; voter items and voters: what they consolidate;
- sent to agencies: no longer being consolidated;
- awaiting an answer: sent to the agency, forwarded centrally or re-opened for
  re-supervision; overdue: awaiting and past the answer's due date;
- answered: answered and awaiting evaluation, being resolved (monitored) or resolved;
  each on time or late by `answered_on_time` (neither when there was no deadline);
- result categories: of the answered petitions; evaluations: of every petition rated;
- carried over: in a later session cycle than the one it was raised in.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from hdnd.councils.models import AdministrativeUnit, Agency, Council
from hdnd.lib.vietnamese import collation_key
from hdnd.petitions.models import (
    ANSWERED_STATES,
    AWAITING_ANSWER,
    CompetenceLevel,
    Field,
    Petition,
    PetitionStatus,
    ResultCategory,
    Verdict,
)

OUT_OF_SCOPE = frozenset({PetitionStatus.MERGED, PetitionStatus.TRANSFERRED})


def percent(part: int, whole: int) -> float | None:
    """`part` as a percentage of `whole`, one decimal; None when there is no whole."""
    if whole <= 0:
        return None
    return round(100.0 * part / whole, 1)


@dataclass(frozen=True)
class Counts:
    """The figures of one group of petitions (all of them, an agency's, a field's…)."""

    petitions: int = 0
    items: int = 0
    voters: int = 0
    consolidating: int = 0
    sent: int = 0
    awaiting: int = 0
    overdue: int = 0
    answered: int = 0
    on_time: int = 0
    late: int = 0
    resolved: int = 0
    in_progress: int = 0
    will_resolve: int = 0
    explained: int = 0
    satisfactory: int = 0
    unsatisfactory: int = 0
    wrong_competence: int = 0
    off_topic: int = 0
    # Every evaluation other than satisfactory (chưa thỏa đáng, in the broad sense).
    not_satisfactory: int = 0
    unrated: int = 0
    questioning: int = 0
    carried_over: int = 0
    central: int = 0
    city: int = 0
    commune: int = 0

    @property
    def timing_unknown(self) -> int:
        """Answered petitions that had no deadline to meet or miss."""
        return self.answered - self.on_time - self.late

    @property
    def rated(self) -> int:
        return self.satisfactory + self.not_satisfactory

    @property
    def no_result(self) -> int:
        return self.answered - self.resolved - self.in_progress - self.will_resolve - self.explained

    @property
    def unassigned_level(self) -> int:
        return self.petitions - self.central - self.city - self.commune

    @property
    def on_time_percent(self) -> float | None:
        """Of the answered petitions, the share answered on time."""
        return percent(self.on_time, self.answered)

    @property
    def answered_percent(self) -> float | None:
        """Of the petitions sent to agencies, the share answered."""
        return percent(self.answered, self.sent)

    def result_percent(self, name: str) -> float | None:
        return percent(int(getattr(self, name)), self.answered)

    def verdict_percent(self, name: str) -> float | None:
        return percent(int(getattr(self, name)), self.rated)


COUNT_NAMES = tuple(field.name for field in fields(Counts))
# What a breakdown row of the dashboard shows; the dashboard's breakdowns by place count
# these only (the others stay 0): the fewer figures, the fewer columns decide them.
BREAKDOWN_NAMES = (
    "petitions",
    "items",
    "voters",
    "answered",
    "on_time",
    "late",
    "awaiting",
    "overdue",
    "not_satisfactory",
)
RESULT_NAMES: dict[str, str] = {
    ResultCategory.RESOLVED: "resolved",
    ResultCategory.IN_PROGRESS: "in_progress",
    ResultCategory.WILL_RESOLVE: "will_resolve",
    ResultCategory.EXPLAINED: "explained",
}
VERDICT_NAMES: dict[str, str] = {
    Verdict.SATISFACTORY: "satisfactory",
    Verdict.UNSATISFACTORY: "unsatisfactory",
    Verdict.WRONG_COMPETENCE: "wrong_competence",
    Verdict.OFF_TOPIC: "off_topic",
}
NOT_SATISFACTORY = frozenset({Verdict.UNSATISFACTORY, Verdict.WRONG_COMPETENCE, Verdict.OFF_TOPIC})
LEVEL_NAMES: dict[str, str] = {
    CompetenceLevel.CENTRAL: "central",
    CompetenceLevel.CITY: "city",
    CompetenceLevel.COMMUNE: "commune",
}

# How the figures are counted. A petition's figures follow from a few of its columns
# (status, result, verdict, …) and today's date, so the petitions are grouped in SQL by
# the columns that decide the figures asked for, with one count and two sums per group,
# and each group's figures are added up here. Evaluating one filtered aggregate per
# figure on every row took most of the dashboard's time over 100,000 petitions; the
# groups are a few hundred to a few thousand.
#
# The values that decide each figure; "overdue" is `due_on < today` (None without a
# date) and "same_cycle" whether the petition is still in the cycle it was raised in.
_DECIDED_BY: dict[str, tuple[str, ...]] = {
    "petitions": (),
    "items": (),
    "voters": (),
    "consolidating": ("status",),
    "sent": ("status",),
    "awaiting": ("status",),
    "overdue": ("status", "overdue"),
    "answered": ("status",),
    "on_time": ("status", "answered_on_time"),
    "late": ("status", "answered_on_time"),
    **dict.fromkeys(RESULT_NAMES.values(), ("status", "result")),
    **dict.fromkeys(VERDICT_NAMES.values(), ("verdict",)),
    "not_satisfactory": ("verdict",),
    "unrated": ("status", "verdict"),
    "questioning": ("is_questioning_topic",),
    "carried_over": ("same_cycle",),
    **dict.fromkeys(LEVEL_NAMES.values(), ("level",)),
}
_Values = Mapping[str, Any]


def _is_answered(values: _Values) -> bool:
    return values["status"] in ANSWERED_STATES


def _is_awaiting(values: _Values) -> bool:
    return values["status"] in AWAITING_ANSWER


def _answered_with(result: str) -> Callable[[_Values], bool]:
    return lambda values: _is_answered(values) and values["result"] == result


def _equal(column: str, value: str) -> Callable[[_Values], bool]:
    return lambda values: values[column] == value


# Whether a petition with these deciding values counts in each figure (besides
# "petitions", "items" and "voters", which count every petition in scope).
_COUNTS_IN: dict[str, Callable[[_Values], bool]] = {
    "consolidating": lambda values: values["status"] == PetitionStatus.CONSOLIDATING,
    "sent": lambda values: values["status"] != PetitionStatus.CONSOLIDATING,
    "awaiting": _is_awaiting,
    "overdue": lambda values: _is_awaiting(values) and values["overdue"] is True,
    "answered": _is_answered,
    "on_time": lambda values: _is_answered(values) and values["answered_on_time"] is True,
    "late": lambda values: _is_answered(values) and values["answered_on_time"] is False,
    **{name: _answered_with(result) for result, name in RESULT_NAMES.items()},
    **{name: _equal("verdict", verdict) for verdict, name in VERDICT_NAMES.items()},
    "not_satisfactory": lambda values: values["verdict"] in NOT_SATISFACTORY,
    "unrated": lambda values: _is_answered(values) and values["verdict"] == "",
    "questioning": lambda values: values["is_questioning_topic"] is True,
    "carried_over": lambda values: values["same_cycle"] is False,
    **{name: _equal("level", level) for level, name in LEVEL_NAMES.items()},
}
_INDEX = {name: index for index, name in enumerate(COUNT_NAMES)}
# Aggregates are named apart from the model's fields and relations ("items", "petitions").
_ROWS, _ITEMS, _VOTERS = "figure_rows", "figure_items", "figure_voters"


def _deciding(today: dt.date, names: Iterable[str]) -> dict[str, Any]:
    """The columns (or expressions) that decide the figures `names`."""
    expressions: dict[str, Any] = {
        "overdue": ExpressionWrapper(Q(due_on__lt=today), output_field=BooleanField()),
        "same_cycle": ExpressionWrapper(
            Q(raised_in_id=F("current_cycle_id")), output_field=BooleanField()
        ),
    }
    needed = sorted({column for name in names for column in _DECIDED_BY[name]})
    return {column: expressions.get(column, F(column)) for column in needed}


def _grouped_figures(
    petitions: QuerySet[Petition], *, by: Sequence[str], today: dt.date, names: Iterable[str]
) -> list[tuple[tuple[Any, ...], list[int]]]:
    """The figures `names` (a value for each of COUNT_NAMES, 0 for those not asked for)
    per group of `petitions` with the same values of the columns `by`: one query."""
    names = tuple(names)
    deciding = _deciding(today, names)
    if not by and not deciding:
        # Something to group by (every row in one group): values() without columns would
        # group by all of them.
        deciding = {"status": F("status")}
    # Annotated under names of their own: "status" and the others stay plain columns.
    aliases = {f"decides_{column}": expression for column, expression in deciding.items()}
    rows = (
        petitions.order_by()
        .annotate(**aliases)
        .values(*by, *aliases)
        .annotate(**{_ROWS: Count("*"), _ITEMS: Sum("item_count"), _VOTERS: Sum("voter_count")})
        .values_list(*by, *aliases, _ROWS, _ITEMS, _VOTERS)
    )
    counted = [(_INDEX[name], _COUNTS_IN[name]) for name in names if name in _COUNTS_IN]
    sums = [
        (_INDEX[name], offset)
        for offset, name in enumerate(("petitions", "items", "voters"))
        if name in names
    ]
    keys, ends = len(by), len(by) + len(aliases)
    # The figures a petition counts in, for each combination of deciding values.
    counts_in: dict[tuple[Any, ...], list[int]] = {}
    groups: dict[tuple[Any, ...], list[int]] = {}
    for row in rows:
        decided = row[keys:ends]
        indexes = counts_in.get(decided)
        if indexes is None:
            values = dict(zip(deciding, decided, strict=True))
            indexes = counts_in[decided] = [index for index, counts in counted if counts(values)]
        key = row[:keys]
        totals = groups.get(key)
        if totals is None:
            totals = groups[key] = [0] * len(COUNT_NAMES)
        number = row[ends]
        for index in indexes:
            totals[index] += number
        # The number of petitions, and their items and voters.
        for index, offset in sums:
            totals[index] += row[ends + offset] or 0
    return list(groups.items())


@dataclass(frozen=True)
class DashboardFilters:
    """What the dashboard is narrowed to. Commune totals take only field and level: the
    cycles, agencies and places of another council are its own."""

    cycle_id: int | None = None
    field_id: int | None = None
    agency_id: int | None = None
    unit_id: int | None = None
    level: str = ""

    @classmethod
    def from_cleaned(cls, data: Mapping[str, Any]) -> "DashboardFilters":
        """From a form's cleaned data (model instances or ids)."""

        def key(name: str) -> int | None:
            value = data.get(name)
            return getattr(value, "pk", value) or None

        return cls(
            cycle_id=key("cycle"),
            field_id=key("field"),
            agency_id=key("agency"),
            unit_id=key("unit"),
            level=data.get("level") or "",
        )

    def petition_q(self, prefix: str = "") -> Q:
        conditions: dict[str, Any] = {}
        if self.cycle_id:
            conditions["current_cycle_id"] = self.cycle_id
        if self.field_id:
            conditions["field_id"] = self.field_id
        if self.agency_id:
            conditions["lead_agency_id"] = self.agency_id
        if self.unit_id:
            conditions["unit_id"] = self.unit_id
        if self.level:
            conditions["level"] = self.level
        return Q(**{f"{prefix}{key}": value for key, value in conditions.items()})

    def commune_q(self) -> Q:
        conditions: dict[str, Any] = {}
        if self.field_id:
            conditions["field_id"] = self.field_id
        if self.level:
            conditions["level"] = self.level
        return Q(**conditions)


@dataclass(frozen=True)
class BreakdownRow:
    """One row of a breakdown: the group's id (None for "not recorded"), its name and
    its figures."""

    key: int | None
    label: str
    counts: Counts


@dataclass(frozen=True)
class DashboardFigures:
    """The dashboard's figures. `summary`, `by_agency` and `by_field` carry every figure;
    `by_unit` and `communes` the breakdown figures (BREAKDOWN_NAMES) only, unless
    `complete`."""

    council_id: int
    filters: DashboardFilters
    today: dt.date
    summary: Counts
    by_agency: list[BreakdownRow]
    by_field: list[BreakdownRow]
    by_unit: list[BreakdownRow]
    # The child commune councils' totals; empty for a commune council.
    communes: list[BreakdownRow]
    complete: bool = False

    @property
    def communes_total(self) -> Counts:
        return sum_counts(row.counts for row in self.communes)


def sum_counts(groups: Iterator[Counts] | list[Counts]) -> Counts:
    totals = dict.fromkeys(COUNT_NAMES, 0)
    for counts in groups:
        for name in COUNT_NAMES:
            totals[name] += getattr(counts, name)
    return Counts(**totals)


def scoped_petitions(*, council_id: int, filters: DashboardFilters) -> QuerySet[Petition]:
    """The council's petitions in scope under the filters."""
    return (
        Petition.objects.filter(council_id=council_id)
        .exclude(status__in=OUT_OF_SCOPE)
        .filter(filters.petition_q())
    )


def summary_counts(
    *, council_id: int, filters: DashboardFilters, today: dt.date | None = None
) -> Counts:
    """The totals, in one query."""
    today = today or timezone.localdate()
    grouped = _grouped_figures(
        scoped_petitions(council_id=council_id, filters=filters),
        by=(),
        today=today,
        names=COUNT_NAMES,
    )
    return Counts(*grouped[0][1]) if grouped else Counts()


def breakdown(
    *,
    council_id: int,
    filters: DashboardFilters,
    by: str,
    today: dt.date | None = None,
    names: Iterable[str] = COUNT_NAMES,
) -> list[BreakdownRow]:
    """The figures `names` per lead agency (`by="agency"`), field (`"field"`) or place
    (`"unit"`). See `breakdowns`."""
    return breakdowns(council_id=council_id, filters=filters, by=(by,), today=today, names=names)[
        by
    ]


def breakdowns(
    *,
    council_id: int,
    filters: DashboardFilters,
    by: Sequence[str],
    today: dt.date | None = None,
    names: Iterable[str] = COUNT_NAMES,
) -> dict[str, list[BreakdownRow]]:
    """The figures `names` per lead agency, field or place, for each grouping in `by`,
    from ONE scan of the petitions: grouped by all of them together (agency and field go
    together: routing makes few pairs) and by the columns deciding the figures, then
    added up per grouping in Python; then one query per grouping for the names of what
    was found (no join over the petitions).

    Agencies and places in Vietnamese order, fields in their catalogue order; the group
    with none recorded last. Every petition is in exactly one row of each grouping, so
    the rows add up to the totals."""
    today = today or timezone.localdate()
    columns = [_GROUP_COLUMNS[grouping] for grouping in by]
    groups = _grouped_figures(
        scoped_petitions(council_id=council_id, filters=filters),
        by=columns,
        today=today,
        names=names,
    )
    result: dict[str, list[BreakdownRow]] = {}
    for position, grouping in enumerate(by):
        grouped: dict[int | None, list[int]] = {}
        for group, values in groups:
            total = grouped.get(group[position])
            if total is None:
                grouped[group[position]] = list(values)
            else:
                for index, value in enumerate(values):
                    total[index] += value
        labels = _labels(grouping, [key for key in grouped if key is not None])
        shown: list[tuple[Any, BreakdownRow]] = []
        for key, values in grouped.items():
            label, order = labels.get(key, (_none_label(grouping), 0))
            counts = Counts(*values)
            shown.append(
                (
                    (key is None, order, collation_key(label)),
                    BreakdownRow(key=key, label=label, counts=counts),
                )
            )
        shown.sort(key=lambda pair: pair[0])
        result[grouping] = [row for _sort_key, row in shown]
    return result


_GROUP_COLUMNS = {"agency": "lead_agency_id", "field": "field_id", "unit": "unit_id"}


def _none_label(by: str) -> str:
    if by == "agency":
        return _("No lead agency")
    if by == "field":
        return _("No field recorded")
    return _("No place recorded")


def _labels(by: str, keys: list[int]) -> dict[int | None, tuple[str, int]]:
    """The name (and catalogue order) of each key, in one query; none without keys."""
    if not keys:
        return {}
    if by == "agency":
        agencies = Agency.objects.filter(pk__in=keys).order_by().values_list("pk", "name")
        return {pk: (name, 0) for pk, name in agencies}
    if by == "field":
        catalogue = (
            Field.objects.filter(pk__in=keys).order_by().values_list("pk", "name", "sort_order")
        )
        return {pk: (name, order) for pk, name, order in catalogue}
    units = AdministrativeUnit.objects.filter(pk__in=keys).order_by().values_list("pk", "name")
    return {pk: (name, 0) for pk, name in units}


def commune_breakdown(
    *,
    council_id: int,
    filters: DashboardFilters,
    today: dt.date | None = None,
    names: Iterable[str] = BREAKDOWN_NAMES,
) -> list[BreakdownRow]:
    """Every commune council under a city council with its totals (zero when it has no
    petitions), in two queries: the communes, then their petitions' aggregates grouped by
    council (through the index on council). Aggregates only: no petition's text leaves
    its council."""
    today = today or timezone.localdate()
    communes = list(
        Council.objects.filter(parent_id=council_id)
        .order_by()
        .values_list("id", "name", "unit__name")
    )
    if not communes:
        return []
    petitions = (
        Petition.objects.filter(council_id__in=[pk for pk, _name, _unit in communes])
        .exclude(status__in=OUT_OF_SCOPE)
        .filter(filters.commune_q())
    )
    counts = {
        council: Counts(*values)
        for (council,), values in _grouped_figures(
            petitions, by=("council_id",), today=today, names=names
        )
    }
    result = [
        BreakdownRow(key=pk, label=unit or name, counts=counts.get(pk, Counts()))
        for pk, name, unit in communes
    ]
    result.sort(key=lambda row: collation_key(row.label))
    return result


def dashboard_figures(
    *,
    council_id: int,
    filters: DashboardFilters,
    today: dt.date | None = None,
    complete: bool = False,
) -> DashboardFigures:
    """Everything the dashboard shows, in two aggregate queries over the council's
    petitions and one over its communes', plus the names of what they found: by agency
    and by field with every figure (the totals are their sum), by place and the
    communes' totals with the breakdown figures (BREAKDOWN_NAMES) — or, `complete`,
    with every figure too (for the API: a little slower)."""
    today = today or timezone.localdate()
    names = COUNT_NAMES if complete else BREAKDOWN_NAMES
    pairs = breakdowns(council_id=council_id, filters=filters, by=("agency", "field"), today=today)
    by_unit = breakdown(council_id=council_id, filters=filters, by="unit", today=today, names=names)
    return DashboardFigures(
        council_id=council_id,
        filters=filters,
        today=today,
        summary=sum_counts([row.counts for row in pairs["agency"]]),
        by_agency=pairs["agency"],
        by_field=pairs["field"],
        by_unit=by_unit,
        communes=commune_breakdown(
            council_id=council_id, filters=filters, today=today, names=names
        ),
        complete=complete,
    )


@dataclass(frozen=True)
class PetitionLine:
    """A petition as the export lists it: no voter's personal data."""

    code: str
    title: str
    field: str
    level: str
    agency: str
    cycle: str
    due_on: dt.date | None
    answered_on: dt.date | None
    answered_on_time: bool | None
    result: str
    verdict: str
    status: str
    item_count: int
    voter_count: int


def petition_lines(
    *, council_id: int, filters: DashboardFilters, chunk_size: int = 2000
) -> Iterator[PetitionLine]:
    """The petitions behind the figures, streamed (one query per chunk). Choice fields
    are given as stored codes; the caller names them."""
    rows = (
        scoped_petitions(council_id=council_id, filters=filters)
        .order_by("code")
        .values_list(
            "code",
            "title",
            "field__name",
            "level",
            "lead_agency__name",
            "current_cycle__name",
            "due_on",
            "answered_on",
            "answered_on_time",
            "result",
            "verdict",
            "status",
            "item_count",
            "voter_count",
        )
    )
    for row in rows.iterator(chunk_size=chunk_size):
        yield PetitionLine(
            code=row[0],
            title=row[1],
            field=row[2] or "",
            level=row[3],
            agency=row[4] or "",
            cycle=row[5] or "",
            due_on=row[6],
            answered_on=row[7],
            answered_on_time=row[8],
            result=row[9],
            verdict=row[10],
            status=row[11],
            item_count=row[12],
            voter_count=row[13],
        )
