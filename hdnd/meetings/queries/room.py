"""The room's public state: what every tablet, the chair's console and the projector show
of a meeting right now (current sitting and agenda item, attendance and quorum, the floor,
the question being asked, the poll).

`room_state` is built once per change and sent to every client of the room, so it reads
in a few queries and holds nothing private: no names of how anyone voted in a secret poll,
no viewer's own state (the consumer adds that per connection, see `viewer_state`).
"""

from typing import Any

from hdnd.meetings.models import (
    VOTING_ROLES,
    Attendance,
    AttendanceStatus,
    Meeting,
    Participant,
    SpeechRequest,
    SpeechStatus,
)
from hdnd.meetings.queries import agenda, attendance, questioning, speaking
from hdnd.voting.models import Poll, PollStatus
from hdnd.voting.queries import poll_state

# The speakers waiting that the room shows after the current one.
WAITING_SHOWN = 5


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _current_item(meeting: Meeting) -> dict[str, Any] | None:
    row = agenda.current_item(meeting)
    if row is None:
        return None
    presenter = row.item.presenter
    return {
        "id": row.item.pk,
        "number": row.number,
        "title": row.item.title,
        "presenter": presenter.full_name if presenter is not None else row.item.presenter_text,
    }


def _attendance(meeting: Meeting) -> dict[str, Any]:
    """Present voting participants of all of them, the quorum, and the invited guests
    (guests and respondents) present at the current sitting."""
    quorum = attendance.quorum(meeting)
    guests_present = 0
    if meeting.current_sitting_id is not None:
        guests_present = Attendance.objects.filter(
            sitting_id=meeting.current_sitting_id,
            status=AttendanceStatus.PRESENT,
            participant__meeting_id=meeting.pk,
            participant__role__in=attendance.GUEST_ROLES,
        ).count()
    return {
        "present": quorum.present,
        "total": quorum.total,
        "guests_present": guests_present,
        "quorum": {
            "present": quorum.present,
            "total": quorum.total,
            "required": quorum.required,
            "reached": quorum.reached,
        },
    }


def _speakers(meeting: Meeting, item_id: int | None) -> dict[str, Any]:
    speaker = speaking.current_speaker(meeting)
    waiting = (
        list(
            SpeechRequest.objects.filter(agenda_item_id=item_id, status=SpeechStatus.WAITING)
            .order_by("position", "id")
            .values("id", "kind", "participant__person__full_name")
        )
        if item_id is not None
        else []
    )
    return {
        "current": None
        if speaker is None
        else {
            "id": speaker.pk,
            "name": speaker.participant.person.full_name,
            "kind": speaker.kind,
            "started_at": _iso(speaker.started_at),
            "limit_seconds": speaker.limit_seconds,
            "warning_seconds": meeting.speech_warning_seconds,
        },
        "waiting": [
            {"id": one["id"], "name": one["participant__person__full_name"], "kind": one["kind"]}
            for one in waiting[:WAITING_SHOWN]
        ],
        "waiting_count": len(waiting),
    }


def _question(meeting: Meeting) -> dict[str, Any] | None:
    question = questioning.asked_question(meeting)
    if question is None:
        return None
    return {
        "id": question.pk,
        "kind": question.kind,
        "text": question.text,
        "asked_at": _iso(question.asked_at),
        "asker": question.asker.person.full_name,
        "respondent": question.respondent.person.full_name,
        "respondent_title": question.respondent.title,
    }


def room_poll(meeting_id: int) -> Poll | None:
    """The poll the room shows: the open one, else the last one closed (its result)."""
    return (
        Poll.objects.filter(meeting_id=meeting_id, status__in=[PollStatus.OPEN, PollStatus.CLOSED])
        .order_by("-opened_at", "-id")
        .first()
    )


def _poll(poll: Poll | None) -> dict[str, Any] | None:
    return poll_state(poll) if poll is not None else None


def room_state(meeting: Meeting) -> dict[str, Any]:
    """The meeting's public live state, JSON-ready."""
    sitting = meeting.current_sitting
    item = _current_item(meeting)
    return {
        "meeting": {
            "id": meeting.pk,
            "title": meeting.title,
            "status": meeting.status,
            "version": meeting.version,
        },
        "sitting": None
        if sitting is None
        else {
            "id": sitting.pk,
            "number": sitting.number,
            "title": str(sitting),
            "status": sitting.status,
        },
        "agenda_item": item,
        "attendance": _attendance(meeting),
        "speakers": _speakers(meeting, item["id"] if item else None),
        "question": _question(meeting),
        "poll": _poll(room_poll(meeting.pk)),
    }


def viewer_state(meeting: Meeting, participant: Participant | None) -> dict[str, Any]:
    """What one viewer sees of themselves: their role, attendance, and their ballot in the
    room's poll (that they voted and when; never more than the voter may know)."""
    if participant is None:
        return {"participant": None, "attendance": None, "my_ballot": None}
    attendance = (
        participant.attendance.filter(sitting_id=meeting.current_sitting_id)
        .values("status", "ready_to_vote")
        .first()
        if meeting.current_sitting_id is not None
        else None
    )
    poll = room_poll(meeting.pk)
    my_ballot: dict[str, Any] | None = None
    if poll is not None and participant.role in VOTING_ROLES:
        my_ballot = {
            "poll": poll.pk,
            **poll_state(poll, viewer_participant=participant)["my_ballot"],
        }
    return {
        "participant": {"id": participant.pk, "role": participant.role},
        "attendance": attendance,
        "my_ballot": my_ballot,
    }
