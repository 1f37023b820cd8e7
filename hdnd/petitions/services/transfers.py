"""Moving a petition to the other tier (city ↔ commune) with its history.

The petition continues in the receiving council as a new petition there (its own code,
its own timeline) whose `predecessor` is the old one; the old one ends as TRANSFERRED and
keeps its voter items, so the lineage reads both ways.
"""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hdnd.core.errors import DomainError, NotFound
from hdnd.councils.models import Council, CouncilLevel
from hdnd.petitions.models import (
    CompetenceLevel,
    EventKind,
    NotificationKind,
    Petition,
    PetitionStatus,
)
from hdnd.petitions.queries.routing import (
    council_tier_level,
    office_staff_ids,
    receiving_cycle,
)
from hdnd.petitions.services.common import (
    lock_petition,
    log,
    next_petition_code,
    require_state,
    save_petition,
)
from hdnd.petitions.services.deadlines import email_after_commit, notice_text, notify
from hdnd.petitions.services.routing import end_routes

RECEIVED_NOTICE = NotificationKind.RECEIVED


def transfer_petition(
    *, petition_id: int, expected_version: int, to_council_id: int, reason: str, actor: Any
) -> Petition:
    """Move the petition to its city (from a commune) or to one of its communes (from the
    city). Returns the petition that continues it in the receiving council."""
    reason = reason.strip()
    if not reason:
        raise DomainError(
            _("Say why the petition moves to another council."),
            fields={"reason": [_("Required.")]},
        )
    today = timezone.localdate()
    with transaction.atomic():
        old = lock_petition(petition_id, expected_version=expected_version)
        require_state(old, "transfer")
        source = Council.objects.select_related("unit").get(id=old.council_id)
        target = Council.objects.select_related("unit").filter(id=to_council_id).first()
        if target is None:
            raise NotFound(_("This council does not exist."))
        if not (target.pk == source.parent_id or target.parent_id == source.pk):
            raise DomainError(
                _(
                    "A petition moves only between a city and its own communes: choose the "
                    "city above this council or one of its communes."
                ),
                fields={"to_council": [_("Not the city or a commune of this council.")]},
            )
        cycle = receiving_cycle(council_id=target.pk, on=today)
        if cycle is None:
            raise DomainError(
                _(
                    "%(council)s has no session cycle yet: its office must add one before it "
                    "can receive petitions."
                )
                % {"council": target.name}
            )
        new = Petition.objects.create(
            council=target,
            code=next_petition_code(council_id=target.pk, unit_code=target.unit.code, on=today),
            title=old.title,
            text=old.text,
            field_id=old.field_id,
            level=(
                old.level if old.level == CompetenceLevel.CENTRAL else council_tier_level(target)
            ),
            unit_id=old.unit_id,
            status=PetitionStatus.CONSOLIDATING,
            raised_in=cycle,
            current_cycle=cycle,
            item_count=old.item_count,
            voter_count=old.voter_count,
            meeting_count=old.meeting_count,
            predecessor=old,
            search_text=old.search_text,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        new.tags.set(old.tags.all())
        ended = end_routes(old, on=today)
        old.status = PetitionStatus.TRANSFERRED
        save_petition(old, ["status"])
        direction = (
            _("up to the city") if target.level == CouncilLevel.PROVINCE else _("down to a commune")
        )
        log(
            old,
            actor=actor,
            kind=EventKind.TRANSFERRED,
            summary=_("Moved %(direction)s: continues as %(code)s in %(council)s.")
            % {"direction": direction, "code": new.code, "council": target.name},
            details={
                "to_council": target.pk,
                "successor": new.pk,
                "successor_code": new.code,
                "ended_routes": ended,
                "reason": reason,
            },
            is_public=True,
        )
        log(
            new,
            actor=actor,
            kind=EventKind.RECEIVED,
            summary=_("Received from %(council)s, where it was %(code)s.")
            % {"council": source.name, "code": old.code},
            details={
                "from_council": source.pk,
                "predecessor": old.pk,
                "predecessor_code": old.code,
                "reason": reason,
            },
            is_public=True,
        )
        notify(
            petition=new,
            user_ids=office_staff_ids(council_id=target.pk, on=today),
            kind=RECEIVED_NOTICE,
            message=notice_text(new, _("moved here from %(council)s.") % {"council": source.name}),
        )
        email_after_commit(new.pk)
    return new
