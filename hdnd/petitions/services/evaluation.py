"""Evaluation and supervision: the committee in charge rates each answer; what follows is
closing, monitoring the roadmap, re-supervision or a questioning topic (NQ 594); open
petitions carry over from one session to the next, across terms too.

| verdict        | decision    | allowed when the answer's result is | petition becomes   |
|----------------|-------------|-------------------------------------|--------------------|
| satisfactory   | close       | resolved, explained                 | RESOLVED           |
| satisfactory   | monitor     | in progress, will resolve           | MONITORING         |
| any other      | resupervise | any (a comment is required)         | REOPENED, new due  |
| any other      | questioning | any (a comment is required)         | REOPENED, flagged  |

The standing committee or the office may also flag a questioning topic on its own; the
committee in charge or the standing committee may take the flag off, with a reason.
"""

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from hdnd.core.audit import record_event
from hdnd.core.errors import DomainError, NotFound
from hdnd.petitions.models import (
    Answer,
    DeadlineRule,
    Decision,
    EventKind,
    NotificationKind,
    Petition,
    PetitionEvent,
    PetitionStatus,
    Rating,
    ResultCategory,
    RouteKind,
    SessionCycle,
    Verdict,
)
from hdnd.petitions.queries.evaluation import carry_over_candidates
from hdnd.petitions.queries.routing import deadline_rule_in_force
from hdnd.petitions.services import deadlines
from hdnd.petitions.services.answers import agency_responders, clean_text
from hdnd.petitions.services.common import (
    lock_petition,
    log,
    require_state,
    save_petition,
)

# The results a satisfactory answer may be closed with, or kept under monitoring with.
CLOSABLE_RESULTS = frozenset({ResultCategory.RESOLVED, ResultCategory.EXPLAINED})
MONITORED_RESULTS = frozenset({ResultCategory.IN_PROGRESS, ResultCategory.WILL_RESOLVE})
REOPENING_DECISIONS = frozenset({Decision.RESUPERVISE, Decision.QUESTIONING})


def rate_answer(
    *,
    petition_id: int,
    expected_version: int | None,
    verdict: str,
    decision: str,
    comment: str,
    actor: Any,
) -> Rating:
    """Record the committee's evaluation of the current answer and act on it."""
    comment = clean_text(comment)
    _check_rating(verdict=verdict, decision=decision, comment=comment)
    with transaction.atomic():
        petition = lock_petition(petition_id, expected_version=expected_version)
        require_state(petition, "rate")
        answer = Answer.objects.filter(petition=petition, is_current=True).first()
        if answer is None:
            raise DomainError(_("This petition has no answer to evaluate."))
        _check_against_result(verdict=verdict, decision=decision, result=answer.result)
        now = timezone.now()
        rating = Rating.objects.create(
            answer=answer,
            petition=petition,
            committee_id=petition.committee_id,
            verdict=verdict,
            decision=decision,
            comment=comment,
            rated_by=actor if getattr(actor, "pk", None) else None,
            rated_at=now,
        )
        previous_status = petition.status
        petition.verdict = verdict
        fields = ["status", "verdict"]
        if decision == Decision.CLOSE:
            petition.status = PetitionStatus.RESOLVED
        elif decision == Decision.MONITOR:
            petition.status = PetitionStatus.MONITORING
        else:
            fields += _reopen(petition, today=timezone.localdate(now))
            if decision == Decision.QUESTIONING:
                petition.is_questioning_topic = True
                fields.append("is_questioning_topic")
        save_petition(petition, fields)
        log(
            petition,
            actor=actor,
            kind=EventKind.RATED,
            summary=_("%(verdict)s — %(decision)s")
            % {"verdict": rating.get_verdict_display(), "decision": rating.get_decision_display()},
            details={"rating_id": rating.pk, "verdict": verdict, "decision": decision},
            audit_changes={
                "rating_id": rating.pk,
                "status": [previous_status, petition.status],
                "verdict": verdict,
                "decision": decision,
            },
        )
        _log_outcome(petition, rating=rating, actor=actor)
    return rating


def flag_questioning_topic(
    *, petition_id: int, expected_version: int | None, actor: Any, note: str = ""
) -> Petition:
    """Propose the petition as a questioning topic for the next session, without
    evaluating its answer again."""
    note = clean_text(note)
    with transaction.atomic():
        petition = lock_petition(petition_id, expected_version=expected_version)
        require_state(petition, "flag_questioning")
        if petition.is_questioning_topic:
            raise DomainError(_("This petition is already a questioning topic."))
        petition.is_questioning_topic = True
        save_petition(petition, ["is_questioning_topic"])
        log(
            petition,
            actor=actor,
            kind=EventKind.QUESTIONING,
            summary=note or _("Flagged as a questioning topic"),
            details={"note": note},
        )
    return petition


def unflag_questioning_topic(
    *, petition_id: int, expected_version: int | None, reason: str, actor: Any
) -> Petition:
    """Take the petition off the questioning topics (the committee in charge or the
    standing committee decides), saying why; the flag's history stays on the timeline."""
    reason = clean_text(reason)
    if not reason:
        message = _("Say why the petition is no longer a questioning topic.")
        raise DomainError(message, fields={"reason": [message]})
    with transaction.atomic():
        petition = lock_petition(petition_id, expected_version=expected_version)
        if not petition.is_questioning_topic:
            raise DomainError(_("This petition is not a questioning topic."))
        require_state(petition, "unflag_questioning")
        petition.is_questioning_topic = False
        save_petition(petition, ["is_questioning_topic"])
        log(
            petition,
            actor=actor,
            kind=EventKind.UNQUESTIONED,
            summary=reason,
            details={"reason": reason},
            audit_changes={"is_questioning_topic": [True, False], "reason": reason},
        )
    return petition


def carry_over(*, council_id: int, from_cycle_id: int, to_cycle_id: int, actor: Any) -> int:
    """Move every open petition of one session cycle to a later one (of the same council,
    possibly in a later term). Returns how many moved."""
    with transaction.atomic():
        source, target = check_carry_over(
            council_id=council_id, from_cycle_id=from_cycle_id, to_cycle_id=to_cycle_id
        )
        ids = list(
            carry_over_candidates(council_id=council_id, cycle_id=source.pk)
            .select_for_update()
            .order_by("id")
            .values_list("id", flat=True)
        )
        if not ids:
            return 0
        now = timezone.now()
        Petition.objects.filter(id__in=ids).update(
            current_cycle_id=target.pk, version=F("version") + 1, updated_at=now
        )
        real_actor = actor if getattr(actor, "pk", None) else None
        summary = _("Carried over from %(source)s to %(target)s") % {
            "source": source.name,
            "target": target.name,
        }
        PetitionEvent.objects.bulk_create(
            PetitionEvent(
                petition_id=petition_id,
                kind=EventKind.CARRIED_OVER,
                occurred_at=now,
                actor=real_actor,
                summary=summary,
                details={"from_cycle_id": source.pk, "to_cycle_id": target.pk},
            )
            for petition_id in ids
        )
        record_event(
            actor=actor,
            action="petition.carried_over",
            obj=target,
            council=target.council,
            summary=summary,
            changes={
                "from_cycle_id": source.pk,
                "to_cycle_id": target.pk,
                "count": len(ids),
                "petition_ids": ids,
            },
        )
    return len(ids)


def check_carry_over(
    *, council_id: int, from_cycle_id: int, to_cycle_id: int
) -> tuple[SessionCycle, SessionCycle]:
    """The two cycles, refused unless the target is a later cycle of the same council."""
    cycles = {
        cycle.pk: cycle
        for cycle in SessionCycle.objects.select_related("council", "term").filter(
            council_id=council_id, id__in=[from_cycle_id, to_cycle_id]
        )
    }
    source, target = cycles.get(from_cycle_id), cycles.get(to_cycle_id)
    if source is None or target is None:
        raise NotFound(_("This session cycle does not exist."))
    if target.session_date <= source.session_date:
        raise DomainError(
            _("Petitions carry over to a later session only."),
            fields={"to_cycle": [_("Choose a session held after %(name)s.") % {"name": source}]},
        )
    return source, target


def reopened_deadline(
    *, council_id: int, start: dt.date
) -> tuple[DeadlineRule | None, dt.date | None]:
    """The rule and due date for answering again: the council's re-supervision rule in
    force, else the rule for its own agencies; none when neither exists."""
    rule = deadline_rule_in_force(
        council_id=council_id, route=RouteKind.REOPENED, on=start
    ) or deadline_rule_in_force(council_id=council_id, route=RouteKind.OWN_AGENCY, on=start)
    if rule is None:
        return None, None
    return rule, deadlines.due_date_by_rule(rule, start=start)


# Helpers ------------------------------------------------------------------------------


def _check_rating(*, verdict: str, decision: str, comment: str) -> None:
    errors: dict[str, list[str]] = {}
    if verdict not in Verdict.values:
        errors["verdict"] = [_("Choose the evaluation.")]
    if decision not in Decision.values:
        errors["decision"] = [_("Choose what follows the evaluation.")]
    if errors:
        raise DomainError(_("Please correct the marked fields."), fields=errors)
    if verdict == Verdict.SATISFACTORY:
        if decision in REOPENING_DECISIONS:
            raise DomainError(
                _(
                    "A satisfactory answer is closed or kept under monitoring; to re-open it, "
                    "evaluate it as unsatisfactory."
                ),
                fields={"decision": [_("Close it, or keep monitoring the roadmap.")]},
            )
        return
    if not comment:
        raise DomainError(
            _("Explain why the answer is not satisfactory."),
            fields={"comment": [_("A comment is required for this evaluation.")]},
        )
    if decision not in REOPENING_DECISIONS:
        raise DomainError(
            _(
                "An unsatisfactory answer is re-opened for re-supervision or flagged as a "
                "questioning topic."
            ),
            fields={"decision": [_("Re-open it, or flag it as a questioning topic.")]},
        )


def _check_against_result(*, verdict: str, decision: str, result: str) -> None:
    if verdict != Verdict.SATISFACTORY:
        return
    if decision == Decision.CLOSE and result not in CLOSABLE_RESULTS:
        raise DomainError(
            _(
                "Only an answer that resolved the matter or explained it can be closed; this "
                "one is still to be carried out, so keep monitoring its roadmap."
            ),
            fields={"decision": [_("Keep monitoring the roadmap.")]},
        )
    if decision == Decision.MONITOR and result not in MONITORED_RESULTS:
        raise DomainError(
            _("Only an answer with work still to do can be kept under monitoring."),
            fields={"decision": [_("Close it as resolved.")]},
        )


def _reopen(petition: Petition, *, today: dt.date) -> list[str]:
    """Send the petition back to its lead agency with a new deadline."""
    if petition.lead_agency_id is None:
        raise DomainError(_("This petition has no lead agency to answer again; assign one first."))
    rule, due_on = reopened_deadline(council_id=petition.council_id, start=today)
    petition.status = PetitionStatus.REOPENED
    petition.deadline_rule = rule
    petition.assigned_on = today
    petition.due_on = due_on
    petition.escalated_on = None
    return ["deadline_rule", "assigned_on", "due_on", "escalated_on"]


def _log_outcome(petition: Petition, *, rating: Rating, actor: Any) -> None:
    if petition.status == PetitionStatus.RESOLVED:
        log(
            petition,
            actor=actor,
            kind=EventKind.RESOLVED,
            summary=_("Closed as resolved after a satisfactory answer"),
            details={"rating_id": rating.pk},
            is_public=True,
        )
        return
    if petition.status != PetitionStatus.REOPENED:
        return
    due = petition.due_on.strftime("%d/%m/%Y") if petition.due_on else "—"
    log(
        petition,
        actor=actor,
        kind=EventKind.REOPENED,
        summary=_("Re-opened for re-supervision; new answer due on %(due)s") % {"due": due},
        details={
            "rating_id": rating.pk,
            "due_on": petition.due_on.isoformat() if petition.due_on else None,
            "deadline_rule_id": petition.deadline_rule_id,
        },
    )
    if rating.decision == Decision.QUESTIONING:
        log(
            petition,
            actor=actor,
            kind=EventKind.QUESTIONING,
            summary=_("Flagged as a questioning topic after an unsatisfactory answer"),
            details={"rating_id": rating.pk},
        )
    deadlines.notify(
        petition=petition,
        user_ids=agency_responders(petition),
        kind=NotificationKind.REOPENED,
        message=deadlines.notice_text(
            petition, _("re-opened for re-supervision; answer again by %(due)s.") % {"due": due}
        ),
        due_on=petition.due_on,
    )
    deadlines.email_after_commit(petition.pk)
