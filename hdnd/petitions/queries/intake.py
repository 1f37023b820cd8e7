"""Reads for receiving voter items: the cycle an item belongs to, the places a council
covers, the triage queue and the item pages."""

import datetime as dt
from typing import Any

from django.db.models import Case, Count, Prefetch, Q, QuerySet, Value, When

from hdnd.councils.models import AdministrativeUnit, Council, UnitLevel
from hdnd.lib.vietnamese import search_terms
from hdnd.petitions.models import (
    ContactMeeting,
    Petition,
    SessionCycle,
    SpotAnswer,
    TriageStatus,
    VoterItem,
)


def cycle_for(*, council_id: int, on: dt.date) -> SessionCycle | None:
    """The session cycle an item received on `on` is reported in: the council's nearest
    session on or after that day, else its latest one (None if it has none yet)."""
    cycles = SessionCycle.objects.filter(council_id=council_id)
    upcoming = cycles.filter(session_date__gte=on).order_by("session_date", "id").first()
    if upcoming is not None:
        return upcoming
    return cycles.order_by("-session_date", "-id").first()


def council_units(*, council: Council) -> QuerySet[AdministrativeUnit]:
    """The places a council's items and meetings may be in: its own unit and, for a
    province or city, its current communes and wards."""
    own_unit_first = Case(When(id=council.unit_id, then=Value(0)), default=Value(1))
    return AdministrativeUnit.objects.filter(
        Q(id=council.unit_id)
        | Q(parent_id=council.unit_id, level=UnitLevel.COMMUNE, valid_until__isnull=True)
    ).order_by(own_unit_first, "name")


TRIAGE_STATUS_FILTERS = {
    "new": Q(triage_status=TriageStatus.NEW),
    "redirected": Q(triage_status=TriageStatus.REDIRECTED),
    "accepted": Q(triage_status=TriageStatus.ACCEPTED, petition__isnull=True),
}


def triage_queue(
    *,
    council_id: int,
    status: str = "new",
    kind: str = "",
    channel: str = "",
    query: str = "",
) -> QuerySet[VoterItem]:
    """Voter items waiting for a triage decision (or, with `status`, those redirected or
    accepted but not yet consolidated), oldest first so nothing waits forever."""
    items = VoterItem.objects.filter(council_id=council_id).filter(
        TRIAGE_STATUS_FILTERS.get(status, TRIAGE_STATUS_FILTERS["new"])
    )
    if kind:
        items = items.filter(kind=kind)
    if channel:
        items = items.filter(channel=channel)
    for term in search_terms(query):
        items = items.filter(Q(search_text__contains=term) | Q(code__iexact=term))
    return items.select_related("meeting", "unit", "field").order_by("received_on", "id")


def triage_counts(*, council_id: int) -> dict[str, int]:
    """How many items each triage tab holds."""
    totals = VoterItem.objects.filter(council_id=council_id).aggregate(
        **{name: Count("id", filter=condition) for name, condition in TRIAGE_STATUS_FILTERS.items()}
    )
    return {name: totals[name] or 0 for name in TRIAGE_STATUS_FILTERS}


def item_for_edit(*, item_id: int) -> VoterItem | None:
    return (
        VoterItem.objects.select_related("council__unit", "meeting", "petition", "unit", "field")
        .prefetch_related("tags")
        .filter(id=item_id)
        .first()
    )


def tag_text(item: VoterItem) -> str:
    """The item's tags as the comma-separated text the edit form shows."""
    return ", ".join(tag.name for tag in item.tags.all())


def petition_source_items(*, petition: Petition) -> list[VoterItem]:
    """The voter items consolidated into a petition, in the order they came in. Uses
    the page's prefetch when there is one."""
    cache: dict[str, Any] = getattr(petition, "_prefetched_objects_cache", {})
    if "items" in cache:
        return list(cache["items"])
    return list(
        VoterItem.objects.filter(petition=petition)
        .select_related("meeting__unit", "unit")
        .order_by("received_on", "id")
    )


def petition_meetings(*, petition: Petition) -> list[ContactMeeting]:
    """The meetings a petition's items were raised at, each with the answers given there
    to the whole meeting or to one of the petition's items."""
    answers = SpotAnswer.objects.filter(Q(item__isnull=True) | Q(item__petition=petition))
    return list(
        ContactMeeting.objects.filter(items__petition=petition)
        .distinct()
        .select_related("unit", "cycle")
        .prefetch_related(
            Prefetch(
                "spot_answers",
                queryset=answers.select_related("agency", "item").order_by("id"),
            )
        )
        .order_by("starts_at", "id")
    )
