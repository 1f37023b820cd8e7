"""Written consultations (lấy ý kiến bằng văn bản): between sessions, the office asks the
council's members a question; each member answers agree, disagree or another opinion
(with a comment) by the deadline; closing the consultation fixes the result.

- The office creates it (draft), then opens it: the number of seats in force that day
  is frozen as `total_members`, the base of every percentage (as for votes, results
  count on ALL the members asked, not on those who answered).
- A member answers once (a database constraint) and may change the answer until the
  deadline or the close, whichever comes first.
- Closing is the office's: after it nothing changes.
"""

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hdnd.core.audit import record_event
from hdnd.core.errors import DomainError, NotFound, PermissionDenied
from hdnd.core.versions import check_version, save_versioned
from hdnd.councils.models import Council, Term
from hdnd.lib.vietnamese import normalize
from hdnd.meetings.models import (
    Consultation,
    ConsultationChoice,
    ConsultationResponse,
    ConsultationStatus,
)
from hdnd.meetings.queries.consultations import closes_early, member_seat, seats_in_force
from hdnd.meetings.services.common import NotAllowedNow
from hdnd.meetings.services.documents import check_upload


def current_term(council_id: int, day: dt.date | None = None) -> Term | None:
    day = day or timezone.localdate()
    return (
        Term.objects.filter(council_id=council_id, start_date__lte=day, end_date__gte=day)
        .order_by("-start_date")
        .first()
    )


def _log(
    consultation: Consultation, *, actor: Any, action: str, summary: str, **changes: Any
) -> None:
    record_event(
        actor=actor,
        action=f"consultation.{action}",
        obj=consultation,
        council=consultation.council,
        summary=summary,
        changes=changes,
    )


def _clean(
    *, title: str, question: str, deadline: dt.datetime | None
) -> tuple[str, str, dt.datetime]:
    title, question = normalize(title), (question or "").strip()
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("Enter the consultation's title.")]
    elif len(title) > 500:
        errors["title"] = [_("The title is longer than 500 characters.")]
    if not question:
        errors["question"] = [_("Enter the question the members answer.")]
    if deadline is None or timezone.is_naive(deadline):
        errors["deadline"] = [_("Enter the date and time by which members answer.")]
    elif deadline <= timezone.now():
        errors["deadline"] = [_("The deadline must be in the future.")]
    if errors or deadline is None:
        raise DomainError(_("Please correct the marked fields."), fields=errors)
    return title, question, deadline


def create_consultation(
    *,
    council_id: int,
    title: str,
    question: str,
    deadline: dt.datetime | None,
    document: "File[bytes] | None" = None,
    actor: Any,
) -> Consultation:
    """A draft consultation of the council's current term."""
    title, question, deadline_at = _clean(title=title, question=question, deadline=deadline)
    checked = check_upload(document) if document is not None else None
    council = Council.objects.filter(id=council_id).first()
    if council is None:
        raise NotFound(_("This council does not exist."))
    term = current_term(council_id)
    if term is None:
        raise NotAllowedNow(_("The council has no term in force today."))
    with transaction.atomic():
        consultation = Consultation(
            council=council,
            term=term,
            title=title,
            question=question,
            deadline=deadline_at,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        if checked is not None:
            consultation.document.save(Path(checked.filename).name, checked.file, save=False)
        consultation.save(force_insert=True)
        _log(
            consultation,
            actor=actor,
            action="create",
            summary=_("Written consultation prepared: %(title)s") % {"title": title},
        )
    return consultation


def _lock(consultation_id: int, expected_version: int | None) -> Consultation:
    consultation = (
        Consultation.objects.select_for_update(of=("self",))
        .select_related("council")
        .filter(id=consultation_id)
        .first()
    )
    if consultation is None:
        raise NotFound(_("This consultation does not exist."))
    check_version(consultation.version, expected_version)
    return consultation


def open_consultation(
    *, consultation_id: int, expected_version: int | None, actor: Any
) -> Consultation:
    """Send the question to the members: their number today is frozen."""
    with transaction.atomic():
        consultation = _lock(consultation_id, expected_version)
        if consultation.status != ConsultationStatus.DRAFT:
            raise NotAllowedNow(_("Only a draft consultation can be opened."))
        now = timezone.now()
        if consultation.deadline <= now:
            raise NotAllowedNow(_("The deadline has passed: set a later one first."))
        consultation.total_members = seats_in_force(consultation, timezone.localdate(now)).count()
        if consultation.total_members == 0:
            raise NotAllowedNow(_("The council has no members in force to ask."))
        consultation.status = ConsultationStatus.OPEN
        consultation.opened_at = now
        save_versioned(consultation, ["status", "opened_at", "total_members"])
        _log(
            consultation,
            actor=actor,
            action="open",
            summary=_("Written consultation opened: %(title)s") % {"title": consultation.title},
            total_members=consultation.total_members,
        )
    return consultation


def close_consultation(
    *, consultation_id: int, expected_version: int | None, actor: Any, early: bool = False
) -> Consultation:
    """End the consultation: the answers given so far are its result. Before the deadline,
    while members have not answered, only when the office says so (`early`): it ends the
    consultation for them."""
    with transaction.atomic():
        consultation = _lock(consultation_id, expected_version)
        if consultation.status != ConsultationStatus.OPEN:
            raise NotAllowedNow(_("Only an open consultation can be closed."))
        closing_early = closes_early(consultation)
        if closing_early and not early:
            raise NotAllowedNow(
                _(
                    "Some members have not answered and the deadline has not passed: tick "
                    "the box to close it early."
                )
            )
        consultation.status = ConsultationStatus.CLOSED
        consultation.closed_at = timezone.now()
        save_versioned(consultation, ["status", "closed_at"])
        counts = {
            choice: consultation.responses.filter(choice=choice).count()
            for choice in ConsultationChoice.values
        }
        _log(
            consultation,
            actor=actor,
            action="close",
            summary=_("Written consultation closed: %(title)s") % {"title": consultation.title},
            total_members=consultation.total_members,
            counts=counts,
            early=closing_early,
        )
    return consultation


def answer_consultation(
    *, consultation_id: int, user: Any, choice: str, comment: str = ""
) -> ConsultationResponse:
    """The member's answer (or their changed answer) while the consultation is open."""
    comment = (comment or "").strip()
    errors: dict[str, list[str]] = {}
    if choice not in ConsultationChoice.values:
        errors["choice"] = [_("Choose agree, disagree or another opinion.")]
    elif choice == ConsultationChoice.OTHER and not comment:
        errors["comment"] = [_("Write your opinion.")]
    if len(comment) > 5000:
        errors["comment"] = [_("The comment is longer than 5000 characters.")]
    if errors:
        raise DomainError(_("Please correct the marked fields."), fields=errors)
    with transaction.atomic():
        consultation = _lock(consultation_id, None)
        now = timezone.now()
        if consultation.status != ConsultationStatus.OPEN:
            raise NotAllowedNow(_("This consultation is not open for answers."))
        if now >= consultation.deadline:
            raise NotAllowedNow(_("The deadline for answers has passed."))
        seat = member_seat(consultation, user)
        if seat is None:
            raise PermissionDenied(_("Only the council's members answer this consultation."))
        response, created = ConsultationResponse.objects.update_or_create(
            consultation=consultation,
            membership=seat,
            defaults={
                "choice": choice,
                "comment": comment,
                "responded_at": now,
                "responded_by": user,
            },
        )
        _log(
            consultation,
            actor=user,
            action="answer" if created else "answer_change",
            summary=_("Answer to the written consultation recorded"),
            membership_id=seat.pk,
            choice=choice,
        )
    return response
