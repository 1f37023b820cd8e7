"""Deadline rules and how deadlines are counted (calendar and working days, across Tết)."""

import datetime as dt
from typing import Any

import pytest
from django.utils import translation

from hdnd.accounts.models import User
from hdnd.core.errors import DomainError
from hdnd.core.models import AuditEvent, CalendarOverride, CalendarOverrideKind
from hdnd.councils.models import Agency, Council
from hdnd.petitions.models import DayCounting, DeadlineRule, PetitionStatus, RouteKind, SessionCycle
from hdnd.petitions.queries.deadlines import deadline_state
from hdnd.petitions.services.deadlines import due_date, set_deadline_rule
from hdnd.petitions.services.routing import assign_petition
from hdnd.testing import petition_factories as pf

pytestmark = pytest.mark.django_db

CAL = DayCounting.CALENDAR
WORK = DayCounting.WORKING


# Tết 2026: Saturday 14/2 to Sunday 22/2 are days off (see hdnd/lib/tests/test_workdays.py).
@pytest.mark.parametrize(
    ("start", "days", "counting", "due"),
    [
        # Calendar days: the day of assignment is not counted (Civil Code 2015, art. 147)…
        (dt.date(2026, 1, 10), 30, CAL, dt.date(2026, 2, 9)),
        (dt.date(2026, 3, 2), 30, CAL, dt.date(2026, 4, 1)),
        # …and a deadline falling on a day off moves to the next working day (art. 148 §5).
        (dt.date(2026, 1, 20), 30, CAL, dt.date(2026, 2, 23)),  # Thu 19/2, in Tết
        (dt.date(2025, 12, 16), 60, CAL, dt.date(2026, 2, 23)),  # Sat 14/2, first day of Tết
        (dt.date(2026, 2, 7), 15, CAL, dt.date(2026, 2, 23)),  # Sun 22/2, last day of Tết
        (dt.date(2026, 1, 14), 30, CAL, dt.date(2026, 2, 13)),  # Fri 13/2, still working
        (dt.date(2026, 4, 16), 15, CAL, dt.date(2026, 5, 4)),  # Fri 1/5, Labour Day
        (dt.date(2026, 3, 2), 60, CAL, dt.date(2026, 5, 4)),  # central items, 60 days
        # Working days skip the nine days of Tết and the weekends.
        (dt.date(2026, 2, 12), 1, WORK, dt.date(2026, 2, 13)),
        (dt.date(2026, 2, 12), 5, WORK, dt.date(2026, 2, 26)),
        (dt.date(2026, 2, 6), 15, WORK, dt.date(2026, 3, 6)),
        (dt.date(2026, 1, 30), 30, WORK, dt.date(2026, 3, 20)),
        (dt.date(2026, 2, 16), 1, WORK, dt.date(2026, 2, 23)),  # assigned during Tết
    ],
)
def test_deadlines_are_counted_by_the_rule(
    start: dt.date, days: int, counting: str, due: dt.date
) -> None:
    assert due_date(days=days, counting=counting, start=start) == due


def test_a_swapped_day_off_moves_a_calendar_deadline(db: None) -> None:
    CalendarOverride.objects.create(
        date=dt.date(2026, 4, 1), kind=CalendarOverrideKind.DAY_OFF, note="Nghỉ bù"
    )
    assert due_date(days=30, counting=CAL, start=dt.date(2026, 3, 2)) == dt.date(2026, 4, 2)


@pytest.mark.parametrize(
    ("assigned", "counting", "days", "due", "on", "left", "working_left"),
    [
        # 20 working days from Friday 30/1 skip Tết: due Friday 6/3.
        (dt.date(2026, 1, 30), WORK, 20, dt.date(2026, 3, 6), dt.date(2026, 2, 12), 22, 11),
        (dt.date(2026, 1, 30), WORK, 20, dt.date(2026, 3, 6), dt.date(2026, 3, 6), 0, 0),
        # 30 calendar days from 20/1 end in Tết: due the Monday after, 23/2.
        (dt.date(2026, 1, 20), CAL, 30, dt.date(2026, 2, 23), dt.date(2026, 2, 13), 10, None),
    ],
)
def test_assigning_across_tet_gives_the_deadline_and_the_days_left(
    time_machine: Any,
    city_council: Council,
    cycle: SessionCycle,
    city_staff: User,
    agency_a: Agency,
    assigned: dt.date,
    counting: str,
    days: int,
    due: dt.date,
    on: dt.date,
    left: int,
    working_left: int | None,
) -> None:
    pf.DeadlineRuleFactory(
        council=city_council,
        route=RouteKind.OWN_AGENCY,
        days=days,
        counting=counting,
        valid_from=dt.date(2025, 1, 1),
    )
    time_machine.move_to(dt.datetime.combine(assigned, dt.time(2, 0), tzinfo=dt.UTC), tick=False)
    consolidated = pf.PetitionFactory(raised_in=cycle, field=pf.field())
    petition = assign_petition(
        petition_id=consolidated.pk,
        expected_version=consolidated.version,
        lead_agency_id=agency_a.pk,
        actor=city_staff,
    )
    assert (petition.assigned_on, petition.due_on) == (assigned, due)
    state = deadline_state(petition, today=on)
    assert state is not None
    assert (state.overdue, state.days, state.working_days) == (False, left, working_left)


def test_an_overdue_petition_counts_the_days_past_its_deadline(
    cycle: SessionCycle, agency_a: Agency
) -> None:
    rule = pf.DeadlineRuleFactory(council=cycle.council, counting=WORK, days=10)
    petition = pf.PetitionFactory(
        raised_in=cycle,
        status=PetitionStatus.ASSIGNED,
        lead_agency=agency_a,
        deadline_rule=rule,
        due_on=dt.date(2026, 2, 12),
    )
    state = deadline_state(petition, today=dt.date(2026, 2, 24))
    assert state is not None
    assert (state.overdue, state.days, state.working_days) == (True, 12, 3)
    petition.status = PetitionStatus.ANSWERED
    assert deadline_state(petition, today=dt.date(2026, 2, 24)) is None


# The rules themselves.


def test_a_new_rule_replaces_the_old_one_from_today(
    time_machine: Any, city_council: Council, city_staff: User, deadline_rules: dict[str, Any]
) -> None:
    time_machine.move_to(dt.datetime(2026, 6, 1, 2, 0, tzinfo=dt.UTC), tick=False)
    old = deadline_rules[RouteKind.OWN_AGENCY]
    new = set_deadline_rule(
        council_id=city_council.pk,
        route=RouteKind.OWN_AGENCY,
        days=20,
        counting=WORK,
        remind_days_before=3,
        escalate_days_after=5,
        legal_basis="Quy chế phối hợp 2026",
        actor=city_staff,
    )
    old.refresh_from_db()
    assert old.valid_until == dt.date(2026, 5, 31)
    assert (new.days, new.counting, new.valid_from, new.valid_until) == (
        20,
        WORK,
        dt.date(2026, 6, 1),
        None,
    )
    assert (
        DeadlineRule.objects.filter(council=city_council, route=RouteKind.OWN_AGENCY).count() == 2
    )
    assert AuditEvent.objects.filter(action="petitions.deadline_rule.set").count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"days": 0}, "days"),
        ({"days": 400}, "days"),
        ({"counting": "lunar"}, "counting"),
        ({"route": "somewhere"}, "route"),
        ({"remind_days_before": -1}, "remind_days_before"),
        ({"escalate_days_after": 1000}, "escalate_days_after"),
    ],
)
def test_a_rule_out_of_bounds_is_refused_field_by_field(
    city_council: Council, city_staff: User, change: dict[str, Any], field: str
) -> None:
    values: dict[str, Any] = {
        "route": RouteKind.OWN_AGENCY,
        "days": 30,
        "counting": CAL,
        "remind_days_before": 5,
        "escalate_days_after": 0,
        "legal_basis": "",
    }
    values.update(change)
    with pytest.raises(DomainError) as refused:
        set_deadline_rule(council_id=city_council.pk, actor=city_staff, **values)
    assert list(refused.value.fields) == [field]
    assert not DeadlineRule.objects.exists()


def test_the_same_rule_again_changes_nothing(
    city_council: Council, city_staff: User, deadline_rules: dict[str, DeadlineRule]
) -> None:
    rule = deadline_rules[RouteKind.CENTRAL]
    with translation.override("en"), pytest.raises(DomainError, match="already in force"):
        set_deadline_rule(
            council_id=city_council.pk,
            route=rule.route,
            days=rule.days,
            counting=rule.counting,
            remind_days_before=rule.remind_days_before,
            escalate_days_after=rule.escalate_days_after,
            legal_basis=rule.legal_basis,
            actor=city_staff,
        )
