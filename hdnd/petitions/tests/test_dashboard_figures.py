"""The supervision figures, counted exactly over a small city whose every petition is
set by hand (queries/dashboard.py).

`make_city_dataset` is shared with the page, report and spreadsheet tests: twelve petitions
in the cycle, two out of scope (merged, moved to a commune), one in the next cycle, and
the petitions of two communes.
"""

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

import pytest

from hdnd.councils.models import Agency, Council
from hdnd.petitions.models import (
    Channel,
    CompetenceLevel,
    MeetingStatus,
    Petition,
    PetitionStatus,
    ResultCategory,
    SessionCycle,
    TriageStatus,
    Verdict,
)
from hdnd.petitions.queries.dashboard import (
    BREAKDOWN_NAMES,
    COUNT_NAMES,
    Counts,
    DashboardFilters,
    breakdown,
    breakdowns,
    dashboard_figures,
    petition_lines,
    sum_counts,
    summary_counts,
)
from hdnd.testing import factories
from hdnd.testing import petition_factories as pf

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 9, 1)
PAST = dt.date(2026, 8, 1)
FUTURE = dt.date(2026, 10, 1)

S = PetitionStatus
R = ResultCategory
V = Verdict


@dataclass
class CityDataset:
    city: Council
    commune_a: Council
    commune_b: Council
    cycle: SessionCycle
    next_cycle: SessionCycle
    agency_a: Agency
    agency_b: Agency
    petitions: dict[int, Petition]
    meetings: list[Any]


def make_city_dataset(
    *,
    city: Council,
    commune_a: Council,
    commune_b: Council,
    cycle: SessionCycle,
    next_cycle: SessionCycle,
    agency_a: Agency,
    agency_b: Agency,
) -> CityDataset:
    building = pf.field("quy-hoach-xay-dung")
    transport = pf.field("giao-thong")
    earlier = pf.SessionCycleFactory(
        term=cycle.term, number=2, name="Kỳ họp thứ hai", session_date=dt.date(2026, 4, 1)
    )

    def petition(number: int, **fields: Any) -> Petition:
        defaults: dict[str, Any] = {
            "raised_in": cycle,
            "code": f"01-2026-{number:04d}",
            "title": f"Kiến nghị số {number}",
            "item_count": 1,
            "voter_count": 1,
            "meeting_count": 1,
        }
        return pf.PetitionFactory(**{**defaults, **fields})

    answered_on = dt.date(2026, 7, 20)
    petitions = {
        1: petition(
            1,
            lead_agency=agency_a,
            field=building,
            status=S.RESOLVED,
            answered_on=answered_on,
            answered_on_time=True,
            result=R.RESOLVED,
            verdict=V.SATISFACTORY,
            item_count=3,
            voter_count=10,
            meeting_count=2,
            title="Cấp giấy chứng nhận quyền sử dụng đất",
        ),
        2: petition(
            2,
            lead_agency=agency_a,
            field=building,
            status=S.MONITORING,
            answered_on=answered_on,
            answered_on_time=True,
            result=R.IN_PROGRESS,
            verdict=V.SATISFACTORY,
        ),
        3: petition(
            3,
            lead_agency=agency_a,
            field=building,
            status=S.ANSWERED,
            answered_on=answered_on,
            answered_on_time=False,
            result=R.EXPLAINED,
            item_count=2,
            voter_count=5,
        ),
        4: petition(
            4,
            lead_agency=agency_a,
            field=transport,
            status=S.REOPENED,
            due_on=PAST,
            answered_on=answered_on,
            answered_on_time=True,
            result=R.EXPLAINED,
            verdict=V.UNSATISFACTORY,
            is_questioning_topic=True,
            voter_count=2,
            title="Ùn tắc nút giao Ngã Tư Sở",
        ),
        5: petition(5, lead_agency=agency_a, field=transport, status=S.ASSIGNED, due_on=FUTURE),
        6: petition(
            6,
            lead_agency=agency_b,
            field=transport,
            status=S.ASSIGNED,
            due_on=PAST,
            item_count=4,
            voter_count=20,
            meeting_count=3,
            title="Sửa cầu Long Biên",
        ),
        7: petition(
            7,
            lead_agency=agency_b,
            field=transport,
            status=S.RESOLVED,
            answered_on=answered_on,
            answered_on_time=True,
            result=R.RESOLVED,
            verdict=V.SATISFACTORY,
        ),
        8: petition(
            8,
            lead_agency=agency_b,
            field=transport,
            status=S.ANSWERED,
            answered_on=answered_on,
            answered_on_time=False,
            result=R.WILL_RESOLVE,
        ),
        9: petition(9, status=S.CONSOLIDATING),
        10: petition(
            10,
            status=S.FORWARDED,
            due_on=PAST,
            level=CompetenceLevel.CENTRAL,
            title="Sửa đổi Luật Đất đai",
        ),
        11: petition(
            11,
            lead_agency=agency_a,
            field=building,
            status=S.RESOLVED,
            answered_on=answered_on,
            answered_on_time=None,
            result=R.RESOLVED,
            level=CompetenceLevel.COMMUNE,
            unit=commune_a.unit,
        ),
        12: petition(
            12,
            lead_agency=agency_a,
            field=building,
            status=S.ASSIGNED,
            due_on=FUTURE,
            raised_in=earlier,
            current_cycle=cycle,
            unit=commune_a.unit,
        ),
    }
    # Out of scope: merged into no. 1, moved to commune A.
    petition(13, status=S.MERGED, merged_into=petitions[1], field=building, item_count=5)
    petition(
        14,
        status=S.TRANSFERRED,
        field=transport,
        level=CompetenceLevel.COMMUNE,
        voter_count=3,
        title="Chiếu sáng ngõ 12",
    )
    # The next cycle.
    petition(15, raised_in=next_cycle, lead_agency=agency_b, status=S.ASSIGNED, due_on=PAST)

    # The communes' own petitions.
    term_a = factories.TermFactory(council=commune_a)
    cycle_a = pf.SessionCycleFactory(term=term_a, number=1, name="Kỳ họp thứ nhất")
    pf.PetitionFactory(
        raised_in=cycle_a,
        status=S.RESOLVED,
        answered_on=answered_on,
        answered_on_time=True,
        result=R.RESOLVED,
        field=transport,
        title="Bí mật của xã A",
        item_count=2,
    )
    pf.PetitionFactory(
        raised_in=cycle_a,
        status=S.ASSIGNED,
        due_on=PAST,
        field=building,
        item_count=1,
        lead_agency=factories.AgencyFactory(council=commune_a, name="UBND phường A"),
    )
    term_b = factories.TermFactory(council=commune_b)
    cycle_b = pf.SessionCycleFactory(term=term_b, number=1, name="Kỳ họp thứ nhất")
    pf.PetitionFactory(raised_in=cycle_b, status=S.CONSOLIDATING, field=transport, item_count=1)

    meetings = [
        pf.ContactMeetingFactory(cycle=cycle, voters_attending=120),
        pf.ContactMeetingFactory(cycle=cycle, voters_attending=85),
        pf.ContactMeetingFactory(cycle=cycle, status=MeetingStatus.PLANNED, voters_attending=None),
        pf.ContactMeetingFactory(cycle=next_cycle, voters_attending=40),
    ]
    items = [
        (Channel.MEETING, meetings[0], TriageStatus.ACCEPTED, petitions[1]),
        (Channel.MEETING, meetings[0], TriageStatus.ACCEPTED, petitions[1]),
        (Channel.MEETING, meetings[1], TriageStatus.ACCEPTED, petitions[6]),
        (Channel.HOTLINE, None, TriageStatus.ACCEPTED, petitions[4]),
        (Channel.HOTLINE, None, TriageStatus.REDIRECTED, None),
        (Channel.WEB, None, TriageStatus.ACCEPTED, petitions[5]),
    ]
    for channel, meeting, triage, target in items:
        pf.VoterItemFactory(
            council=city,
            channel=channel,
            meeting=meeting,
            cycle=cycle,
            triage_status=triage,
            petition=target,
            voter_name="Nguyễn Văn Bí Mật",
            voter_phone="0912345678",
            redirect_reason="Khiếu nại" if triage == TriageStatus.REDIRECTED else "",
        )
    pf.VoterItemFactory(council=city, channel=Channel.LETTER, cycle=next_cycle)
    return CityDataset(
        city=city, commune_a=commune_a, commune_b=commune_b, cycle=cycle, next_cycle=next_cycle,
        agency_a=agency_a, agency_b=agency_b, petitions=petitions, meetings=meetings,
    )  # fmt: skip


@pytest.fixture
def dataset(
    city_council: Council,
    commune_a: Council,
    commune_b: Council,
    cycle: SessionCycle,
    next_cycle: SessionCycle,
    agency_a: Agency,
    agency_b: Agency,
) -> CityDataset:
    return make_city_dataset(
        city=city_council,
        commune_a=commune_a,
        commune_b=commune_b,
        cycle=cycle,
        next_cycle=next_cycle,
        agency_a=agency_a,
        agency_b=agency_b,
    )


# The cycle's twelve petitions, counted by hand.
CYCLE_TOTALS = Counts(
    petitions=12,
    items=3 + 1 + 2 + 1 + 1 + 4 + 1 + 1 + 1 + 1 + 1 + 1,
    voters=10 + 1 + 5 + 2 + 1 + 20 + 1 + 1 + 1 + 1 + 1 + 1,
    consolidating=1,
    sent=11,
    awaiting=5,
    overdue=3,
    answered=6,
    on_time=3,
    late=2,
    resolved=3,
    in_progress=1,
    will_resolve=1,
    explained=1,
    satisfactory=3,
    unsatisfactory=1,
    wrong_competence=0,
    off_topic=0,
    not_satisfactory=1,
    unrated=3,
    questioning=1,
    carried_over=1,
    central=1,
    city=10,
    commune=1,
)


def test_it_counts_the_cycle_exactly(dataset: CityDataset) -> None:
    figures = dashboard_figures(
        council_id=dataset.city.pk, filters=DashboardFilters(cycle_id=dataset.cycle.pk), today=TODAY
    )
    assert figures.summary == CYCLE_TOTALS
    assert figures.summary.timing_unknown == 1
    assert figures.summary.on_time_percent == 50.0
    assert figures.summary.result_percent("resolved") == 50.0
    assert figures.summary.answered_percent == round(100 * 6 / 11, 1)


def test_without_a_cycle_it_counts_every_cycle_and_leaves_out_merged_and_moved(
    dataset: CityDataset,
) -> None:
    figures = dashboard_figures(council_id=dataset.city.pk, filters=DashboardFilters(), today=TODAY)
    assert figures.summary.petitions == 13
    assert figures.summary.overdue == 4
    assert figures.summary.awaiting == 6


def test_the_agency_breakdown_adds_up_with_on_time_shares(dataset: CityDataset) -> None:
    figures = dashboard_figures(
        council_id=dataset.city.pk, filters=DashboardFilters(cycle_id=dataset.cycle.pk), today=TODAY
    )
    rows = {row.label: row for row in figures.by_agency}
    # Vietnamese order ("Giao" before "Xây"), the petitions with no agency last.
    assert [row.key for row in figures.by_agency] == [
        dataset.agency_b.pk,
        dataset.agency_a.pk,
        None,
    ]
    a = rows["Sở Xây dựng"].counts
    assert (a.petitions, a.answered, a.on_time, a.late, a.awaiting, a.overdue) == (7, 4, 2, 1, 3, 1)
    assert a.on_time_percent == 50.0
    b = rows["Sở Giao thông vận tải"].counts
    assert (b.petitions, b.answered, b.on_time, b.late, b.awaiting, b.overdue) == (3, 2, 1, 1, 1, 1)
    none = figures.by_agency[-1].counts
    assert (none.petitions, none.consolidating, none.overdue, none.answered) == (2, 1, 1, 0)
    assert none.on_time_percent is None
    assert sum(row.counts.petitions for row in figures.by_agency) == 12


def test_the_field_breakdown_follows_the_catalogue_order(dataset: CityDataset) -> None:
    figures = dashboard_figures(
        council_id=dataset.city.pk, filters=DashboardFilters(cycle_id=dataset.cycle.pk), today=TODAY
    )
    assert [(row.label, row.counts.petitions) for row in figures.by_field][:2] == [
        ("Quy hoạch, xây dựng", 5),
        ("Giao thông", 5),
    ]
    assert figures.by_field[-1].key is None
    assert figures.by_field[-1].counts.petitions == 2


def test_the_place_breakdown_counts_petitions_by_commune(dataset: CityDataset) -> None:
    figures = dashboard_figures(
        council_id=dataset.city.pk, filters=DashboardFilters(cycle_id=dataset.cycle.pk), today=TODAY
    )
    by_unit = {row.key: row.counts for row in figures.by_unit}
    assert by_unit[dataset.commune_a.unit_id].petitions == 2
    assert by_unit[dataset.commune_a.unit_id].answered == 1
    assert by_unit[dataset.commune_a.unit_id].awaiting == 1
    assert by_unit[None].petitions == 10


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"field": "giao-thong"}, 5),
        ({"level": CompetenceLevel.CENTRAL}, 1),
        ({"agency": "b"}, 3),
        ({"unit": "a"}, 2),
        ({"field": "giao-thong", "agency": "a"}, 2),
    ],
)
def test_each_filter_narrows_the_figures(
    dataset: CityDataset, filters: dict[str, str], expected: int
) -> None:
    values: dict[str, Any] = {"cycle_id": dataset.cycle.pk}
    if "field" in filters:
        values["field_id"] = pf.field(filters["field"]).pk
    if "level" in filters:
        values["level"] = filters["level"]
    if "agency" in filters:
        values["agency_id"] = (
            dataset.agency_a if filters["agency"] == "a" else dataset.agency_b
        ).pk
    if "unit" in filters:
        values["unit_id"] = dataset.commune_a.unit_id
    figures = dashboard_figures(
        council_id=dataset.city.pk, filters=DashboardFilters(**values), today=TODAY
    )
    assert figures.summary.petitions == expected
    assert sum(row.counts.petitions for row in figures.by_agency) == expected


def test_the_city_sees_each_communes_totals(dataset: CityDataset) -> None:
    figures = dashboard_figures(council_id=dataset.city.pk, filters=DashboardFilters(), today=TODAY)
    communes = {row.key: row.counts for row in figures.communes}
    a = communes[dataset.commune_a.pk]
    assert (a.petitions, a.items, a.answered, a.on_time, a.overdue) == (2, 3, 1, 1, 1)
    assert a.on_time_percent == 100.0
    b = communes[dataset.commune_b.pk]
    assert (b.petitions, b.answered, b.overdue) == (1, 0, 0)
    assert figures.communes_total.petitions == 3


def test_commune_totals_follow_the_field_filter_and_keep_every_commune(
    dataset: CityDataset,
) -> None:
    filters = DashboardFilters(field_id=pf.field("quy-hoach-xay-dung").pk)
    figures = dashboard_figures(council_id=dataset.city.pk, filters=filters, today=TODAY)
    communes = {row.key: row.counts for row in figures.communes}
    assert communes[dataset.commune_a.pk].petitions == 1
    assert communes[dataset.commune_a.pk].overdue == 1
    assert communes[dataset.commune_b.pk].petitions == 0


def test_a_commune_council_has_no_communes_under_it(dataset: CityDataset) -> None:
    figures = dashboard_figures(
        council_id=dataset.commune_a.pk, filters=DashboardFilters(), today=TODAY
    )
    assert figures.communes == []
    assert figures.summary.petitions == 2


def test_the_figures_take_a_fixed_number_of_queries(
    dataset: CityDataset, django_assert_num_queries: Any
) -> None:
    # By agency and field (one scan) and their names; by place and its names; the
    # communes and their totals.
    with django_assert_num_queries(7):
        dashboard_figures(council_id=dataset.city.pk, filters=DashboardFilters(), today=TODAY)


def test_the_petition_lines_carry_no_personal_data(dataset: CityDataset) -> None:
    lines = list(
        petition_lines(
            council_id=dataset.city.pk, filters=DashboardFilters(cycle_id=dataset.cycle.pk)
        )
    )
    assert [line.code for line in lines] == [f"01-2026-{n:04d}" for n in range(1, 13)]
    text = repr(lines)
    assert "Bí Mật" not in text
    assert "0912345678" not in text


def test_agency_and_field_counted_together_match_each_counted_alone(
    dataset: CityDataset,
) -> None:
    filters = DashboardFilters(cycle_id=dataset.cycle.pk)
    together = breakdowns(
        council_id=dataset.city.pk, filters=filters, by=("agency", "field"), today=TODAY
    )
    for grouping in ("agency", "field"):
        alone = breakdown(council_id=dataset.city.pk, filters=filters, by=grouping, today=TODAY)
        assert together[grouping] == alone
        assert sum_counts([row.counts for row in alone]) == CYCLE_TOTALS


def test_complete_figures_count_every_figure_by_place_and_commune(dataset: CityDataset) -> None:
    lean = dashboard_figures(council_id=dataset.city.pk, filters=DashboardFilters(), today=TODAY)
    complete = dashboard_figures(
        council_id=dataset.city.pk, filters=DashboardFilters(), today=TODAY, complete=True
    )
    assert complete.summary == lean.summary
    by_unit = {row.key: row.counts for row in complete.by_unit}
    assert by_unit[dataset.commune_a.unit_id].carried_over == 1
    assert by_unit[dataset.commune_a.unit_id].resolved == 1
    communes = {row.key: row.counts for row in complete.communes}
    assert communes[dataset.commune_a.pk].resolved == 1
    # The lean figures leave those at zero, and say so.
    assert not lean.complete
    assert {row.key: row.counts for row in lean.communes}[dataset.commune_a.pk].resolved == 0


def _expected(petitions: list[Petition], *, names: tuple[str, ...] = COUNT_NAMES) -> Counts:
    """The figures `names` of `petitions` by the module's definitions, one petition at a
    time (the others 0)."""
    answered = {S.ANSWERED, S.MONITORING, S.RESOLVED}
    awaiting = {S.ASSIGNED, S.FORWARDED, S.REOPENED}
    figures = dict.fromkeys(COUNT_NAMES, 0)
    for p in petitions:
        if p.status in {S.MERGED, S.TRANSFERRED}:
            continue
        is_answered = p.status in answered
        counts_in = {
            "petitions": 1,
            "items": p.item_count,
            "voters": p.voter_count,
            "consolidating": p.status == S.CONSOLIDATING,
            "sent": p.status != S.CONSOLIDATING,
            "awaiting": p.status in awaiting,
            "overdue": p.status in awaiting and p.due_on is not None and p.due_on < TODAY,
            "answered": is_answered,
            "on_time": is_answered and p.answered_on_time is True,
            "late": is_answered and p.answered_on_time is False,
            "resolved": is_answered and p.result == R.RESOLVED,
            "in_progress": is_answered and p.result == R.IN_PROGRESS,
            "will_resolve": is_answered and p.result == R.WILL_RESOLVE,
            "explained": is_answered and p.result == R.EXPLAINED,
            "satisfactory": p.verdict == V.SATISFACTORY,
            "unsatisfactory": p.verdict == V.UNSATISFACTORY,
            "wrong_competence": p.verdict == V.WRONG_COMPETENCE,
            "off_topic": p.verdict == V.OFF_TOPIC,
            "not_satisfactory": p.verdict in {V.UNSATISFACTORY, V.WRONG_COMPETENCE, V.OFF_TOPIC},
            "unrated": is_answered and p.verdict == "",
            "questioning": p.is_questioning_topic,
            "carried_over": p.raised_in_id != p.current_cycle_id,
            "central": p.level == CompetenceLevel.CENTRAL,
            "city": p.level == CompetenceLevel.CITY,
            "commune": p.level == CompetenceLevel.COMMUNE,
        }
        for name in names:
            figures[name] += int(counts_in[name])
    return Counts(**figures)


def test_every_combination_of_values_is_counted_by_the_definitions(
    city_council: Council,
    commune_a: Council,
    cycle: SessionCycle,
    next_cycle: SessionCycle,
    agency_a: Agency,
    agency_b: Agency,
) -> None:
    # Petitions with values drawn at random (seeded), against the definitions above, so
    # that no combination the hand-made dataset lacks is counted wrongly.
    rng = random.Random(2026)
    fields = [pf.field("giao-thong"), pf.field("quy-hoach-xay-dung"), None]
    target: Petition = pf.PetitionFactory(raised_in=cycle, code="01-2026-9000")
    petitions: list[Petition] = [target]
    for number in range(90):
        status = rng.choice(list(S))
        answered = status in {S.ANSWERED, S.MONITORING, S.RESOLVED} or rng.random() < 0.2
        petitions.append(
            pf.PetitionFactory(
                raised_in=rng.choice([cycle, next_cycle]),
                current_cycle=next_cycle if rng.random() < 0.7 else cycle,
                code=f"01-2026-{number + 1:04d}",
                status=status,
                merged_into=target if status == S.MERGED else None,
                lead_agency=rng.choice([agency_a, agency_b])
                if status in {S.ASSIGNED, S.REOPENED} or rng.random() < 0.7
                else None,
                field=rng.choice(fields),
                unit=rng.choice([commune_a.unit, city_council.unit, None]),
                level=rng.choice(["", *CompetenceLevel.values]),
                due_on=rng.choice([None, PAST, TODAY, FUTURE]),
                answered_on_time=rng.choice([None, True, False]) if answered else None,
                result=rng.choice(["", *R.values]) if answered else "",
                verdict=rng.choice(["", *V.values]),
                is_questioning_topic=rng.random() < 0.2,
                item_count=rng.randint(0, 5),
                voter_count=rng.randint(0, 30),
            )
        )
    for petition in petitions:
        petition.refresh_from_db()
    everything = DashboardFilters()

    assert summary_counts(council_id=city_council.pk, filters=everything, today=TODAY) == (
        _expected(petitions)
    )
    for names in (COUNT_NAMES, BREAKDOWN_NAMES):
        grouped = breakdowns(
            council_id=city_council.pk,
            filters=everything,
            by=("agency", "field", "unit"),
            today=TODAY,
            names=names,
        )
        for grouping, column in (
            ("agency", "lead_agency_id"),
            ("field", "field_id"),
            ("unit", "unit_id"),
        ):
            assert {row.key: row.counts for row in grouped[grouping]} == {
                key: _expected([p for p in petitions if getattr(p, column) == key], names=names)
                for key in {
                    getattr(p, column)
                    for p in petitions
                    if p.status not in {S.MERGED, S.TRANSFERRED}
                }
            }
    narrowed = DashboardFilters(cycle_id=next_cycle.pk, agency_id=agency_a.pk)
    assert summary_counts(council_id=city_council.pk, filters=narrowed, today=TODAY) == _expected(
        [
            p
            for p in petitions
            if p.current_cycle_id == next_cycle.pk and p.lead_agency_id == agency_a.pk
        ]
    )
