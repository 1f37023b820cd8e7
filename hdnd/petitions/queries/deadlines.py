"""Deadlines as people read them: what is due soon, what is overdue, by agency, how many
days are left on one petition, and a person's notifications."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from hdnd.lib.workdays import working_days_between
from hdnd.petitions.models import AWAITING_ANSWER, DayCounting, Notification, Petition

DUE_SOON_DAYS = 7


def _awaiting(*, council_id: int, agency_ids: Iterable[int] | None) -> QuerySet[Petition]:
    """Petitions of the council waiting for an answer; with `agency_ids`, only those the
    agencies lead or coordinate (what a responder sees)."""
    petitions = Petition.objects.filter(
        council_id=council_id, status__in=AWAITING_ANSWER, due_on__isnull=False
    )
    if agency_ids is not None:
        ids = list(agency_ids)
        coordinated = Petition.coordinating_agencies.through.objects.filter(
            agency_id__in=ids
        ).values("petition_id")
        petitions = petitions.filter(Q(lead_agency_id__in=ids) | Q(id__in=coordinated))
    return petitions


def _for_list(petitions: QuerySet[Petition]) -> QuerySet[Petition]:
    return petitions.select_related("field", "lead_agency", "deadline_rule")


def due_soon(
    *,
    council_id: int,
    days: int = DUE_SOON_DAYS,
    agency_ids: Iterable[int] | None = None,
    today: dt.date | None = None,
) -> QuerySet[Petition]:
    """Due today or within `days` calendar days, soonest first."""
    today = today or timezone.localdate()
    return _for_list(
        _awaiting(council_id=council_id, agency_ids=agency_ids).filter(
            due_on__gte=today, due_on__lte=today + dt.timedelta(days=days)
        )
    ).order_by("due_on", "id")


def overdue(
    *,
    council_id: int,
    agency_ids: Iterable[int] | None = None,
    today: dt.date | None = None,
) -> QuerySet[Petition]:
    """Past their deadline, the longest overdue first."""
    today = today or timezone.localdate()
    return _for_list(
        _awaiting(council_id=council_id, agency_ids=agency_ids).filter(due_on__lt=today)
    ).order_by("due_on", "id")


@dataclass(frozen=True)
class AgencyOverdue:
    agency_id: int | None
    agency_name: str
    count: int
    escalated: int


def overdue_by_agency(
    *,
    council_id: int,
    agency_ids: Iterable[int] | None = None,
    today: dt.date | None = None,
) -> list[AgencyOverdue]:
    """Overdue petitions per lead agency, most first, in one query. Forwarded petitions have
    no lead agency and count under `agency_id=None`. A responder sees only their agencies."""
    today = today or timezone.localdate()
    petitions = Petition.objects.filter(
        council_id=council_id, status__in=AWAITING_ANSWER, due_on__lt=today
    )
    if agency_ids is not None:
        petitions = petitions.filter(lead_agency_id__in=list(agency_ids))
    rows = (
        petitions.values("lead_agency_id", "lead_agency__name")
        .annotate(count=Count("id"), escalated=Count("id", filter=Q(escalated_on__isnull=False)))
        .order_by("-count", "lead_agency__name")
    )
    return [
        AgencyOverdue(
            agency_id=row["lead_agency_id"],
            agency_name=row["lead_agency__name"] or "",
            count=row["count"],
            escalated=row["escalated"],
        )
        for row in rows
    ]


@dataclass(frozen=True)
class DeadlineState:
    """How a petition stands against its deadline on one day."""

    due_on: dt.date
    overdue: bool
    # Calendar days left (0 on the due day) or, when overdue, days past it.
    days: int
    # With a working-day rule: working days left or past; else None.
    working_days: int | None

    @property
    def due_today(self) -> bool:
        return not self.overdue and self.days == 0


def deadline_state(petition: Petition, *, today: dt.date | None = None) -> DeadlineState | None:
    """None when the petition is not waiting for an answer or has no deadline. Counts
    working days (one query) only when the petition's rule counts them."""
    if petition.status not in AWAITING_ANSWER or petition.due_on is None:
        return None
    today = today or timezone.localdate()
    due_on = petition.due_on
    overdue = today > due_on
    rule = petition.deadline_rule
    working = None
    if rule is not None and rule.counting == DayCounting.WORKING:
        working = (
            working_days_between(due_on, today) if overdue else working_days_between(today, due_on)
        )
    return DeadlineState(
        due_on=due_on, overdue=overdue, days=abs((due_on - today).days), working_days=working
    )


def annotate_days(petitions: Iterable[Petition], *, today: dt.date | None = None) -> list[Any]:
    """(petition, calendar days left or past) for list rows; no query per row."""
    today = today or timezone.localdate()
    return [
        (petition, abs((petition.due_on - today).days) if petition.due_on else None)
        for petition in petitions
    ]


# Notifications.


def notifications_of(*, user: Any) -> QuerySet[Notification]:
    return (
        Notification.objects.filter(user_id=user.pk)
        .select_related("petition")
        .order_by(F("read_at").asc(nulls_first=True), "-created_at", "-id")
    )


def unread_count(*, user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user_id=user.pk, read_at__isnull=True).count()
