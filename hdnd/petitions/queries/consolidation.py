"""Reads for consolidation: the review queue of duplicate suggestions, the voter items
waiting to be consolidated, and the petitions a petition may be merged with."""

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from hdnd.lib.vietnamese import search_terms
from hdnd.petitions import duplicates
from hdnd.petitions.models import (
    DuplicateSuggestion,
    Petition,
    PetitionStatus,
    SuggestionStatus,
    TriageStatus,
    VoterItem,
)
from hdnd.petitions.services.common import ALLOWED_FROM

# How deep the queue follows "merged into" to show where a suggested petition lives now
# (a deeper chain shows the petition as merged, and a person decides by hand).
_MERGED_CHAIN = "candidate__merged_into__merged_into"


def free_items(*, council_id: int) -> QuerySet[VoterItem]:
    """Accepted voter items not yet in any petition, oldest first."""
    return VoterItem.objects.filter(
        council_id=council_id, triage_status=TriageStatus.ACCEPTED, petition__isnull=True
    )


def items_with_suggestions(*, council_id: int) -> QuerySet[VoterItem]:
    """The review queue: items waiting for consolidation that the machine thinks repeat
    a petition, oldest first, each with its pending suggestions (best first) in
    `pending`. A fixed number of queries, however long the page."""
    pending = (
        DuplicateSuggestion.objects.filter(status=SuggestionStatus.PENDING)
        .select_related(_MERGED_CHAIN, "candidate__field", "candidate__lead_agency")
        .order_by("-score", "id")
    )
    return (
        free_items(council_id=council_id)
        .filter(duplicate_suggestions__status=SuggestionStatus.PENDING)
        .annotate(pending_count=Count("duplicate_suggestions"))
        .select_related("meeting__unit", "unit", "field")
        .prefetch_related(Prefetch("duplicate_suggestions", queryset=pending, to_attr="pending"))
        .order_by("received_on", "id")
    )


def items_to_consolidate(*, council_id: int) -> QuerySet[VoterItem]:
    """Accepted items not yet in a petition, oldest first, for "Consolidate selected"."""
    return (
        free_items(council_id=council_id)
        .select_related("meeting__unit", "unit", "field")
        .order_by("received_on", "id")
    )


def items_like(*, council_id: int, item_id: int, limit: int = 20) -> list[VoterItem]:
    """A free item and the free items that probably ask the same, most similar first
    (to consolidate together); empty if the item is not free."""
    free = items_to_consolidate(council_id=council_id)
    item = free.filter(id=item_id).first()
    if item is None:
        return []
    matches = duplicates.similar_items(
        council_id=council_id, text=item.text, limit=limit, exclude_ids=[item.pk]
    )
    by_id = free.in_bulk([match.item_id for match in matches])
    return [item, *(by_id[match.item_id] for match in matches if match.item_id in by_id)]


def where_now(suggestion: DuplicateSuggestion) -> Petition | None:
    """The petition a suggestion's candidate lives on as (itself or the petition it was
    merged into), from what the queue loaded; None when that is further than loaded."""
    petition = suggestion.candidate
    for _step in range(3):
        if petition.status != PetitionStatus.MERGED:
            return petition
        if petition.merged_into is None:
            return None
        petition = petition.merged_into
    return None


def pending_for_petition(*, petition_id: int) -> QuerySet[DuplicateSuggestion]:
    """Items waiting for consolidation that the machine thinks repeat this petition."""
    return (
        DuplicateSuggestion.objects.filter(
            candidate_id=petition_id,
            status=SuggestionStatus.PENDING,
            item__petition__isnull=True,
            item__triage_status=TriageStatus.ACCEPTED,
        )
        .select_related("item")
        .order_by("-score", "id")
    )


def merge_candidates(*, petition: Petition, query: str, limit: int = 20) -> list[Petition]:
    """Petitions of the same council that may be merged into `petition`: those matching
    the search (code or words), or else the most similar ones."""
    mergeable = (
        Petition.objects.filter(council_id=petition.council_id, status__in=ALLOWED_FROM["merge"])
        .exclude(id=petition.pk)
        .select_related("field", "lead_agency", "current_cycle")
    )
    terms = search_terms(query)
    if terms:
        found = mergeable
        for term in terms:
            found = found.filter(Q(search_text__contains=term) | Q(code__iexact=term))
        return list(found.order_by("-created_at", "-id")[:limit])
    matches = duplicates.similar_petitions(
        council_id=petition.council_id,
        text=f"{petition.title}\n{petition.text}",
        limit=limit,
        exclude_ids=[petition.pk],
    )
    by_id = mergeable.in_bulk([match.petition_id for match in matches])
    return [by_id[match.petition_id] for match in matches if match.petition_id in by_id]


def similar_to_petition(*, petition: Petition, limit: int = 5) -> list[duplicates.Match]:
    """The petitions most like this one (the panel on the petition page)."""
    return duplicates.similar_petitions(
        council_id=petition.council_id,
        text=f"{petition.title}\n{petition.text}",
        limit=limit,
        exclude_ids=[petition.pk],
    )


def petition_items(*, petition: Petition) -> QuerySet[VoterItem]:
    """The petition's voter items, for choosing which to split off."""
    return (
        VoterItem.objects.filter(petition=petition)
        .select_related("meeting__unit", "unit")
        .order_by("received_on", "id")
    )


def summary(*, council_id: int) -> dict[str, Any]:
    """Counts shown at the top of the review queue."""
    free = free_items(council_id=council_id)
    return {
        "free_items": free.count(),
        "pending_suggestions": DuplicateSuggestion.objects.filter(
            council_id=council_id,
            status=SuggestionStatus.PENDING,
            item__in=free,
        ).count(),
    }
