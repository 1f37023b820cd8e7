"""After the meeting: the resolutions it adopted (number, title, date, the poll that
adopted them, the signed file) and their publication."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hdnd.core.errors import DomainError, NotFound
from hdnd.lib.pdfsign import verify_pdf
from hdnd.lib.uploads import check_pdf_upload
from hdnd.lib.vietnamese import normalize
from hdnd.meetings.models import AgendaItem, Resolution
from hdnd.meetings.services.common import NotAllowedNow, announce, lock_meeting, record
from hdnd.voting.models import Poll, PollStatus


def record_resolution(
    *,
    meeting_id: int,
    number: str,
    title: str,
    adopted_on: dt.date,
    poll_id: int | None = None,
    agenda_item_id: int | None = None,
    file: "File[bytes] | None" = None,
    actor: Any,
) -> Resolution:
    """Record a resolution the meeting adopted. With a poll, the poll must be of this
    meeting, closed and passed; with a signed PDF, its signature is checked."""
    number = normalize(number)
    title = normalize(title)
    errors: dict[str, list[str]] = {}
    if not number:
        errors["number"] = [_("Enter the resolution's number and symbol.")]
    if not title:
        errors["title"] = [_("Enter the resolution's title.")]
    if adopted_on > timezone.localdate():
        errors["adopted_on"] = [_("The adoption date cannot be in the future.")]
    if errors:
        raise DomainError(_("Please correct the marked fields."), fields=errors)
    if file is not None:
        check_pdf_upload(file, limit_mb=settings.MEETINGS_MAX_UPLOAD_MB)
    with transaction.atomic():
        meeting = lock_meeting(meeting_id)
        poll = None
        if poll_id is not None:
            poll = Poll.objects.filter(id=poll_id, meeting_id=meeting.pk).first()
            if poll is None:
                raise NotFound(_("This poll is not one of this meeting's."))
            if poll.status != PollStatus.CLOSED:
                raise NotAllowedNow(_("Only a closed poll can adopt a resolution."))
            if not poll.passed:
                raise NotAllowedNow(
                    _("This poll did not pass: it cannot have adopted a resolution.")
                )
            if Resolution.objects.filter(poll=poll).exists():
                raise NotAllowedNow(_("Another resolution already records this poll."))
        if (
            agenda_item_id is not None
            and not AgendaItem.objects.filter(id=agenda_item_id, meeting_id=meeting.pk).exists()
        ):
            raise NotFound(_("This agenda item is not one of this meeting's."))
        resolution = Resolution(
            meeting=meeting,
            number=number,
            title=title,
            adopted_on=adopted_on,
            poll=poll,
            agenda_item_id=agenda_item_id
            if agenda_item_id
            else (poll.agenda_item_id if poll else None),
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        if file is not None:
            result = verify_pdf(file)
            resolution.signature_status = result.status
            resolution.signature_details = result.details
            file.seek(0)
            resolution.file.save(file.name or "nghi-quyet.pdf", file, save=False)
        try:
            with transaction.atomic():
                resolution.save()
        except IntegrityError:
            message = _("This meeting already has a resolution numbered %(number)s.") % {
                "number": number
            }
            raise DomainError(message, fields={"number": [message]}) from None
        record(
            meeting,
            actor=actor,
            action="resolution_recorded",
            obj=resolution,
            summary=_("Resolution %(number)s recorded") % {"number": number},
            changes={"number": number, "poll": poll.pk if poll else None},
        )
    announce(meeting.pk, "meeting")
    return resolution


def publish_resolution(*, resolution_id: int, actor: Any) -> Resolution:
    """Make a resolution public (its record and signed file) on the meeting's public page."""
    with transaction.atomic():
        resolution = Resolution.objects.select_for_update().filter(id=resolution_id).first()
        if resolution is None:
            raise NotFound(_("This resolution does not exist."))
        meeting = lock_meeting(resolution.meeting_id)
        if resolution.published_at is not None:
            return resolution
        if not resolution.file:
            raise NotAllowedNow(_("Attach the signed resolution before publishing it."))
        resolution.published_at = timezone.now()
        resolution.save(update_fields=["published_at"])
        record(
            meeting,
            actor=actor,
            action="resolution_published",
            obj=resolution,
            summary=_("Resolution %(number)s published") % {"number": resolution.number},
        )
    return resolution
