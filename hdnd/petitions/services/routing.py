"""Routing: the routing table and the committees in charge of fields, assigning a
petition to its agencies, re-routing it, changing its field or competence level, and
forwarding it to central level.

Every change of agency closes the open routing steps and opens new ones, so the
petition's routing history explains who had it when (FixMyStreet's category change
"resends to the new body"). Items of the other tier move with `transfers.transfer_petition`.
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hdnd.core.audit import record_event
from hdnd.core.errors import DomainError, NotFound
from hdnd.councils.models import Agency, Committee, Council
from hdnd.petitions.models import (
    AgencyRole,
    CompetenceLevel,
    EventKind,
    Field,
    FieldCommittee,
    NotificationKind,
    Petition,
    PetitionRoute,
    PetitionStatus,
    RouteKind,
    RoutingRule,
)
from hdnd.petitions.queries.routing import (
    council_tier_level,
    deadline_rule_in_force,
    field_committee_in_force,
    responder_ids,
    routing_rule_in_force,
)
from hdnd.petitions.services.common import (
    TransitionNotAllowed,
    lock_petition,
    log,
    require_state,
    save_petition,
)
from hdnd.petitions.services.deadlines import (
    CENTRAL_DEFAULT_DAYS,
    close_open_row,
    due_date,
    due_date_by_rule,
    email_after_commit,
    notice_text,
    notify,
    open_row,
)

ROUTED = frozenset({PetitionStatus.ASSIGNED, PetitionStatus.REOPENED})


# The routing table.


def propose_agency(*, petition: Petition, on: dt.date | None = None) -> RoutingRule | None:
    """The routing row in force for the petition's council, field and level (None when the
    petition is not classified yet or the table has no row for it)."""
    if petition.field_id is None or not petition.level:
        return None
    return routing_rule_in_force(
        council_id=petition.council_id,
        field_id=petition.field_id,
        level=petition.level,
        on=on or timezone.localdate(),
    )


def _council(council_id: int) -> Council:
    council = Council.objects.filter(id=council_id).first()
    if council is None:
        raise NotFound(_("This council does not exist."))
    return council


def _active_field(field_id: int) -> Field:
    field = Field.objects.filter(id=field_id, is_active=True).first()
    if field is None:
        raise DomainError(_("Choose a field."), fields={"field": [_("Unknown field.")]})
    return field


def set_routing_rule(
    *,
    council_id: int,
    field_id: int,
    level: str,
    agency_id: int | None,
    actor: Any,
    note: str = "",
) -> RoutingRule | None:
    """From today, petitions of this field and level go to `agency_id` (to nobody when it
    is None). The row in force is closed, never edited, so past routing stays explained."""
    today = timezone.localdate()
    if level not in (CompetenceLevel.CITY, CompetenceLevel.COMMUNE):
        raise DomainError(
            _("Central-level petitions are forwarded, not routed to an agency."),
            fields={"level": [_("Choose the city or commune level.")]},
        )
    with transaction.atomic():
        council = _council(council_id)
        field = _active_field(field_id)
        agency = None
        if agency_id is not None:
            agency = _own_agencies(council.pk, [agency_id], name="agency")[0]
        current = routing_rule_in_force(
            council_id=council.pk, field_id=field.pk, level=level, on=today
        )
        current_agency = current.agency_id if current is not None else None
        if current_agency == agency_id and (current is None or current.note == note.strip()):
            raise DomainError(_("The routing table already says this; nothing changes."))
        match = {"council_id": council.pk, "field_id": field.pk, "level": level}
        old = close_open_row(RoutingRule, match=match, on=today)
        new = None
        if agency is not None:
            values = {"agency": agency, "note": note.strip()[:300]}
            new = open_row(RoutingRule, match=match, values=values, on=today)
        level_label = CompetenceLevel(level).label
        record_event(
            actor=actor,
            action="petitions.routing_rule.set",
            obj=new or old,
            council=council,
            summary=(
                _("Routing: %(field)s (%(level)s) → %(agency)s")
                % {"field": field.name, "level": level_label, "agency": agency.name}
                if agency is not None
                else _("Routing: %(field)s (%(level)s) removed")
                % {"field": field.name, "level": level_label}
            ),
            changes={
                "field": field.pk,
                "level": level,
                "agency": [current_agency, agency_id],
                "replaces": old.pk if old is not None else None,
                "valid_from": today,
            },
        )
    return new


def set_field_committee(
    *, council_id: int, field_id: int, committee_id: int | None, actor: Any
) -> FieldCommittee | None:
    """From today, the committee `committee_id` (none when None) supervises the field."""
    today = timezone.localdate()
    with transaction.atomic():
        council = _council(council_id)
        field = _active_field(field_id)
        committee = None
        if committee_id is not None:
            committee = Committee.objects.filter(
                id=committee_id, council_id=council.pk, is_active=True
            ).first()
            if committee is None:
                raise DomainError(
                    _("Choose one of this council's committees."),
                    fields={"committee": [_("Not a committee of this council.")]},
                )
        current = field_committee_in_force(council_id=council.pk, field_id=field.pk, on=today)
        current_committee = current.committee_id if current is not None else None
        if current_committee == committee_id:
            raise DomainError(_("This committee is already in charge; nothing changes."))
        match = {"council_id": council.pk, "field_id": field.pk}
        old = close_open_row(FieldCommittee, match=match, on=today)
        new = None
        if committee is not None:
            new = open_row(FieldCommittee, match=match, values={"committee": committee}, on=today)
        record_event(
            actor=actor,
            action="petitions.field_committee.set",
            obj=new or old,
            council=council,
            summary=(
                _("Committee in charge of %(field)s: %(committee)s")
                % {"field": field.name, "committee": committee.name}
                if committee is not None
                else _("No committee in charge of %(field)s") % {"field": field.name}
            ),
            changes={
                "field": field.pk,
                "committee": [current_committee, committee_id],
                "replaces": old.pk if old is not None else None,
                "valid_from": today,
            },
        )
    return new


# Agencies of a petition.


def _own_agencies(council_id: int, agency_ids: Iterable[int], *, name: str) -> list[Agency]:
    """The agencies, in the order given, refusing any that is not an active agency of the
    council."""
    wanted = list(dict.fromkeys(agency_ids))
    found = {
        agency.pk: agency
        for agency in Agency.objects.filter(id__in=wanted, council_id=council_id, is_active=True)
    }
    if len(found) != len(wanted):
        raise DomainError(
            _("Choose agencies of this council only."),
            fields={name: [_("Not an agency of this council.")]},
        )
    return [found[agency_id] for agency_id in wanted]


def _agencies(
    petition: Petition, lead_agency_id: int, coordinating_agency_ids: Iterable[int]
) -> tuple[Agency, list[Agency]]:
    lead = _own_agencies(petition.council_id, [lead_agency_id], name="lead_agency")[0]
    others = [agency_id for agency_id in coordinating_agency_ids if agency_id != lead.pk]
    return lead, _own_agencies(petition.council_id, others, name="coordinating_agencies")


def _require_classified(petition: Petition) -> int:
    """The petition's field, refusing a petition that cannot go to the council's agencies."""
    if petition.field_id is None or not petition.level:
        raise DomainError(
            _("Set the petition's field and competence level before sending it to an agency.")
        )
    if petition.level == CompetenceLevel.CENTRAL:
        raise TransitionNotAllowed(
            _("This petition is of central competence: forward it to central level instead.")
        )
    if petition.level != council_tier_level(petition.council):
        raise TransitionNotAllowed(_tier_advice(petition.council, petition.level))
    return petition.field_id


def _tier_advice(council: Council, level: str) -> str:
    if level == CompetenceLevel.COMMUNE:
        return _(
            "Petitions of commune competence are answered by the commune's council: move this "
            "petition to that commune with “Move to another council”."
        )
    return _(
        "Petitions of city competence are answered by the city council: move this petition "
        "to the city with “Move to another council”."
    )


def _route_rows(
    petition: Petition,
    *,
    lead: Agency,
    coordinating: list[Agency],
    proposal: RoutingRule | None,
    on: dt.date,
    actor: Any,
    reason: str,
) -> tuple[list[int], list[int]]:
    """Make the open routing steps say `lead` and `coordinating`: steps no longer true end
    today, missing ones start today, unchanged ones stay open. Returns (ended agency ids,
    started agency ids)."""
    wanted = {
        lead.pk: AgencyRole.LEAD,
        **{agency.pk: AgencyRole.COORDINATING for agency in coordinating},
    }
    open_steps = list(PetitionRoute.objects.filter(petition=petition, ended_on__isnull=True))
    ended: list[int] = []
    for step in open_steps:
        if wanted.get(step.agency_id) != step.role:
            step.ended_on = on
            step.save(update_fields=["ended_on"])
            ended.append(step.agency_id)
    kept = {step.agency_id for step in open_steps if step.agency_id not in ended}
    real_actor = actor if getattr(actor, "pk", None) else None
    started = [agency_id for agency_id in wanted if agency_id not in kept]
    PetitionRoute.objects.bulk_create(
        PetitionRoute(
            petition=petition,
            agency_id=agency_id,
            role=wanted[agency_id],
            proposed_by_rule=(
                proposal
                if proposal is not None
                and wanted[agency_id] == AgencyRole.LEAD
                and proposal.agency_id == agency_id
                else None
            ),
            started_on=on,
            reason=reason[:300],
            assigned_by=real_actor,
        )
        for agency_id in started
    )
    return ended, started


def end_routes(petition: Petition, *, on: dt.date) -> list[int]:
    """End every open routing step (the petition leaves the council's agencies)."""
    steps = list(PetitionRoute.objects.filter(petition=petition, ended_on__isnull=True))
    PetitionRoute.objects.filter(id__in=[step.pk for step in steps]).update(ended_on=on)
    return [step.agency_id for step in steps]


def _routing_summary(lead: Agency, coordinating: list[Agency]) -> str:
    if coordinating:
        return _("lead agency %(lead)s, coordinating %(others)s") % {
            "lead": lead.name,
            "others": ", ".join(agency.name for agency in coordinating),
        }
    return _("lead agency %(lead)s") % {"lead": lead.name}


def _due_text(due_on: dt.date | None) -> str:
    if due_on is None:
        return _("no deadline rule applies")
    return _("answer due on %(due)s") % {"due": due_on.strftime("%d/%m/%Y")}


def _tell_lead(petition: Petition, lead: Agency, *, on: dt.date) -> None:
    notify(
        petition=petition,
        user_ids=responder_ids(agency_id=lead.pk, on=on),
        kind=NotificationKind.ASSIGNED,
        due_on=petition.due_on,
        message=notice_text(
            petition, _("sent to your agency; %(due)s.") % {"due": _due_text(petition.due_on)}
        ),
    )
    email_after_commit(petition.pk)


def _restart_deadline(petition: Petition, route: str, *, on: dt.date) -> None:
    rule = deadline_rule_in_force(council_id=petition.council_id, route=route, on=on)
    petition.deadline_rule = rule
    petition.assigned_on = on
    petition.due_on = due_date_by_rule(rule, start=on) if rule is not None else None
    petition.escalated_on = None


DEADLINE_FIELDS = ["deadline_rule", "assigned_on", "due_on", "escalated_on"]


# Transitions.


def assign_petition(
    *,
    petition_id: int,
    expected_version: int,
    lead_agency_id: int,
    coordinating_agency_ids: Iterable[int] = (),
    actor: Any,
    reason: str = "",
) -> Petition:
    """Send a consolidated petition to its lead agency (and coordinating agencies): the
    committee in charge comes from the field, the deadline from the council's rule."""
    today = timezone.localdate()
    with transaction.atomic():
        petition = lock_petition(petition_id, expected_version=expected_version)
        require_state(petition, "assign")
        field_id = _require_classified(petition)
        lead, coordinating = _agencies(petition, lead_agency_id, coordinating_agency_ids)
        proposal = propose_agency(petition=petition, on=today)
        in_charge = field_committee_in_force(
            council_id=petition.council_id, field_id=field_id, on=today
        )
        petition.status = PetitionStatus.ASSIGNED
        petition.lead_agency = lead
        if in_charge is not None:
            petition.committee_id = in_charge.committee_id
        _restart_deadline(petition, RouteKind.OWN_AGENCY, on=today)
        save_petition(petition, ["status", "lead_agency", "committee", *DEADLINE_FIELDS])
        petition.coordinating_agencies.set(coordinating)
        _route_rows(
            petition,
            lead=lead,
            coordinating=coordinating,
            proposal=proposal,
            on=today,
            actor=actor,
            reason=reason.strip(),
        )
        log(
            petition,
            actor=actor,
            kind=EventKind.ASSIGNED,
            summary=_("Sent to the %(routing)s; %(due)s.")
            % {"routing": _routing_summary(lead, coordinating), "due": _due_text(petition.due_on)},
            details={
                "lead_agency": lead.pk,
                "coordinating_agencies": [agency.pk for agency in coordinating],
                "proposed_by_rule": proposal.pk if proposal is not None else None,
                "follows_proposal": proposal is not None and proposal.agency_id == lead.pk,
                "committee": petition.committee_id,
                "deadline_rule": petition.deadline_rule_id,
                "due_on": petition.due_on.isoformat() if petition.due_on else None,
                "reason": reason.strip(),
            },
            is_public=True,
        )
        _tell_lead(petition, lead, on=today)
    return petition


def reroute_petition(
    *,
    petition_id: int,
    expected_version: int,
    lead_agency_id: int,
    coordinating_agency_ids: Iterable[int] = (),
    reason: str,
    actor: Any,
    restart_deadline: bool = False,
) -> Petition:
    """Change the agencies of an assigned petition. The deadline stays unless
    `restart_deadline`: then it counts again from today under the rule in force."""
    reason = reason.strip()
    if not reason:
        raise DomainError(
            _("Say why the petition changes agency."), fields={"reason": [_("Required.")]}
        )
    today = timezone.localdate()
    with transaction.atomic():
        petition = lock_petition(petition_id, expected_version=expected_version)
        require_state(petition, "reroute")
        lead, coordinating = _agencies(petition, lead_agency_id, coordinating_agency_ids)
        before_lead = petition.lead_agency_id
        before_coordinating = set(petition.coordinating_agencies.values_list("id", flat=True))
        same_agencies = before_lead == lead.pk and before_coordinating == {
            agency.pk for agency in coordinating
        }
        if same_agencies and not restart_deadline:
            raise DomainError(_("These are already the petition's agencies; nothing changes."))
        _reroute(
            petition,
            lead=lead,
            coordinating=coordinating,
            reason=reason,
            actor=actor,
            on=today,
            restart_deadline=restart_deadline,
        )
    return petition


def _reroute(
    petition: Petition,
    *,
    lead: Agency,
    coordinating: list[Agency],
    reason: str,
    actor: Any,
    on: dt.date,
    restart_deadline: bool,
    extra_fields: Iterable[str] = (),
) -> None:
    before_lead = petition.lead_agency_id
    before_due = petition.due_on
    proposal = propose_agency(petition=petition, on=on)
    petition.lead_agency = lead
    fields = ["lead_agency", *extra_fields]
    if restart_deadline:
        route = (
            RouteKind.REOPENED
            if petition.status == PetitionStatus.REOPENED
            else RouteKind.OWN_AGENCY
        )
        _restart_deadline(petition, route, on=on)
        fields += DEADLINE_FIELDS
    save_petition(petition, fields)
    petition.coordinating_agencies.set(coordinating)
    ended, started = _route_rows(
        petition,
        lead=lead,
        coordinating=coordinating,
        proposal=proposal,
        on=on,
        actor=actor,
        reason=reason,
    )
    summary = _("Re-routed to the %(routing)s.") % {"routing": _routing_summary(lead, coordinating)}
    if restart_deadline:
        summary += " " + _("Deadline restarted: %(due)s.") % {"due": _due_text(petition.due_on)}
    log(
        petition,
        actor=actor,
        kind=EventKind.REROUTED,
        summary=summary,
        details={
            "lead_agency": [before_lead, lead.pk],
            "coordinating_agencies": [agency.pk for agency in coordinating],
            "ended": ended,
            "started": started,
            "proposed_by_rule": proposal.pk if proposal is not None else None,
            "due_on": [
                before_due.isoformat() if before_due else None,
                petition.due_on.isoformat() if petition.due_on else None,
            ],
            "reason": reason,
        },
        is_public=True,
    )
    if before_lead != lead.pk or restart_deadline:
        _tell_lead(petition, lead, on=on)


def change_classification(
    *,
    petition_id: int,
    expected_version: int,
    field_id: int,
    level: str,
    reason: str,
    actor: Any,
) -> Petition:
    """Change the field or competence level. An assigned petition whose new field routes to
    another agency is re-routed to it, with history. Central level is reached by forwarding,
    and the other tier by moving the petition there."""
    reason = reason.strip()
    today = timezone.localdate()
    with transaction.atomic():
        petition = lock_petition(petition_id, expected_version=expected_version)
        require_state(petition, "edit")
        field = _active_field(field_id)
        if level not in CompetenceLevel.values:
            raise DomainError(
                _("Choose a competence level."), fields={"level": [_("Unknown level.")]}
            )
        if field.pk == petition.field_id and level == petition.level:
            raise DomainError(_("The field and level are unchanged; nothing changes."))
        if level != petition.level:
            _check_new_level(petition, level)
        if petition.status != PetitionStatus.CONSOLIDATING and not reason:
            raise DomainError(
                _("Say why the classification changes."), fields={"reason": [_("Required.")]}
            )
        before = {"field": petition.field_id, "level": petition.level}
        before_names = (
            petition.field.name if petition.field is not None else "—",
            petition.get_level_display() or "—",
        )
        petition.field = field
        petition.level = level
        fields = ["field", "level"]
        in_charge = field_committee_in_force(
            council_id=petition.council_id, field_id=field.pk, on=today
        )
        if in_charge is not None and in_charge.committee_id != petition.committee_id:
            petition.committee_id = in_charge.committee_id
            fields.append("committee")
        log(
            petition,
            actor=actor,
            kind=EventKind.EDITED,
            summary=_(
                "Classification changed from %(old_field)s (%(old_level)s) to %(field)s (%(level)s)."
            )
            % {
                "old_field": before_names[0],
                "old_level": before_names[1],
                "field": field.name,
                "level": petition.get_level_display(),
            },
            details={
                "field": [before["field"], field.pk],
                "level": [before["level"], level],
                "committee": petition.committee_id,
                "reason": reason,
            },
        )
        proposal = (
            propose_agency(petition=petition, on=today) if petition.status in ROUTED else None
        )
        if proposal is not None and proposal.agency_id != petition.lead_agency_id:
            coordinating = [
                agency
                for agency in petition.coordinating_agencies.all()
                if agency.pk != proposal.agency_id
            ]
            _reroute(
                petition,
                lead=proposal.agency,
                coordinating=coordinating,
                reason=reason or _("Classification changed"),
                actor=actor,
                on=today,
                restart_deadline=False,
                extra_fields=fields,
            )
        else:
            save_petition(petition, fields)
    return petition


def _check_new_level(petition: Petition, level: str) -> None:
    if level == CompetenceLevel.CENTRAL:
        raise TransitionNotAllowed(
            _("Central-level petitions go up by forwarding: use “Forward to central level”.")
        )
    if petition.status == PetitionStatus.FORWARDED:
        raise TransitionNotAllowed(_("A forwarded petition stays at central level."))
    if level != council_tier_level(petition.council):
        raise TransitionNotAllowed(_tier_advice(petition.council, level))


def forward_to_central(
    *, petition_id: int, expected_version: int, reference: str, actor: Any
) -> Petition:
    """Send a petition of central competence up to the province's National Assembly
    delegation; the deadline is the council's CENTRAL rule (60 days by default)."""
    reference = reference.strip()
    if not reference:
        raise DomainError(
            _("Enter the number of the forwarding document."),
            fields={"reference": [_("Required.")]},
        )
    today = timezone.localdate()
    with transaction.atomic():
        petition = lock_petition(petition_id, expected_version=expected_version)
        require_state(petition, "forward_central")
        ended = end_routes(petition, on=today)
        rule = deadline_rule_in_force(
            council_id=petition.council_id, route=RouteKind.CENTRAL, on=today
        )
        petition.status = PetitionStatus.FORWARDED
        petition.level = CompetenceLevel.CENTRAL
        petition.forwarded_reference = reference[:100]
        petition.lead_agency = None
        petition.deadline_rule = rule
        petition.assigned_on = today
        petition.due_on = (
            due_date_by_rule(rule, start=today)
            if rule is not None
            else due_date(days=CENTRAL_DEFAULT_DAYS, counting="calendar", start=today)
        )
        petition.escalated_on = None
        save_petition(
            petition, ["status", "level", "forwarded_reference", "lead_agency", *DEADLINE_FIELDS]
        )
        petition.coordinating_agencies.clear()
        recipient = settings.PETITIONS_CENTRAL_RECIPIENT
        log(
            petition,
            actor=actor,
            kind=EventKind.FORWARDED,
            summary=_("Forwarded to %(recipient)s (document %(reference)s); %(due)s.")
            % {"recipient": recipient, "reference": reference, "due": _due_text(petition.due_on)},
            details={
                "recipient": recipient,
                "reference": reference,
                "ended_routes": ended,
                "deadline_rule": rule.pk if rule is not None else None,
                "due_on": petition.due_on.isoformat(),
            },
            is_public=True,
        )
    return petition
