"""Answer documents and answers: lists, the document page, the petition's answer panel,
and who may see or register which documents."""

from typing import Any

from django.db.models import Count, QuerySet

from hdnd.councils.models import Agency
from hdnd.petitions import access
from hdnd.petitions.models import Answer, AnswerDocument, Petition, SessionCycle
from hdnd.petitions.services.answers import publishable_answers

# Reads ---------------------------------------------------------------------------------


def document_agencies(*, user: Any, council_id: int) -> QuerySet[Agency]:
    """The agencies a user may register documents for."""
    agencies = Agency.objects.filter(council_id=council_id, is_active=True)
    if access.is_manager(user, council_id):
        return agencies
    return agencies.filter(id__in=access.responder_agency_ids(user))


def visible_documents(*, user: Any, council_id: int) -> QuerySet[AnswerDocument]:
    documents = AnswerDocument.objects.filter(council_id=council_id)
    if access.is_reader(user, council_id):
        return documents
    return documents.filter(agency_id__in=access.responder_agency_ids(user))


def document_list(documents: QuerySet[AnswerDocument]) -> QuerySet[AnswerDocument]:
    """What a row of the documents list shows, in a fixed number of queries."""
    return (
        documents.select_related("agency")
        .annotate(answer_count=Count("answers"))
        .order_by("-issued_on", "-id")
    )


def document_answers(document: AnswerDocument, *, user: Any) -> QuerySet[Answer]:
    """The answers given in the document, limited to the petitions the user may see."""
    petitions = access.visible_petitions(user=user, council_id=document.council_id)
    return (
        Answer.objects.filter(document=document, petition__in=petitions)
        .select_related("petition", "agency")
        .order_by("petition__code", "-answered_on")
    )


def answer_choices(*, user: Any, petition: Petition) -> QuerySet[AnswerDocument]:
    """The documents an answer to this petition may cite."""
    documents = AnswerDocument.objects.filter(council_id=petition.council_id)
    if access.is_manager(user, petition.council_id):
        return documents.select_related("agency")
    return documents.filter(agency_id__in=access.responder_agency_ids(user)).select_related(
        "agency"
    )


def petition_answers(petition: Petition) -> list[Answer]:
    """The petition's answers, newest first (from the page's prefetch when there is one)."""
    return sorted(
        petition.answers.all(), key=lambda answer: (answer.answered_on, answer.pk), reverse=True
    )


def current_answer(petition: Petition) -> Answer | None:
    return next((a for a in petition_answers(petition) if a.is_current), None)


def cycle_publishable_counts(*, council_id: int) -> list[tuple[SessionCycle, int]]:
    """Per session cycle of the council: how many evaluated answers wait for publishing."""
    rows = (
        publishable_answers(Answer.objects.filter(petition__council_id=council_id))
        .values("petition__current_cycle_id")
        .annotate(count=Count("id"))
        .order_by()
    )
    counts = {row["petition__current_cycle_id"]: row["count"] for row in rows}
    cycles = SessionCycle.objects.filter(council_id=council_id).order_by("-session_date")
    return [(cycle, counts.get(cycle.pk, 0)) for cycle in cycles]
