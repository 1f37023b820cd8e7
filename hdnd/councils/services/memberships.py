"""Delegates' seats in a council (memberships): adding, ending, changing position."""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from hdnd.core.audit import changes_between, record_event
from hdnd.core.errors import Conflict, DomainError
from hdnd.councils.models import (
    CommitteeSeat,
    Constituency,
    Council,
    Membership,
    Person,
    Position,
    Term,
)
from hdnd.councils.services.common import snapshot
from hdnd.councils.services.people import list_in_directory
from hdnd.lib.dates import format_day
from hdnd.lib.periods import overlapping
from hdnd.lib.vietnamese import normalize

# Positions of which a council has one holder at a time.
SINGLE_HOLDER_POSITIONS = {Position.CHAIR}


def check_membership(
    *,
    person: Person,
    council: Council,
    term: Term,
    position: str,
    start_date: dt.date,
    end_date: dt.date | None,
    constituency: Constituency | None,
    exclude_id: int | None = None,
) -> None:
    if term.council_id != council.pk:
        raise DomainError(
            _("The term %(term)s belongs to another council.") % {"term": term.name},
            fields={"term": [_("Choose a term of this council.")]},
        )
    if constituency is not None and constituency.term_id != term.pk:
        raise DomainError(
            _("The constituency does not belong to this term."),
            fields={"constituency": [_("Choose a constituency of this term.")]},
        )
    if end_date is not None and end_date < start_date:
        raise DomainError(
            _("The membership must end on or after its start."),
            fields={"end_date": [_("Must not be earlier than the start date.")]},
        )
    if start_date < term.start_date or (end_date or term.end_date) > term.end_date:
        raise DomainError(
            _("The membership must lie within the term (%(start)s – %(end)s).")
            % {"start": format_day(term.start_date), "end": format_day(term.end_date)},
            fields={"start_date": [_("Outside the term.")]},
        )
    same_person = Membership.objects.filter(person=person, council=council).filter(
        overlapping(start_date, end_date)
    )
    if exclude_id is not None:
        same_person = same_person.exclude(id=exclude_id)
    clash = same_person.first()
    if clash is not None:
        raise Conflict(
            _(
                "%(person)s already has a seat in this council from %(start)s to %(end)s "
                "(%(position)s). End it first or choose other dates."
            )
            % {
                "person": person.full_name,
                "start": format_day(clash.start_date),
                "end": format_day(clash.end_date),
                "position": clash.get_position_display(),
            },
            fields={"person": [_("Overlapping membership.")]},
        )
    if position in SINGLE_HOLDER_POSITIONS:
        holders = Membership.objects.filter(council=council, position=position).filter(
            overlapping(start_date, end_date)
        )
        if exclude_id is not None:
            holders = holders.exclude(id=exclude_id)
        holder = holders.select_related("person").first()
        if holder is not None:
            raise Conflict(
                _("%(holder)s holds this position over those dates.")
                % {"holder": holder.person.full_name},
                fields={"position": [_("Already held.")]},
            )


MEMBERSHIP_AUDIT_FIELDS = ["position", "start_date", "end_date", "is_full_time", "end_reason"]


def add_membership(
    *,
    actor: Any,
    person: Person,
    council: Council,
    term: Term,
    start_date: dt.date,
    position: str = Position.DELEGATE,
    end_date: dt.date | None = None,
    constituency: Constituency | None = None,
    is_full_time: bool = False,
) -> Membership:
    if position not in Position.values:
        raise DomainError(_("Unknown position."), fields={"position": [_("Unknown position.")]})
    with transaction.atomic():
        # Lock the person: two clerks adding the same delegate cannot both pass the check.
        Person.objects.select_for_update().get(pk=person.pk)
        check_membership(
            person=person,
            council=council,
            term=term,
            position=position,
            start_date=start_date,
            end_date=end_date,
            constituency=constituency,
        )
        try:
            with transaction.atomic():
                membership = Membership.objects.create(
                    person=person,
                    council=council,
                    term=term,
                    constituency=constituency,
                    position=position,
                    is_full_time=is_full_time,
                    start_date=start_date,
                    end_date=end_date,
                )
        except IntegrityError as exc:
            raise Conflict(_("This membership overlaps another one.")) from exc
        list_in_directory(person.pk)
        record_event(
            actor=actor,
            action="councils.membership.create",
            obj=membership,
            council=council,
            summary=_("%(person)s joined %(council)s as %(position)s")
            % {
                "person": person.full_name,
                "council": council.name,
                "position": membership.get_position_display(),
            },
            changes=changes_between(None, snapshot(membership, MEMBERSHIP_AUDIT_FIELDS)),
        )
    return membership


def close_committee_seats(*, membership: Membership, end_date: dt.date) -> None:
    """Committee seats end with the membership they belong to."""
    CommitteeSeat.objects.filter(membership=membership).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=end_date)
    ).update(end_date=end_date)


def end_membership(
    *, actor: Any, membership: Membership, end_date: dt.date, reason: str = ""
) -> Membership:
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update().select_related("person").get(pk=membership.pk)
        )
        if membership.end_date is not None and membership.end_date <= end_date:
            raise Conflict(
                _("This membership already ended on %(date)s.")
                % {"date": format_day(membership.end_date)}
            )
        if end_date < membership.start_date:
            raise DomainError(
                _("The end date is before the start of the membership."),
                fields={"end_date": [_("Too early.")]},
            )
        before = snapshot(membership, MEMBERSHIP_AUDIT_FIELDS)
        membership.end_date = end_date
        membership.end_reason = normalize(reason)
        membership.save(update_fields=["end_date", "end_reason"])
        close_committee_seats(membership=membership, end_date=end_date)
        record_event(
            actor=actor,
            action="councils.membership.end",
            obj=membership,
            council=membership.council,
            summary=_("%(person)s left the council") % {"person": membership.person.full_name},
            changes=changes_between(before, snapshot(membership, MEMBERSHIP_AUDIT_FIELDS)),
        )
    return membership


def change_position(
    *, actor: Any, membership: Membership, position: str, on_date: dt.date
) -> Membership:
    """End the current membership the day before and start a new one in the new position."""
    with transaction.atomic():
        current = Membership.objects.select_for_update().get(pk=membership.pk)
        if current.position == position:
            raise Conflict(_("The delegate already holds this position."))
        if on_date <= current.start_date:
            raise DomainError(
                _("The change must come after the current position started."),
                fields={"on_date": [_("Too early.")]},
            )
        end_membership(
            actor=actor,
            membership=current,
            end_date=on_date - dt.timedelta(days=1),
            reason=_("Position changed"),
        )
        return add_membership(
            actor=actor,
            person=current.person,
            council=current.council,
            term=current.term,
            start_date=on_date,
            position=position,
            end_date=current.end_date,
            constituency=current.constituency,
            is_full_time=current.is_full_time,
        )
