"""The petitions demo: a realistic cycle of Hanoi's city council.

- Session cycles: one of term XVI (December 2025) and three of term XVII (the 1st, the
  2nd in July 2026 and the 3rd, coming in December 2026).
- About 60 voter-contact meetings (each city delegate group before the 2nd and the 3rd
  session), about 400 voter items from them and from the hotline, letters and the web.
- Before the 2nd session: items consolidated into petitions (several voters raising the
  same issue at different meetings), routed to the departments by the routing table,
  some answered on time, some late, some still overdue, some forwarded to the National
  Assembly delegation, most evaluated (a few unsatisfactory, re-opened or flagged as
  questioning topics), answers published.
- Term XVI petitions still open, carried over ("kéo dài").
- Before the 3rd session: new items waiting for triage and consolidation, with duplicate
  suggestions to review.
- Ward Hoàn Kiếm: its own cycle, meetings and petitions, and petitions moved down from
  the city.

Everything is written with bulk_create in one transaction, dated as if the work had been
done over the year; a second run sees the demo is there and stops. Demo data only.
"""

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from hdnd.core.audit import record_event
from hdnd.councils.models import (
    Agency,
    Committee,
    Council,
    CouncilLevel,
    DelegateGroup,
    GroupMember,
    Term,
)
from hdnd.lib.workdays import add_working_days
from hdnd.petitions.demo.texts import (
    ANSWER_TEXTS,
    COMPLAINT_TEXTS,
    FIELD_REPORT_TEXTS,
    ISSUES,
    ROADMAP,
    UNSATISFACTORY_COMMENTS,
)
from hdnd.petitions.models import (
    AgencyRole,
    Answer,
    AnswerDocument,
    Channel,
    CodeCounter,
    CompetenceLevel,
    ContactMeeting,
    DayCounting,
    DeadlineRule,
    Decision,
    EventKind,
    Field,
    FieldCommittee,
    ItemKind,
    MeetingFormat,
    MeetingStatus,
    MeetingTiming,
    Organiser,
    Petition,
    PetitionEvent,
    PetitionRoute,
    PetitionStatus,
    Rating,
    ResultCategory,
    RouteKind,
    RoutingRule,
    SessionCycle,
    TriageStatus,
    Verdict,
    VoterItem,
)
from hdnd.petitions.services.common import new_item_code, search_text_of
from hdnd.petitions.services.consolidation import suggest_duplicates_for_items

SEED = 2026
HOAN_KIEM_UNIT_CODE = "00070"
Progress = Callable[[str], None]

# Field → the city agency (by code in the council demo) that answers it.
FIELD_AGENCY = {
    "dat-dai": "SNNMT",
    "quy-hoach-xay-dung": "SQHKT",
    "giao-thong": "SXD",
    "moi-truong": "SNNMT",
    "dien-nuoc": "SXD",
    "nong-nghiep": "SNNMT",
    "kinh-te-ngan-sach": "STC",
    "giao-duc": "SGDDT",
    "y-te": "SYT",
    "lao-dong-xa-hoi": "SNV",
    "van-hoa-the-thao": "SVHTT",
    "an-ninh-trat-tu": "CATP",
    "noi-vu": "SNV",
    "tu-phap": "STP",
    "khoa-hoc-cong-nghe": "SKHCN",
    "khac": "VP-UBND",
}
# Field → the committee (Ban) in charge.
FIELD_COMMITTEE = {
    "dat-dai": "Ban Đô thị",
    "quy-hoach-xay-dung": "Ban Đô thị",
    "giao-thong": "Ban Đô thị",
    "moi-truong": "Ban Đô thị",
    "dien-nuoc": "Ban Đô thị",
    "nong-nghiep": "Ban Kinh tế – Ngân sách",
    "kinh-te-ngan-sach": "Ban Kinh tế – Ngân sách",
    "giao-duc": "Ban Văn hóa – Xã hội",
    "y-te": "Ban Văn hóa – Xã hội",
    "lao-dong-xa-hoi": "Ban Văn hóa – Xã hội",
    "van-hoa-the-thao": "Ban Văn hóa – Xã hội",
    "khoa-hoc-cong-nghe": "Ban Văn hóa – Xã hội",
    "an-ninh-trat-tu": "Ban Pháp chế",
    "noi-vu": "Ban Pháp chế",
    "tu-phap": "Ban Pháp chế",
    "khac": "Ban Pháp chế",
}
# Issues raised more often weigh more (transport and building dominate real syntheses).
FIELD_WEIGHTS = {
    "giao-thong": 9,
    "quy-hoach-xay-dung": 7,
    "dat-dai": 7,
    "moi-truong": 6,
    "dien-nuoc": 4,
    "giao-duc": 4,
    "y-te": 3,
    "lao-dong-xa-hoi": 3,
    "an-ninh-trat-tu": 3,
    "van-hoa-the-thao": 2,
    "noi-vu": 2,
    "tu-phap": 2,
    "kinh-te-ngan-sach": 2,
    "khoa-hoc-cong-nghe": 1,
}
STREETS = (
    "Đinh Tiên Hoàng", "Hàng Bài", "Tràng Thi", "Lý Thường Kiệt", "Bà Triệu", "Kim Mã",
    "Đội Cấn", "Hoàng Hoa Thám", "Nguyễn Chí Thanh", "Láng Hạ", "Giảng Võ", "Xã Đàn",
    "Tây Sơn", "Giải Phóng", "Minh Khai", "Bạch Mai", "Lạc Long Quân", "Âu Cơ", "Nghi Tàm",
    "Cầu Giấy", "Xuân Thủy", "Trần Duy Hưng", "Phạm Hùng", "Lê Văn Lương", "Nguyễn Trãi",
    "Nguyễn Văn Cừ", "Ngọc Lâm", "Phạm Văn Đồng", "Hồ Tùng Mậu", "Lê Trọng Tấn", "Chùa Bộc",
    "Thái Hà", "Kim Liên", "Tam Trinh", "Láng", "Trường Chinh",
)  # fmt: skip
VOTER_NAMES = (
    "Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Đức",
    "Vũ Thị Hạnh", "Đặng Văn Hùng", "Bùi Thị Lan", "Đỗ Văn Long", "Ngô Thị Mai",
)  # fmt: skip


@dataclass
class Issue:
    field_code: str
    title: str
    text: str
    ward: Any


@dataclass
class Demo:
    city: Council
    progress: Progress
    today: dt.date
    rng: random.Random = field(default_factory=lambda: random.Random(SEED))
    created: Counter[str] = field(default_factory=Counter)
    events: list[PetitionEvent] = field(default_factory=list)
    codes: Counter[tuple[int, int]] = field(default_factory=Counter)

    def save(self, objects: list[Any]) -> list[Any]:
        if objects:
            model = type(objects[0])
            model._default_manager.bulk_create(objects)
            self.created[model._meta.model_name or model.__name__] += len(objects)
        return objects

    def at(self, day: dt.date, hour: int = 9) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour, self.rng.randint(0, 59)), tzinfo=dt.UTC)

    def event(
        self, petition: Petition, kind: str, day: dt.date, summary: str = "", public: bool = False
    ) -> None:
        self.events.append(
            PetitionEvent(
                petition=petition,
                kind=kind,
                occurred_at=self.at(day, 2 + len(self.events) % 8),
                summary=summary,
                is_public=public,
            )
        )

    def petition_code(self, council: Council, on: dt.date) -> str:
        self.codes[(council.pk, on.year)] += 1
        return f"{council.unit.code}-{on.year}-{self.codes[(council.pk, on.year)]:04d}"


def demo_is_loaded(city: Council) -> bool:
    return SessionCycle.objects.filter(council=city).exists()


def load_petition_demo(
    *, city: Council, progress: Progress | None = None, today: dt.date | None = None
) -> Counter[str] | None:
    """Load the demo; None when it is there already."""
    if demo_is_loaded(city):
        return None
    demo = Demo(
        city=city,
        progress=progress or (lambda message: None),
        today=today or timezone.localdate(),
    )
    with transaction.atomic():
        _load(demo)
        record_event(
            actor=None,
            action="petitions.demo.load",
            council=city,
            summary=_("Petitions demo loaded: %(items)d voter items, %(petitions)d petitions")
            % {"items": demo.created["voteritem"], "petitions": demo.created["petition"]},
            changes=dict(sorted(demo.created.items())),
        )
    return demo.created


def _load(demo: Demo) -> None:
    city = demo.city
    terms = {term.number: term for term in Term.objects.filter(council=city)}
    agencies = {agency.code: agency for agency in Agency.objects.filter(council=city)}
    committees = {c.name: c for c in Committee.objects.filter(council=city)}
    fields = {f.code: f for f in Field.objects.all()}
    wards = list(
        Council.objects.filter(parent=city, level=CouncilLevel.COMMUNE)
        .select_related("unit")
        .order_by("unit__code")
    )

    demo.progress(_("Petitions: session cycles, routing table and deadline rules"))
    cycles = _cycles(demo, terms)
    _configuration(demo, agencies, committees, fields)

    demo.progress(_("Petitions: voter-contact meetings"))
    groups = list(DelegateGroup.objects.filter(council=city, term=terms[17]).order_by("name", "id"))
    meetings_2 = _meetings(demo, groups, cycles["xvii_2"], dt.date(2026, 6, 15), wards)
    meetings_3 = _meetings(demo, groups, cycles["xvii_3"], dt.date(2026, 11, 9), wards)

    demo.progress(_("Petitions: voter items and consolidated petitions"))
    issues = _issues(demo, wards, 170)
    context = {"fields": fields, "agencies": agencies, "committees": committees}
    old_open = _term_xvi_petitions(demo, cycles, issues[:30], context)
    second = _second_session(demo, cycles["xvii_2"], meetings_2, issues[30:], context)
    _third_session(demo, cycles["xvii_3"], meetings_3, issues, wards, context)
    _commune(demo, wards, second, context)
    demo.save(demo.events)
    for (council_id, year), last in demo.codes.items():
        CodeCounter.objects.update_or_create(
            council_id=council_id, year=year, defaults={"last": last}
        )
    demo.progress(
        _("Petitions: %(petitions)d petitions, %(old)d carried over from term XVI")
        % {"petitions": demo.created["petition"], "old": old_open}
    )


def _cycles(demo: Demo, terms: dict[int | None, Term]) -> dict[str, SessionCycle]:
    city = demo.city
    specs = {
        "xvi_last": (terms[16], 30, "Kỳ họp thứ 30 (khóa XVI)", dt.date(2025, 12, 9)),
        "xvii_1": (terms[17], 1, "Kỳ họp thứ nhất (khóa XVII)", dt.date(2026, 3, 27)),
        "xvii_2": (terms[17], 2, "Kỳ họp thứ hai (khóa XVII)", dt.date(2026, 7, 7)),
        "xvii_3": (terms[17], 3, "Kỳ họp thứ ba (khóa XVII)", dt.date(2026, 12, 8)),
    }
    cycles = {
        key: SessionCycle(council=city, term=term, number=n, name=name, session_date=day)
        for key, (term, n, name, day) in specs.items()
    }
    demo.save(list(cycles.values()))
    return cycles


def _configuration(
    demo: Demo,
    agencies: dict[str, Agency],
    committees: dict[str, Committee],
    fields: dict[str, Field],
) -> None:
    city = demo.city
    start = dt.date(2026, 3, 15)
    demo.save(
        [
            RoutingRule(
                council=city,
                field=fields[code],
                level=CompetenceLevel.CITY,
                agency=agencies[agency_code],
                valid_from=start,
            )
            for code, agency_code in FIELD_AGENCY.items()
        ]
    )
    demo.save(
        [
            FieldCommittee(
                council=city, field=fields[code], committee=committees[name], valid_from=start
            )
            for code, name in FIELD_COMMITTEE.items()
            if name in committees
        ]
    )
    demo.save(
        [
            DeadlineRule(
                council=city,
                route=RouteKind.CENTRAL,
                days=60,
                legal_basis="QĐ 33/2017/QĐ-TTg, sửa đổi bởi QĐ 30/2020/QĐ-TTg",
                valid_from=start,
            ),
            DeadlineRule(
                council=city,
                route=RouteKind.OWN_AGENCY,
                days=30,
                escalate_days_after=15,
                legal_basis="Quy chế phối hợp tiếp xúc cử tri thành phố Hà Nội",
                valid_from=start,
            ),
            DeadlineRule(
                council=city,
                route=RouteKind.REOPENED,
                days=15,
                counting=DayCounting.WORKING,
                legal_basis="Kết luận giám sát của Thường trực HĐND",
                valid_from=start,
            ),
        ]
    )


def _meetings(
    demo: Demo,
    groups: list[DelegateGroup],
    cycle: SessionCycle,
    first_day: dt.date,
    wards: list[Council],
) -> list[ContactMeeting]:
    meetings = []
    for index, group in enumerate(groups):
        day = first_day + dt.timedelta(days=index % 12)
        held = day <= demo.today
        ward = wards[(index * 4 + cycle.number) % len(wards)]
        meetings.append(
            ContactMeeting(
                council=demo.city,
                term=cycle.term,
                cycle=cycle,
                timing=MeetingTiming.BEFORE_SESSION,
                starts_at=demo.at(day, 1 + index % 3 * 5),
                unit=ward.unit,
                venue=f"Hội trường {ward.unit.name}",
                format=MeetingFormat.HYBRID if index % 7 == 0 else MeetingFormat.IN_PERSON,
                organisers=[
                    Organiser.STANDING_COMMITTEE,
                    Organiser.FATHERLAND_FRONT,
                    Organiser.DELEGATE_GROUP,
                ],
                delegate_group=group,
                voters_attending=demo.rng.randint(80, 260) if held else None,
                status=MeetingStatus.HELD if held else MeetingStatus.PLANNED,
            )
        )
    demo.save(meetings)
    members = GroupMember.objects.filter(group__in=groups).values_list("group_id", "membership_id")
    by_group: dict[int, list[int]] = {}
    for group_id, membership_id in members:
        by_group.setdefault(group_id, []).append(membership_id)
    through = ContactMeeting.delegates_present.through
    links = [
        through(contactmeeting_id=meeting.pk, membership_id=membership_id)
        for meeting in meetings
        if meeting.status == MeetingStatus.HELD
        for membership_id in by_group.get(meeting.delegate_group_id or 0, [])
    ]
    through.objects.bulk_create(links)
    return meetings


def _issues(demo: Demo, wards: list[Council], count: int) -> list[Issue]:
    codes = list(FIELD_WEIGHTS)
    weights = [FIELD_WEIGHTS[code] for code in codes]
    seen: set[str] = set()
    issues: list[Issue] = []
    while len(issues) < count:
        code = demo.rng.choices(codes, weights)[0]
        title, text = demo.rng.choice(ISSUES[code])
        ward = demo.rng.choice(wards[:60])
        values = {
            "street": demo.rng.choice(STREETS),
            "ward": ward.unit.name[0].lower() + ward.unit.name[1:],
        }
        title = title.format(**values)
        if title in seen:
            continue
        seen.add(title)
        issues.append(Issue(code, title, text.format(**values), ward))
    return issues


def _item(
    demo: Demo,
    issue: Issue,
    *,
    council: Council,
    cycle: SessionCycle,
    received_on: dt.date,
    meeting: ContactMeeting | None,
    fields: dict[str, Field],
    voters: int = 1,
    named: bool = False,
) -> VoterItem:
    channel = (
        Channel.MEETING
        if meeting
        else demo.rng.choice(
            [Channel.HOTLINE, Channel.LETTER, Channel.WEB, Channel.ZALO, Channel.RECEPTION]
        )
    )
    name = demo.rng.choice(VOTER_NAMES) if named or not meeting else ""
    return VoterItem(
        council=council,
        code=new_item_code(),
        channel=channel,
        meeting=meeting,
        cycle=cycle,
        received_on=received_on,
        text=issue.text,
        voter_count=voters,
        voter_name=name,
        voter_phone=f"09{demo.rng.randint(10000000, 99999999)}" if name else "",
        unit=issue.ward.unit,
        field=fields[issue.field_code],
        level=CompetenceLevel.CITY,
        triage_status=TriageStatus.ACCEPTED,
        search_text=search_text_of(issue.text),
    )


def _petition(
    demo: Demo, issue: Issue, *, council: Council, cycle: SessionCycle, context: dict[str, Any]
) -> Petition:
    created_on = cycle.session_date - dt.timedelta(days=10)
    petition = Petition(
        council=council,
        code=demo.petition_code(council, created_on),
        title=issue.title,
        text=issue.text,
        field=context["fields"][issue.field_code],
        level=CompetenceLevel.CITY if council == demo.city else CompetenceLevel.COMMUNE,
        unit=issue.ward.unit,
        raised_in=cycle,
        current_cycle=cycle,
        search_text=search_text_of(issue.title, issue.text),
    )
    return petition


def _term_xvi_petitions(
    demo: Demo, cycles: dict[str, SessionCycle], issues: list[Issue], context: dict[str, Any]
) -> int:
    """Term XVI petitions: resolved long ago, or still open and carried over."""
    cycle = cycles["xvi_last"]
    petitions = [
        _petition(demo, issue, council=demo.city, cycle=cycle, context=context) for issue in issues
    ]
    still_open = 0
    for index, petition in enumerate(petitions):
        issue = issues[index]
        petition.lead_agency = context["agencies"][FIELD_AGENCY[issue.field_code]]
        petition.committee = context["committees"].get(FIELD_COMMITTEE[issue.field_code])
        petition.assigned_on = dt.date(2025, 12, 20)
        petition.due_on = petition.assigned_on + dt.timedelta(days=30)
        petition.item_count = petition.voter_count = petition.meeting_count = 1
        if index % 3 == 0:
            petition.status = PetitionStatus.RESOLVED
            petition.answered_on = dt.date(2026, 1, 15)
            petition.answered_on_time = True
            petition.result = ResultCategory.RESOLVED
            petition.verdict = Verdict.SATISFACTORY
            petition.answer_published_on = dt.date(2026, 2, 1)
        else:
            # Being resolved by a roadmap: carried over to term XVII's sessions ("kéo dài").
            still_open += 1
            petition.status = PetitionStatus.MONITORING
            petition.answered_on = dt.date(2026, 1, 18)
            petition.answered_on_time = True
            petition.result = ResultCategory.IN_PROGRESS
            petition.verdict = Verdict.SATISFACTORY
            petition.answer_published_on = dt.date(2026, 2, 1)
            petition.current_cycle = cycles["xvii_3"] if index % 2 else cycles["xvii_2"]
    demo.save(petitions)
    items = [
        _item(
            demo,
            issue,
            council=demo.city,
            cycle=cycle,
            received_on=dt.date(2025, 11, 20),
            meeting=None,
            fields=context["fields"],
        )
        for issue in issues
    ]
    for item, petition in zip(items, petitions, strict=True):
        item.petition = petition
    demo.save(items)
    answers = []
    for petition in petitions:
        answered_on = (
            dt.date(2026, 1, 15)
            if petition.result == ResultCategory.RESOLVED
            else (dt.date(2026, 1, 18))
        )
        answers.append(
            Answer(
                petition=petition,
                agency=petition.lead_agency,
                text=ANSWER_TEXTS[petition.result].format(month="01"),
                result=petition.result,
                roadmap=ROADMAP if petition.result == ResultCategory.IN_PROGRESS else "",
                planned_completion=dt.date(2027, 9, 30)
                if petition.result == ResultCategory.IN_PROGRESS
                else None,
                answered_on=answered_on,
                on_time=True,
                published_at=demo.at(dt.date(2026, 2, 1)),
            )
        )
        demo.event(petition, EventKind.CREATED, dt.date(2025, 11, 29))
        demo.event(petition, EventKind.ASSIGNED, dt.date(2025, 12, 20), public=True)
        demo.event(petition, EventKind.ANSWERED, answered_on)
        demo.event(petition, EventKind.PUBLISHED, dt.date(2026, 2, 1), public=True)
        if petition.current_cycle_id != cycle.pk:
            demo.event(
                petition, EventKind.CARRIED_OVER, petition.current_cycle.session_date, public=True
            )
    demo.save(answers)
    demo.save(
        [
            Rating(
                answer=answer,
                petition=answer.petition,
                committee=answer.petition.committee,
                verdict=Verdict.SATISFACTORY,
                decision=Decision.CLOSE
                if answer.result == ResultCategory.RESOLVED
                else Decision.MONITOR,
                rated_at=demo.at(dt.date(2026, 1, 25)),
            )
            for answer in answers
        ]
    )
    return still_open


def _second_session(
    demo: Demo,
    cycle: SessionCycle,
    meetings: list[ContactMeeting],
    issues: list[Issue],
    context: dict[str, Any],
) -> list[Petition]:
    """Before the 2nd session: items → petitions → routed → answered, late or overdue →
    evaluated and published."""
    rng = demo.rng
    fields, agencies = context["fields"], context["agencies"]
    # Some issues were raised at two or three meetings: one petition, several items.
    items: list[VoterItem] = []
    petitions: list[Petition] = []
    owner: list[int] = []
    for index, issue in enumerate(issues):
        petitions.append(_petition(demo, issue, council=demo.city, cycle=cycle, context=context))
        raised_at = 1 + (index % 5 == 0) + (index % 11 == 0)
        for repeat in range(raised_at):
            meeting = meetings[(index + repeat * 7) % len(meetings)] if index % 9 else None
            received = meeting.starts_at.date() if meeting else dt.date(2026, 6, 10)
            items.append(
                _item(
                    demo,
                    issue,
                    council=demo.city,
                    cycle=cycle,
                    received_on=received,
                    meeting=meeting,
                    fields=fields,
                    voters=rng.choice([1, 1, 1, 2, 3, 5]),
                    named=repeat == 0 and index % 4 == 0,
                )
            )
            owner.append(index)
    assigned_on = dt.date(2026, 7, 20)
    routes: list[PetitionRoute] = []
    central = set(range(0, len(petitions), 17))
    for index, petition in enumerate(petitions):
        issue = issues[index]
        lead = agencies[FIELD_AGENCY[issue.field_code]]
        petition.committee = context["committees"].get(FIELD_COMMITTEE[issue.field_code])
        petition.assigned_on = assigned_on
        if index in central:
            petition.level = CompetenceLevel.CENTRAL
            petition.status = PetitionStatus.FORWARDED
            petition.forwarded_reference = f"{120 + index}/HĐND-VP"
            petition.due_on = assigned_on + dt.timedelta(days=60)
            continue
        petition.lead_agency = lead
        petition.due_on = assigned_on + dt.timedelta(days=30)
        petition.status = PetitionStatus.ASSIGNED
        routes.append(
            PetitionRoute(
                petition=petition, agency=lead, role=AgencyRole.LEAD, started_on=assigned_on
            )
        )
        if index % 6 == 0:
            coordinating = agencies["STC"] if lead.code != "STC" else agencies["SXD"]
            routes.append(
                PetitionRoute(
                    petition=petition,
                    agency=coordinating,
                    role=AgencyRole.COORDINATING,
                    started_on=assigned_on,
                )
            )
    demo.save(petitions)
    for item, index in zip(items, owner, strict=True):
        item.petition = petitions[index]
    demo.save(items)
    demo.save(routes)
    through = Petition.coordinating_agencies.through
    through.objects.bulk_create(
        through(petition_id=route.petition.pk, agency_id=route.agency.pk)
        for route in routes
        if route.role == AgencyRole.COORDINATING
    )
    _recount(petitions)

    answers, ratings = [], []
    documents: dict[int, AnswerDocument] = {}
    for index, petition in enumerate(petitions):
        demo.event(petition, EventKind.CREATED, cycle.session_date - dt.timedelta(days=10))
        if petition.status == PetitionStatus.FORWARDED:
            demo.event(
                petition,
                EventKind.FORWARDED,
                assigned_on,
                f"{petition.forwarded_reference} — Đoàn đại biểu Quốc hội thành phố Hà Nội",
                public=True,
            )
            continue
        demo.event(
            petition, EventKind.ASSIGNED, assigned_on, str(petition.lead_agency), public=True
        )
        roll = rng.random()
        if roll < 0.14:
            continue  # no answer yet: overdue since 19/8
        late = roll < 0.30
        due_on = assigned_on + dt.timedelta(days=30)
        answered_on: dt.date = (
            due_on + dt.timedelta(days=rng.randint(3, 25))
            if late
            else assigned_on + dt.timedelta(days=rng.randint(12, 29))
        )
        lead = petition.lead_agency
        if lead is None:
            continue
        document = documents.get(lead.pk)
        if document is None or late:
            document = AnswerDocument(
                council=demo.city,
                agency=lead,
                number=f"{rng.randint(1000, 4999)}/{lead.code}-VP",
                issued_on=answered_on,
                signer_name="Trần Quốc Hưng",
                signer_title="Phó Giám đốc",
            )
            demo.save([document])
            documents[lead.pk] = document
        result = rng.choices(
            [
                ResultCategory.RESOLVED,
                ResultCategory.IN_PROGRESS,
                ResultCategory.WILL_RESOLVE,
                ResultCategory.EXPLAINED,
            ],
            [4, 3, 1, 2],
        )[0]
        answer = Answer(
            petition=petition,
            agency=petition.lead_agency,
            document=document,
            text=ANSWER_TEXTS[result].format(month=f"{answered_on.month:02d}"),
            result=result,
            roadmap=ROADMAP if result == ResultCategory.IN_PROGRESS else "",
            planned_completion=dt.date(2027, 9, 30)
            if result == ResultCategory.IN_PROGRESS
            else None,
            answered_on=answered_on,
            on_time=not late,
        )
        answers.append(answer)
        petition.status = PetitionStatus.ANSWERED
        petition.answered_on = answered_on
        petition.answered_on_time = not late
        petition.result = result
        demo.event(petition, EventKind.ANSWERED, answered_on, document.number)
        rated_on = max(answered_on + dt.timedelta(days=10), dt.date(2026, 9, 25))
        if rated_on > demo.today or rng.random() < 0.12:
            continue  # waiting for the committee
        unsatisfactory = rng.random() < 0.16
        if unsatisfactory:
            verdict = rng.choice(
                [Verdict.UNSATISFACTORY, Verdict.OFF_TOPIC, Verdict.WRONG_COMPETENCE]
            )
            decision = Decision.QUESTIONING if index % 4 == 0 else Decision.RESUPERVISE
            petition.status = PetitionStatus.REOPENED
            petition.due_on = add_working_days(rated_on, 15)
            petition.is_questioning_topic = decision == Decision.QUESTIONING
            comment = rng.choice(UNSATISFACTORY_COMMENTS)
        else:
            verdict = Verdict.SATISFACTORY
            closes = result in (ResultCategory.RESOLVED, ResultCategory.EXPLAINED)
            decision = Decision.CLOSE if closes else Decision.MONITOR
            petition.status = PetitionStatus.RESOLVED if closes else PetitionStatus.MONITORING
            comment = ""
            answer.published_at = demo.at(rated_on + dt.timedelta(days=5))
            petition.answer_published_on = rated_on + dt.timedelta(days=5)
        petition.verdict = verdict
        ratings.append(
            Rating(
                answer=answer,
                petition=petition,
                committee=petition.committee,
                verdict=verdict,
                decision=decision,
                comment=comment,
                rated_at=demo.at(rated_on),
            )
        )
        demo.event(petition, EventKind.RATED, rated_on, str(verdict.label))
        if unsatisfactory:
            demo.event(petition, EventKind.REOPENED, rated_on, comment)
        if answer.published_at:
            demo.event(petition, EventKind.PUBLISHED, rated_on + dt.timedelta(days=5), public=True)
    demo.save(answers)
    demo.save(ratings)
    Petition.objects.bulk_update(
        petitions,
        [
            "status",
            "due_on",
            "answered_on",
            "answered_on_time",
            "result",
            "verdict",
            "answer_published_on",
            "is_questioning_topic",
        ],
    )
    return petitions


def _recount(petitions: list[Petition]) -> None:
    for petition in petitions:
        rows = VoterItem.objects.filter(petition=petition)
        petition.item_count = rows.count()
        petition.voter_count = rows.aggregate(total=Sum("voter_count"))["total"] or 0
        petition.meeting_count = rows.exclude(meeting=None).values("meeting").distinct().count()
    Petition.objects.bulk_update(petitions, ["item_count", "voter_count", "meeting_count"])


def _third_session(
    demo: Demo,
    cycle: SessionCycle,
    meetings: list[ContactMeeting],
    issues: list[Issue],
    wards: list[Council],
    context: dict[str, Any],
) -> None:
    """Before the 3rd session: new items from the meetings held so far, waiting for triage
    and consolidation; some repeat each other or an earlier petition."""
    rng = demo.rng
    held = [meeting for meeting in meetings if meeting.status == MeetingStatus.HELD]
    if not held:
        return
    fresh = _issues(demo, wards, 200)[120:]
    items = []
    for index in range(185):
        meeting = held[index % len(held)]
        if index % 6 == 0:
            issue = issues[30 + index % 120]  # raised again: a duplicate of a petition
        elif index % 6 == 1 and index > 10:
            issue = fresh[(index - 7) % len(fresh)]  # the same new issue at another meeting
        else:
            issue = fresh[index % len(fresh)]
        item = _item(
            demo,
            issue,
            council=demo.city,
            cycle=cycle,
            received_on=meeting.starts_at.date(),
            meeting=meeting,
            fields=context["fields"],
            voters=rng.choice([1, 1, 2, 4]),
        )
        items.append(item)
    web = [
        VoterItem(
            council=demo.city,
            code=new_item_code(),
            channel=Channel.WEB,
            cycle=cycle,
            received_on=demo.today - dt.timedelta(days=index + 1),
            text=text.format(street=rng.choice(STREETS)),
            voter_name=rng.choice(VOTER_NAMES),
            voter_email=f"cutri{index}@example.vn",
            triage_status=TriageStatus.NEW,
            search_text=search_text_of(text),
        )
        for index, text in enumerate([*COMPLAINT_TEXTS, *FIELD_REPORT_TEXTS])
    ]
    redirected = VoterItem(
        council=demo.city,
        code=new_item_code(),
        channel=Channel.HOTLINE,
        cycle=cycle,
        received_on=demo.today - dt.timedelta(days=9),
        text="Khiếu nại việc cưỡng chế thu hồi đất tại dự án khu đô thị, đề nghị dừng cưỡng chế.",
        kind=ItemKind.COMPLAINT,
        triage_status=TriageStatus.REDIRECTED,
        redirected_to="Ban Tiếp công dân thành phố",
        redirect_reason="Nội dung là khiếu nại về quyết định hành chính, giải quyết theo Luật "
        "Khiếu nại.",
        search_text=search_text_of("khieu nai cuong che thu hoi dat"),
    )
    demo.save([*items, *web, redirected])
    # What the office would see after entering them: the machine's duplicate suggestions.
    suggest_duplicates_for_items(item_ids=[item.pk for item in items])


def _commune(
    demo: Demo, wards: list[Council], second: list[Petition], context: dict[str, Any]
) -> None:
    """Ward Hoàn Kiếm: its own cycle and petitions, and a few moved down from the city."""
    ward = next((w for w in wards if w.unit.code == HOAN_KIEM_UNIT_CODE), None)
    if ward is None:
        return
    term = Term.objects.filter(council=ward).order_by("-start_date").first()
    if term is None:
        return
    cycle = SessionCycle(
        council=ward,
        term=term,
        number=2,
        name="Kỳ họp thứ hai (nhiệm kỳ 2026–2031)",
        session_date=dt.date(2026, 7, 10),
    )
    demo.save([cycle])
    meeting = ContactMeeting(
        council=ward,
        term=term,
        cycle=cycle,
        timing=MeetingTiming.BEFORE_SESSION,
        starts_at=demo.at(dt.date(2026, 6, 25), 1),
        unit=ward.unit,
        venue="Nhà văn hóa tổ dân phố số 8",
        organisers=[Organiser.STANDING_COMMITTEE, Organiser.FATHERLAND_FRONT],
        voters_attending=95,
        status=MeetingStatus.HELD,
    )
    demo.save([meeting])
    issues = [
        Issue(
            code,
            title.format(street=street, ward="phường Hoàn Kiếm"),
            text.format(street=street, ward="phường Hoàn Kiếm"),
            ward,
        )
        for code, street in (
            ("moi-truong", "Hàng Bạc"),
            ("giao-thong", "Hàng Bài"),
            ("dien-nuoc", "Hàng Bồ"),
            ("an-ninh-trat-tu", "Đinh Tiên Hoàng"),
        )
        for title, text in ISSUES[code][:1]
    ]
    petitions = [
        _petition(demo, issue, council=ward, cycle=cycle, context=context) for issue in issues
    ]
    demo.save(petitions)
    demo.save(
        [
            VoterItem(
                council=ward,
                code=new_item_code(),
                channel=Channel.MEETING,
                meeting=meeting,
                cycle=cycle,
                received_on=dt.date(2026, 6, 25),
                text=issue.text,
                unit=ward.unit,
                field=context["fields"][issue.field_code],
                level=CompetenceLevel.COMMUNE,
                triage_status=TriageStatus.ACCEPTED,
                petition=petition,
                search_text=search_text_of(issue.text),
            )
            for issue, petition in zip(issues, petitions, strict=True)
        ]
    )
    _recount(petitions)
    for petition in petitions:
        demo.event(petition, EventKind.CREATED, dt.date(2026, 6, 30))
    # Two city petitions that turned out to be the ward's to solve: moved down with lineage.
    moved = [
        p
        for p in second
        if p.status == PetitionStatus.ASSIGNED and p.item_count == 1 and p.meeting_count == 0
    ][:2]
    for old in moved:
        new = Petition(
            council=ward,
            code=demo.petition_code(ward, dt.date(2026, 8, 5)),
            title=old.title,
            text=old.text,
            field=old.field,
            level=CompetenceLevel.COMMUNE,
            unit=old.unit,
            raised_in=cycle,
            current_cycle=cycle,
            predecessor=old,
            item_count=old.item_count,
            voter_count=old.voter_count,
            meeting_count=old.meeting_count,
            search_text=old.search_text,
        )
        demo.save([new])
        old.status = PetitionStatus.TRANSFERRED
        PetitionRoute.objects.filter(petition=old, ended_on=None).update(
            ended_on=dt.date(2026, 8, 5)
        )
        demo.event(old, EventKind.TRANSFERRED, dt.date(2026, 8, 5), ward.name, public=True)
        demo.event(new, EventKind.RECEIVED, dt.date(2026, 8, 5), demo.city.name, public=True)
    Petition.objects.bulk_update(moved, ["status"])
