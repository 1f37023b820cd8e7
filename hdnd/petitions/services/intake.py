"""Receiving voter items from every channel, triaging them and correcting them.

An item entered by the office at a voter-contact meeting is accepted as a petition at
once (the office heard it at the meeting); an item from the public web form, the API or
another channel waits in the triage queue, where staff accept it or redirect what is
really a complaint, a denunciation or a field incident report. A redirected item is
never deleted: it stays, with its reason and destination, and may be re-classified.

Voters' names and contact details never go into the audit trail: it records which
fields changed, not their values.
"""

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hdnd.core.audit import record_event
from hdnd.core.errors import Conflict, DomainError
from hdnd.councils.models import AdministrativeUnit, Council
from hdnd.lib.vietnamese import normalize, slugify_vi
from hdnd.petitions import tasks
from hdnd.petitions.models import (
    Channel,
    CompetenceLevel,
    ContactMeeting,
    Field,
    ItemKind,
    MeetingStatus,
    SessionCycle,
    Tag,
    TriageStatus,
    VoterItem,
)
from hdnd.petitions.queries.intake import council_units, cycle_for
from hdnd.petitions.services.common import (
    TransitionNotAllowed,
    lock_item,
    new_item_code,
    save_item,
    search_text_of,
)

MAX_TEXT_LENGTH = 10_000
MAX_TAGS = 20
TAG_NAME_LENGTH = 80
# Staff heard these at the meeting or took them from a curated file: no triage needed.
ACCEPTED_ON_RECEIPT = frozenset({Channel.MEETING, Channel.IMPORT})
# What triage may redirect an item as (a petition is accepted, not redirected).
REDIRECT_KINDS = frozenset({ItemKind.COMPLAINT, ItemKind.DENUNCIATION, ItemKind.FIELD_REPORT})
IDENTITY_FIELDS = frozenset({"voter_name", "voter_phone", "voter_email", "voter_address"})
# What an edit may change, and what it may still change once the item is consolidated
# into a petition (its text and voter count then belong to the petition's consolidation).
EDITABLE_FIELDS = (
    "text",
    "voter_count",
    "voter_name",
    "voter_phone",
    "voter_email",
    "voter_address",
    "unit",
    "place",
    "field",
    "level",
    "tags",
)
LOCKED_AFTER_CONSOLIDATION = frozenset({"text", "voter_count"})

_TAG_SEPARATORS = re.compile(r"[,;\n]+")


def parse_tags(text: str) -> list[str]:
    """Tag names from free text separated by commas: normalised, each once."""
    names: dict[str, str] = {}
    for raw in _TAG_SEPARATORS.split(text or ""):
        name = normalize(raw)[:TAG_NAME_LENGTH]
        slug = slugify_vi(name)[:TAG_NAME_LENGTH]
        if slug and slug not in names:
            names[slug] = name
    if len(names) > MAX_TAGS:
        raise DomainError(
            _("Give at most %(count)s tags.") % {"count": MAX_TAGS},
            fields={"tags": [_("Too many tags.")]},
        )
    return list(names.values())


def _tags_named(names: Iterable[str]) -> list[Tag]:
    tags = []
    for name in names:
        # get_or_create retries the read if another clerk created the tag meanwhile.
        tag, _created = Tag.objects.get_or_create(
            slug=slugify_vi(name)[:TAG_NAME_LENGTH], defaults={"name": name}
        )
        tags.append(tag)
    return tags


def _clean_text(text: str) -> str:
    cleaned = normalize(text or "")
    if not cleaned:
        raise DomainError(
            _("Write what the voter asked."), fields={"text": [_("This field is required.")]}
        )
    if len(cleaned) > MAX_TEXT_LENGTH:
        raise DomainError(
            _("The text is too long (at most %(limit)s characters).") % {"limit": MAX_TEXT_LENGTH},
            fields={"text": [_("Too long.")]},
        )
    return cleaned


def _clean_identity(
    *, voter_name: str, voter_phone: str, voter_email: str, voter_address: str
) -> dict[str, str]:
    email = (voter_email or "").strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise DomainError(
                _("Enter a valid email address."),
                fields={"voter_email": [_("Enter a valid email address.")]},
            ) from exc
    return {
        "voter_name": normalize(voter_name or "")[:150],
        "voter_phone": " ".join((voter_phone or "").split())[:40],
        "voter_email": email,
        "voter_address": normalize(voter_address or "")[:300],
    }


def _check_voter_count(voter_count: int) -> None:
    if voter_count < 1:
        raise DomainError(
            _("At least one voter raised it."),
            fields={"voter_count": [_("Must be 1 or more.")]},
        )


def _check_unit(council: Council, unit: AdministrativeUnit | None) -> None:
    if unit is not None and not council_units(council=council).filter(id=unit.pk).exists():
        raise DomainError(
            _("The place must be in the council's area."),
            fields={"unit": [_("Choose a unit of this council.")]},
        )


def _check_level(level: str) -> None:
    if level and level not in CompetenceLevel.values:
        raise DomainError(
            _("Unknown competence level."), fields={"level": [_("Unknown competence level.")]}
        )


def _item_summary(item: VoterItem) -> dict[str, Any]:
    """What the audit trail keeps of an item: never the voter's identity."""
    return {
        "code": item.code,
        "channel": item.channel,
        "meeting": item.meeting_id,
        "cycle": item.cycle_id,
        "received_on": item.received_on,
        "voter_count": item.voter_count,
        "triage_status": item.triage_status,
        "kind": item.kind,
        "has_identity": any(getattr(item, name) for name in IDENTITY_FIELDS),
    }


def receive_item(
    *,
    council: Council,
    actor: Any,
    channel: str,
    text: str,
    received_on: dt.date | None = None,
    voter_count: int = 1,
    voter_name: str = "",
    voter_phone: str = "",
    voter_email: str = "",
    voter_address: str = "",
    unit: AdministrativeUnit | None = None,
    place: str = "",
    field: Field | None = None,
    level: str = "",
    tags: Iterable[str] = (),
    meeting: ContactMeeting | None = None,
    cycle: SessionCycle | None = None,
    needs_triage: bool | None = None,
    source_system: str = "",
    source_id: str = "",
    record: bool = True,
) -> VoterItem:
    """Record one voter item as received. `needs_triage` None: items heard at a meeting
    (and imported ones) are accepted at once, the others wait for triage. `record`
    False leaves the audit event to the caller (an import writes one per batch)."""
    if channel not in Channel.values:
        raise DomainError(_("Unknown channel."), fields={"channel": [_("Unknown channel.")]})
    if channel == Channel.MEETING and meeting is None:
        raise DomainError(_("An item from a meeting must name the meeting."))
    if meeting is not None:
        if meeting.council_id != council.pk:
            raise DomainError(_("The meeting belongs to another council."))
        if meeting.status == MeetingStatus.CANCELLED:
            raise TransitionNotAllowed(_("The meeting was cancelled: it has no items."))
    cleaned_text = _clean_text(text)
    _check_voter_count(voter_count)
    identity = _clean_identity(
        voter_name=voter_name,
        voter_phone=voter_phone,
        voter_email=voter_email,
        voter_address=voter_address,
    )
    if unit is None and meeting is not None:
        unit = meeting.unit
    _check_unit(council, unit)
    _check_level(level)
    today = timezone.localdate()
    if received_on is None:
        received_on = timezone.localdate(meeting.starts_at) if meeting is not None else today
    if received_on > today:
        raise DomainError(
            _("The day it was received cannot be in the future."),
            fields={"received_on": [_("Choose today or an earlier day.")]},
        )
    if cycle is not None and cycle.council_id != council.pk:
        raise DomainError(_("The session cycle belongs to another council."))
    tag_names = parse_tags(",".join(tags))
    if needs_triage is None:
        needs_triage = channel not in ACCEPTED_ON_RECEIPT
    with transaction.atomic():
        if source_id:
            existing = VoterItem.objects.filter(
                council=council, source_system=source_system, source_id=source_id
            ).first()
            if existing is not None:
                raise Conflict(
                    _("This item was received already, as %(code)s.") % {"code": existing.code},
                    existing_id=existing.pk,
                )
        if meeting is not None:
            cycle = meeting.cycle
        elif cycle is None:
            cycle = cycle_for(council_id=council.pk, on=received_on)
        try:
            # A savepoint: a clerk entering the same source id at the same moment gets
            # a clear refusal, not a broken transaction.
            with transaction.atomic():
                item = VoterItem.objects.create(
                    council=council,
                    code=new_item_code(),
                    channel=channel,
                    meeting=meeting,
                    cycle=cycle,
                    received_on=received_on,
                    text=cleaned_text,
                    voter_count=voter_count,
                    unit=unit,
                    place=normalize(place or "")[:300],
                    field=field,
                    level=level,
                    triage_status=TriageStatus.NEW if needs_triage else TriageStatus.ACCEPTED,
                    source_system=source_system,
                    source_id=source_id,
                    search_text=search_text_of(cleaned_text),
                    created_by=actor if getattr(actor, "pk", None) else None,
                    **identity,
                )
        except IntegrityError as exc:
            raise Conflict(_("This item was received already.")) from exc
        if tag_names:
            item.tags.set(_tags_named(tag_names))
        if record:
            record_event(
                actor=actor,
                action="petitions.item.receive",
                obj=item,
                council=council,
                summary=_("Voter item %(code)s received (%(channel)s).")
                % {"code": item.code, "channel": item.get_channel_display()},
                changes=_item_summary(item),
            )
        # Duplicate suggestions are worked out after the item is safely stored, in the
        # background where there is a worker (inline on the embedded default).
        item_id = item.pk
        transaction.on_commit(lambda: tasks.suggest_duplicates.delay(item_id))
    return item


def accept_item(
    *, item_id: int, expected_version: int | None, actor: Any, reason: str = ""
) -> VoterItem:
    """Accept an item as a voter petition: from the triage queue, or back from a
    redirection (which needs a reason)."""
    reason = normalize(reason or "")
    with transaction.atomic():
        item = lock_item(item_id, expected_version=expected_version)
        if item.triage_status == TriageStatus.ACCEPTED:
            raise TransitionNotAllowed(_("This item is already accepted as a petition."))
        was = {
            "triage_status": item.triage_status,
            "kind": item.kind,
            "redirected_to": item.redirected_to,
            "redirect_reason": item.redirect_reason,
        }
        if item.triage_status == TriageStatus.REDIRECTED and not reason:
            raise DomainError(
                _("Say why this redirected item is a petition after all."),
                fields={"reason": [_("This field is required.")]},
            )
        item.triage_status = TriageStatus.ACCEPTED
        item.kind = ItemKind.PETITION
        item.redirected_to = ""
        item.redirect_reason = ""
        save_item(item, ["triage_status", "kind", "redirected_to", "redirect_reason"])
        record_event(
            actor=actor,
            action="petitions.item.accept",
            obj=item,
            council=item.council,
            summary=_("Voter item %(code)s accepted as a petition.") % {"code": item.code},
            changes={"before": was, "reason": reason},
        )
    return item


def redirect_item(
    *,
    item_id: int,
    expected_version: int | None,
    kind: str,
    redirected_to: str,
    reason: str,
    actor: Any,
) -> VoterItem:
    """Mark an item as a complaint, a denunciation or a field incident report and say
    where it was sent and why. The item stays, listed among the redirected ones."""
    reason = normalize(reason or "")
    redirected_to = normalize(redirected_to or "")[:300]
    errors: dict[str, list[str]] = {}
    if kind not in REDIRECT_KINDS:
        errors["kind"] = [_("Choose a complaint, a denunciation or a field incident report.")]
    if not redirected_to:
        errors["redirected_to"] = [_("This field is required.")]
    if not reason:
        errors["reason"] = [_("This field is required.")]
    if errors:
        raise DomainError(
            _("Say what the item is, where it goes and why it is not a petition."),
            fields=errors,
        )
    with transaction.atomic():
        item = lock_item(item_id, expected_version=expected_version)
        if item.petition_id is not None:
            raise TransitionNotAllowed(
                _(
                    "This item is part of a petition already: split it off the petition "
                    "before redirecting it."
                )
            )
        was = {
            "triage_status": item.triage_status,
            "kind": item.kind,
            "redirected_to": item.redirected_to,
        }
        item.triage_status = TriageStatus.REDIRECTED
        item.kind = kind
        item.redirected_to = redirected_to
        item.redirect_reason = reason
        save_item(item, ["triage_status", "kind", "redirected_to", "redirect_reason"])
        record_event(
            actor=actor,
            action="petitions.item.redirect",
            obj=item,
            council=item.council,
            summary=_("Voter item %(code)s redirected to %(destination)s as %(kind)s.")
            % {
                "code": item.code,
                "destination": redirected_to,
                "kind": item.get_kind_display(),
            },
            changes={
                "before": was,
                "kind": kind,
                "redirected_to": redirected_to,
                "reason": reason,
            },
        )
    return item


def update_item(
    *, item_id: int, expected_version: int | None, actor: Any, changes: dict[str, Any]
) -> VoterItem:
    """Correct an item. `changes` maps names from EDITABLE_FIELDS to new values (`tags`
    as names). Its text and voter count are fixed once it is part of a petition."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    with transaction.atomic():
        item = lock_item(item_id, expected_version=expected_version)
        tag_names = parse_tags(",".join(changes["tags"])) if "tags" in changes else None
        before_tags = sorted(item.tags.values_list("name", flat=True))
        new_values = _edited_values(item, changes)
        changed = [name for name, value in new_values.items() if getattr(item, name) != value]
        tags_changed = tag_names is not None and sorted(tag_names) != before_tags
        if item.petition_id is not None:
            locked = [name for name in changed if name in LOCKED_AFTER_CONSOLIDATION]
            if locked:
                raise TransitionNotAllowed(
                    _(
                        "This item is part of petition %(code)s: its text and number of "
                        "voters can no longer change here."
                    )
                    % {"code": item.petition.code if item.petition else ""},
                    fields={name: [_("Fixed after consolidation.")] for name in locked},
                )
        if not changed and not tags_changed:
            return item
        audit: dict[str, Any] = {}
        for name in changed:
            old = getattr(item, name)
            new = new_values[name]
            setattr(item, name, new)
            if name in IDENTITY_FIELDS:
                audit[name] = "changed"
            else:
                audit[name] = [_plain(old), _plain(new)]
        if "text" in changed:
            item.search_text = search_text_of(item.text)
            changed.append("search_text")
        if tags_changed and tag_names is not None:
            item.tags.set(_tags_named(tag_names))
            audit["tags"] = [before_tags, sorted(tag_names)]
        save_item(item, changed)
        record_event(
            actor=actor,
            action="petitions.item.update",
            obj=item,
            council=item.council,
            summary=_("Voter item %(code)s corrected.") % {"code": item.code},
            changes=audit,
        )
    return item


def _edited_values(item: VoterItem, changes: dict[str, Any]) -> dict[str, Any]:
    """The new value of each edited field, cleaned like on receipt."""
    values: dict[str, Any] = {}
    if "text" in changes:
        values["text"] = _clean_text(changes["text"])
    if "voter_count" in changes:
        _check_voter_count(changes["voter_count"])
        values["voter_count"] = changes["voter_count"]
    identity_keys = IDENTITY_FIELDS & set(changes)
    if identity_keys:
        current = {name: getattr(item, name) for name in IDENTITY_FIELDS}
        current.update({name: changes[name] for name in identity_keys})
        cleaned = _clean_identity(**current)
        values.update({name: cleaned[name] for name in identity_keys})
    if "unit" in changes:
        _check_unit(item.council, changes["unit"])
        values["unit"] = changes["unit"]
    if "place" in changes:
        values["place"] = normalize(changes["place"] or "")[:300]
    if "field" in changes:
        values["field"] = changes["field"]
    if "level" in changes:
        _check_level(changes["level"] or "")
        values["level"] = changes["level"] or ""
    return values


def _plain(value: Any) -> Any:
    """A value as the audit trail keeps it: related rows by id."""
    return getattr(value, "pk", value)
