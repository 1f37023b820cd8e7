"""The floor: requests to speak on an agenda item, the queue the chair orders, one
speaker at a time, and the log of who spoke and for how long.

| action         | who                                      | from      | to        |
|----------------|------------------------------------------|-----------|-----------|
| request_speech | a delegate or the chair, for themselves  | —         | waiting   |
| add_speaker    | the chair or the office, for anyone      | —         | waiting   |
| withdraw       | the requester, or the chair / the office | waiting   | withdrawn |
| move           | the chair or the office                  | waiting   | waiting   |
| set_limit      | the chair or the office                  | waiting, speaking | (same) |
| grant_floor    | the chair or the office                  | waiting   | speaking  |
| end_speech     | the chair or the office                  | speaking  | done      |

Granting the floor never ends a speech silently: while someone speaks it is refused,
unless the caller asks to end that speech first (`end_current=True`, "end and give the
floor to the next"). Guests and respondents speak only when the chair adds them.
"""

import enum
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from hdnd.core.errors import DomainError, NotFound, PermissionDenied
from hdnd.meetings.access import can_run, participant_of, require_run
from hdnd.meetings.models import (
    VOTING_ROLES,
    AgendaItem,
    ItemStatus,
    Meeting,
    MeetingStatus,
    Participant,
    SpeechKind,
    SpeechRequest,
    SpeechStatus,
)
from hdnd.meetings.queries.speaking import current_speaker
from hdnd.meetings.services.common import NotAllowedNow, announce, lock_meeting, record

# Bounds of a time limit the chair may set, in seconds.
MIN_LIMIT_SECONDS = 10
MAX_LIMIT_SECONDS = 3 * 60 * 60
NOTE_MAX_LENGTH = 300
CLOSED_STATUSES = frozenset({MeetingStatus.ENDED, MeetingStatus.CANCELLED})


class Move(enum.StrEnum):
    UP = "up"
    DOWN = "down"
    TOP = "top"


# Checks shared by the actions.


def _require_open_meeting(meeting: Meeting) -> None:
    if meeting.status in CLOSED_STATUSES:
        raise NotAllowedNow(_("This meeting has ended: its list of speakers is closed."))


def _item(meeting: Meeting, agenda_item_id: int | None) -> AgendaItem:
    """The agenda item named, or the meeting's current one."""
    items = AgendaItem.objects.filter(meeting_id=meeting.pk)
    if agenda_item_id is None:
        item = items.filter(status=ItemStatus.CURRENT).first()
        if item is None:
            raise NotAllowedNow(
                _("No agenda item is under discussion now: choose the item to speak on.")
            )
        return item
    item = items.filter(id=agenda_item_id).first()
    if item is None:
        raise NotFound(_("This agenda item does not exist."))
    if item.status == ItemStatus.DONE:
        raise NotAllowedNow(_("This agenda item is closed: nobody may ask to speak on it."))
    return item


def _check_kind(kind: str) -> SpeechKind:
    if kind not in SpeechKind.values:
        raise DomainError(
            _("Choose a speech or a debate."), fields={"kind": [_("Choose a speech or a debate.")]}
        )
    return SpeechKind(kind)


def _check_note(note: str) -> str:
    note = note.strip()
    if len(note) > NOTE_MAX_LENGTH:
        message = _("Keep the topic to %(count)s characters or fewer.") % {"count": NOTE_MAX_LENGTH}
        raise DomainError(message, fields={"note": [message]})
    return note


def _check_limit(limit_seconds: int) -> int:
    if not MIN_LIMIT_SECONDS <= limit_seconds <= MAX_LIMIT_SECONDS:
        message = _("The time limit must be between %(low)s and %(high)s seconds.") % {
            "low": MIN_LIMIT_SECONDS,
            "high": MAX_LIMIT_SECONDS,
        }
        raise DomainError(message, fields={"limit_seconds": [message]})
    return limit_seconds


def _lock_request(request_id: int) -> tuple[Meeting, SpeechRequest]:
    """The request and its meeting, the meeting locked first (the order every action of
    the room takes, so two of them never wait on each other)."""
    found = (
        SpeechRequest.objects.filter(id=request_id)
        .values_list("agenda_item__meeting_id", flat=True)
        .first()
    )
    if found is None:
        raise NotFound(_("This request to speak does not exist."))
    meeting = lock_meeting(found)
    speech = (
        SpeechRequest.objects.select_for_update()
        .select_related("participant__person", "agenda_item")
        .get(id=request_id)
    )
    return meeting, speech


def _require_status(speech: SpeechRequest, *allowed: SpeechStatus) -> None:
    if speech.status not in allowed:
        raise NotAllowedNow(
            _("This request is no longer open (now: %(status)s). Reload the list.")
            % {"status": speech.get_status_display()}
        )


def _next_position(item: AgendaItem) -> int:
    last = SpeechRequest.objects.filter(agenda_item=item, status=SpeechStatus.WAITING).aggregate(
        last=Max("position")
    )["last"]
    return (last or 0) + 1


def _create(
    *,
    meeting: Meeting,
    item: AgendaItem,
    participant: Participant,
    kind: SpeechKind,
    note: str,
    limit_seconds: int,
    actor: Any,
    action: str,
) -> SpeechRequest:
    already = SpeechRequest.objects.filter(
        agenda_item=item,
        participant=participant,
        status__in=[SpeechStatus.WAITING, SpeechStatus.SPEAKING],
    ).exists()
    if already:
        raise NotAllowedNow(
            _("%(name)s is already on the list of speakers for this item.")
            % {"name": participant.person}
        )
    speech = SpeechRequest.objects.create(
        agenda_item=item,
        participant=participant,
        kind=kind,
        note=note,
        position=_next_position(item),
        limit_seconds=limit_seconds,
    )
    record(
        meeting,
        actor=actor,
        action=action,
        obj=speech,
        summary=f"{participant.person} — {item.title}",
        changes={"kind": str(kind), "agenda_item": item.pk, "participant": participant.pk},
    )
    announce(meeting.pk, "speakers")
    return speech


# Actions.


def request_speech(
    *,
    meeting_id: int,
    actor: Any,
    kind: str,
    note: str = "",
    agenda_item_id: int | None = None,
) -> SpeechRequest:
    """A delegate (or the chair) asks to speak on the current item, or on the one named."""
    with transaction.atomic():
        meeting = lock_meeting(meeting_id)
        participant = participant_of(actor, meeting)
        if participant is None:
            raise PermissionDenied(_("You are not a participant of this meeting."))
        if participant.role not in VOTING_ROLES:
            raise PermissionDenied(
                _(
                    "Only the council's delegates ask to speak; the chair may add invited "
                    "guests and officials to the list."
                )
            )
        _require_open_meeting(meeting)
        item = _item(meeting, agenda_item_id)
        return _create(
            meeting=meeting,
            item=item,
            participant=participant,
            kind=_check_kind(kind),
            note=_check_note(note),
            limit_seconds=meeting.speech_limit_seconds,
            actor=actor,
            action="speech.request",
        )


def add_speaker(
    *,
    meeting_id: int,
    actor: Any,
    participant_id: int,
    kind: str,
    note: str = "",
    agenda_item_id: int | None = None,
    limit_seconds: int | None = None,
) -> SpeechRequest:
    """The chair (or the office) puts a participant on the list: a delegate, or a guest
    or an official given the floor."""
    with transaction.atomic():
        meeting = lock_meeting(meeting_id)
        require_run(actor, meeting)
        _require_open_meeting(meeting)
        participant = (
            Participant.objects.select_related("person")
            .filter(meeting_id=meeting.pk, id=participant_id)
            .first()
        )
        if participant is None:
            message = _("This person does not take part in the meeting.")
            raise DomainError(message, fields={"participant": [message]})
        item = _item(meeting, agenda_item_id)
        limit = meeting.speech_limit_seconds if limit_seconds is None else limit_seconds
        return _create(
            meeting=meeting,
            item=item,
            participant=participant,
            kind=_check_kind(kind),
            note=_check_note(note),
            limit_seconds=_check_limit(limit),
            actor=actor,
            action="speech.add",
        )


def withdraw_speech(*, request_id: int, actor: Any) -> SpeechRequest:
    """The requester takes their request back while waiting (the chair or the office may
    take anyone's off the list)."""
    with transaction.atomic():
        meeting, speech = _lock_request(request_id)
        own = participant_of(actor, meeting)
        if (own is None or own.pk != speech.participant_id) and not can_run(actor, meeting):
            raise PermissionDenied(_("Only the requester or the chair may withdraw a request."))
        _require_status(speech, SpeechStatus.WAITING)
        speech.status = SpeechStatus.WITHDRAWN
        speech.save(update_fields=["status"])
        record(meeting, actor=actor, action="speech.withdraw", obj=speech, summary=str(speech))
        announce(meeting.pk, "speakers")
        return speech


def move_speech(*, request_id: int, actor: Any, move: str) -> SpeechRequest:
    """Reorder the waiting list: one place up or down, or to the top."""
    if move not in {one.value for one in Move}:
        raise DomainError(_("Move up, down or to the top."), fields={"move": []})
    with transaction.atomic():
        meeting, speech = _lock_request(request_id)
        require_run(actor, meeting)
        _require_status(speech, SpeechStatus.WAITING)
        queue = list(
            SpeechRequest.objects.select_for_update()
            .filter(agenda_item_id=speech.agenda_item_id, status=SpeechStatus.WAITING)
            .order_by("position", "id")
        )
        index = next(i for i, one in enumerate(queue) if one.pk == speech.pk)
        moved = queue.pop(index)
        if move == Move.TOP:
            target = 0
        elif move == Move.UP:
            target = max(index - 1, 0)
        else:
            target = min(index + 1, len(queue))
        queue.insert(target, moved)
        for position, one in enumerate(queue, start=1):
            if one.position != position:
                one.position = position
                one.save(update_fields=["position"])
        record(
            meeting,
            actor=actor,
            action="speech.move",
            obj=moved,
            summary=str(moved),
            changes={"move": move, "from": index + 1, "to": target + 1},
        )
        announce(meeting.pk, "speakers")
        return moved


def set_speech_limit(*, request_id: int, actor: Any, limit_seconds: int) -> SpeechRequest:
    """The chair gives this speaker another time limit (before or during the speech)."""
    with transaction.atomic():
        meeting, speech = _lock_request(request_id)
        require_run(actor, meeting)
        _require_status(speech, SpeechStatus.WAITING, SpeechStatus.SPEAKING)
        before = speech.limit_seconds
        speech.limit_seconds = _check_limit(limit_seconds)
        speech.save(update_fields=["limit_seconds"])
        record(
            meeting,
            actor=actor,
            action="speech.limit",
            obj=speech,
            summary=str(speech),
            changes={"limit_seconds": [before, speech.limit_seconds]},
        )
        announce(meeting.pk, "speakers")
        return speech


def _end(meeting: Meeting, speech: SpeechRequest, actor: Any) -> None:
    speech.status = SpeechStatus.DONE
    speech.ended_at = timezone.now()
    speech.save(update_fields=["status", "ended_at"])
    record(
        meeting,
        actor=actor,
        action="speech.end",
        obj=speech,
        summary=str(speech),
        changes={
            "seconds": speech.duration_seconds,
            "limit_seconds": speech.limit_seconds,
        },
    )


def grant_floor(
    *,
    meeting_id: int,
    actor: Any,
    request_id: int | None = None,
    end_current: bool = False,
) -> SpeechRequest:
    """Give the floor to a waiting request, or (without one) to the first in the current
    item's queue. While someone speaks this is refused, unless `end_current` ends that
    speech first."""
    with transaction.atomic():
        meeting = lock_meeting(meeting_id)
        require_run(actor, meeting)
        _require_open_meeting(meeting)
        if request_id is None:
            item = _item(meeting, None)
            speech = (
                SpeechRequest.objects.select_for_update()
                .filter(agenda_item=item, status=SpeechStatus.WAITING)
                .order_by("position", "id")
                .first()
            )
            if speech is None:
                raise NotAllowedNow(_("Nobody is waiting to speak on this item."))
        else:
            speech = (
                SpeechRequest.objects.select_for_update()
                .filter(id=request_id, agenda_item__meeting_id=meeting.pk)
                .first()
            )
            if speech is None:
                raise NotFound(_("This request to speak does not exist."))
        _require_status(speech, SpeechStatus.WAITING)
        current = current_speaker(meeting)
        if current is not None:
            if not end_current:
                raise NotAllowedNow(
                    _(
                        "%(name)s has the floor. End that speech first, or choose “end and "
                        "give the floor to the next”."
                    )
                    % {"name": current.participant.person}
                )
            _end(meeting, current, actor)
        speech.status = SpeechStatus.SPEAKING
        speech.started_at = timezone.now()
        speech.save(update_fields=["status", "started_at"])
        record(
            meeting,
            actor=actor,
            action="speech.grant",
            obj=speech,
            summary=str(speech),
            changes={"limit_seconds": speech.limit_seconds},
        )
        announce(meeting.pk, "speakers")
        return speech


def end_speech(*, meeting_id: int, actor: Any) -> SpeechRequest:
    """End the current speech (it goes to the log with its duration)."""
    with transaction.atomic():
        meeting = lock_meeting(meeting_id)
        require_run(actor, meeting)
        current = current_speaker(meeting)
        if current is None:
            raise NotAllowedNow(_("Nobody has the floor now."))
        _end(meeting, current, actor)
        announce(meeting.pk, "speakers")
        return current
