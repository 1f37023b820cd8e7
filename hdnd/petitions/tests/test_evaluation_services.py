"""Evaluating answers, questioning topics and carry-over: every transition and refusal."""

import datetime as dt
from typing import Any

import pytest

from hdnd.accounts.models import User
from hdnd.core.errors import DomainError, NotFound
from hdnd.core.models import AuditEvent
from hdnd.core.versions import StaleVersion
from hdnd.councils.models import Agency, Committee, Council
from hdnd.petitions.models import (
    Answer,
    DayCounting,
    DeadlineRule,
    Decision,
    EventKind,
    Notification,
    NotificationKind,
    Petition,
    PetitionEvent,
    PetitionStatus,
    Rating,
    ResultCategory,
    RouteKind,
    SessionCycle,
    Verdict,
)
from hdnd.petitions.queries.evaluation import questioning_topics
from hdnd.petitions.queries.petitions import sessions_open
from hdnd.petitions.services import evaluation as services
from hdnd.petitions.services.answers import record_answer
from hdnd.petitions.services.common import TransitionNotAllowed
from hdnd.testing import factories
from hdnd.testing import petition_factories as pf

pytestmark = pytest.mark.django_db

# A Tuesday, the week before Tết Bính Ngọ (16–20/2/2026 are days off).
BEFORE_TET = dt.datetime(2026, 2, 10, 3, 0, tzinfo=dt.UTC)
AUTUMN = dt.datetime(2026, 9, 15, 3, 0, tzinfo=dt.UTC)

ROADMAPS = {
    ResultCategory.IN_PROGRESS: ("Thi công quý IV/2026.", dt.date(2026, 12, 31)),
    ResultCategory.WILL_RESOLVE: ("", None),
    ResultCategory.RESOLVED: ("", None),
    ResultCategory.EXPLAINED: ("", None),
}


@pytest.fixture(autouse=True)
def _today(time_machine: Any) -> None:
    time_machine.move_to(AUTUMN, tick=False)


def answered_petition(
    cycle: SessionCycle,
    agency: Agency,
    committee: Committee | None,
    responder: User,
    *,
    result: str = ResultCategory.RESOLVED,
    answered_on: dt.date | None = None,
) -> Petition:
    petition = pf.PetitionFactory(
        raised_in=cycle,
        status=PetitionStatus.ASSIGNED,
        lead_agency=agency,
        committee=committee,
        field=pf.field("giao-thong"),
        due_on=dt.date(2026, 1, 30),
    )
    roadmap, planned = ROADMAPS[ResultCategory(result)]
    record_answer(
        petition_id=petition.pk,
        expected_version=petition.version,
        text="Trả lời của Sở Xây dựng về việc sửa chữa đường.",
        result=result,
        roadmap=roadmap,
        planned_completion=planned,
        answered_on=answered_on or dt.date(2026, 1, 28),
        actor=responder,
    )
    petition.refresh_from_db()
    return petition


@pytest.fixture
def petition(
    cycle: SessionCycle, agency_a: Agency, committee: Committee, responder_a: User
) -> Petition:
    return answered_petition(cycle, agency_a, committee, responder_a)


def rate(petition: Petition, actor: User, **overrides: Any) -> Rating:
    values: dict[str, Any] = {
        "petition_id": petition.pk,
        "expected_version": Petition.objects.get(pk=petition.pk).version,
        "verdict": Verdict.SATISFACTORY,
        "decision": Decision.CLOSE,
        "comment": "",
        "actor": actor,
    }
    values.update(overrides)
    return services.rate_answer(**values)


# The legal table: verdict × decision × the answer's result. ----------------------------


@pytest.mark.parametrize(
    ("result", "decision", "status"),
    [
        (ResultCategory.RESOLVED, Decision.CLOSE, PetitionStatus.RESOLVED),
        (ResultCategory.EXPLAINED, Decision.CLOSE, PetitionStatus.RESOLVED),
        (ResultCategory.IN_PROGRESS, Decision.MONITOR, PetitionStatus.MONITORING),
        (ResultCategory.WILL_RESOLVE, Decision.MONITOR, PetitionStatus.MONITORING),
    ],
)
def test_a_satisfactory_answer_is_closed_or_monitored(
    cycle: SessionCycle,
    agency_a: Agency,
    committee: Committee,
    responder_a: User,
    committee_member: User,
    result: str,
    decision: str,
    status: str,
) -> None:
    petition = answered_petition(cycle, agency_a, committee, responder_a, result=result)
    rating = rate(petition, committee_member, decision=decision)
    petition.refresh_from_db()
    assert petition.status == status
    assert petition.verdict == Verdict.SATISFACTORY
    assert rating.committee == committee
    assert rating.answer == Answer.objects.get(petition=petition, is_current=True)
    assert rating.rated_by == committee_member
    kinds = list(
        PetitionEvent.objects.filter(petition=petition)
        .order_by("id")
        .values_list("kind", flat=True)
    )
    expected_tail = (
        [EventKind.RATED, EventKind.RESOLVED]
        if status == PetitionStatus.RESOLVED
        else [EventKind.RATED]
    )
    assert kinds[-len(expected_tail) :] == expected_tail


@pytest.mark.parametrize(
    ("result", "verdict", "decision", "comment", "field"),
    [
        (ResultCategory.IN_PROGRESS, Verdict.SATISFACTORY, Decision.CLOSE, "", "decision"),
        (ResultCategory.WILL_RESOLVE, Verdict.SATISFACTORY, Decision.CLOSE, "", "decision"),
        (ResultCategory.RESOLVED, Verdict.SATISFACTORY, Decision.MONITOR, "", "decision"),
        (ResultCategory.RESOLVED, Verdict.SATISFACTORY, Decision.RESUPERVISE, "", "decision"),
        (ResultCategory.RESOLVED, Verdict.UNSATISFACTORY, Decision.RESUPERVISE, "  ", "comment"),
        (ResultCategory.RESOLVED, Verdict.OFF_TOPIC, Decision.QUESTIONING, "", "comment"),
        (
            ResultCategory.RESOLVED,
            Verdict.UNSATISFACTORY,
            Decision.CLOSE,
            "Chung chung",
            "decision",
        ),
        (ResultCategory.RESOLVED, Verdict.WRONG_COMPETENCE, Decision.MONITOR, "Sai", "decision"),
        (ResultCategory.RESOLVED, "great", Decision.CLOSE, "", "verdict"),
        (ResultCategory.RESOLVED, Verdict.SATISFACTORY, "forget", "", "decision"),
    ],
    ids=[
        "close-in-progress",
        "close-will-resolve",
        "monitor-resolved",
        "satisfactory-reopened",
        "unsatisfactory-without-comment",
        "off-topic-without-comment",
        "unsatisfactory-closed",
        "wrong-competence-monitored",
        "unknown-verdict",
        "unknown-decision",
    ],
)
def test_evaluations_that_break_the_rules_are_refused(
    cycle: SessionCycle,
    agency_a: Agency,
    committee: Committee,
    responder_a: User,
    committee_member: User,
    result: str,
    verdict: str,
    decision: str,
    comment: str,
    field: str,
) -> None:
    petition = answered_petition(cycle, agency_a, committee, responder_a, result=result)
    with pytest.raises(DomainError) as refused:
        rate(petition, committee_member, verdict=verdict, decision=decision, comment=comment)
    assert field in refused.value.fields
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.ANSWERED
    assert not Rating.objects.filter(petition=petition).exists()


@pytest.mark.parametrize(
    "status",
    [
        PetitionStatus.ASSIGNED,
        PetitionStatus.MONITORING,
        PetitionStatus.REOPENED,
        PetitionStatus.RESOLVED,
    ],
)
def test_it_refuses_to_rate_a_petition_that_is_not_answered(
    petition: Petition, committee_member: User, status: str
) -> None:
    Petition.objects.filter(pk=petition.pk).update(status=status)
    with pytest.raises(TransitionNotAllowed):
        rate(petition, committee_member)


def test_a_stale_version_is_refused(petition: Petition, committee_member: User) -> None:
    with pytest.raises(StaleVersion):
        rate(petition, committee_member, expected_version=petition.version - 1)
    assert not Rating.objects.filter(petition=petition).exists()


# Re-supervision and its deadline. ------------------------------------------------------


@pytest.mark.parametrize(
    ("rules", "due_on", "route"),
    [
        # 15 working days from Tue 10/2/2026 skip the weekends and Tết (16–20/2): 10/3,
        # where without Tết they would have ended on 3/3.
        ({RouteKind.REOPENED: (15, DayCounting.WORKING)}, dt.date(2026, 3, 10), RouteKind.REOPENED),
        (
            {RouteKind.REOPENED: (15, DayCounting.CALENDAR)},
            dt.date(2026, 2, 25),
            RouteKind.REOPENED,
        ),
        # No re-supervision rule: the rule of the council's own agencies applies.
        (
            {RouteKind.OWN_AGENCY: (30, DayCounting.CALENDAR)},
            dt.date(2026, 3, 12),
            RouteKind.OWN_AGENCY,
        ),
        (
            {
                RouteKind.OWN_AGENCY: (30, DayCounting.CALENDAR),
                RouteKind.REOPENED: (10, DayCounting.WORKING),
            },
            dt.date(2026, 3, 3),
            RouteKind.REOPENED,
        ),
        ({}, None, None),
    ],
    ids=[
        "working-days-across-tet",
        "calendar-days",
        "own-agency-fallback",
        "reopened-wins",
        "no-rule",
    ],
)
def test_resupervision_sets_a_new_deadline_from_the_rule_in_force(
    time_machine: Any,
    petition: Petition,
    city_council: Council,
    committee_member: User,
    rules: dict[str, tuple[int, str]],
    due_on: dt.date | None,
    route: str | None,
) -> None:
    time_machine.move_to(BEFORE_TET, tick=False)
    for rule_route, (days, counting) in rules.items():
        pf.DeadlineRuleFactory(council=city_council, route=rule_route, days=days, counting=counting)
    # A rule that ended before today is not in force.
    pf.DeadlineRuleFactory(
        council=city_council,
        route=RouteKind.REOPENED,
        days=1,
        valid_from=dt.date(2025, 1, 1),
        valid_until=dt.date(2025, 12, 31),
    )
    rate(
        petition,
        committee_member,
        verdict=Verdict.UNSATISFACTORY,
        decision=Decision.RESUPERVISE,
        comment="Trả lời chung chung, chưa nêu thời hạn.",
    )
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.REOPENED
    assert petition.verdict == Verdict.UNSATISFACTORY
    assert petition.assigned_on == dt.date(2026, 2, 10)
    assert petition.due_on == due_on
    if route is None:
        assert petition.deadline_rule is None
    else:
        assert petition.deadline_rule is not None
        assert petition.deadline_rule.route == route
        assert petition.deadline_rule.valid_until is None


def test_the_conftest_rules_give_re_supervision_fifteen_working_days(
    time_machine: Any,
    petition: Petition,
    deadline_rules: dict[str, DeadlineRule],
    committee_member: User,
) -> None:
    time_machine.move_to(BEFORE_TET, tick=False)
    rate(
        petition,
        committee_member,
        verdict=Verdict.OFF_TOPIC,
        decision=Decision.RESUPERVISE,
        comment="Hỏi một đằng trả lời một nẻo.",
    )
    petition.refresh_from_db()
    assert petition.due_on == dt.date(2026, 3, 10)
    assert petition.deadline_rule == deadline_rules[RouteKind.REOPENED]


def test_resupervision_tells_the_lead_agency_and_logs_the_reopening(
    petition: Petition,
    deadline_rules: dict[str, DeadlineRule],
    committee_member: User,
    responder_a: User,
    responder_b: User,
) -> None:
    rate(
        petition,
        committee_member,
        verdict=Verdict.UNSATISFACTORY,
        decision=Decision.RESUPERVISE,
        comment="Chưa có lộ trình.",
    )
    petition.refresh_from_db()
    notices = Notification.objects.filter(petition=petition, kind=NotificationKind.REOPENED)
    assert set(notices.values_list("user_id", flat=True)) == {responder_a.pk}
    assert notices.get().due_on == petition.due_on
    kinds = list(
        PetitionEvent.objects.filter(petition=petition)
        .order_by("id")
        .values_list("kind", flat=True)
    )
    assert kinds[-2:] == [EventKind.RATED, EventKind.REOPENED]
    assert petition.is_questioning_topic is False


def test_a_questioning_decision_reopens_and_flags_the_petition(
    petition: Petition, deadline_rules: dict[str, DeadlineRule], committee_member: User
) -> None:
    rating = rate(
        petition,
        committee_member,
        verdict=Verdict.WRONG_COMPETENCE,
        decision=Decision.QUESTIONING,
        comment="Sở trả lời sai thẩm quyền, đề nghị chất vấn Giám đốc Sở.",
    )
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.REOPENED
    assert petition.is_questioning_topic is True
    assert petition.due_on is not None
    assert rating.comment.startswith("Sở trả lời sai thẩm quyền")
    event = PetitionEvent.objects.get(petition=petition, kind=EventKind.QUESTIONING)
    assert event.is_public is False


def test_resupervision_needs_a_lead_agency(
    cycle: SessionCycle, committee: Committee, committee_member: User
) -> None:
    petition = pf.PetitionFactory(
        raised_in=cycle, status=PetitionStatus.ANSWERED, committee=committee
    )
    Answer.objects.create(
        petition=petition,
        text="Trả lời",
        result=ResultCategory.RESOLVED,
        answered_on=dt.date(2026, 9, 1),
    )
    with pytest.raises(DomainError):
        rate(
            petition,
            committee_member,
            verdict=Verdict.UNSATISFACTORY,
            decision=Decision.RESUPERVISE,
            comment="Chưa rõ",
        )
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.ANSWERED


def test_a_monitored_petition_gets_a_follow_up_answer_and_is_rated_again(
    cycle: SessionCycle,
    agency_a: Agency,
    committee: Committee,
    responder_a: User,
    committee_member: User,
) -> None:
    petition = answered_petition(
        cycle, agency_a, committee, responder_a, result=ResultCategory.IN_PROGRESS
    )
    rate(petition, committee_member, decision=Decision.MONITOR)
    record_answer(
        petition_id=petition.pk,
        expected_version=Petition.objects.get(pk=petition.pk).version,
        text="Đã hoàn thành sửa chữa.",
        result=ResultCategory.RESOLVED,
        roadmap="",
        planned_completion=None,
        answered_on=dt.date(2026, 9, 14),
        actor=responder_a,
    )
    rate(petition, committee_member, decision=Decision.CLOSE)
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.RESOLVED
    ratings = list(Rating.objects.filter(petition=petition).order_by("rated_at", "id"))
    assert [r.decision for r in ratings] == [Decision.MONITOR, Decision.CLOSE]
    assert ratings[0].answer != ratings[1].answer


# Questioning topics without re-rating. -------------------------------------------------


def test_the_standing_committee_flags_a_questioning_topic(
    petition: Petition, standing_member: User
) -> None:
    services.flag_questioning_topic(
        petition_id=petition.pk,
        expected_version=petition.version,
        actor=standing_member,
        note="Kéo dài qua nhiều kỳ họp.",
    )
    petition.refresh_from_db()
    assert petition.is_questioning_topic is True
    assert petition.status == PetitionStatus.ANSWERED
    event = PetitionEvent.objects.get(petition=petition, kind=EventKind.QUESTIONING)
    assert event.summary == "Kéo dài qua nhiều kỳ họp."
    with pytest.raises(DomainError):
        services.flag_questioning_topic(
            petition_id=petition.pk,
            expected_version=Petition.objects.get(pk=petition.pk).version,
            actor=standing_member,
            note="",
        )


def test_a_resolved_petition_cannot_be_flagged(petition: Petition, standing_member: User) -> None:
    Petition.objects.filter(pk=petition.pk).update(status=PetitionStatus.RESOLVED)
    with pytest.raises(TransitionNotAllowed):
        services.flag_questioning_topic(
            petition_id=petition.pk, expected_version=None, actor=standing_member, note=""
        )


def flagged(petition: Petition, standing_member: User) -> Petition:
    services.flag_questioning_topic(
        petition_id=petition.pk,
        expected_version=Petition.objects.get(pk=petition.pk).version,
        actor=standing_member,
        note="Kéo dài qua nhiều kỳ họp.",
    )
    return Petition.objects.get(pk=petition.pk)


def unflag(petition: Petition, actor: User, **overrides: Any) -> Petition:
    values: dict[str, Any] = {
        "petition_id": petition.pk,
        "expected_version": Petition.objects.get(pk=petition.pk).version,
        "reason": "Sở đã có văn bản trả lời bổ sung.",
        "actor": actor,
    }
    values.update(overrides)
    return services.unflag_questioning_topic(**values)


def test_the_committee_in_charge_takes_a_topic_off_with_a_reason(
    petition: Petition, standing_member: User, committee_member: User
) -> None:
    topic = flagged(petition, standing_member)
    assert list(questioning_topics(council_id=petition.council_id)) == [topic]

    unflag(topic, committee_member)

    topic.refresh_from_db()
    assert topic.is_questioning_topic is False
    assert topic.status == PetitionStatus.ANSWERED
    assert list(questioning_topics(council_id=petition.council_id)) == []
    event = PetitionEvent.objects.get(petition=topic, kind=EventKind.UNQUESTIONED)
    assert (event.actor, event.summary) == (committee_member, "Sở đã có văn bản trả lời bổ sung.")
    # The flag's own entry stays: the history shows both.
    assert PetitionEvent.objects.filter(petition=topic, kind=EventKind.QUESTIONING).exists()
    audit = AuditEvent.objects.get(action="petition.unquestioned")
    assert audit.actor == committee_member
    assert audit.changes == {
        "is_questioning_topic": [True, False],
        "reason": "Sở đã có văn bản trả lời bổ sung.",
    }
    # It may be flagged again later.
    assert flagged(topic, standing_member).is_questioning_topic is True


def test_a_topic_flagged_by_an_evaluation_is_taken_off_by_the_standing_committee(
    petition: Petition, committee_member: User, standing_member: User
) -> None:
    rate(
        petition,
        committee_member,
        verdict=Verdict.UNSATISFACTORY,
        decision=Decision.QUESTIONING,
        comment="Trả lời chung chung.",
    )
    topic = Petition.objects.get(pk=petition.pk)
    assert (topic.status, topic.is_questioning_topic) == (PetitionStatus.REOPENED, True)
    unflag(topic, standing_member)
    topic.refresh_from_db()
    # Only the flag goes: the petition is still re-supervised.
    assert (topic.status, topic.is_questioning_topic) == (PetitionStatus.REOPENED, False)


def test_taking_a_topic_off_is_refused_when_it_cannot_be(
    petition: Petition, standing_member: User
) -> None:
    with pytest.raises(DomainError, match="không phải là nội dung chất vấn"):
        unflag(petition, standing_member)
    topic = flagged(petition, standing_member)
    with pytest.raises(DomainError) as blank:
        unflag(topic, standing_member, reason="  \n ")
    assert list(blank.value.fields) == ["reason"]
    with pytest.raises(StaleVersion):
        unflag(topic, standing_member, expected_version=topic.version - 1)
    Petition.objects.filter(pk=topic.pk).update(status=PetitionStatus.RESOLVED)
    with pytest.raises(TransitionNotAllowed):
        unflag(topic, standing_member)
    assert Petition.objects.get(pk=topic.pk).is_questioning_topic is True
    assert not PetitionEvent.objects.filter(kind=EventKind.UNQUESTIONED).exists()


# Carry-over across sessions and terms. -------------------------------------------------


@pytest.fixture
def later_term_cycle(city_council: Council) -> SessionCycle:
    term = factories.TermFactory(
        council=city_council,
        number=18,
        name="Khóa XVIII",
        start_date=dt.date(2031, 3, 15),
        end_date=dt.date(2036, 3, 14),
    )
    return pf.SessionCycleFactory(
        term=term, number=1, name="Kỳ họp thứ nhất khóa XVIII", session_date=dt.date(2031, 7, 8)
    )


def test_carry_over_moves_every_open_petition_to_a_later_term(
    cycle: SessionCycle,
    next_cycle: SessionCycle,
    later_term_cycle: SessionCycle,
    agency_a: Agency,
    city_staff: User,
) -> None:
    open_states = [
        PetitionStatus.CONSOLIDATING,
        PetitionStatus.ASSIGNED,
        PetitionStatus.FORWARDED,
        PetitionStatus.ANSWERED,
        PetitionStatus.MONITORING,
        PetitionStatus.REOPENED,
    ]
    moving = [
        pf.PetitionFactory(raised_in=cycle, status=status, lead_agency=agency_a)
        for status in open_states
    ]
    resolved = pf.PetitionFactory(raised_in=cycle, status=PetitionStatus.RESOLVED)
    transferred = pf.PetitionFactory(raised_in=cycle, status=PetitionStatus.TRANSFERRED)
    merged = pf.PetitionFactory(
        raised_in=cycle, status=PetitionStatus.MERGED, merged_into=moving[0]
    )
    elsewhere = pf.PetitionFactory(
        raised_in=next_cycle, status=PetitionStatus.ASSIGNED, lead_agency=agency_a
    )
    audit_before = AuditEvent.objects.filter(action="petition.carried_over").count()

    moved = services.carry_over(
        council_id=cycle.council_id,
        from_cycle_id=cycle.pk,
        to_cycle_id=later_term_cycle.pk,
        actor=city_staff,
    )

    assert moved == len(open_states)
    for petition in moving:
        before = petition.version
        petition.refresh_from_db()
        assert petition.current_cycle == later_term_cycle
        assert petition.raised_in == cycle
        assert petition.version == before + 1
        assert (
            PetitionEvent.objects.filter(petition=petition, kind=EventKind.CARRIED_OVER).count()
            == 1
        )
        # 4th session of term XVII and 1st of term XVIII: carried over two sessions.
        assert sessions_open(petition) == 2
    for petition in (resolved, transferred, merged, elsewhere):
        current = Petition.objects.get(pk=petition.pk).current_cycle_id
        assert current == petition.current_cycle_id
    assert AuditEvent.objects.filter(action="petition.carried_over").count() == audit_before + 1
    # Nothing left to move: a second run changes nothing.
    assert (
        services.carry_over(
            council_id=cycle.council_id,
            from_cycle_id=cycle.pk,
            to_cycle_id=later_term_cycle.pk,
            actor=city_staff,
        )
        == 0
    )


def test_carry_over_goes_forward_only(
    cycle: SessionCycle, next_cycle: SessionCycle, city_staff: User
) -> None:
    for source, target in ((next_cycle, cycle), (cycle, cycle)):
        with pytest.raises(DomainError):
            services.carry_over(
                council_id=cycle.council_id,
                from_cycle_id=source.pk,
                to_cycle_id=target.pk,
                actor=city_staff,
            )


def test_carry_over_refuses_another_councils_cycle(
    cycle: SessionCycle, commune_a: Council, city_staff: User
) -> None:
    foreign = pf.SessionCycleFactory(
        term=factories.TermFactory(council=commune_a), session_date=dt.date(2026, 12, 20)
    )
    with pytest.raises(NotFound):
        services.carry_over(
            council_id=cycle.council_id,
            from_cycle_id=cycle.pk,
            to_cycle_id=foreign.pk,
            actor=city_staff,
        )
