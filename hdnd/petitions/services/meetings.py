"""Voter-contact meetings (TXCT): planned, edited, held or cancelled, minuted, and the
answers officials gave on the spot.

A meeting is planned first; once held it must say how many voters attended (the
database refuses a held meeting without that number). A cancelled meeting keeps its
record but takes no items. Edits carry the version the user loaded, so two clerks
never overwrite each other silently.
"""

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hdnd.core.audit import record_event
from hdnd.core.errors import DomainError, NotFound
from hdnd.core.versions import check_version
from hdnd.councils.models import AdministrativeUnit, Agency, Council, DelegateGroup, Membership
from hdnd.lib.periods import in_force_on
from hdnd.lib.uploads import is_office_package, starts_with
from hdnd.lib.vietnamese import normalize
from hdnd.petitions.models import (
    ContactMeeting,
    MeetingFormat,
    MeetingStatus,
    MeetingTiming,
    Organiser,
    SessionCycle,
    SpotAnswer,
    VoterItem,
)
from hdnd.petitions.queries.intake import council_units
from hdnd.petitions.queries.meetings import council_tree_ids, eligible_memberships
from hdnd.petitions.services.common import TransitionNotAllowed

# Kinds of meeting that must say their theme or target group.
NEEDS_TOPIC = frozenset({MeetingTiming.THEMATIC, MeetingTiming.TARGET_GROUP})
# What may change on a meeting through an edit (status changes have their own services).
EDITABLE_FIELDS = (
    "cycle",
    "timing",
    "topic",
    "starts_at",
    "unit",
    "venue",
    "format",
    "organisers",
    "delegate_group",
    "delegates_present",
    "voters_attending",
    "notes",
    "minutes_file",
)

# Minutes (biên bản) arrive scanned or typed: (extensions, what the file starts with).
MINUTES_TYPES: dict[str, tuple[frozenset[str], bytes]] = {
    "pdf": (frozenset({".pdf"}), b"%PDF-"),
    "png": (frozenset({".png"}), b"\x89PNG\r\n\x1a\n"),
    "jpeg": (frozenset({".jpg", ".jpeg"}), b"\xff\xd8\xff"),
    "docx": (frozenset({".docx"}), b"PK\x03\x04"),
}


def check_minutes_file(upload: UploadedFile) -> None:
    """Refuse a minutes file that is too large or is not what its name says (PDF,
    DOCX, JPG or PNG, checked by its content as well as its extension)."""
    limit_mb = settings.PETITIONS_MAX_UPLOAD_MB
    if upload.size is not None and upload.size > limit_mb * 1024 * 1024:
        raise DomainError(
            _("The file is too large: at most %(limit)s MB.") % {"limit": limit_mb},
            fields={"minutes_file": [_("File too large.")]},
        )
    extension = Path(upload.name or "").suffix.lower()
    kind = next((name for name, (exts, _magic) in MINUTES_TYPES.items() if extension in exts), "")
    wrong_type = DomainError(
        _("The minutes must be a PDF, DOCX, JPG or PNG file."),
        fields={"minutes_file": [_("Wrong file type.")]},
    )
    if not kind:
        raise wrong_type
    if not starts_with(upload, MINUTES_TYPES[kind][1]):
        raise wrong_type
    if kind == "docx" and not is_office_package(upload, "word/document.xml"):
        raise wrong_type


def _lock_meeting(meeting_id: int, *, expected_version: int | None = None) -> ContactMeeting:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("_lock_meeting must run inside a transaction")
    meeting = (
        ContactMeeting.objects.select_for_update(of=("self",))
        .select_related("council")
        .filter(id=meeting_id)
        .first()
    )
    if meeting is None:
        raise NotFound(_("This meeting does not exist."))
    check_version(meeting.version, expected_version)
    return meeting


def _save_meeting(meeting: ContactMeeting, fields: Iterable[str]) -> None:
    meeting.version += 1
    meeting.save(update_fields=[*fields, "version"])


def _clean_organisers(organisers: Iterable[str], group: DelegateGroup | None) -> list[str]:
    chosen = [code for code in Organiser.values if code in set(organisers)]
    unknown = set(organisers) - set(Organiser.values)
    if unknown:
        raise DomainError(_("Unknown organiser."), fields={"organisers": [_("Unknown organiser.")]})
    if group is not None and Organiser.DELEGATE_GROUP not in chosen:
        chosen.append(Organiser.DELEGATE_GROUP)
    if Organiser.DELEGATE_GROUP in chosen and group is None:
        raise DomainError(
            _("Choose the delegate group that organises the meeting."),
            fields={"delegate_group": [_("Choose a delegate group.")]},
        )
    return chosen


def _check_meeting(
    *,
    council: Council,
    cycle: SessionCycle,
    timing: str,
    topic: str,
    unit: AdministrativeUnit,
    meeting_format: str,
    delegate_group: DelegateGroup | None,
    delegates: list[Membership],
    on: dt.date,
) -> None:
    errors: dict[str, list[str]] = {}
    if cycle.council_id != council.pk:
        errors["cycle"] = [_("Choose a session of this council.")]
    if timing not in MeetingTiming.values:
        errors["timing"] = [_("Unknown kind of meeting.")]
    elif timing in NEEDS_TOPIC and not topic:
        errors["topic"] = [_("Say the theme or the target group.")]
    if meeting_format not in MeetingFormat.values:
        errors["format"] = [_("Unknown format.")]
    if not council_units(council=council).filter(id=unit.pk).exists():
        errors["unit"] = [_("Choose a unit of this council.")]
    if delegate_group is not None and (
        delegate_group.council_id != council.pk or delegate_group.term_id != cycle.term_id
    ):
        errors["delegate_group"] = [_("Choose a delegate group of this council and term.")]
    if delegates:
        allowed = set(
            eligible_memberships(council=council)
            .filter(in_force_on(on))
            .filter(id__in=[seat.pk for seat in delegates])
            .values_list("id", flat=True)
        )
        if any(seat.pk not in allowed for seat in delegates):
            errors["delegates_present"] = [
                _("Choose delegates of this council or its communes who held a seat that day.")
            ]
    if errors:
        raise DomainError(_("Please correct the meeting's details."), fields=errors)


def _meeting_audit(meeting: ContactMeeting) -> dict[str, Any]:
    return {
        "cycle": meeting.cycle_id,
        "timing": meeting.timing,
        "topic": meeting.topic,
        "starts_at": meeting.starts_at,
        "unit": meeting.unit_id,
        "venue": meeting.venue,
        "format": meeting.format,
        "organisers": meeting.organisers,
        "delegate_group": meeting.delegate_group_id,
        "voters_attending": meeting.voters_attending,
        "status": meeting.status,
    }


def create_meeting(
    *,
    council: Council,
    actor: Any,
    cycle: SessionCycle,
    timing: str,
    starts_at: dt.datetime,
    unit: AdministrativeUnit,
    meeting_format: str = MeetingFormat.IN_PERSON,
    topic: str = "",
    venue: str = "",
    organisers: Iterable[str] = (),
    delegate_group: DelegateGroup | None = None,
    delegates_present: Iterable[Membership] = (),
    voters_attending: int | None = None,
    notes: str = "",
    minutes_file: UploadedFile | None = None,
) -> ContactMeeting:
    """Plan (or record after the fact) a meeting; it starts as planned."""
    if timezone.is_naive(starts_at):
        raise DomainError(_("The meeting's time needs a time zone."))
    topic = normalize(topic or "")[:300]
    delegates = list(delegates_present)
    chosen_organisers = _clean_organisers(list(organisers), delegate_group)
    _check_meeting(
        council=council,
        cycle=cycle,
        timing=timing,
        topic=topic,
        unit=unit,
        meeting_format=meeting_format,
        delegate_group=delegate_group,
        delegates=delegates,
        on=timezone.localdate(starts_at),
    )
    if minutes_file is not None:
        check_minutes_file(minutes_file)
    with transaction.atomic():
        meeting = ContactMeeting(
            council=council,
            term_id=cycle.term_id,
            cycle=cycle,
            timing=timing,
            topic=topic,
            starts_at=starts_at,
            unit=unit,
            venue=normalize(venue or "")[:300],
            format=meeting_format,
            organisers=chosen_organisers,
            delegate_group=delegate_group,
            voters_attending=voters_attending,
            status=MeetingStatus.PLANNED,
            notes=(notes or "").strip(),
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        if minutes_file is not None:
            meeting.minutes_file = minutes_file
        meeting.save(force_insert=True)
        if delegates:
            meeting.delegates_present.set(delegates)
        record_event(
            actor=actor,
            action="petitions.meeting.create",
            obj=meeting,
            council=council,
            summary=_("Voter-contact meeting planned: %(meeting)s.") % {"meeting": meeting},
            changes={**_meeting_audit(meeting), "delegates_present": [s.pk for s in delegates]},
        )
    return meeting


def update_meeting(
    *, meeting_id: int, expected_version: int | None, actor: Any, changes: dict[str, Any]
) -> ContactMeeting:
    """Correct a planned or held meeting. `changes` maps names from EDITABLE_FIELDS to
    new values; `minutes_file` None keeps the current file."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    with transaction.atomic():
        meeting = _lock_meeting(meeting_id, expected_version=expected_version)
        if meeting.status == MeetingStatus.CANCELLED:
            raise TransitionNotAllowed(_("A cancelled meeting can no longer be changed."))
        before = _meeting_audit(meeting)
        before_delegates = sorted(meeting.delegates_present.values_list("id", flat=True))
        values = {name: value for name, value in changes.items() if name != "minutes_file"}
        if "topic" in values:
            values["topic"] = normalize(values["topic"] or "")[:300]
        if "venue" in values:
            values["venue"] = normalize(values["venue"] or "")[:300]
        if "notes" in values:
            values["notes"] = (values["notes"] or "").strip()
        for name in ("cycle", "timing", "topic", "starts_at", "unit", "format", "delegate_group"):
            values.setdefault(name, getattr(meeting, name))
        delegates = (
            list(values.pop("delegates_present"))
            if "delegates_present" in values
            else list(meeting.delegates_present.all())
        )
        values["organisers"] = _clean_organisers(
            values.get("organisers", meeting.organisers), values["delegate_group"]
        )
        if timezone.is_naive(values["starts_at"]):
            raise DomainError(_("The meeting's time needs a time zone."))
        _check_meeting(
            council=meeting.council,
            cycle=values["cycle"],
            timing=values["timing"],
            topic=values["topic"],
            unit=values["unit"],
            meeting_format=values["format"],
            delegate_group=values["delegate_group"],
            delegates=delegates,
            on=timezone.localdate(values["starts_at"]),
        )
        if meeting.status == MeetingStatus.HELD and values.get("voters_attending", 1) is None:
            raise DomainError(
                _("A meeting that was held must say how many voters attended."),
                fields={"voters_attending": [_("This field is required.")]},
            )
        if values["cycle"].pk != meeting.cycle_id and meeting.items.exists():
            raise TransitionNotAllowed(
                _("The meeting already has voter items: its session cycle can no longer change."),
                fields={"cycle": [_("Fixed once items are recorded.")]},
            )
        minutes = changes.get("minutes_file")
        if minutes is not None:
            check_minutes_file(minutes)
        fields = []
        for name, value in values.items():
            if getattr(meeting, name) != value:
                setattr(meeting, name, value)
                fields.append(name)
        if "cycle" in fields:
            meeting.term_id = meeting.cycle.term_id
            fields.append("term")
        if minutes is not None:
            meeting.minutes_file = minutes
            fields.append("minutes_file")
        delegates_changed = sorted(seat.pk for seat in delegates) != before_delegates
        if not fields and not delegates_changed:
            return meeting
        _save_meeting(meeting, fields)
        if delegates_changed:
            meeting.delegates_present.set(delegates)
        after = _meeting_audit(meeting)
        audit: dict[str, Any] = {
            name: [before[name], after[name]] for name in after if before[name] != after[name]
        }
        if delegates_changed:
            audit["delegates_present"] = [before_delegates, sorted(seat.pk for seat in delegates)]
        if minutes is not None:
            audit["minutes_file"] = meeting.minutes_file.name
        record_event(
            actor=actor,
            action="petitions.meeting.update",
            obj=meeting,
            council=meeting.council,
            summary=_("Voter-contact meeting changed: %(meeting)s.") % {"meeting": meeting},
            changes=audit,
        )
    return meeting


def mark_meeting_held(
    *, meeting_id: int, expected_version: int | None, actor: Any, voters_attending: int | None
) -> ContactMeeting:
    """Record that a planned meeting took place, with how many voters attended."""
    if voters_attending is None or voters_attending < 1:
        raise DomainError(
            _("Say how many voters attended the meeting."),
            fields={"voters_attending": [_("Must be 1 or more.")]},
        )
    with transaction.atomic():
        meeting = _lock_meeting(meeting_id, expected_version=expected_version)
        if meeting.status != MeetingStatus.PLANNED:
            raise TransitionNotAllowed(
                _("Only a planned meeting can be marked as held; this one is “%(status)s”.")
                % {"status": meeting.get_status_display()}
            )
        if meeting.starts_at > timezone.now():
            raise TransitionNotAllowed(
                _("The meeting has not started yet: it cannot be marked as held.")
            )
        meeting.status = MeetingStatus.HELD
        meeting.voters_attending = voters_attending
        _save_meeting(meeting, ["status", "voters_attending"])
        record_event(
            actor=actor,
            action="petitions.meeting.hold",
            obj=meeting,
            council=meeting.council,
            summary=_("Voter-contact meeting held: %(meeting)s, %(count)s voters.")
            % {"meeting": meeting, "count": voters_attending},
            changes={
                "status": [MeetingStatus.PLANNED, MeetingStatus.HELD],
                "voters": voters_attending,
            },
        )
    return meeting


def cancel_meeting(
    *, meeting_id: int, expected_version: int | None, actor: Any, reason: str
) -> ContactMeeting:
    """Cancel a planned meeting that has no items; the reason is kept in its notes."""
    reason = normalize(reason or "")
    if not reason:
        raise DomainError(
            _("Say why the meeting is cancelled."),
            fields={"reason": [_("This field is required.")]},
        )
    with transaction.atomic():
        meeting = _lock_meeting(meeting_id, expected_version=expected_version)
        if meeting.status != MeetingStatus.PLANNED:
            raise TransitionNotAllowed(
                _("Only a planned meeting can be cancelled; this one is “%(status)s”.")
                % {"status": meeting.get_status_display()}
            )
        if VoterItem.objects.filter(meeting=meeting).exists():
            raise TransitionNotAllowed(
                _("Voter items are recorded for this meeting: it took place.")
            )
        meeting.status = MeetingStatus.CANCELLED
        note = _("Cancelled: %(reason)s") % {"reason": reason}
        meeting.notes = f"{meeting.notes}\n{note}".strip()
        _save_meeting(meeting, ["status", "notes"])
        record_event(
            actor=actor,
            action="petitions.meeting.cancel",
            obj=meeting,
            council=meeting.council,
            summary=_("Voter-contact meeting cancelled: %(meeting)s.") % {"meeting": meeting},
            changes={"status": [MeetingStatus.PLANNED, MeetingStatus.CANCELLED], "reason": reason},
        )
    return meeting


def add_spot_answer(
    *,
    meeting_id: int,
    actor: Any,
    official_name: str,
    text: str,
    official_title: str = "",
    agency: Agency | None = None,
    item: VoterItem | None = None,
    settles_item: bool = False,
) -> SpotAnswer:
    """Record an answer an official gave at the meeting itself."""
    official_name = normalize(official_name or "")[:150]
    text = (text or "").strip()
    errors: dict[str, list[str]] = {}
    if not official_name:
        errors["official_name"] = [_("This field is required.")]
    if not normalize(text):
        errors["text"] = [_("This field is required.")]
    if settles_item and item is None:
        errors["item"] = [_("Choose the voter item the answer settles.")]
    if errors:
        raise DomainError(_("Say who answered and what they said."), fields=errors)
    with transaction.atomic():
        # Lock the meeting: an answer cannot slip in while it is being cancelled.
        meeting = _lock_meeting(meeting_id)
        if meeting.status == MeetingStatus.CANCELLED:
            raise TransitionNotAllowed(_("The meeting was cancelled: it has no answers."))
        if item is not None and item.meeting_id != meeting.pk:
            raise DomainError(
                _("The voter item was raised at another meeting."),
                fields={"item": [_("Choose an item of this meeting.")]},
            )
        if agency is not None and agency.council_id not in council_tree_ids(
            council=meeting.council
        ):
            raise DomainError(
                _("Choose an agency of this council or its communes."),
                fields={"agency": [_("Choose an agency of this council or its communes.")]},
            )
        answer = SpotAnswer.objects.create(
            meeting=meeting,
            item=item,
            official_name=official_name,
            official_title=normalize(official_title or "")[:200],
            agency=agency,
            text=text,
            settles_item=settles_item,
        )
        record_event(
            actor=actor,
            action="petitions.spot_answer.create",
            obj=answer,
            council=meeting.council,
            summary=_("Answer given at the meeting by %(official)s recorded.")
            % {"official": official_name},
            changes={
                "meeting": meeting.pk,
                "item": item.pk if item else None,
                "agency": agency.pk if agency else None,
                "settles_item": settles_item,
            },
        )
    return answer
