"""Reads of the floor: who speaks now, the waiting list of an item, and the log of who
spoke, for how long, and whether they went over their time."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from hdnd.meetings.models import (
    AgendaItem,
    ItemStatus,
    Meeting,
    Participant,
    SpeechRequest,
    SpeechStatus,
)


@dataclass(frozen=True)
class Floor:
    """The speakers panel's state for one agenda item."""

    item: AgendaItem | None
    speaker: SpeechRequest | None
    waiting: list[SpeechRequest]
    # The viewer's own open request on the item, and their place in the queue (1-based).
    mine: SpeechRequest | None
    my_place: int | None

    @property
    def next_waiting(self) -> SpeechRequest | None:
        return self.waiting[0] if self.waiting else None


def current_item(meeting: Meeting) -> AgendaItem | None:
    return AgendaItem.objects.filter(meeting_id=meeting.pk, status=ItemStatus.CURRENT).first()


def current_speaker(meeting: Meeting) -> SpeechRequest | None:
    return (
        SpeechRequest.objects.select_related("participant__person", "agenda_item")
        .filter(agenda_item__meeting_id=meeting.pk, status=SpeechStatus.SPEAKING)
        .first()
    )


def waiting_list(item: AgendaItem) -> QuerySet[SpeechRequest]:
    return (
        SpeechRequest.objects.select_related("participant__person")
        .filter(agenda_item_id=item.pk, status=SpeechStatus.WAITING)
        .order_by("position", "id")
    )


def floor_state(
    meeting: Meeting, *, participant: Participant | None = None, item: AgendaItem | None = None
) -> Floor:
    """The current speaker, and the waiting list of `item` (by default the current item)."""
    if item is None:
        item = current_item(meeting)
    speaker = current_speaker(meeting)
    waiting = list(waiting_list(item)) if item is not None else []
    mine = None
    my_place = None
    if participant is not None:
        for place, one in enumerate(waiting, start=1):
            if one.participant_id == participant.pk:
                mine, my_place = one, place
        if speaker is not None and speaker.participant_id == participant.pk:
            mine = speaker
    return Floor(item=item, speaker=speaker, waiting=waiting, mine=mine, my_place=my_place)


def speech_log(meeting: Meeting, *, item: AgendaItem | None = None) -> QuerySet[SpeechRequest]:
    """Finished speeches, in the order they were given."""
    speeches = SpeechRequest.objects.select_related("participant__person", "agenda_item").filter(
        agenda_item__meeting_id=meeting.pk, status=SpeechStatus.DONE
    )
    if item is not None:
        speeches = speeches.filter(agenda_item_id=item.pk)
    return speeches.order_by("started_at", "id")


def went_over(speech: SpeechRequest) -> bool:
    duration = speech.duration_seconds
    return duration is not None and duration > speech.limit_seconds


def seconds_left(speech: SpeechRequest, *, now: dt.datetime) -> int | None:
    """The speaker's time left (negative past the limit), by the server's clock."""
    if speech.started_at is None:
        return None
    elapsed = int((now - speech.started_at).total_seconds())
    return speech.limit_seconds - elapsed
