"""Official answers: the agency's answer documents (văn bản trả lời, with their digital
signature checked), the answer recorded for each petition, and its publication.

An answer is prepared first and published later: recording it moves the petition to
ANSWERED for the committee to evaluate; publishing makes it visible to voters.
"""

import datetime as dt
import unicodedata
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hdnd.accounts.models import Role, RoleAssignment
from hdnd.core.audit import record_event
from hdnd.core.errors import Conflict, DomainError, NotFound
from hdnd.councils.models import Agency
from hdnd.lib import uploads
from hdnd.lib.pdfsign import verify_pdf
from hdnd.lib.periods import in_force_on
from hdnd.lib.vietnamese import normalize
from hdnd.petitions.models import (
    Answer,
    AnswerDocument,
    EventKind,
    NotificationKind,
    Petition,
    PetitionEvent,
    PetitionStatus,
    Rating,
    ResultCategory,
    SessionCycle,
)
from hdnd.petitions.services import deadlines
from hdnd.petitions.services.common import (
    ALLOWED_FROM,
    lock_petition,
    log,
    require_state,
    save_petition,
)

# What the petition keeps from its current answer, for lists and the dashboard.
DENORMALISED_FIELDS = ["status", "answered_on", "answered_on_time", "result", "verdict"]


# Answer documents ----------------------------------------------------------------------


def check_pdf_upload(upload: "File[bytes]") -> None:
    """An answer document: a PDF by name and by content, within PETITIONS_MAX_UPLOAD_MB."""
    uploads.check_pdf_upload(upload, limit_mb=settings.PETITIONS_MAX_UPLOAD_MB)


def register_answer_document(
    *,
    council_id: int,
    agency_id: int | None,
    number: str,
    issued_on: dt.date,
    signer_name: str,
    signer_title: str = "",
    file: "File[bytes] | None" = None,
    actor: Any,
) -> AnswerDocument:
    """Record an answer document and check the digital signature of its PDF."""
    number = normalize(number)
    signer_name = normalize(signer_name)
    errors: dict[str, list[str]] = {}
    if not number:
        errors["number"] = [_("Enter the document's number and symbol.")]
    if not signer_name:
        errors["signer_name"] = [_("Enter who signed the document.")]
    if issued_on > timezone.localdate():
        errors["issued_on"] = [_("The issue date cannot be in the future.")]
    if errors:
        raise DomainError(_("Please correct the marked fields."), fields=errors)
    if file is not None:
        check_pdf_upload(file)
    # Checked before the transaction: reading a large PDF must not hold locks.
    result = verify_pdf(file) if file is not None else None
    with transaction.atomic():
        if (
            agency_id is not None
            and not Agency.objects.filter(id=agency_id, council_id=council_id).exists()
        ):
            raise DomainError(
                _("This agency does not answer to this council."),
                fields={"agency": [_("Choose one of the council's agencies.")]},
            )
        duplicate = AnswerDocument.objects.filter(council_id=council_id, number__iexact=number)
        if agency_id is None:
            duplicate = duplicate.filter(agency__isnull=True)
        else:
            duplicate = duplicate.filter(agency_id=agency_id)
        if duplicate.exists():
            raise Conflict(
                _("Document %(number)s of this agency is already registered.") % {"number": number},
                fields={"number": [_("Already registered.")]},
            )
        document = AnswerDocument(
            council_id=council_id,
            agency_id=agency_id,
            number=number,
            issued_on=issued_on,
            signer_name=signer_name,
            signer_title=normalize(signer_title),
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        if file is not None and result is not None:
            name = Path(file.name or "").name or "answer.pdf"
            document.file.save(name, file, save=False)
            document.signature_status = result.status
            document.signature_details = result.details
            document.signature_checked_at = timezone.now()
        try:
            with transaction.atomic():
                document.save(force_insert=True)
        except IntegrityError as exc:
            raise Conflict(
                _("Document %(number)s of this agency is already registered.") % {"number": number}
            ) from exc
        record_event(
            actor=actor,
            action="petitions.answer_document.create",
            obj=document,
            council=document.council,
            summary=_("Answer document %(number)s registered") % {"number": number},
            changes={"signature_status": document.signature_status},
        )
    return document


def verify_document_again(*, document_id: int, actor: Any) -> AnswerDocument:
    """Check the stored PDF's signature again (after the trusted CAs changed, say)."""
    with transaction.atomic():
        document = AnswerDocument.objects.select_for_update().filter(id=document_id).first()
        if document is None:
            raise NotFound(_("This answer document does not exist."))
        if not document.file:
            raise DomainError(_("This document has no file to check."))
        previous = document.signature_status
        with document.file.open("rb") as stored:
            result = verify_pdf(stored)
        document.signature_status = result.status
        document.signature_details = result.details
        document.signature_checked_at = timezone.now()
        document.save(
            update_fields=["signature_status", "signature_details", "signature_checked_at"]
        )
        record_event(
            actor=actor,
            action="petitions.answer_document.verify",
            obj=document,
            council=document.council,
            summary=_("Signature of %(number)s checked again") % {"number": document.number},
            changes={"signature_status": [previous, result.status]},
        )
    return document


# Answers ------------------------------------------------------------------------------


def record_answer(
    *,
    petition_id: int,
    expected_version: int | None,
    text: str,
    result: str,
    roadmap: str,
    planned_completion: dt.date | None,
    answered_on: dt.date,
    document_id: int | None = None,
    agency_id: int | None = None,
    actor: Any,
) -> Answer:
    """Record the agency's answer: it becomes the current one and waits for evaluation."""
    text, roadmap = clean_text(text), clean_text(roadmap)
    _check_answer(
        text=text, result=result, roadmap=roadmap, planned=planned_completion, on=answered_on
    )
    with transaction.atomic():
        petition = lock_petition(petition_id, expected_version=expected_version)
        require_state(petition, "answer")
        _check_document(petition, document_id)
        agency_id = _answering_agency(petition, agency_id)
        Answer.objects.filter(petition=petition, is_current=True).update(is_current=False)
        answer = Answer.objects.create(
            petition=petition,
            agency_id=agency_id,
            document_id=document_id,
            text=text,
            result=result,
            roadmap=roadmap,
            planned_completion=planned_completion,
            answered_on=answered_on,
            on_time=answered_in_time(answered_on, petition.due_on),
            is_current=True,
            prepared_by=actor if getattr(actor, "pk", None) else None,
        )
        previous_status = petition.status
        _denormalise(petition, answer)
        petition.answer_published_on = None
        save_petition(petition, [*DENORMALISED_FIELDS, "answer_published_on"])
        log(
            petition,
            actor=actor,
            kind=EventKind.ANSWERED,
            summary=_("Answer recorded: %(result)s") % {"result": answer.get_result_display()},
            details={
                "answer_id": answer.pk,
                "result": result,
                "on_time": answer.on_time,
                "document_id": document_id,
            },
            audit_changes={"status": [previous_status, petition.status], "answer_id": answer.pk},
        )
        deadlines.notify(
            petition=petition,
            user_ids=committee_members(petition),
            kind=NotificationKind.ANSWERED,
            message=deadlines.notice_text(
                petition, _("answered; the answer waits for your committee's evaluation.")
            ),
        )
        deadlines.email_after_commit(petition.pk)
    return answer


def revise_answer(
    *,
    petition_id: int,
    expected_version: int | None,
    text: str,
    result: str,
    roadmap: str,
    planned_completion: dt.date | None,
    answered_on: dt.date,
    document_id: int | None = None,
    actor: Any,
) -> Answer:
    """Correct the current answer before it is evaluated or published."""
    text, roadmap = clean_text(text), clean_text(roadmap)
    _check_answer(
        text=text, result=result, roadmap=roadmap, planned=planned_completion, on=answered_on
    )
    with transaction.atomic():
        petition = lock_petition(petition_id, expected_version=expected_version)
        require_state(petition, "revise_answer")
        answer = _current_answer(petition)
        if answer.published_at is not None:
            raise Conflict(_("A published answer can no longer be changed."))
        _check_document(petition, document_id)
        before = {"text": answer.text, "result": answer.result, "answered_on": answered_on}
        answer.text = text
        answer.result = result
        answer.roadmap = roadmap
        answer.planned_completion = planned_completion
        answer.answered_on = answered_on
        answer.document_id = document_id
        answer.on_time = answered_in_time(answered_on, petition.due_on)
        answer.save(
            update_fields=[
                "text",
                "result",
                "roadmap",
                "planned_completion",
                "answered_on",
                "document",
                "on_time",
            ]
        )
        _denormalise(petition, answer)
        save_petition(petition, DENORMALISED_FIELDS)
        log(
            petition,
            actor=actor,
            kind=EventKind.EDITED,
            summary=_("Answer revised"),
            details={"answer_id": answer.pk, "result": result},
            audit_changes={
                "answer_id": answer.pk,
                "result": [before["result"], result],
                "text_changed": before["text"] != text,
            },
        )
    return answer


def publish_answer(*, petition_id: int, expected_version: int | None, actor: Any) -> Answer:
    """Make the current answer public: voters see it on the lookup page."""
    with transaction.atomic():
        petition = lock_petition(petition_id, expected_version=expected_version)
        require_state(petition, "publish_answer")
        answer = _current_answer(petition)
        if answer.published_at is not None:
            raise Conflict(_("This answer is already published."))
        now = timezone.now()
        answer.published_at = now
        answer.published_by = actor if getattr(actor, "pk", None) else None
        answer.save(update_fields=["published_at", "published_by"])
        petition.answer_published_on = timezone.localdate(now)
        save_petition(petition, ["answer_published_on"])
        log(
            petition,
            actor=actor,
            kind=EventKind.PUBLISHED,
            summary=_("Answer published"),
            details={"answer_id": answer.pk},
            is_public=True,
        )
    return answer


def publish_cycle_answers(*, council_id: int, cycle_id: int, actor: Any) -> int:
    """Publish every evaluated, unpublished current answer of the petitions in a session
    cycle. One audit event for the batch; each petition's timeline gets its entry."""
    with transaction.atomic():
        cycle = SessionCycle.objects.filter(id=cycle_id, council_id=council_id).first()
        if cycle is None:
            raise NotFound(_("This session cycle does not exist."))
        petitions = {
            petition.pk: petition
            for petition in Petition.objects.select_for_update()
            .filter(
                council_id=council_id,
                current_cycle_id=cycle_id,
                status__in=ALLOWED_FROM["publish_answer"],
            )
            .order_by("id")
        }
        answers = list(
            publishable_answers(Answer.objects.filter(petition_id__in=list(petitions)))
            .select_for_update(of=("self",))
            .order_by("id")
        )
        if not answers:
            return 0
        now = timezone.now()
        real_actor = actor if getattr(actor, "pk", None) else None
        Answer.objects.filter(id__in=[a.pk for a in answers]).update(
            published_at=now, published_by=real_actor
        )
        ids = [answer.petition_id for answer in answers]
        Petition.objects.filter(id__in=ids).update(
            answer_published_on=timezone.localdate(now), version=F("version") + 1, updated_at=now
        )
        summary = _("Answer published")
        PetitionEvent.objects.bulk_create(
            PetitionEvent(
                petition_id=answer.petition_id,
                kind=EventKind.PUBLISHED,
                occurred_at=now,
                actor=real_actor,
                summary=summary,
                details={"answer_id": answer.pk, "cycle_id": cycle_id},
                is_public=True,
            )
            for answer in answers
        )
        record_event(
            actor=actor,
            action="petition.published_cycle",
            obj=cycle,
            council=cycle.council,
            summary=ngettext(
                "%(count)s answer of %(cycle)s published",
                "%(count)s answers of %(cycle)s published",
                len(answers),
            )
            % {"count": len(answers), "cycle": cycle.name},
            changes={"cycle_id": cycle_id, "petition_ids": ids},
        )
    return len(answers)


def publishable_answers(answers: QuerySet[Answer]) -> QuerySet[Answer]:
    """Current answers that have been evaluated and are not yet published."""
    return answers.filter(
        is_current=True,
        published_at__isnull=True,
        petition__status__in=ALLOWED_FROM["publish_answer"],
    ).filter(Exists(Rating.objects.filter(answer_id=OuterRef("pk"))))


# Shared with evaluation ----------------------------------------------------------------


def answered_in_time(answered_on: dt.date, due_on: dt.date | None) -> bool | None:
    """On time when answered on or before the due date; unknown without a due date."""
    if due_on is None:
        return None
    return answered_on <= due_on


def committee_members(petition: Petition) -> set[int]:
    """The users who sit on the committee in charge of the petition today."""
    if petition.committee_id is None:
        return set()
    return _holders(
        council_id=petition.council_id,
        role=Role.COMMITTEE_MEMBER,
        committee_id=petition.committee_id,
    )


def agency_responders(petition: Petition) -> set[int]:
    """The users who answer for the petition's lead agency today."""
    if petition.lead_agency_id is None:
        return set()
    return _holders(
        role=Role.AGENCY_RESPONDER,
        agency_id=petition.lead_agency_id,
    )


def _holders(**conditions: Any) -> set[int]:
    assignments = RoleAssignment.objects.filter(in_force_on(timezone.localdate()), **conditions)
    return set(assignments.values_list("user_id", flat=True))


# Helpers ------------------------------------------------------------------------------


def clean_text(text: str) -> str:
    """NFC, trimmed, paragraphs kept (normalize() would join the lines)."""
    text = unicodedata.normalize("NFC", text or "").replace("\r\n", "\n")
    return "\n".join(line.rstrip() for line in text.strip().split("\n"))


def _check_answer(
    *, text: str, result: str, roadmap: str, planned: dt.date | None, on: dt.date
) -> None:
    errors: dict[str, list[str]] = {}
    if not text:
        errors["text"] = [_("Enter the answer.")]
    if result not in ResultCategory.values:
        errors["result"] = [_("Choose the result of the answer.")]
    if result == ResultCategory.IN_PROGRESS:
        if not roadmap:
            errors["roadmap"] = [
                _("An answer “being resolved” must state the roadmap and resources.")
            ]
        if planned is None:
            errors["planned_completion"] = [
                _("An answer “being resolved” must state when it will be completed.")
            ]
    if on > timezone.localdate():
        errors["answered_on"] = [_("The answer date cannot be in the future.")]
    if planned is not None and planned < on:
        errors["planned_completion"] = [_("The planned completion cannot be before the answer.")]
    if errors:
        raise DomainError(_("Please correct the marked fields."), fields=errors)


def _check_document(petition: Petition, document_id: int | None) -> None:
    if document_id is None:
        return
    if not AnswerDocument.objects.filter(id=document_id, council_id=petition.council_id).exists():
        raise DomainError(
            _("This answer document is not registered with this council."),
            fields={"document": [_("Choose a registered answer document.")]},
        )


def _answering_agency(petition: Petition, agency_id: int | None) -> int | None:
    if agency_id is None:
        return petition.lead_agency_id
    if not Agency.objects.filter(id=agency_id, council_id=petition.council_id).exists():
        raise DomainError(
            _("This agency does not answer to this council."),
            fields={"agency": [_("Choose one of the council's agencies.")]},
        )
    return agency_id


def _current_answer(petition: Petition) -> Answer:
    answer = Answer.objects.select_for_update().filter(petition=petition, is_current=True).first()
    if answer is None:
        raise DomainError(_("This petition has no answer yet."))
    return answer


def _denormalise(petition: Petition, answer: Answer) -> None:
    petition.status = PetitionStatus.ANSWERED
    petition.answered_on = answer.answered_on
    petition.answered_on_time = answer.on_time
    petition.result = answer.result
    petition.verdict = ""
