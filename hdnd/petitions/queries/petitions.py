"""Lists and pages of petitions and voter items."""

import datetime as dt
from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone

from hdnd.accounts.models import Role
from hdnd.accounts.roles import active_roles, is_platform_admin
from hdnd.councils.models import Council
from hdnd.lib.vietnamese import search_terms
from hdnd.petitions.models import (
    ANSWERED_STATES,
    AWAITING_ANSWER,
    Answer,
    Petition,
    PetitionEvent,
    PetitionRoute,
    VoterItem,
)

DUE_SOON_DAYS = 7


def petition_councils(user: Any) -> QuerySet[Council]:
    """The councils whose petition work the user takes part in."""
    if is_platform_admin(user):
        return Council.objects.filter(parent__isnull=True).select_related("unit")
    roles = {
        Role.OFFICE_STAFF,
        Role.COMMUNE_OFFICER,
        Role.STANDING_COMMITTEE,
        Role.COMMITTEE_MEMBER,
        Role.DELEGATE,
        Role.AGENCY_RESPONDER,
    }
    ids = active_roles(user).filter(role__in=roles).values_list("council_id", flat=True)
    return Council.objects.filter(id__in=ids).select_related("unit").order_by("level", "name")


def filter_petitions(petitions: QuerySet[Petition], filters: dict[str, Any]) -> QuerySet[Petition]:
    today = timezone.localdate()
    if filters.get("status"):
        petitions = petitions.filter(status=filters["status"])
    if filters.get("field"):
        petitions = petitions.filter(field=filters["field"])
    if filters.get("level"):
        petitions = petitions.filter(level=filters["level"])
    if filters.get("agency"):
        petitions = petitions.filter(lead_agency=filters["agency"])
    if filters.get("cycle"):
        petitions = petitions.filter(current_cycle=filters["cycle"])
    if filters.get("due") == "overdue":
        petitions = petitions.filter(status__in=AWAITING_ANSWER, due_on__lt=today)
    elif filters.get("due") == "due_soon":
        petitions = petitions.filter(
            status__in=AWAITING_ANSWER,
            due_on__gte=today,
            due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS),
        )
    if filters.get("unit"):
        petitions = petitions.filter(unit=filters["unit"])
    if filters.get("state") == "answered":
        petitions = petitions.filter(status__in=ANSWERED_STATES)
    elif filters.get("state") == "awaiting":
        petitions = petitions.filter(status__in=AWAITING_ANSWER)
    if filters.get("timing"):
        petitions = petitions.filter(answered_on_time=filters["timing"] == "on_time")
    if filters.get("result"):
        petitions = petitions.filter(result=filters["result"])
    if filters.get("verdict"):
        petitions = petitions.filter(verdict=filters["verdict"])
    if filters.get("questioning"):
        petitions = petitions.filter(is_questioning_topic=True)
    if filters.get("carried_over"):
        petitions = petitions.exclude(raised_in=F("current_cycle"))
    for term in search_terms(filters.get("q") or ""):
        petitions = petitions.filter(Q(search_text__contains=term) | Q(code__iexact=term))
    return petitions


def petition_list(petitions: QuerySet[Petition]) -> QuerySet[Petition]:
    """What a list row shows, in a fixed number of queries."""
    return petitions.select_related("field", "lead_agency", "current_cycle").order_by(
        "-created_at", "-id"
    )


def petition_page(*, petition_id: int) -> Petition:
    """Everything the petition page shows, loaded once."""
    return (
        Petition.objects.select_related(
            "council__unit",
            "field",
            "unit",
            "lead_agency",
            "committee",
            "raised_in",
            "current_cycle",
            "deadline_rule",
            "predecessor__council",
            "merged_into",
        )
        .prefetch_related(
            "tags",
            "coordinating_agencies",
            Prefetch(
                "items",
                queryset=VoterItem.objects.select_related("meeting__unit", "unit").order_by(
                    "received_on", "id"
                ),
            ),
            Prefetch(
                "answers",
                queryset=Answer.objects.select_related("agency", "document").order_by(
                    "-answered_on", "-id"
                ),
            ),
            Prefetch(
                "routes", queryset=PetitionRoute.objects.select_related("agency", "assigned_by")
            ),
            Prefetch(
                "events",
                queryset=PetitionEvent.objects.select_related("actor").order_by(
                    "occurred_at", "id"
                ),
            ),
            Prefetch("successors", queryset=Petition.objects.select_related("council")),
        )
        .get(id=petition_id)
    )


def days_overdue(petition: Petition, *, today: dt.date | None = None) -> int:
    """Days past the deadline while the petition still waits for its answer (0 if not)."""
    today = today or timezone.localdate()
    if petition.status not in AWAITING_ANSWER or petition.due_on is None:
        return 0
    return max(0, (today - petition.due_on).days)


def sessions_open(petition: Petition) -> int:
    """How many sessions the petition has been carried across ("kéo dài qua N kỳ họp")."""
    if petition.raised_in_id == petition.current_cycle_id:
        return 0
    return petition.council.petition_cycles.filter(
        session_date__gt=petition.raised_in.session_date,
        session_date__lte=petition.current_cycle.session_date,
    ).count()
