"""The routing table, the committees in charge of fields, the rules in force on a day,
the places a petition may move to, and who is told about a petition."""

import datetime as dt
from collections.abc import Iterable
from typing import TypeVar

from django.db.models import Q, QuerySet

from hdnd.accounts.models import Role, RoleAssignment
from hdnd.councils.models import Agency, Committee, Council, CouncilLevel
from hdnd.lib.periods import in_force_on
from hdnd.petitions.models import (
    CompetenceLevel,
    DeadlineRule,
    FieldCommittee,
    RoutingRule,
    SessionCycle,
)


def _valid_on(day: dt.date) -> Q:
    return in_force_on(day, start="valid_from", end="valid_until")


def routing_rule_in_force(
    *, council_id: int, field_id: int, level: str, on: dt.date
) -> RoutingRule | None:
    """The routing row in force on `on`; on the day a row replaced another, the newer one."""
    return (
        RoutingRule.objects.filter(_valid_on(on), council_id=council_id, field_id=field_id)
        .filter(level=level)
        .select_related("agency")
        .order_by("-valid_from", "-id")
        .first()
    )


def field_committee_in_force(
    *, council_id: int, field_id: int, on: dt.date
) -> FieldCommittee | None:
    return (
        FieldCommittee.objects.filter(_valid_on(on), council_id=council_id, field_id=field_id)
        .select_related("committee")
        .order_by("-valid_from", "-id")
        .first()
    )


def deadline_rule_in_force(*, council_id: int, route: str, on: dt.date) -> DeadlineRule | None:
    return (
        DeadlineRule.objects.filter(_valid_on(on), council_id=council_id, route=route)
        .order_by("-valid_from", "-id")
        .first()
    )


def council_tier_level(council: Council) -> str:
    """The competence level a council's own agencies answer for."""
    if council.level == CouncilLevel.PROVINCE:
        return CompetenceLevel.CITY
    return CompetenceLevel.COMMUNE


# Pages.


def routing_rules(*, council_id: int) -> QuerySet[RoutingRule]:
    """Every routing row of the council, newest first within each field and level."""
    return (
        RoutingRule.objects.filter(council_id=council_id)
        .select_related("field", "agency")
        .order_by("field__sort_order", "field__name", "level", "-valid_from", "-id")
    )


def field_committees(*, council_id: int) -> QuerySet[FieldCommittee]:
    return (
        FieldCommittee.objects.filter(council_id=council_id)
        .select_related("field", "committee")
        .order_by("field__sort_order", "field__name", "-valid_from", "-id")
    )


def deadline_rules(*, council_id: int) -> QuerySet[DeadlineRule]:
    return DeadlineRule.objects.filter(council_id=council_id).order_by(
        "route", "-valid_from", "-id"
    )


PeriodRow = TypeVar("PeriodRow", RoutingRule, FieldCommittee, DeadlineRule)


def split_current(
    rows: Iterable[PeriodRow], *, on: dt.date
) -> tuple[list[PeriodRow], list[PeriodRow]]:
    """(rows in force on `on`, the others), keeping the order they came in."""
    current: list[PeriodRow] = []
    other: list[PeriodRow] = []
    for row in rows:
        in_force = row.valid_from <= on and (row.valid_until is None or row.valid_until >= on)
        (current if in_force else other).append(row)
    return current, other


def council_agencies(*, council_id: int) -> QuerySet[Agency]:
    """The agencies a council may assign petitions to."""
    return Agency.objects.filter(council_id=council_id, is_active=True).order_by("name")


def council_committees(*, council_id: int) -> QuerySet[Committee]:
    return Committee.objects.filter(council_id=council_id, is_active=True).order_by("name")


def transfer_targets(*, council: Council) -> QuerySet[Council]:
    """Where a council's petition may move: its communes (for a city) or its city."""
    return (
        Council.objects.filter(Q(parent_id=council.pk) | Q(id=council.parent_id or 0))
        .select_related("unit")
        .order_by("level", "name")
    )


def receiving_cycle(*, council_id: int, on: dt.date) -> SessionCycle | None:
    """The cycle a petition arriving on `on` joins: the next session, or else the latest."""
    cycles = SessionCycle.objects.filter(council_id=council_id)
    upcoming = cycles.filter(session_date__gte=on).order_by("session_date", "id").first()
    return upcoming or cycles.order_by("-session_date", "-id").first()


# Who is told.


def role_holders(
    *,
    council_id: int,
    roles: Iterable[str],
    on: dt.date,
    agency_ids: Iterable[int] | None = None,
) -> QuerySet[RoleAssignment]:
    """Assignments in force of active users holding one of `roles` in the council."""
    assignments = RoleAssignment.objects.filter(
        in_force_on(on), council_id=council_id, role__in=list(roles), user__is_active=True
    )
    if agency_ids is not None:
        assignments = assignments.filter(agency_id__in=list(agency_ids))
    return assignments


def responder_ids(*, agency_id: int, on: dt.date) -> set[int]:
    """The users who answer for an agency (whatever council granted the role)."""
    return set(
        RoleAssignment.objects.filter(
            in_force_on(on),
            role=Role.AGENCY_RESPONDER,
            agency_id=agency_id,
            user__is_active=True,
        ).values_list("user_id", flat=True)
    )


OFFICE_ROLES = (Role.OFFICE_STAFF, Role.COMMUNE_OFFICER)


def office_staff_ids(*, council_id: int, on: dt.date) -> set[int]:
    return set(
        role_holders(council_id=council_id, roles=OFFICE_ROLES, on=on).values_list(
            "user_id", flat=True
        )
    )


def standing_committee_ids(*, council_id: int, on: dt.date) -> set[int]:
    return set(
        role_holders(council_id=council_id, roles=[Role.STANDING_COMMITTEE], on=on).values_list(
            "user_id", flat=True
        )
    )
