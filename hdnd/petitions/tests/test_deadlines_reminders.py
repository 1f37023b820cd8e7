"""The daily reminder job: due-soon and overdue notices, escalation, emails, the command."""

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import translation

from hdnd.accounts.models import User
from hdnd.core.models import AuditEvent
from hdnd.councils.models import Agency
from hdnd.petitions.models import (
    DayCounting,
    DeadlineRule,
    EventKind,
    Notification,
    NotificationKind,
    Petition,
    PetitionStatus,
    RouteKind,
    SessionCycle,
)
from hdnd.petitions.services.deadlines import email_pending, send_reminders
from hdnd.testing import factories
from hdnd.testing import petition_factories as pf

pytestmark = pytest.mark.django_db

DUE = dt.date(2026, 3, 10)  # a Tuesday


def awaiting(
    cycle: SessionCycle, agency: Agency | None, rule: DeadlineRule | None, **extra: Any
) -> Petition:
    values: dict[str, Any] = {
        "raised_in": cycle,
        "status": PetitionStatus.ASSIGNED if agency else PetitionStatus.FORWARDED,
        "lead_agency": agency,
        "deadline_rule": rule,
        "assigned_on": dt.date(2026, 2, 5),
        "due_on": DUE,
    }
    values.update(extra)
    return pf.PetitionFactory(**values)


def notices(petition: Petition, kind: str) -> set[int]:
    return set(
        Notification.objects.filter(petition=petition, kind=kind).values_list("user_id", flat=True)
    )


@pytest.fixture
def people(
    city_staff: User, responder_a: User, responder_b: User, standing_member: User
) -> dict[str, User]:
    return {
        "office": city_staff,
        "responder_a": responder_a,
        "responder_b": responder_b,
        "standing": standing_member,
    }


def test_the_lead_agency_is_reminded_once_before_the_deadline(
    cycle: SessionCycle,
    agency_a: Agency,
    deadline_rules: dict[str, DeadlineRule],
    people: dict[str, User],
) -> None:
    petition = awaiting(cycle, agency_a, deadline_rules[RouteKind.OWN_AGENCY])
    # The rule reminds 5 days before: nothing on the 6th day before.
    assert send_reminders(dt.date(2026, 3, 4)).notifications == 0
    first = send_reminders(dt.date(2026, 3, 5))
    assert (first.checked, first.due_soon, first.notifications, first.emails) == (1, 1, 1, 1)
    assert notices(petition, NotificationKind.DUE_SOON) == {people["responder_a"].pk}
    again = send_reminders(dt.date(2026, 3, 5))
    assert (again.due_soon, again.notifications, again.emails, again.escalated) == (0, 0, 0, 0)
    assert send_reminders(dt.date(2026, 3, 8)).notifications == 0
    assert len(mail.outbox) == 1
    assert petition.events.filter(kind=EventKind.REMINDED).count() == 1


def test_an_overdue_answer_warns_the_agency_and_the_office_and_escalates_once(
    cycle: SessionCycle,
    agency_a: Agency,
    deadline_rules: dict[str, DeadlineRule],
    people: dict[str, User],
) -> None:
    petition = awaiting(cycle, agency_a, deadline_rules[RouteKind.OWN_AGENCY])
    report = send_reminders(dt.date(2026, 3, 11))
    assert (report.overdue, report.escalated) == (1, 1)
    assert notices(petition, NotificationKind.OVERDUE) == {
        people["responder_a"].pk,
        people["office"].pk,
    }
    assert notices(petition, NotificationKind.ESCALATED) == {people["standing"].pk}
    petition.refresh_from_db()
    assert petition.escalated_on == dt.date(2026, 3, 11)
    escalation = petition.events.get(kind=EventKind.ESCALATED)
    assert not escalation.is_public
    for day in (dt.date(2026, 3, 11), dt.date(2026, 3, 20)):
        later = send_reminders(day)
        assert (later.overdue, later.escalated, later.notifications, later.emails) == (0, 0, 0, 0)
    assert petition.events.filter(kind=EventKind.ESCALATED).count() == 1
    assert Notification.objects.filter(petition=petition).count() == 3
    assert not notices(petition, NotificationKind.OVERDUE) & {people["responder_b"].pk}


def test_escalation_waits_for_the_days_the_rule_allows(
    cycle: SessionCycle, agency_a: Agency, people: dict[str, User]
) -> None:
    rule = pf.DeadlineRuleFactory(council=cycle.council, escalate_days_after=10)
    petition = awaiting(cycle, agency_a, rule)
    assert send_reminders(dt.date(2026, 3, 19)).escalated == 0
    assert send_reminders(dt.date(2026, 3, 20)).escalated == 1
    petition.refresh_from_db()
    assert petition.escalated_on == dt.date(2026, 3, 20)


@pytest.mark.parametrize(
    ("counting", "today", "reminded"),
    [
        # Five working days before Tuesday 24/2/2026 reach back across Tết to 10/2.
        (DayCounting.WORKING, dt.date(2026, 2, 10), True),
        (DayCounting.WORKING, dt.date(2026, 2, 9), False),
        # Five calendar days are five calendar days, Tết or not.
        (DayCounting.CALENDAR, dt.date(2026, 2, 12), False),
        (DayCounting.CALENDAR, dt.date(2026, 2, 19), True),
    ],
)
def test_the_reminder_window_counts_days_the_way_the_rule_does(
    cycle: SessionCycle,
    agency_a: Agency,
    people: dict[str, User],
    counting: str,
    today: dt.date,
    reminded: bool,
) -> None:
    rule = pf.DeadlineRuleFactory(council=cycle.council, counting=counting, remind_days_before=5)
    petition = awaiting(cycle, agency_a, rule, due_on=dt.date(2026, 2, 24))
    send_reminders(today)
    assert bool(notices(petition, NotificationKind.DUE_SOON)) is reminded


def test_escalation_after_working_days_skips_tet(
    cycle: SessionCycle, agency_a: Agency, people: dict[str, User]
) -> None:
    rule = pf.DeadlineRuleFactory(
        council=cycle.council, counting=DayCounting.WORKING, escalate_days_after=2
    )
    petition = awaiting(cycle, agency_a, rule, due_on=dt.date(2026, 2, 12))
    # 13/2 is one working day late; Tết adds none; 23/2 is the second.
    assert send_reminders(dt.date(2026, 2, 20)).escalated == 0
    assert send_reminders(dt.date(2026, 2, 23)).escalated == 1
    petition.refresh_from_db()
    assert petition.escalated_on == dt.date(2026, 2, 23)


def test_a_petition_forwarded_centrally_reminds_the_office(
    cycle: SessionCycle, deadline_rules: dict[str, DeadlineRule], people: dict[str, User]
) -> None:
    petition = awaiting(cycle, None, deadline_rules[RouteKind.CENTRAL])
    send_reminders(dt.date(2026, 3, 6))
    assert notices(petition, NotificationKind.DUE_SOON) == {people["office"].pk}


def test_a_petition_without_its_own_rule_uses_the_councils_rule(
    cycle: SessionCycle,
    agency_a: Agency,
    deadline_rules: dict[str, DeadlineRule],
    people: dict[str, User],
) -> None:
    # Imported petitions carry a deadline but no rule.
    petition = awaiting(cycle, agency_a, None)
    report = send_reminders(dt.date(2026, 3, 11))
    assert report.escalated == 1
    petition.refresh_from_db()
    assert petition.escalated_on is not None


def test_answered_and_resolved_petitions_are_left_alone(
    cycle: SessionCycle,
    agency_a: Agency,
    deadline_rules: dict[str, DeadlineRule],
    people: dict[str, User],
) -> None:
    rule = deadline_rules[RouteKind.OWN_AGENCY]
    for status in (PetitionStatus.ANSWERED, PetitionStatus.RESOLVED, PetitionStatus.MONITORING):
        awaiting(cycle, agency_a, rule, status=status)
    report = send_reminders(dt.date(2026, 3, 20))
    assert (report.checked, report.notifications, report.escalated) == (0, 0, 0)
    assert not Notification.objects.exists()


def test_each_person_gets_one_email_in_vietnamese_listing_their_notices(
    cycle: SessionCycle,
    agency_a: Agency,
    deadline_rules: dict[str, DeadlineRule],
    people: dict[str, User],
    settings: Any,
) -> None:
    settings.SITE_URL = "https://hdnd.example.vn"
    rule = deadline_rules[RouteKind.OWN_AGENCY]
    first = awaiting(cycle, agency_a, rule, title="Cải tạo nút giao Ngã Tư Sở")
    second = awaiting(cycle, agency_a, rule, due_on=dt.date(2026, 3, 9))
    # The job writes in the platform's language whatever language is active.
    with translation.override("en"):
        send_reminders(dt.date(2026, 3, 5))
    assert [message.to for message in mail.outbox] == [[people["responder_a"].email]]
    message = mail.outbox[0]
    assert message.subject.startswith("[HĐND số]")
    assert "\n" not in message.subject
    # Dates in the Vietnamese long form come from Django's own Vietnamese formats.
    assert "Ngày 10 tháng 3 năm 2026" in message.body
    assert "Ngày 09 tháng 3 năm 2026" in message.body
    assert "Cải tạo nút giao Ngã Tư Sở" in message.body
    for petition in (first, second):
        assert f"https://hdnd.example.vn/petitions/p/{petition.pk}/" in message.body
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0


def test_a_notice_read_in_the_app_is_not_emailed(
    cycle: SessionCycle,
    agency_a: Agency,
    deadline_rules: dict[str, DeadlineRule],
    people: dict[str, User],
) -> None:
    petition = awaiting(cycle, agency_a, deadline_rules[RouteKind.OWN_AGENCY])
    Notification.objects.create(
        user=people["responder_a"],
        petition=petition,
        kind=NotificationKind.ASSIGNED,
        message="x",
        created_at=dt.datetime(2026, 2, 5, tzinfo=dt.UTC),
        read_at=dt.datetime(2026, 2, 5, tzinfo=dt.UTC),
    )
    assert email_pending() == 0


def test_a_failed_email_is_sent_on_the_next_run(
    cycle: SessionCycle,
    agency_a: Agency,
    deadline_rules: dict[str, DeadlineRule],
    people: dict[str, User],
    settings: Any,
) -> None:
    awaiting(cycle, agency_a, deadline_rules[RouteKind.OWN_AGENCY])
    settings.EMAIL_BACKEND = "hdnd.petitions.tests.test_deadlines_reminders.BrokenBackend"
    assert send_reminders(dt.date(2026, 3, 5)).emails == 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_reminders(dt.date(2026, 3, 5)).emails == 1


class BrokenBackend:
    """A mail server that is down."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: Any) -> int:
        raise OSError("Connection refused")


def test_the_job_writes_one_audit_event_per_run(
    cycle: SessionCycle,
    agency_a: Agency,
    deadline_rules: dict[str, DeadlineRule],
    people: dict[str, User],
) -> None:
    rule = deadline_rules[RouteKind.OWN_AGENCY]
    for _ in range(3):
        awaiting(cycle, agency_a, rule)
    send_reminders(dt.date(2026, 3, 5))
    assert AuditEvent.objects.filter(action="petition.reminders").count() == 1


def test_the_command_prints_what_it_did(
    cycle: SessionCycle,
    agency_a: Agency,
    deadline_rules: dict[str, DeadlineRule],
    people: dict[str, User],
) -> None:
    awaiting(cycle, agency_a, deadline_rules[RouteKind.OWN_AGENCY])
    out = StringIO()
    with translation.override("en"):
        call_command("send_petition_reminders", "--date", "2026-03-11", stdout=out)
    printed = out.getvalue()
    assert "11/03/2026" in printed
    assert "1 escalated" in printed
    assert "1 overdue notices" in printed
    with translation.override("en"), pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_petition_reminders", "--date", "11/03/2026")


def test_a_responder_whose_role_has_ended_is_not_told(
    cycle: SessionCycle, agency_a: Agency, deadline_rules: dict[str, DeadlineRule]
) -> None:
    gone = factories.RoleAssignmentFactory(
        council=cycle.council,
        role="agency_responder",
        agency=agency_a,
        end_date=dt.date(2026, 2, 28),
    )
    petition = awaiting(cycle, agency_a, deadline_rules[RouteKind.OWN_AGENCY])
    send_reminders(dt.date(2026, 3, 5))
    assert gone.user_id not in notices(petition, NotificationKind.DUE_SOON)
