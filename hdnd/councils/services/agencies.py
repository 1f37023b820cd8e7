"""Agencies answering to a council, and their officials."""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from hdnd.core.audit import record_event
from hdnd.core.errors import Conflict, DomainError
from hdnd.councils.models import Agency, AgencyOfficial, Council, Person
from hdnd.councils.services.people import list_in_directory
from hdnd.lib.vietnamese import fold, normalize


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
