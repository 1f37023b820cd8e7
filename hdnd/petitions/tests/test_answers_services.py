"""Recording, revising and publishing answers: every transition and every refusal."""

import datetime as dt
from typing import Any

import pytest

from hdnd.accounts.models import User
from hdnd.core.errors import Conflict, DomainError
from hdnd.core.models import AuditEvent
from hdnd.core.versions import StaleVersion
from hdnd.councils.models import Agency, Committee
from hdnd.petitions.models import (
    Answer,
    AnswerDocument,
    Decision,
    EventKind,
    Notification,
    NotificationKind,
    Petition,
    PetitionEvent,
    PetitionStatus,
    ResultCategory,
    SessionCycle,
    Verdict,
)
from hdnd.petitions.services import answers as services
from hdnd.petitions.services.common import TransitionNotAllowed
from hdnd.petitions.services.evaluation import rate_answer
from hdnd.testing import factories
from hdnd.testing import petition_factories as pf

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 9, 15)
DUE = dt.date(2026, 9, 10)


@pytest.fixture(autouse=True)
def _today(time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 9, 15, 3, 0, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def petition(cycle: SessionCycle, agency_a: Agency, committee: Committee) -> Petition:
    return pf.PetitionFactory(
        raised_in=cycle,
        status=PetitionStatus.ASSIGNED,
        lead_agency=agency_a,
        committee=committee,
        field=pf.field("giao-thong"),
        assigned_on=dt.date(2026, 8, 11),
        due_on=DUE,
    )


def answer(petition: Petition, actor: User, **overrides: Any) -> Answer:
    values: dict[str, Any] = {
        "petition_id": petition.pk,
        "expected_version": Petition.objects.get(pk=petition.pk).version,
        "text": "Sở Xây dựng đã chỉ đạo sửa chữa mặt đường, hoàn thành ngày 30/8/2026.",
        "result": ResultCategory.RESOLVED,
        "roadmap": "",
        "planned_completion": None,
        "answered_on": dt.date(2026, 9, 8),
        "actor": actor,
    }
    values.update(overrides)
    return services.record_answer(**values)


def test_an_answer_moves_the_petition_to_answered(
    petition: Petition, responder_a: User, agency_a: Agency
) -> None:
    recorded = answer(petition, responder_a)
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.ANSWERED
    assert petition.answered_on == dt.date(2026, 9, 8)
    assert petition.answered_on_time is True
    assert petition.result == ResultCategory.RESOLVED
    assert petition.verdict == ""
    assert recorded.is_current
    assert recorded.agency == agency_a
    assert recorded.prepared_by == responder_a
    assert recorded.published_at is None
    event = PetitionEvent.objects.get(petition=petition, kind=EventKind.ANSWERED)
    assert event.is_public is False
    assert AuditEvent.objects.filter(
        action="petition.answered", object_id=str(petition.pk)
    ).exists()


def test_the_committee_in_charge_is_told_and_no_one_else(
    petition: Petition,
    responder_a: User,
    committee_member: User,
    standing_member: User,
    city_council: Any,
) -> None:
    other_committee = factories.CommitteeFactory(council=city_council, name="Ban Pháp chế")
    outsider_member = factories.RoleAssignmentFactory(
        council=city_council, role="committee_member", committee=other_committee
    ).user
    answer(petition, responder_a)
    notified = set(
        Notification.objects.filter(petition=petition, kind=NotificationKind.ANSWERED).values_list(
            "user_id", flat=True
        )
    )
    assert notified == {committee_member.pk}
    assert outsider_member.pk not in notified


@pytest.mark.parametrize(
    ("answered_on", "due_on", "on_time"),
    [
        (dt.date(2026, 9, 9), dt.date(2026, 9, 10), True),
        (dt.date(2026, 9, 10), dt.date(2026, 9, 10), True),
        (dt.date(2026, 9, 11), dt.date(2026, 9, 10), False),
        (dt.date(2026, 9, 11), None, None),
    ],
    ids=["before", "on-the-day", "a-day-late", "no-deadline"],
)
def test_on_time_compares_the_answer_date_with_the_due_date(
    petition: Petition,
    responder_a: User,
    answered_on: dt.date,
    due_on: dt.date | None,
    on_time: bool | None,
) -> None:
    Petition.objects.filter(pk=petition.pk).update(due_on=due_on)
    recorded = answer(petition, responder_a, answered_on=answered_on)
    petition.refresh_from_db()
    assert recorded.on_time is on_time
    assert petition.answered_on_time is on_time


def test_an_answer_being_resolved_needs_its_roadmap_and_completion_date(
    petition: Petition, responder_a: User
) -> None:
    with pytest.raises(DomainError) as refused:
        answer(petition, responder_a, result=ResultCategory.IN_PROGRESS)
    assert set(refused.value.fields) == {"roadmap", "planned_completion"}
    assert not Answer.objects.filter(petition=petition).exists()
    recorded = answer(
        petition,
        responder_a,
        result=ResultCategory.IN_PROGRESS,
        roadmap="Bố trí vốn năm 2027, thi công quý II/2027.",
        planned_completion=dt.date(2027, 6, 30),
    )
    assert recorded.planned_completion == dt.date(2027, 6, 30)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"text": "   "}, "text"),
        ({"result": "done"}, "result"),
        ({"answered_on": dt.date(2026, 9, 16)}, "answered_on"),
        (
            {
                "result": ResultCategory.WILL_RESOLVE,
                "planned_completion": dt.date(2026, 9, 1),
            },
            "planned_completion",
        ),
    ],
    ids=["empty-text", "unknown-result", "future-date", "completion-before-answer"],
)
def test_bad_answers_are_refused_with_the_field_named(
    petition: Petition, responder_a: User, overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(DomainError) as refused:
        answer(petition, responder_a, **overrides)
    assert field in refused.value.fields
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.ASSIGNED


@pytest.mark.parametrize(
    "status",
    [
        PetitionStatus.CONSOLIDATING,
        PetitionStatus.ANSWERED,
        PetitionStatus.RESOLVED,
        PetitionStatus.TRANSFERRED,
    ],
)
def test_it_refuses_to_answer_outside_the_answering_states(
    petition: Petition, responder_a: User, status: str
) -> None:
    Petition.objects.filter(pk=petition.pk).update(status=status)
    with pytest.raises(TransitionNotAllowed):
        answer(petition, responder_a)


@pytest.mark.parametrize(
    "status", [PetitionStatus.FORWARDED, PetitionStatus.REOPENED, PetitionStatus.MONITORING]
)
def test_it_answers_from_every_answering_state(
    petition: Petition, responder_a: User, status: str
) -> None:
    Petition.objects.filter(pk=petition.pk).update(status=status)
    answer(petition, responder_a)
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.ANSWERED


def test_a_stale_version_is_refused(petition: Petition, responder_a: User) -> None:
    with pytest.raises(StaleVersion):
        answer(petition, responder_a, expected_version=petition.version - 1 or 99)
    assert not Answer.objects.filter(petition=petition).exists()


def test_a_follow_up_answer_replaces_the_current_one(
    petition: Petition, responder_a: User, committee_member: User
) -> None:
    first = answer(
        petition,
        responder_a,
        result=ResultCategory.IN_PROGRESS,
        roadmap="Thi công quý IV/2026.",
        planned_completion=dt.date(2026, 12, 31),
    )
    rate_answer(
        petition_id=petition.pk,
        expected_version=Petition.objects.get(pk=petition.pk).version,
        verdict=Verdict.SATISFACTORY,
        decision=Decision.MONITOR,
        comment="",
        actor=committee_member,
    )
    second = answer(petition, responder_a, answered_on=dt.date(2026, 9, 14))
    first.refresh_from_db()
    petition.refresh_from_db()
    assert first.is_current is False
    assert second.is_current is True
    assert petition.status == PetitionStatus.ANSWERED
    assert petition.verdict == ""
    assert petition.result == ResultCategory.RESOLVED
    assert Answer.objects.filter(petition=petition).count() == 2


def test_an_answer_may_cite_only_a_document_of_the_same_council(
    petition: Petition, responder_a: User, commune_a: Any
) -> None:
    foreign = AnswerDocument.objects.create(
        council=commune_a, number="12/UBND", issued_on=TODAY, signer_name="Trần Văn B"
    )
    with pytest.raises(DomainError) as refused:
        answer(petition, responder_a, document_id=foreign.pk)
    assert "document" in refused.value.fields
    own = AnswerDocument.objects.create(
        council=petition.council, number="1234/UBND-ĐT", issued_on=TODAY, signer_name="Lê Văn C"
    )
    assert answer(petition, responder_a, document_id=own.pk).document == own


# Revising ------------------------------------------------------------------------------


def revise(petition: Petition, actor: User, **overrides: Any) -> Answer:
    values: dict[str, Any] = {
        "petition_id": petition.pk,
        "expected_version": Petition.objects.get(pk=petition.pk).version,
        "text": "Đã sửa chữa xong mặt đường và hệ thống thoát nước.",
        "result": ResultCategory.RESOLVED,
        "roadmap": "",
        "planned_completion": None,
        "answered_on": dt.date(2026, 9, 11),
        "actor": actor,
    }
    values.update(overrides)
    return services.revise_answer(**values)


def test_revising_changes_the_unpublished_answer_in_place(
    petition: Petition, responder_a: User
) -> None:
    first = answer(petition, responder_a)
    revised = revise(petition, responder_a)
    petition.refresh_from_db()
    assert revised.pk == first.pk
    assert revised.text.startswith("Đã sửa chữa xong")
    assert revised.on_time is False
    assert petition.answered_on_time is False
    assert petition.status == PetitionStatus.ANSWERED
    assert PetitionEvent.objects.filter(petition=petition, kind=EventKind.EDITED).exists()


def test_a_published_answer_cannot_be_revised(
    petition: Petition, responder_a: User, city_staff: User
) -> None:
    answer(petition, responder_a)
    services.publish_answer(
        petition_id=petition.pk,
        expected_version=Petition.objects.get(pk=petition.pk).version,
        actor=city_staff,
    )
    with pytest.raises(Conflict):
        revise(petition, responder_a)


def test_it_refuses_to_revise_an_evaluated_answer(
    petition: Petition, responder_a: User, committee_member: User
) -> None:
    answer(petition, responder_a)
    rate_answer(
        petition_id=petition.pk,
        expected_version=Petition.objects.get(pk=petition.pk).version,
        verdict=Verdict.SATISFACTORY,
        decision=Decision.CLOSE,
        comment="",
        actor=committee_member,
    )
    with pytest.raises(TransitionNotAllowed):
        revise(petition, responder_a)


# Publishing ----------------------------------------------------------------------------


def test_publishing_makes_the_answer_public(
    petition: Petition, responder_a: User, city_staff: User
) -> None:
    recorded = answer(petition, responder_a)
    services.publish_answer(
        petition_id=petition.pk,
        expected_version=Petition.objects.get(pk=petition.pk).version,
        actor=city_staff,
    )
    recorded.refresh_from_db()
    petition.refresh_from_db()
    assert recorded.published_at is not None
    assert recorded.published_by == city_staff
    assert petition.answer_published_on == TODAY
    event = PetitionEvent.objects.get(petition=petition, kind=EventKind.PUBLISHED)
    assert event.is_public is True


def test_publishing_twice_is_refused(
    petition: Petition, responder_a: User, city_staff: User
) -> None:
    answer(petition, responder_a)
    services.publish_answer(
        petition_id=petition.pk,
        expected_version=Petition.objects.get(pk=petition.pk).version,
        actor=city_staff,
    )
    with pytest.raises(Conflict):
        services.publish_answer(
            petition_id=petition.pk,
            expected_version=Petition.objects.get(pk=petition.pk).version,
            actor=city_staff,
        )
    assert PetitionEvent.objects.filter(petition=petition, kind=EventKind.PUBLISHED).count() == 1


def test_publishing_needs_an_answer_and_a_fresh_version(
    petition: Petition, responder_a: User, city_staff: User
) -> None:
    with pytest.raises(TransitionNotAllowed):
        services.publish_answer(
            petition_id=petition.pk, expected_version=petition.version, actor=city_staff
        )
    answer(petition, responder_a)
    with pytest.raises(StaleVersion):
        services.publish_answer(
            petition_id=petition.pk, expected_version=petition.version, actor=city_staff
        )


def test_a_new_answer_is_unpublished_until_published_again(
    petition: Petition, responder_a: User, city_staff: User
) -> None:
    Petition.objects.filter(pk=petition.pk).update(status=PetitionStatus.MONITORING)
    answer(petition, responder_a)
    services.publish_answer(
        petition_id=petition.pk,
        expected_version=Petition.objects.get(pk=petition.pk).version,
        actor=city_staff,
    )
    Petition.objects.filter(pk=petition.pk).update(status=PetitionStatus.MONITORING)
    answer(petition, responder_a, answered_on=dt.date(2026, 9, 14))
    petition.refresh_from_db()
    assert petition.answer_published_on is None
    assert Answer.objects.filter(petition=petition, published_at__isnull=False).count() == 1


def test_publishing_a_cycle_publishes_its_evaluated_answers_only(
    cycle: SessionCycle,
    next_cycle: SessionCycle,
    agency_a: Agency,
    committee: Committee,
    responder_a: User,
    committee_member: User,
    city_staff: User,
) -> None:
    def answered(cycle: SessionCycle, *, rated: bool) -> Petition:
        petition = pf.PetitionFactory(
            raised_in=cycle,
            status=PetitionStatus.ASSIGNED,
            lead_agency=agency_a,
            committee=committee,
            due_on=DUE,
        )
        answer(petition, responder_a)
        if rated:
            rate_answer(
                petition_id=petition.pk,
                expected_version=Petition.objects.get(pk=petition.pk).version,
                verdict=Verdict.SATISFACTORY,
                decision=Decision.CLOSE,
                comment="",
                actor=committee_member,
            )
        return petition

    rated = [answered(cycle, rated=True) for _ in range(3)]
    not_rated = answered(cycle, rated=False)
    other_cycle = answered(next_cycle, rated=True)
    audit_before = AuditEvent.objects.count()

    count = services.publish_cycle_answers(
        council_id=cycle.council_id, cycle_id=cycle.pk, actor=city_staff
    )

    assert count == 3
    for petition in rated:
        petition.refresh_from_db()
        assert petition.answer_published_on == TODAY
        assert PetitionEvent.objects.filter(
            petition=petition, kind=EventKind.PUBLISHED, is_public=True
        ).exists()
    assert not Answer.objects.filter(petition=not_rated, published_at__isnull=False).exists()
    assert not Answer.objects.filter(petition=other_cycle, published_at__isnull=False).exists()
    # One audit event for the whole batch.
    assert AuditEvent.objects.count() == audit_before + 1
    assert (
        services.publish_cycle_answers(
            council_id=cycle.council_id, cycle_id=cycle.pk, actor=city_staff
        )
        == 0
    )
