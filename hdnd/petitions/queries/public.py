"""What the public sees of voter petitions: published answers per council, what became of
a looked-up code, the printable answer sheet, and the rows of the Open311 facade.

Two rules hold in every function here:
- a voter's identity and the text a voter wrote are never read (voter items are read with
  `values()` naming the few public columns); the public sees the consolidated petition's
  title and text, which staff wrote, and the events marked public;
- an answer is public only once `published_at` is set, and so is its evaluation. The
  denormalised `Petition.result`/`answered_on`/`verdict` describe the current answer even
  before it is published, so they are never used here.
"""

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from hdnd.councils.models import AdministrativeUnit, Council
from hdnd.councils.queries.ordering import vietnamese
from hdnd.councils.search import filter_by_search
from hdnd.petitions.models import (
    FINAL_STATES,
    Answer,
    Field,
    ItemKind,
    Petition,
    PetitionEvent,
    PetitionStatus,
    Rating,
    ResultCategory,
    SessionCycle,
    TriageStatus,
    Verdict,
    VoterItem,
)

S = PetitionStatus

# A petition continued in another council, or merged into one that was merged again…
# Lineage is short in practice; the bound only stops a corrupted loop.
MAX_LINEAGE = 12

# ---------------------------------------------------------------------------------------
# Codes


@dataclass(frozen=True)
class CodeCandidates:
    """The exact codes a typed code may stand for: as a voter item and as a petition."""

    items: frozenset[str] = frozenset()
    petitions: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.items or self.petitions)


_DASHES = re.compile(r"[\u2010-\u2015\u2212_]+")
_SPACES = re.compile(r"\s+")
_ITEM_CODE = re.compile(r"^(?:KN)?([0-9A-Z]{8})$")
MAX_CODE_LENGTH = 40


def code_candidates(raw: str) -> CodeCandidates:
    """What a voter may type for "KN-7Q4M-X2PA" ("kn 7q4m x2pa", "KN7Q4MX2PA",
    "7Q4M-X2PA") or for "01-2026-0042" ("0120260042", "01 2026 0042"): upper case, no
    spaces, any dash, dashes optional."""
    text = _SPACES.sub("", unicodedata.normalize("NFKC", raw)).upper()
    text = _DASHES.sub("-", text).strip("-")
    if not text or len(text) > MAX_CODE_LENGTH:
        return CodeCandidates()
    items = {text}
    petitions = {text}
    compact = text.replace("-", "")
    item_code = _ITEM_CODE.match(compact)
    if item_code:
        body = item_code.group(1)
        items.add(f"KN-{body[:4]}-{body[4:]}")
    if compact.isdecimal() and len(compact) >= 9:
        # unit code (1–6 digits) - year (4 digits, 19xx or 20xx) - number (4 digits or more)
        for unit_length in range(1, min(7, len(compact) - 7)):
            year = compact[unit_length : unit_length + 4]
            if year[:2] in ("19", "20"):
                petitions.add(f"{compact[:unit_length]}-{year}-{compact[unit_length + 4 :]}")
    return CodeCandidates(items=frozenset(items), petitions=frozenset(petitions))


# ---------------------------------------------------------------------------------------
# What the public sees of one petition


@dataclass(frozen=True)
class PublicItem:
    """A voter item as the public may see it: its code, when it arrived and, if it was
    redirected, what it was and where it went (never why: the reason may name people)."""

    code: str
    received_on: dt.date
    council_name: str
    kind: str
    kind_label: str
    is_redirected: bool
    redirected_to: str


@dataclass(frozen=True)
class LineageStep:
    """One petition on the way from the looked-up code to where it is now. `how` is how
    it follows the previous step: "start", "merged" (into this one) or "moved" (to this
    council)."""

    petition: Petition
    how: str


@dataclass(frozen=True)
class PublicAnswer:
    petition_code: str
    agency_name: str
    document_number: str
    document_issued_on: dt.date | None
    signer_name: str
    signer_title: str
    result: str
    result_label: str
    roadmap: str
    planned_completion: dt.date | None
    text: str
    answered_on: dt.date
    published_at: dt.datetime
    verdict: str
    verdict_label: str


@dataclass(frozen=True)
class PublicEvent:
    petition_code: str
    occurred_at: dt.datetime
    kind: str
    label: str
    summary: str


@dataclass(frozen=True)
class VoterStatus:
    """The status in the words of a voter, not of the office."""

    key: str
    headline: str
    detail: str


@dataclass(frozen=True)
class PublicView:
    status: VoterStatus
    item: PublicItem | None = None
    lineage: Sequence[LineageStep] = ()
    answers: Sequence[PublicAnswer] = ()
    events: Sequence[PublicEvent] = ()

    @property
    def petition(self) -> Petition | None:
        """Where the matter is now: the last petition of the lineage."""
        return self.lineage[-1].petition if self.lineage else None

    @property
    def public_codes(self) -> frozenset[str]:
        """The petitions of the lineage that have a public page (a published answer)."""
        return frozenset(answer.petition_code for answer in self.answers)

    @property
    def earlier_answers(self) -> list[PublicAnswer]:
        latest = self.answer
        return [answer for answer in self.answers if answer is not latest]

    @property
    def answer(self) -> PublicAnswer | None:
        """The latest published answer of the petition as it is now."""
        petition = self.petition
        if petition is None:
            return None
        return next((a for a in self.answers if a.petition_code == petition.code), None)


_ITEM_COLUMNS = (
    "code",
    "received_on",
    "council__name",
    "kind",
    "triage_status",
    "redirected_to",
    "petition_id",
)


def look_up(raw_code: str) -> PublicView | None:
    """What became of a voter item or a petition, by the code the voter holds; None if
    no item or petition has that code."""
    candidates = code_candidates(raw_code)
    if not candidates:
        return None
    # Only the public columns: a voter's identity and words never leave the database.
    row = (
        VoterItem.objects.filter(code__in=candidates.items)
        .values(*_ITEM_COLUMNS)
        .order_by("id")
        .first()
    )
    if row is not None:
        return _item_view(row)
    petition_id = (
        Petition.objects.filter(code__in=candidates.petitions)
        .order_by("id")
        .values_list("id", flat=True)
        .first()
    )
    if petition_id is None:
        return None
    return petition_view(petition_id=petition_id)


def published_petition_id(code: str) -> int | None:
    """The id of the petition with this code, if it has a published answer (its public
    page); None otherwise."""
    candidates = code_candidates(code)
    return (
        public_petitions()
        .filter(code__in=candidates.petitions)
        .order_by("id")
        .values_list("id", flat=True)
        .first()
    )


def petition_view(*, petition_id: int) -> PublicView:
    """A petition followed to where it is now, with its public history and answers."""
    lineage = _lineage(petition_id)
    return _view_of(lineage)


def _item_view(row: dict[str, Any]) -> PublicView:
    item = PublicItem(
        code=row["code"],
        received_on=row["received_on"],
        council_name=row["council__name"],
        kind=row["kind"],
        kind_label=str(ItemKind(row["kind"]).label),
        is_redirected=row["triage_status"] == TriageStatus.REDIRECTED,
        redirected_to=row["redirected_to"],
    )
    if item.is_redirected:
        return PublicView(item=item, status=_redirected_status(item))
    if row["petition_id"] is None:
        received = VoterStatus(
            key="received",
            headline=_("Received"),
            detail=_(
                "The council received it on %(date)s; its office is reviewing it before "
                "consolidating it with what other voters asked."
            )
            % {"date": _day(item.received_on)},
        )
        return PublicView(item=item, status=received)
    view = _view_of(_lineage(row["petition_id"]))
    return PublicView(
        item=item,
        status=view.status,
        lineage=view.lineage,
        answers=view.answers,
        events=view.events,
    )


def _redirected_status(item: PublicItem) -> VoterStatus:
    if item.redirected_to:
        detail = _(
            "This is not a voter petition but a matter of another kind (%(kind)s). It was "
            "sent on to: %(destination)s."
        ) % {"kind": item.kind_label, "destination": item.redirected_to}
    else:
        detail = _(
            "This is not a voter petition but a matter of another kind (%(kind)s), handled "
            "under another procedure."
        ) % {"kind": item.kind_label}
    return VoterStatus(key="redirected", headline=_("Redirected"), detail=detail)


def _petition_rows() -> QuerySet[Petition]:
    return Petition.objects.select_related(
        "council__unit", "field", "lead_agency", "unit", "raised_in", "current_cycle"
    )


def _lineage(petition_id: int) -> list[LineageStep]:
    """The petition, then what it was merged into or continued as, to the end."""
    steps: list[LineageStep] = []
    seen: set[int] = set()
    current = _petition_rows().filter(id=petition_id).first()
    how = "start"
    while current is not None and current.pk not in seen and len(steps) < MAX_LINEAGE:
        seen.add(current.pk)
        steps.append(LineageStep(petition=current, how=how))
        if current.merged_into_id is not None:
            current, how = _petition_rows().filter(id=current.merged_into_id).first(), "merged"
        else:
            successor = (
                _petition_rows().filter(predecessor_id=current.pk).order_by("-created_at", "-id")
            )
            current, how = successor.first(), "moved"
    return steps


def _view_of(lineage: list[LineageStep]) -> PublicView:
    ids = [step.petition.pk for step in lineage]
    codes = {step.petition.pk: step.petition.code for step in lineage}
    answers = published_answers_of(ids, codes)
    events = [
        PublicEvent(
            petition_code=codes[event.petition_id],
            occurred_at=event.occurred_at,
            kind=event.kind,
            label=event.get_kind_display(),
            summary=event.summary,
        )
        for event in PetitionEvent.objects.filter(petition_id__in=ids, is_public=True).order_by(
            "occurred_at", "id"
        )
    ]
    current = lineage[-1].petition
    latest = next((a for a in answers if a.petition_code == current.code), None)
    return PublicView(
        status=voter_status(current, latest),
        lineage=lineage,
        answers=answers,
        events=events,
    )


def published_answers_of(ids: Iterable[int], codes: dict[int, str]) -> list[PublicAnswer]:
    """The published answers of these petitions, newest first, each with the verdict of
    its latest evaluation."""
    answers = list(
        Answer.objects.filter(petition_id__in=list(ids), published_at__isnull=False)
        .select_related("document", "agency")
        .order_by("-answered_on", "-published_at", "-id")
    )
    # Ordered oldest first, so the latest rating of each answer wins.
    ratings = (
        Rating.objects.filter(answer_id__in=[answer.pk for answer in answers])
        .order_by("answer_id", "rated_at", "id")
        .values_list("answer_id", "verdict")
    )
    verdicts = dict(ratings)
    return [_public_answer(answer, codes[answer.petition_id], verdicts) for answer in answers]


def _public_answer(answer: Answer, code: str, verdicts: dict[int, str]) -> PublicAnswer:
    document = answer.document
    verdict = verdicts.get(answer.pk, "")
    published_at = answer.published_at
    if published_at is None:  # filtered out above; this narrows the type
        raise ValueError("an unpublished answer reached the public view")
    return PublicAnswer(
        petition_code=code,
        agency_name=answer.agency.name if answer.agency else "",
        document_number=document.number if document else "",
        document_issued_on=document.issued_on if document else None,
        signer_name=document.signer_name if document else "",
        signer_title=document.signer_title if document else "",
        result=answer.result,
        result_label=str(ResultCategory(answer.result).label) if answer.result else "",
        roadmap=answer.roadmap,
        planned_completion=answer.planned_completion,
        text=answer.text,
        answered_on=answer.answered_on,
        published_at=published_at,
        verdict=verdict,
        verdict_label=str(Verdict(verdict).label) if verdict else "",
    )


def _day(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "—"


def _agency(petition: Petition, answer: PublicAnswer | None = None) -> str:
    if petition.lead_agency is not None:
        return petition.lead_agency.name
    if answer is not None and answer.agency_name:
        return answer.agency_name
    return _("the responsible agency")


def _due(petition: Petition) -> str:
    if petition.due_on is None:
        return ""
    return " " + _("The answer is due by %(date)s.") % {"date": _day(petition.due_on)}


def voter_status(petition: Petition, answer: PublicAnswer | None) -> VoterStatus:
    """Where the petition is, said for a voter. `answer` is its latest published answer."""
    status = petition.status
    if status == S.CONSOLIDATING:
        return VoterStatus(
            key="received",
            headline=_("Received, being consolidated"),
            detail=_(
                "The council has received it and is consolidating it with what other voters "
                "asked before sending it to the agency that must answer."
            ),
        )
    if status == S.ASSIGNED:
        return VoterStatus(
            key="assigned",
            headline=_("Sent to the agency"),
            detail=_("Sent to %(agency)s on %(date)s.")
            % {"agency": _agency(petition), "date": _day(petition.assigned_on)}
            + _due(petition),
        )
    if status == S.FORWARDED:
        return VoterStatus(
            key="forwarded",
            headline=_("Forwarded to the National Assembly delegation"),
            detail=_(
                "It is for the central level to resolve: the council forwarded it to %(recipient)s."
            )
            % {"recipient": settings.PETITIONS_CENTRAL_RECIPIENT}
            + _due(petition),
        )
    if status in (S.TRANSFERRED, S.MERGED):
        # Reached only when the lineage could not be followed further.
        return VoterStatus(
            key="moved",
            headline=petition.get_status_display(),
            detail=_("It is now handled together with another petition."),
        )
    if status == S.REOPENED:
        return VoterStatus(
            key="reopened",
            headline=_("Asked to answer again"),
            detail=_(
                "The council found the answer not satisfactory and asked %(agency)s to answer "
                "again."
            )
            % {"agency": _agency(petition, answer)}
            + _due(petition),
        )
    if answer is None:
        if status == S.RESOLVED:
            return VoterStatus(
                key="resolved",
                headline=_("Resolved"),
                detail=_("The council considers the matter resolved."),
            )
        return VoterStatus(
            key="assigned",
            headline=_("Answer being reviewed"),
            detail=_(
                "The agency has answered; the council is reviewing the answer and will publish "
                "it here."
            ),
        )
    answered = _("%(agency)s answered on %(date)s.") % {
        "agency": _agency(petition, answer),
        "date": _day(answer.answered_on),
    }
    if status == S.RESOLVED:
        return VoterStatus(
            key="resolved",
            headline=_("Resolved"),
            detail=answered + " " + _("The council considers the matter resolved."),
        )
    if status == S.MONITORING or answer.result == ResultCategory.IN_PROGRESS:
        planned = ""
        if answer.planned_completion:
            planned = " " + _("Planned completion: %(date)s.") % {
                "date": _day(answer.planned_completion)
            }
        return VoterStatus(
            key="answered",
            headline=_("Answered, being resolved"),
            detail=answered + " " + _("The council follows the work until it is done.") + planned,
        )
    return VoterStatus(key="answered", headline=_("Answered"), detail=answered)


# ---------------------------------------------------------------------------------------
# Published answers of a council


def _published_answer_exists() -> Exists:
    return Exists(Answer.objects.filter(petition=OuterRef("pk"), published_at__isnull=False))


def public_petitions() -> QuerySet[Petition]:
    """Petitions with at least one published answer: the public lists' rows."""
    return Petition.objects.filter(_published_answer_exists())


def _published_answers_prefetch() -> "Prefetch[Any]":
    return Prefetch(
        "answers",
        queryset=Answer.objects.filter(published_at__isnull=False)
        .select_related("document", "agency")
        .order_by("-answered_on", "-published_at", "-id"),
        to_attr="published_answers",
    )


def filter_public_petitions(
    petitions: QuerySet[Petition], filters: dict[str, Any]
) -> QuerySet[Petition]:
    if filters.get("cycle"):
        petitions = petitions.filter(current_cycle=filters["cycle"])
    if filters.get("field"):
        petitions = petitions.filter(field=filters["field"])
    if filters.get("unit"):
        petitions = petitions.filter(unit=filters["unit"])
    query = (filters.get("q") or "").strip()
    if query:
        codes = code_candidates(query).petitions
        by_code = petitions.filter(code__in=codes)
        petitions = filter_by_search(petitions, query) | by_code
    return petitions


def public_list(petitions: QuerySet[Petition]) -> QuerySet[Petition]:
    """A public list's rows in a fixed number of queries, the latest published first.
    Each row has `published_answers` (newest first)."""
    latest_publication = Subquery(
        Answer.objects.filter(petition=OuterRef("pk"), published_at__isnull=False)
        .order_by("-published_at")
        .values("published_at")[:1]
    )
    return (
        petitions.select_related("field", "lead_agency", "current_cycle", "unit")
        .prefetch_related(_published_answers_prefetch())
        .annotate(last_published_at=latest_publication)
        .order_by("-last_published_at", "-id")
    )


def councils_with_answers(*, level: str, query: str = "") -> QuerySet[Council]:
    """The councils of a level that have published answers, each with `answered_count`,
    in Vietnamese dictionary order of their unit's name."""
    councils = filter_by_search(Council.objects.filter(level=level), query)
    published = public_petitions().filter(council=OuterRef("pk"))
    count = Subquery(
        published.order_by().values("council").annotate(total=Count("id")).values("total")[:1]
    )
    return (
        councils.filter(Exists(published))
        .annotate(answered_count=count)
        .select_related("unit", "parent")
        .order_by(vietnamese("unit__name"), "id")
    )


def cycles_of(council: Council) -> QuerySet[SessionCycle]:
    return SessionCycle.objects.filter(council=council).order_by("-session_date", "-id")


def answered_units(council: Council) -> QuerySet[AdministrativeUnit]:
    """The places (units) of the council's petitions that have published answers."""
    unit_ids = public_petitions().filter(council=council, unit__isnull=False).values("unit_id")
    return AdministrativeUnit.objects.filter(id__in=unit_ids).order_by(vietnamese("name"), "id")


def latest_answered_cycle(council: Council) -> SessionCycle | None:
    cycle_ids = public_petitions().filter(council=council).values("current_cycle_id")
    return cycles_of(council).filter(id__in=cycle_ids).first()


# ---------------------------------------------------------------------------------------
# The printable answer sheet


@dataclass
class SheetGroup:
    """The published answers of one field, with the talking points: counts by result."""

    name: str
    petitions: list[Petition] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def talking_points(self) -> list[tuple[str, str, int]]:
        """(result code, label, count) in the order of the result categories, without
        the categories that did not occur."""
        return [
            (value, str(label), self.counts[value])
            for value, label in ResultCategory.choices
            if self.counts.get(value)
        ]


@dataclass
class AnswerSheet:
    council: Council
    cycle: SessionCycle | None
    unit: AdministrativeUnit | None
    groups: list[SheetGroup]

    @property
    def total(self) -> int:
        return sum(len(group.petitions) for group in self.groups)

    @property
    def totals(self) -> list[tuple[str, str, int]]:
        counts: dict[str, int] = defaultdict(int)
        for group in self.groups:
            for value, count in group.counts.items():
                counts[value] += count
        return [
            (value, str(label), counts[value])
            for value, label in ResultCategory.choices
            if counts.get(value)
        ]


def answer_sheet(
    *, council: Council, cycle: SessionCycle | None, unit: AdministrativeUnit | None
) -> AnswerSheet:
    """The published answers of a session cycle (optionally of one place), grouped by
    field in the fields' order, for delegates to report back to voters."""
    if cycle is None:
        return AnswerSheet(council=council, cycle=None, unit=unit, groups=[])
    petitions = public_petitions().filter(council=council, current_cycle=cycle)
    if unit is not None:
        petitions = petitions.filter(unit=unit)
    rows = (
        petitions.select_related("field", "lead_agency", "unit")
        .prefetch_related(_published_answers_prefetch())
        .order_by("field__sort_order", "field__name", "code")
    )
    groups: dict[int | None, SheetGroup] = {}
    for petition in rows:
        key = petition.field_id
        if key not in groups:
            name = petition.field.name if petition.field else _("Other matters")
            groups[key] = SheetGroup(name=name)
        group = groups[key]
        group.petitions.append(petition)
        answers: list[Answer] = getattr(petition, "published_answers", [])
        if answers and answers[0].result:
            group.counts[answers[0].result] = group.counts.get(answers[0].result, 0) + 1
    # Fields without a field last.
    ordered = [group for key, group in groups.items() if key is not None]
    if None in groups:
        ordered.append(groups[None])
    return AnswerSheet(council=council, cycle=cycle, unit=unit, groups=ordered)


# ---------------------------------------------------------------------------------------
# Open311


def open311_services() -> QuerySet[Field]:
    return Field.objects.filter(is_active=True).order_by("sort_order", "name")


def open311_service(code: str) -> Field | None:
    return open311_services().filter(code=code).first()


def jurisdiction(unit_code: str) -> Council | None:
    """The council whose (current) unit has this official code."""
    return (
        Council.objects.filter(unit__code=unit_code, unit__valid_until__isnull=True)
        .select_related("unit")
        .order_by("-level", "id")  # "province" before "commune" should codes ever clash
        .first()
    )


def _requested_on() -> Coalesce:
    """When voters raised it: the day its first voter item arrived (the consolidation day
    for a petition without items)."""
    first_item = Subquery(
        VoterItem.objects.filter(petition=OuterRef("pk"))
        .order_by("received_on")
        .values("received_on")[:1]
    )
    return Coalesce(first_item, TruncDate("created_at", tzinfo=timezone.get_default_timezone()))


@dataclass(frozen=True)
class RequestFilters:
    council: Council | None = None
    codes: frozenset[str] | None = None  # service_request_id: overrides the rest
    service_codes: frozenset[str] = frozenset()
    start: dt.date | None = None
    end: dt.date | None = None
    statuses: frozenset[str] = frozenset()  # "open", "closed"


def open311_requests(filters: RequestFilters) -> QuerySet[Petition]:
    """Published petitions as Open311 service requests, newest first. Each row has
    `requested_on` and `published_answers`."""
    petitions = public_petitions()
    if filters.council is not None:
        petitions = petitions.filter(council=filters.council)
    petitions = petitions.annotate(requested_on=_requested_on())
    if filters.codes is not None:
        petitions = petitions.filter(code__in=filters.codes)
    else:
        if filters.service_codes:
            petitions = petitions.filter(field__code__in=filters.service_codes)
        if filters.start is not None:
            petitions = petitions.filter(requested_on__gte=filters.start)
        if filters.end is not None:
            petitions = petitions.filter(requested_on__lte=filters.end)
        if filters.statuses == {"open"}:
            petitions = petitions.exclude(status__in=FINAL_STATES)
        elif filters.statuses == {"closed"}:
            petitions = petitions.filter(status__in=FINAL_STATES)
    return (
        petitions.select_related("field", "lead_agency", "unit__parent", "council__unit")
        .prefetch_related(_published_answers_prefetch())
        .order_by("-requested_on", "-id")
    )


def merged_into_codes(petitions: Iterable[Petition]) -> dict[int, str]:
    """The codes of the petitions these were merged into, in one query."""
    ids = {p.merged_into_id for p in petitions if p.merged_into_id is not None}
    if not ids:
        return {}
    return dict(Petition.objects.filter(id__in=ids).values_list("id", "code"))


def is_closed(petition: Petition) -> bool:
    return petition.status in FINAL_STATES
