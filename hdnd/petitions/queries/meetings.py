"""Reads for voter-contact meetings: the council's list, one meeting's page, the
delegates who may attend and the groups a user leads."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from hdnd.councils.models import Council, DelegateGroup, GroupMember, GroupRole, Membership
from hdnd.lib.periods import in_force_on
from hdnd.lib.vietnamese import search_terms
from hdnd.petitions.models import ContactMeeting, SpotAnswer, VoterItem

# The delegate picker shows at most this many matches of a search at once.
DELEGATE_MATCHES = 60


def meeting_list(
    *, council_id: int, cycle_id: int | None = None, status: str = "", timing: str = ""
) -> QuerySet[ContactMeeting]:
    """The council's meetings, newest first, with what a list row shows (a fixed number
    of queries whatever the length)."""
    meetings = ContactMeeting.objects.filter(council_id=council_id)
    if cycle_id is not None:
        meetings = meetings.filter(cycle_id=cycle_id)
    if status:
        meetings = meetings.filter(status=status)
    if timing:
        meetings = meetings.filter(timing=timing)
    return (
        meetings.select_related("cycle", "unit", "delegate_group")
        .annotate(item_total=Count("items", distinct=True))
        .order_by("-starts_at", "-id")
    )


def meeting_page(*, meeting_id: int) -> ContactMeeting:
    """Everything the meeting page shows, loaded once."""
    return (
        ContactMeeting.objects.select_related(
            "council__unit", "term", "cycle", "unit", "delegate_group", "created_by"
        )
        .prefetch_related(
            Prefetch(
                "items",
                queryset=VoterItem.objects.select_related("unit", "field", "petition")
                .prefetch_related("tags")
                .order_by("id"),
            ),
            Prefetch(
                "spot_answers",
                queryset=SpotAnswer.objects.select_related("agency", "item").order_by("id"),
            ),
            Prefetch(
                "delegates_present",
                queryset=Membership.objects.select_related("person", "council__unit").order_by(
                    "council__level", "person__full_name"
                ),
            ),
        )
        .get(id=meeting_id)
    )


def council_tree_ids(*, council: Council) -> list[int]:
    """The council and the councils directly below it (a city's communes): their
    delegates meet voters together at joint meetings."""
    return [council.pk, *Council.objects.filter(parent_id=council.pk).values_list("id", flat=True)]


def eligible_memberships(*, council: Council) -> QuerySet[Membership]:
    """Seats whose holders may be recorded at the council's meetings."""
    return Membership.objects.filter(council_id__in=council_tree_ids(council=council))


def delegate_options(
    *,
    council: Council,
    on: dt.date | None = None,
    query: str = "",
    selected_ids: Iterable[int] = (),
) -> list[Membership]:
    """What the delegate picker offers: the chosen delegates, then the seats in force on
    `on` that match the search — without a search, the council's own delegates (a city
    has thousands of commune delegates; they are found by name or commune)."""
    day = on or timezone.localdate()
    chosen = [int(pk) for pk in selected_ids]
    seats = eligible_memberships(council=council).filter(in_force_on(day))
    terms = search_terms(query)
    if terms:
        for term in terms:
            seats = seats.filter(
                Q(person__search_text__contains=term) | Q(council__search_text__contains=term)
            )
    else:
        seats = seats.filter(council_id=council.pk)
    matches = list(
        seats.exclude(id__in=chosen)
        .select_related("person", "council__unit")
        .order_by("council__level", "council__name", "person__full_name")[:DELEGATE_MATCHES]
    )
    selected = list(
        Membership.objects.filter(id__in=chosen)
        .select_related("person", "council__unit")
        .order_by("council__level", "person__full_name")
    )
    return selected + matches


def led_groups(*, user: Any, council_id: int) -> QuerySet[DelegateGroup]:
    """The council's delegate groups the user leads (or deputises for) today."""
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        return DelegateGroup.objects.none()
    seats = GroupMember.objects.filter(
        membership__person_id=person_id, role__in=[GroupRole.LEADER, GroupRole.DEPUTY]
    ).filter(in_force_on(timezone.localdate(), prefix="membership__"))
    return DelegateGroup.objects.filter(
        council_id=council_id, id__in=seats.values("group_id")
    ).order_by("name")
