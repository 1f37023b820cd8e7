"""People of the registry, and when they appear in the public directory."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from hdnd.core.audit import changes_between, record_event
from hdnd.core.errors import DomainError
from hdnd.councils.models import Person
from hdnd.councils.services.common import snapshot
from hdnd.lib.vietnamese import fold, normalize

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
        before = snapshot(person, list(fields))
        for name, value in fields.items():
            setattr(person, name, value)
        person.search_text = fold(person.full_name)
        person.full_clean()
        person.save(update_fields=[*fields, "search_text"])
        # Contact details are personal data: the audit trail notes the change, not the value.
        changes = {
            key: (["…", "…"] if key in {"email", "phone", "birth_date"} else value)
            for key, value in changes_between(before, snapshot(person, list(fields))).items()
        }
        record_event(
            actor=actor,
            action="councils.person.update",
            obj=person,
            summary=_("Person %(name)s updated") % {"name": person.full_name},
            changes=changes,
        )
    return person


def list_in_directory(person_id: int) -> None:
    """A seat or a post makes a person public in the directory, for good."""
    Person.objects.filter(pk=person_id, in_directory=False).update(in_directory=True)
