"""Evaluation queue, ratings, questioning topics and carry-over previews."""

from typing import Any

from django.db.models import Prefetch, QuerySet

from hdnd.accounts.models import Role
from hdnd.accounts.roles import council_roles, is_platform_admin
from hdnd.petitions import access
from hdnd.petitions.models import (
    FINAL_STATES,
    Answer,
    Petition,
    PetitionStatus,
    Rating,
    SessionCycle,
    Verdict,
)
from hdnd.petitions.services.common import ALLOWED_FROM


def rates_everything(user: Any, council_id: int) -> bool:
    """The standing committee evaluates every field's answers."""
    if is_platform_admin(user):
        return True
    return Role.STANDING_COMMITTEE in council_roles(user, council_id)


def evaluation_queue(*, user: Any, council_id: int) -> QuerySet[Petition]:
    """Answered petitions waiting for evaluation: a committee member sees those of their
    committee; the standing committee and the council's other readers see all."""
    petitions = Petition.objects.filter(council_id=council_id, status=PetitionStatus.ANSWERED)
    if not rates_everything(user, council_id):
        committees = access.committee_ids(user)
        if committees:
            petitions = petitions.filter(committee_id__in=committees)
    return (
        petitions.select_related("field", "lead_agency", "committee", "current_cycle")
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=Answer.objects.filter(is_current=True).select_related(
                    "document", "agency"
                ),
                to_attr="current_answers",
            )
        )
        .order_by("answered_on", "id")
    )


def rateable_committee_ids(*, user: Any, council_id: int) -> set[int] | None:
    """The committees whose petitions the user may rate; None means every petition."""
    if rates_everything(user, council_id):
        return None
    return access.committee_ids(user)


def may_rate(petition: Petition, committees: set[int] | None) -> bool:
    if committees is None:
        return True
    return petition.committee_id is not None and petition.committee_id in committees


def petition_ratings(petition: Petition) -> list[Rating]:
    return list(
        Rating.objects.filter(petition=petition)
        .select_related("committee", "rated_by", "answer")
        .order_by("-rated_at", "-id")
    )


def questioning_topics(*, council_id: int, cycle_id: int | None = None) -> QuerySet[Petition]:
    """Open petitions flagged as questioning topics, with the evaluations that explain
    why (the unsatisfactory ones, newest first)."""
    petitions = Petition.objects.filter(council_id=council_id, is_questioning_topic=True).exclude(
        status__in=FINAL_STATES
    )
    if cycle_id is not None:
        petitions = petitions.filter(current_cycle_id=cycle_id)
    return (
        petitions.select_related("field", "lead_agency", "committee", "current_cycle", "raised_in")
        .prefetch_related(
            Prefetch(
                "ratings",
                queryset=Rating.objects.exclude(verdict=Verdict.SATISFACTORY).order_by(
                    "-rated_at", "-id"
                ),
                to_attr="objections",
            ),
            Prefetch(
                "answers",
                queryset=Answer.objects.filter(is_current=True).select_related("document"),
                to_attr="current_answers",
            ),
        )
        .order_by("committee__name", "field__sort_order", "code")
    )


def carry_over_candidates(*, council_id: int, cycle_id: int) -> QuerySet[Petition]:
    """The open petitions whose report is in the cycle: the ones a carry-over moves."""
    return Petition.objects.filter(
        council_id=council_id,
        current_cycle_id=cycle_id,
        status__in=ALLOWED_FROM["carry_over"],
    ).exclude(status__in=FINAL_STATES)


def council_cycles(*, council_id: int) -> QuerySet[SessionCycle]:
    return (
        SessionCycle.objects.filter(council_id=council_id)
        .select_related("term")
        .order_by("-session_date")
    )
