"""Reading written consultations: who may see them, the tally, who has not answered.

- The council's office prepares, opens and closes them, and sees who has not answered;
- the council's readers (its members, standing committee, committees) see the list, the
  question and, once closed, the result;
- a member with a seat in force answers (the service checks the seat).

The access rules are in hdnd/meetings/access.py.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from hdnd.councils.models import Membership
from hdnd.councils.queries.ordering import vietnamese_names
from hdnd.lib.periods import in_force_on
from hdnd.meetings.access import is_manager
from hdnd.meetings.models import (
    Consultation,
    ConsultationChoice,
    ConsultationResponse,
    ConsultationStatus,
)

# Who is asked ---------------------------------------------------------------------------


def seats_in_force(consultation: Consultation, day: dt.date) -> Any:
    """The council's seats of the consultation's term in force on `day`."""
    return Membership.objects.filter(
        council_id=consultation.council_id, term_id=consultation.term_id
    ).filter(in_force_on(day))


def member_seat(consultation: Consultation, user: Any) -> Membership | None:
    """The user's seat among those asked (in force today), if any."""
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        return None
    return seats_in_force(consultation, timezone.localdate()).filter(person_id=person_id).first()


def closes_early(consultation: Consultation) -> bool:
    """Whether closing it now would end it before its deadline for members who have not
    answered."""
    return (
        consultation.status == ConsultationStatus.OPEN
        and consultation.deadline > timezone.now()
        and consultation.responses.count() < consultation.total_members
    )


# Lists ---------------------------------------------------------------------------------


def council_consultations(*, user: Any, council_id: int) -> QuerySet[Consultation]:
    """The council's consultations; drafts only for the office."""
    consultations = Consultation.objects.filter(council_id=council_id).annotate(
        answered=Count("responses")
    )
    if not is_manager(user, council_id):
        consultations = consultations.exclude(status=ConsultationStatus.DRAFT)
    return consultations.order_by("-created_at", "-id")


def awaiting_my_answer(*, user: Any) -> list[Consultation]:
    """Open consultations the user is asked (a seat in force) and has not answered yet,
    soonest deadline first: what their meetings page puts in front of them."""
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        return []
    candidates = (
        Consultation.objects.filter(
            status=ConsultationStatus.OPEN,
            deadline__gt=timezone.now(),
            term__memberships__person_id=person_id,
        )
        .distinct()
        .select_related("council")
        .order_by("deadline", "id")
    )
    waiting = []
    for consultation in candidates:
        seat = member_seat(consultation, user)
        if seat is not None and not consultation.responses.filter(membership=seat).exists():
            waiting.append(consultation)
    return waiting


def my_response(*, consultation: Consultation, user: Any) -> ConsultationResponse | None:
    seat = member_seat(consultation, user)
    if seat is None:
        return None
    return ConsultationResponse.objects.filter(consultation=consultation, membership=seat).first()


def accepts_answers(consultation: Consultation) -> bool:
    return consultation.status == ConsultationStatus.OPEN and timezone.now() < consultation.deadline


# The tally -------------------------------------------------------------------------------


def percent(count: int, total: int) -> Decimal:
    """count / total as a percentage with two decimals (0 when nobody was asked)."""
    if total <= 0:
        return Decimal("0.00")
    return (Decimal(count) * 100 / Decimal(total)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ChoiceCount:
    choice: str
    label: str
    count: int
    percent: Decimal


@dataclass(frozen=True)
class Tally:
    total_members: int
    answered: int
    not_answered: int
    choices: list[ChoiceCount]
    not_answered_percent: Decimal

    def count(self, choice: str) -> int:
        return next(one.count for one in self.choices if one.choice == choice)


def tally(consultation: Consultation) -> Tally:
    """Counts and percentages of ALL the members asked (total_members frozen at the
    opening), not of those who answered."""
    counts = dict(consultation.responses.values_list("choice").annotate(n=Count("id")).order_by())
    total = consultation.total_members
    answered = sum(counts.values())
    choices = [
        ChoiceCount(
            choice=str(choice),
            label=str(label),
            count=counts.get(choice, 0),
            percent=percent(counts.get(choice, 0), total),
        )
        for choice, label in ConsultationChoice.choices
    ]
    not_answered = max(total - answered, 0)
    return Tally(
        total_members=total,
        answered=answered,
        not_answered=not_answered,
        choices=choices,
        not_answered_percent=percent(not_answered, total),
    )


def members_not_answered(consultation: Consultation) -> list[Membership]:
    """The seats asked (in force on the opening day) without an answer yet."""
    if consultation.opened_at is None:
        return []
    day = timezone.localdate(consultation.opened_at)
    return list(
        seats_in_force(consultation, day)
        .exclude(
            id__in=ConsultationResponse.objects.filter(consultation=consultation).values(
                "membership_id"
            )
        )
        .select_related("person")
        .order_by(*vietnamese_names("person__full_name"), "id")
    )


def responses(consultation: Consultation) -> list[ConsultationResponse]:
    return list(
        consultation.responses.select_related("membership__person").order_by(
            *vietnamese_names("membership__person__full_name"), "id"
        )
    )
