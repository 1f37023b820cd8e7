"""Committees and their seats, delegate groups and their members."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from hdnd.core.audit import record_event
from hdnd.core.errors import Conflict, DomainError
from hdnd.councils.models import (
    Committee,
    CommitteeRole,
    CommitteeSeat,
    Constituency,
    Council,
    DelegateGroup,
    GroupMember,
    Membership,
    Term,
)
from hdnd.councils.services.common import create_or_conflict
from hdnd.lib.periods import overlapping
from hdnd.lib.vietnamese import fold, normalize


def create_committee(
    *, actor: Any, council: Council, name: str, field_of_work: str = ""
) -> Committee:
    name = normalize(name)
    if not name:
        raise DomainError(_("Enter the committee's name."), fields={"name": [_("Required.")]})
    with transaction.atomic():
        if Committee.objects.filter(council=council, search_text=fold(name)).exists():
            raise Conflict(
                _("This council already has a committee named %(name)s.") % {"name": name},
                fields={"name": [_("Already exists.")]},
            )
        committee = create_or_conflict(
            Committee,
            _("This council already has a committee named %(name)s.") % {"name": name},
            council=council,
            name=name,
            field_of_work=normalize(field_of_work),
            search_text=fold(name),
        )
        record_event(
            actor=actor,
            action="councils.committee.create",
            obj=committee,
            council=council,
            summary=_("Committee %(name)s created") % {"name": name},
        )
    return committee


def check_committee_seat(
    *,
    committee: Committee,
    membership: Membership,
    role: str,
    start_date: dt.date,
    exclude_id: int | None = None,
) -> None:
    if role not in CommitteeRole.values:
        raise DomainError(_("Unknown committee role."), fields={"role": [_("Unknown role.")]})
    if membership.council_id != committee.council_id:
        raise DomainError(
            _("Only delegates of this council can sit on its committees."),
            fields={"membership": [_("Another council's delegate.")]},
        )
    if start_date < membership.start_date or (
        membership.end_date is not None and start_date > membership.end_date
    ):
        raise DomainError(
            _("The seat must start while the delegate holds their seat in the council."),
            fields={"start_date": [_("Outside the membership.")]},
        )
    # Seats still running when the new one starts.
    active = CommitteeSeat.objects.filter(committee=committee).filter(overlapping(start_date, None))
    if exclude_id is not None:
        active = active.exclude(id=exclude_id)
    if active.filter(membership__person_id=membership.person_id).exists():
        raise Conflict(
            _("%(person)s already sits on this committee.")
            % {"person": membership.person.full_name}
        )
    if role == CommitteeRole.HEAD and active.filter(role=CommitteeRole.HEAD).exists():
        raise Conflict(
            _("This committee already has a head."), fields={"role": [_("Already held.")]}
        )


def add_committee_seat(
    *,
    actor: Any,
    committee: Committee,
    membership: Membership,
    role: str,
    start_date: dt.date,
    is_full_time: bool = False,
) -> CommitteeSeat:
    with transaction.atomic():
        Committee.objects.select_for_update().get(pk=committee.pk)
        check_committee_seat(
            committee=committee, membership=membership, role=role, start_date=start_date
        )
        seat = CommitteeSeat.objects.create(
            committee=committee,
            membership=membership,
            role=role,
            start_date=start_date,
            end_date=membership.end_date,
            is_full_time=is_full_time,
        )
        record_event(
            actor=actor,
            action="councils.committee_seat.create",
            obj=seat,
            council=committee.council,
            summary=_("%(person)s joined %(committee)s as %(role)s")
            % {
                "person": membership.person.full_name,
                "committee": committee.name,
                "role": seat.get_role_display(),
            },
        )
    return seat


def create_delegate_group(
    *, actor: Any, term: Term, name: str, constituency: Constituency | None = None
) -> DelegateGroup:
    name = normalize(name)
    if constituency is not None and constituency.term_id != term.pk:
        raise DomainError(_("The constituency does not belong to this term."))
    with transaction.atomic():
        if DelegateGroup.objects.filter(term=term, name=name).exists():
            raise Conflict(
                _("This term already has a group named %(name)s.") % {"name": name},
                fields={"name": [_("Already exists.")]},
            )
        group = create_or_conflict(
            DelegateGroup,
            _("This term already has a group named %(name)s.") % {"name": name},
            council=term.council,
            term=term,
            name=name,
            constituency=constituency,
        )
        record_event(
            actor=actor,
            action="councils.group.create",
            obj=group,
            council=term.council,
            summary=_("Delegate group %(name)s created") % {"name": name},
        )
    return group


def check_group_member(
    *, group: DelegateGroup, membership: Membership, exclude_id: int | None = None
) -> None:
    if membership.term_id != group.term_id:
        raise DomainError(
            _("Only delegates of the group's term can join it."),
            fields={"membership": [_("Another term.")]},
        )
    others = GroupMember.objects.filter(group=group, membership=membership)
    if exclude_id is not None:
        others = others.exclude(id=exclude_id)
    if others.exists():
        raise Conflict(
            _("%(person)s is already in this group.") % {"person": membership.person.full_name}
        )


def add_group_member(
    *, actor: Any, group: DelegateGroup, membership: Membership, role: str
) -> GroupMember:
    with transaction.atomic():
        DelegateGroup.objects.select_for_update().get(pk=group.pk)
        check_group_member(group=group, membership=membership)
        member = GroupMember.objects.create(group=group, membership=membership, role=role)
        record_event(
            actor=actor,
            action="councils.group_member.create",
            obj=member,
            council=group.council,
            summary=_("%(person)s joined %(group)s")
            % {"person": membership.person.full_name, "group": group.name},
        )
    return member
