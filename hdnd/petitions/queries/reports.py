"""The numbers of the statutory reports of a session cycle, computed from the data.

- The synthesis report (báo cáo tổng hợp ý kiến, kiến nghị của cử tri) covers what voters
  raised in the cycle: the meetings held, the voter items received by channel, and the
  consolidated petitions raised in the cycle by field and by competence level. Petitions
  later moved to another council stay in it (they were raised here: the commune-level
  count is made of them); petitions merged into another are counted in that one.
- The results report (báo cáo kết quả giải quyết, trả lời kiến nghị) covers the petitions
  whose report is the cycle's (`current_cycle`, so carried-over ones too), with the
  dashboard's definitions and aggregations (queries/dashboard.py).
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from hdnd.core.errors import NotFound
from hdnd.councils.models import Council, CouncilLevel, Membership, Position
from hdnd.lib.periods import in_force_on
from hdnd.petitions.models import (
    AWAITING_ANSWER,
    CompetenceLevel,
    ContactMeeting,
    MeetingStatus,
    Petition,
    PetitionStatus,
    SessionCycle,
    TriageStatus,
    VoterItem,
)
from hdnd.petitions.queries.dashboard import (
    BreakdownRow,
    Counts,
    DashboardFilters,
    breakdown,
    scoped_petitions,
    summary_counts,
)

# "Thành phố Hà Nội" → "Hà Nội": the place name of the date line is the unit's name
# without its kind.
_UNIT_KIND_PREFIX = re.compile(
    r"^(Thành phố|Tỉnh|Phường|Xã|Đặc khu|Thị trấn|Thị xã|Quận|Huyện)\s+", re.IGNORECASE
)


@dataclass(frozen=True)
class ReportIssuer:
    """Who issues the report, where and when, and who signs it."""

    council_name: str
    unit_name: str
    place: str
    issued_on: dt.date
    is_city: bool
    authority: str
    position: str
    # Left blank for the person who signs, unless the council's chair is known.
    signer_name: str


def place_name(unit_name: str) -> str:
    return _UNIT_KIND_PREFIX.sub("", unit_name).strip() or unit_name


def report_issuer(*, council: Council, today: dt.date | None = None) -> ReportIssuer:
    today = today or timezone.localdate()
    chair = (
        Membership.objects.filter(council_id=council.pk, position=Position.CHAIR)
        .filter(in_force_on(today))
        .select_related("person")
        .order_by("-start_date")
        .first()
    )
    return ReportIssuer(
        council_name=council.name,
        unit_name=council.unit.name,
        place=place_name(council.unit.name),
        issued_on=today,
        is_city=council.level == CouncilLevel.PROVINCE,
        authority="TM. THƯỜNG TRỰC HĐND",
        position="CHỦ TỊCH",
        signer_name=chair.person.full_name if chair else "",
    )


def report_cycle(*, council_id: int, cycle_id: int) -> SessionCycle:
    cycle = (
        SessionCycle.objects.select_related("council__unit", "term")
        .filter(council_id=council_id, id=cycle_id)
        .first()
    )
    if cycle is None:
        raise NotFound(_("This session cycle does not exist."))
    return cycle


@dataclass(frozen=True)
class ChannelCount:
    channel: str
    received: int
    redirected: int


@dataclass(frozen=True)
class SynthesisItem:
    code: str
    title: str
    text: str
    level: str
    voter_count: int
    meeting_count: int
    item_count: int


@dataclass(frozen=True)
class FieldSection:
    """The petitions of one field; `name` is empty for those with no field recorded."""

    name: str
    items: list[SynthesisItem]


@dataclass(frozen=True)
class SynthesisReport:
    cycle: SessionCycle
    meetings_held: int
    voters_attending: int
    items_received: int
    items_redirected: int
    channels: list[ChannelCount]
    petitions: int
    voters: int
    sections: list[FieldSection]
    levels: dict[str, int]

    @property
    def unclassified(self) -> int:
        return self.petitions - sum(self.levels.values())


def synthesis_report(*, council_id: int, cycle_id: int) -> SynthesisReport:
    """What voters raised in a session cycle, in four queries."""
    cycle = report_cycle(council_id=council_id, cycle_id=cycle_id)
    meetings = ContactMeeting.objects.filter(
        council_id=council_id, cycle_id=cycle.pk, status=MeetingStatus.HELD
    ).aggregate(held=Count("id"), voters=Sum("voters_attending"))

    channel_rows = (
        VoterItem.objects.filter(council_id=council_id)
        .filter(Q(cycle_id=cycle.pk) | Q(cycle__isnull=True, meeting__cycle_id=cycle.pk))
        .order_by()
        .values("channel")
        .annotate(
            received=Count("id"),
            redirected=Count("id", filter=Q(triage_status=TriageStatus.REDIRECTED)),
        )
    )
    channels = sorted(
        (
            ChannelCount(
                channel=row["channel"], received=row["received"], redirected=row["redirected"]
            )
            for row in channel_rows
        ),
        key=lambda channel: (-channel.received, channel.channel),
    )

    petitions = (
        Petition.objects.filter(council_id=council_id, raised_in_id=cycle.pk)
        .exclude(status=PetitionStatus.MERGED)
        .select_related("field")
        .order_by("field__sort_order", "field__name", "-voter_count", "code")
    )
    sections: list[FieldSection] = []
    by_field: dict[int | None, FieldSection] = {}
    levels = {level: 0 for level in CompetenceLevel.values}
    voters = 0
    for petition in petitions:
        section = by_field.get(petition.field_id)
        if section is None:
            section = FieldSection(name=petition.field.name if petition.field else "", items=[])
            by_field[petition.field_id] = section
            sections.append(section)
        section.items.append(
            SynthesisItem(
                code=petition.code,
                title=petition.title,
                text=petition.text,
                level=petition.level,
                voter_count=petition.voter_count,
                meeting_count=petition.meeting_count,
                item_count=petition.item_count,
            )
        )
        if petition.level in levels:
            levels[petition.level] += 1
        voters += petition.voter_count
    # The petitions with no field recorded come last.
    sections.sort(key=lambda section: section.name == "")
    return SynthesisReport(
        cycle=cycle,
        meetings_held=meetings["held"] or 0,
        voters_attending=meetings["voters"] or 0,
        items_received=sum(channel.received for channel in channels),
        items_redirected=sum(channel.redirected for channel in channels),
        channels=channels,
        petitions=sum(len(section.items) for section in sections),
        voters=voters,
        sections=sections,
        levels=levels,
    )


@dataclass(frozen=True)
class OverdueLine:
    code: str
    title: str
    agency: str
    due_on: dt.date
    days_overdue: int


@dataclass(frozen=True)
class QuestioningLine:
    code: str
    title: str
    field: str
    agency: str
    verdict: str


@dataclass(frozen=True)
class ResultsReport:
    cycle: SessionCycle
    today: dt.date
    totals: Counts
    by_field: list[BreakdownRow]
    by_agency: list[BreakdownRow]
    overdue: list[OverdueLine]
    questioning: list[QuestioningLine]


def results_report(
    *, council_id: int, cycle_id: int, today: dt.date | None = None
) -> ResultsReport:
    """How the petitions of a cycle were answered, in six queries."""
    today = today or timezone.localdate()
    cycle = report_cycle(council_id=council_id, cycle_id=cycle_id)
    filters = DashboardFilters(cycle_id=cycle.pk)
    scoped = scoped_petitions(council_id=council_id, filters=filters)
    overdue_rows = (
        scoped.filter(status__in=AWAITING_ANSWER, due_on__lt=today)
        .order_by("due_on", "code")
        .values_list("code", "title", "lead_agency__name", "due_on")
    )
    overdue = [
        OverdueLine(
            code=code,
            title=title,
            agency=agency or "",
            due_on=due_on,
            days_overdue=(today - due_on).days,
        )
        for code, title, agency, due_on in overdue_rows
        if due_on is not None
    ]
    questioning = [
        QuestioningLine(
            code=code, title=title, field=field or "", agency=agency or "", verdict=verdict
        )
        for code, title, field, agency, verdict in scoped.filter(is_questioning_topic=True)
        .order_by("field__sort_order", "code")
        .values_list("code", "title", "field__name", "lead_agency__name", "verdict")
    ]
    return ResultsReport(
        cycle=cycle,
        today=today,
        totals=summary_counts(council_id=council_id, filters=filters, today=today),
        by_field=breakdown(council_id=council_id, filters=filters, by="field", today=today),
        by_agency=breakdown(council_id=council_id, filters=filters, by="agency", today=today),
        overdue=overdue,
        questioning=questioning,
    )
