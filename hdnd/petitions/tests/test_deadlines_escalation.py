"""Escalating a petition to the standing committee by hand: the office, with a reason, only
while the answer is awaited, recorded and notified as the daily job's escalation is, and
once per deadline whichever of the two comes first."""

import datetime as dt
from typing import Any

import pytest
from django.core import mail

from hdnd.accounts.models import User
from hdnd.core.audit import verify_chain
from hdnd.core.errors import DomainError
from hdnd.core.models import AuditEvent
from hdnd.core.versions import StaleVersion
from hdnd.councils.models import Agency
from hdnd.petitions.models import (
    DeadlineRule,
    EventKind,
    Notification,
    NotificationKind,
    Petition,
    PetitionStatus,
    RouteKind,
    SessionCycle,
)
from hdnd.petitions.services.common import TransitionNotAllowed
from hdnd.petitions.services.deadlines import AlreadyEscalated, escalate_by_hand, send_reminders
from hdnd.petitions.services.routing import reroute_petition
from hdnd.testing import petition_factories as pf

pytestmark = pytest.mark.django_db

DUE = dt.date(2026, 3, 10)  # a Tuesday
LATE = dt.date(2026, 3, 13)  # three days after
REASON = "Sở chưa phản hồi hai lần nhắc việc."


@pytest.fixture(autouse=True)
def _today(time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 3, 13, 3, 0, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def petition(
    cycle: SessionCycle, agency_a: Agency, deadline_rules: dict[str, DeadlineRule]
) -> Petition:
    """Agency A's petition, three days overdue."""
    return pf.PetitionFactory(
        raised_in=cycle,
        status=PetitionStatus.ASSIGNED,
        lead_agency=agency_a,
        deadline_rule=deadline_rules[RouteKind.OWN_AGENCY],
        assigned_on=dt.date(2026, 2, 8),
        due_on=DUE,
    )


def escalate(petition: Petition, actor: User, **overrides: Any) -> Petition:
    values: dict[str, Any] = {
        "petition_id": petition.pk,
        "expected_version": Petition.objects.get(pk=petition.pk).version,
        "reason": REASON,
        "actor": actor,
    }
    values.update(overrides)
    return escalate_by_hand(**values)


def escalation_notices(petition: Petition) -> set[int]:
    return set(
        Notification.objects.filter(petition=petition, kind=NotificationKind.ESCALATED).values_list(
            "user_id", flat=True
        )
    )


def test_the_office_escalates_with_a_reason_recorded_and_notified(
    petition: Petition,
    city_staff: User,
    standing_member: User,
    responder_a: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        escalate(petition, city_staff)

    petition.refresh_from_db()
    assert petition.escalated_on == LATE
    assert petition.version == 2
    event = petition.events.get(kind=EventKind.ESCALATED)
    assert event.actor == city_staff
    assert not event.is_public
    assert REASON in event.summary
    assert event.details == {
        "by_hand": True,
        "reason": REASON,
        "due_on": "2026-03-10",
        "days_late": 3,
    }
    audit = AuditEvent.objects.get(action="petition.escalated")
    assert (audit.actor, audit.council_id, audit.object_id) == (
        city_staff,
        petition.council_id,
        str(petition.pk),
    )
    assert audit.changes["reason"] == REASON
    # The standing committee, and only it, is told, as by the daily job; by email too.
    assert escalation_notices(petition) == {standing_member.pk}
    notice = Notification.objects.get(kind=NotificationKind.ESCALATED)
    assert notice.due_on == DUE
    assert REASON in notice.message
    assert [message.to for message in mail.outbox] == [[standing_member.email]]
    assert verify_chain()[1] == []


def test_a_petition_may_be_escalated_before_its_deadline(
    cycle: SessionCycle, agency_a: Agency, city_staff: User, standing_member: User
) -> None:
    early = pf.PetitionFactory(
        raised_in=cycle,
        status=PetitionStatus.FORWARDED,
        assigned_on=dt.date(2026, 3, 1),
        due_on=dt.date(2026, 4, 30),
    )
    escalate(early, city_staff)
    event = early.events.get(kind=EventKind.ESCALATED)
    assert event.details["days_late"] == 0
    assert escalation_notices(early) == {standing_member.pk}


def test_escalating_is_once_per_deadline_by_hand_or_by_the_job(
    petition: Petition, city_staff: User, standing_member: User
) -> None:
    escalate(petition, city_staff)
    with pytest.raises(AlreadyEscalated) as refused:
        escalate(petition, city_staff, reason="Lần nữa")
    assert refused.value.status == 409
    assert "đã được báo cáo Thường trực HĐND ngày 13/03/2026" in refused.value.message
    # The daily job finds it escalated: it warns of the overdue answer, escalates nothing.
    report = send_reminders(LATE)
    assert (report.overdue, report.escalated) == (1, 0)
    assert petition.events.filter(kind=EventKind.ESCALATED).count() == 1
    assert Notification.objects.filter(kind=NotificationKind.ESCALATED).count() == 1


def test_after_the_daily_job_escalated_it_the_office_cannot_again(
    petition: Petition, city_staff: User
) -> None:
    assert send_reminders(LATE).escalated == 1
    with pytest.raises(AlreadyEscalated):
        escalate(petition, city_staff)
    assert petition.events.filter(kind=EventKind.ESCALATED).count() == 1


def test_a_new_deadline_may_be_escalated_again(
    petition: Petition,
    city_staff: User,
    standing_member: User,
    agency_a: Agency,
    agency_b: Agency,
) -> None:
    escalate(petition, city_staff)
    reroute_petition(
        petition_id=petition.pk,
        expected_version=Petition.objects.get(pk=petition.pk).version,
        lead_agency_id=agency_b.pk,
        reason="Đúng thẩm quyền Sở Giao thông vận tải",
        actor=city_staff,
        restart_deadline=True,
    )
    petition.refresh_from_db()
    assert petition.escalated_on is None
    assert petition.due_on != DUE

    escalate(petition, city_staff, reason="Sở mới cũng chưa trả lời")
    assert petition.events.filter(kind=EventKind.ESCALATED).count() == 2
    assert set(
        Notification.objects.filter(kind=NotificationKind.ESCALATED).values_list(
            "user_id", "due_on"
        )
    ) == {(standing_member.pk, DUE), (standing_member.pk, petition.due_on)}


@pytest.mark.parametrize(
    "status",
    [
        PetitionStatus.CONSOLIDATING,
        PetitionStatus.ANSWERED,
        PetitionStatus.MONITORING,
        PetitionStatus.RESOLVED,
        PetitionStatus.TRANSFERRED,
    ],
)
def test_only_a_petition_awaiting_its_answer_is_escalated(
    petition: Petition, city_staff: User, status: str
) -> None:
    Petition.objects.filter(pk=petition.pk).update(status=status)
    with pytest.raises(TransitionNotAllowed):
        escalate(petition, city_staff)
    assert Petition.objects.get(pk=petition.pk).escalated_on is None
    assert not Notification.objects.exists()


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_the_reason_is_required(petition: Petition, city_staff: User, reason: str) -> None:
    with pytest.raises(DomainError) as refused:
        escalate(petition, city_staff, reason=reason)
    assert list(refused.value.fields) == ["reason"]
    assert Petition.objects.get(pk=petition.pk).escalated_on is None


def test_a_stale_version_is_refused(petition: Petition, city_staff: User) -> None:
    Petition.objects.filter(pk=petition.pk).update(version=4)
    with pytest.raises(StaleVersion):
        escalate(petition, city_staff, expected_version=3)
    assert not petition.events.exists()
