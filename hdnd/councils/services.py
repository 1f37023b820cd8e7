"""Writes to the council registry. Each service locks what it changes, checks the rules,
writes, and records an AuditEvent in the same transaction.

The rules are also exposed as `check_*` functions so that admin forms refuse the same
input with the same message.
"""

import datetime as dt
from typing import Any, TypeVar

from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from hdnd.core.audit import changes_between, record_event
from hdnd.core.errors import Conflict, DomainError
from hdnd.councils.models import (
    Agency,
    AgencyOfficial,
    Committee,
    CommitteeRole,
    CommitteeSeat,
    Constituency,
    Council,
    DelegateGroup,
    GroupMember,
    Membership,
    Person,
    Position,
    Term,
)
from hdnd.lib.vietnamese import fold, normalize

# Positions of which a council has one holder at a time.
SINGLE_HOLDER_POSITIONS = {Position.CHAIR}


def _fmt(day: dt.date | None) -> str:
    """A day as dd/mm/yyyy; no day is the open end of a seat or role that has not ended."""
    if day is None:
        # Translators: as in "from 01/07/2025 to the present".
        return _("the present")
    return day.strftime("%d/%m/%Y")


def _overlaps(start_field: str, end_field: str, start: dt.date, end: dt.date | None) -> Q:
    """Rows whose [start, end] period (open-ended when end is null) meets [start, end]."""
    condition = Q(**{f"{end_field}__isnull": True}) | Q(**{f"{end_field}__gte": start})
    if end is not None:
        condition &= Q(**{f"{start_field}__lte": end})
    return condition


def _snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}


M = TypeVar("M", bound=models.Model)


def _create_or_conflict(model: type[M], message: str, **values: Any) -> M:
    """Insert a row; a unique constraint broken by a concurrent insert becomes a Conflict."""
    try:
        with transaction.atomic():
            return model._default_manager.create(**values)
    except IntegrityError as exc:
        raise Conflict(message) from exc


# Terms


def check_term(
    *, council: Council, start_date: dt.date, end_date: dt.date, exclude_id: int | None = None
) -> None:
    if end_date <= start_date:
        raise DomainError(
            _("The term must end after it starts."), fields={"end_date": [_("Must be later.")]}
        )
    others = Term.objects.filter(council=council).filter(
        start_date__lt=end_date, end_date__gt=start_date
    )
    if exclude_id is not None:
        others = others.exclude(id=exclude_id)
    clash = others.first()
    if clash is not None:
        raise Conflict(
            _("The dates overlap %(term)s of this council (%(start)s – %(end)s).")
            % {"term": clash.name, "start": _fmt(clash.start_date), "end": _fmt(clash.end_date)},
            fields={"start_date": [_("Overlaps another term.")]},
        )


def create_term(
    *,
    actor: Any,
    council: Council,
    name: str,
    start_date: dt.date,
    end_date: dt.date,
    number: int | None = None,
) -> Term:
    with transaction.atomic():
        Council.objects.select_for_update().get(pk=council.pk)
        check_term(council=council, start_date=start_date, end_date=end_date)
        term = Term.objects.create(
            council=council,
            name=normalize(name),
            number=number,
            start_date=start_date,
            end_date=end_date,
        )
        record_event(
            actor=actor,
            action="councils.term.create",
            obj=term,
            council=council,
            summary=_("Term %(term)s created") % {"term": term},
            changes=changes_between(None, _snapshot(term, ["name", "start_date", "end_date"])),
        )
    return term


# People


PERSON_FIELDS = ["full_name", "gender", "birth_date", "ethnicity", "occupation", "email", "phone"]


def create_person(*, actor: Any, full_name: str, **fields: Any) -> Person:
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise DomainError(_("Unknown fields: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    name = normalize(full_name)
    if not name:
        raise DomainError(_("Enter the full name."), fields={"full_name": [_("Required.")]})
    with transaction.atomic():
        person = Person(full_name=name, search_text=fold(name), **fields)
        person.full_clean()
        person.save()
        record_event(
            actor=actor,
            action="councils.person.create",
            obj=person,
            summary=_("Person %(name)s added") % {"name": name},
            changes=changes_between(None, {"full_name": name}),
        )
    return person


def update_person(*, actor: Any, person: Person, **fields: Any) -> Person:
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise DomainError(_("Unknown fields: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    if "full_name" in fields:
        fields["full_name"] = normalize(fields["full_name"])
        if not fields["full_name"]:
            raise DomainError(_("Enter the full name."), fields={"full_name": [_("Required.")]})
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        before = _snapshot(person, list(fields))
        for name, value in fields.items():
            setattr(person, name, value)
        person.search_text = fold(person.full_name)
        person.full_clean()
        person.save(update_fields=[*fields, "search_text"])
        # Contact details are personal data: the audit trail notes the change, not the value.
        changes = {
            key: (["…", "…"] if key in {"email", "phone", "birth_date"} else value)
            for key, value in changes_between(before, _snapshot(person, list(fields))).items()
        }
        record_event(
            actor=actor,
            action="councils.person.update",
            obj=person,
            summary=_("Person %(name)s updated") % {"name": person.full_name},
            changes=changes,
        )
    return person


# Memberships


def list_in_directory(person_id: int) -> None:
    """A seat or a post makes a person public in the directory, for good."""
    Person.objects.filter(pk=person_id, in_directory=False).update(in_directory=True)


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
            % {"start": _fmt(term.start_date), "end": _fmt(term.end_date)},
            fields={"start_date": [_("Outside the term.")]},
        )
    same_person = Membership.objects.filter(person=person, council=council).filter(
        _overlaps("start_date", "end_date", start_date, end_date)
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
                "start": _fmt(clash.start_date),
                "end": _fmt(clash.end_date),
                "position": clash.get_position_display(),
            },
            fields={"person": [_("Overlapping membership.")]},
        )
    if position in SINGLE_HOLDER_POSITIONS:
        holders = Membership.objects.filter(council=council, position=position).filter(
            _overlaps("start_date", "end_date", start_date, end_date)
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
            changes=changes_between(None, _snapshot(membership, MEMBERSHIP_AUDIT_FIELDS)),
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
                % {"date": _fmt(membership.end_date)}
            )
        if end_date < membership.start_date:
            raise DomainError(
                _("The end date is before the start of the membership."),
                fields={"end_date": [_("Too early.")]},
            )
        before = _snapshot(membership, MEMBERSHIP_AUDIT_FIELDS)
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
            changes=changes_between(before, _snapshot(membership, MEMBERSHIP_AUDIT_FIELDS)),
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


# Committees and delegate groups


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
        committee = _create_or_conflict(
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
    active = CommitteeSeat.objects.filter(committee=committee).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start_date)
    )
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
        group = _create_or_conflict(
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


# Agencies


def create_agency(
    *,
    actor: Any,
    council: Council,
    name: str,
    kind: str,
    parent: Agency | None = None,
    short_name: str = "",
    code: str = "",
) -> Agency:
    name = normalize(name)
    if not name:
        raise DomainError(_("Enter the agency's name."), fields={"name": [_("Required.")]})
    if parent is not None and parent.council_id != council.pk:
        raise DomainError(
            _("The parent agency belongs to another council."),
            fields={"parent": [_("Another council's agency.")]},
        )
    with transaction.atomic():
        if Agency.objects.filter(council=council, name=name).exists():
            raise Conflict(
                _("This council already has an agency named %(name)s.") % {"name": name},
                fields={"name": [_("Already exists.")]},
            )
        agency = Agency(
            council=council,
            parent=parent,
            kind=kind,
            name=name,
            short_name=normalize(short_name),
            code=code.strip(),
            search_text=fold(f"{name} {short_name}"),
        )
        agency.full_clean(validate_unique=False)
        try:
            with transaction.atomic():
                agency.save(force_insert=True)
        except IntegrityError as exc:
            # Someone else added the same name (or code) a moment ago.
            raise Conflict(
                _("This council already has an agency named %(name)s.") % {"name": name}
            ) from exc
        record_event(
            actor=actor,
            action="councils.agency.create",
            obj=agency,
            council=council,
            summary=_("Agency %(name)s added") % {"name": name},
        )
    return agency


def check_agency_official(
    *, agency: Agency, person: Person, is_head: bool, exclude_id: int | None = None
) -> None:
    active = AgencyOfficial.objects.filter(agency_id=agency.pk, end_date__isnull=True)
    if exclude_id is not None:
        active = active.exclude(id=exclude_id)
    if active.filter(person=person).exists():
        raise Conflict(
            _("%(person)s already holds a post in this agency.") % {"person": person.full_name}
        )
    if is_head and active.filter(is_head=True).exists():
        raise Conflict(_("This agency already has a head; end that post first."))


def add_agency_official(
    *,
    actor: Any,
    agency: Agency,
    person: Person,
    title: str,
    start_date: dt.date,
    is_head: bool = False,
) -> AgencyOfficial:
    with transaction.atomic():
        Agency.objects.select_for_update().get(pk=agency.pk)
        check_agency_official(agency=agency, person=person, is_head=is_head)
        official = AgencyOfficial.objects.create(
            agency=agency,
            person=person,
            title=normalize(title),
            start_date=start_date,
            is_head=is_head,
        )
        list_in_directory(person.pk)
        record_event(
            actor=actor,
            action="councils.agency_official.create",
            obj=official,
            council=agency.council,
            summary=_("%(person)s appointed %(title)s, %(agency)s")
            % {"person": person.full_name, "title": official.title, "agency": agency.name},
        )
    return official
