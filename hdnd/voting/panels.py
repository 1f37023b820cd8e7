"""What the chair's console panel and the delegate's ballot panel show. Both the panel
endpoints (views.py) and the template tags that render the panels inside the meeting's
pages (templatetags/voting_panels.py) build their context here."""

from typing import Any

from hdnd.meetings.access import can_run, participant_of
from hdnd.meetings.models import Meeting
from hdnd.meetings.queries.attendance import is_present, quorum
from hdnd.meetings.queries.room import room_poll
from hdnd.voting.forms import PollForm
from hdnd.voting.models import Choice, Poll, PollStatus
from hdnd.voting.queries import meeting_polls, not_voted, poll_state

RECENT_CLOSED = 5


def options(poll: Poll | None) -> list[tuple[str, str]]:
    """(value, label) of the choices the poll's ballot offers."""
    if poll is None:
        return []
    labels = dict(Choice.choices)
    return [(str(value), str(labels[value])) for value in poll.choices]


def console_data(user: Any, meeting: Meeting, *, form: PollForm | None = None) -> dict[str, Any]:
    if not can_run(user, meeting):
        return {"allowed": False}
    polls = list(meeting_polls(meeting.pk))
    current = next((poll for poll in polls if poll.status == PollStatus.OPEN), None)
    return {
        "allowed": True,
        "current": current,
        "state": poll_state(current) if current else None,
        "options": options(current),
        "waiting": not_voted(current) if current else [],
        "drafts": [poll for poll in polls if poll.status == PollStatus.DRAFT],
        "closed": [poll for poll in polls if poll.status == PollStatus.CLOSED][-RECENT_CLOSED:][
            ::-1
        ],
        "form": form or PollForm(meeting=meeting),
        # Shown beside "Open voting": a vote without the quorum is one the chair should
        # not take (the session needs its quorum; the pass rule counts all delegates).
        "quorum": quorum(meeting),
    }


def ballot_data(user: Any, meeting: Meeting) -> dict[str, Any]:
    participant = participant_of(user, meeting)
    # The poll the room shows: the open one, else the last one closed.
    poll = room_poll(meeting.pk)
    current = poll if poll is not None and poll.status == PollStatus.OPEN else None
    state = poll_state(poll, viewer_participant=participant) if poll else None
    if state is not None:
        # The delegate's own named choices beside each subject, so the ballot shows them
        # (a secret ballot keeps none).
        mine = (state.get("my_ballot") or {}).get("choices") or {}
        for subject in state["subjects"]:
            subject["mine"] = mine.get(str(subject["id"]), "")
    return {
        "participant": participant,
        "votes": participant is not None and participant.votes,
        "poll": poll,
        "state": state,
        "options": options(poll),
        "present": bool(
            participant is not None
            and current is not None
            and is_present(participant, current.sitting)
        ),
    }
