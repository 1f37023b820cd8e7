"""Reads of polls: the public state of a poll (for the tablets, the console, the
projector, the API), who has not voted yet, the roll call of a named poll, a meeting's
polls.

A secret poll shows its counts only once closed: counts that move while it is open would
tell the chair, watching, how each delegate who just voted voted. Before that it shows how
many voted. A named poll shows live counts unless the chair turned them off.
"""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from hdnd.meetings.models import Participant
from hdnd.voting.models import Ballot, Choice, Poll, PollKind, PollStatus, Vote
from hdnd.voting.results import compute_result, percentage
from hdnd.voting.services import present_person_ids, rule_of, voting_participants
from hdnd.voting.stored import stored_counts, subjects_of


def meeting_polls(meeting_id: int) -> QuerySet[Poll]:
    return (
        Poll.objects.filter(meeting_id=meeting_id)
        .select_related("agenda_item", "revote_of", "seal")
        .order_by("id")
    )


def counts_visible(poll: Poll) -> bool:
    if poll.status == PollStatus.CLOSED:
        return True
    if poll.status == PollStatus.DRAFT:
        return False
    return not poll.is_secret and poll.show_live_counts


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _my_ballot(poll: Poll, participant: Participant) -> dict[str, Any]:
    ballot = Ballot.objects.filter(poll_id=poll.pk, person_id=participant.person_id).first()
    mine: dict[str, Any] = {
        "entitled": participant.votes,
        "voted": ballot is not None,
        "cast_at": _iso(ballot.cast_at) if ballot else None,
        "changed_at": _iso(ballot.changed_at) if ballot else None,
        "cast_time": (
            timezone.localtime(ballot.changed_at or ballot.cast_at).strftime("%H:%M:%S")
            if ballot
            else None
        ),
        "choices": None,
    }
    if ballot is not None and not poll.is_secret:
        mine["choices"] = {
            str(subject_id): choice
            for subject_id, choice in Vote.objects.filter(ballot=ballot).values_list(
                "subject_id", "choice"
            )
        }
    return mine


def poll_state(poll: Poll, *, viewer_participant: Participant | None = None) -> dict[str, Any]:
    """The poll's public state, JSON-ready. Percentages are of ALL delegates."""
    subjects = subjects_of(poll)
    total = (
        poll.total_members
        if poll.total_members is not None
        else len(voting_participants(poll.meeting_id))
    )
    voted = Ballot.objects.filter(poll_id=poll.pk).count()
    present = len(present_person_ids(poll.sitting_id, poll.meeting_id))
    visible = counts_visible(poll)
    state: dict[str, Any] = {
        "id": poll.pk,
        "meeting_id": poll.meeting_id,
        "title": poll.title,
        "text": poll.text,
        "status": poll.status,
        "kind": poll.kind,
        "secret": poll.is_secret,
        "rule": rule_of(poll),
        "share": {
            "numerator": poll.required_numerator,
            "denominator": poll.required_denominator,
            "strict": poll.required_strict,
        },
        "seats": poll.seats,
        "allow_change": poll.allow_change,
        "revote_of": poll.revote_of_id,
        "total_members": total,
        "required_votes": poll.required_votes(total),
        # Confidence ratings: "low" from this many delegates is flagged (more than half;
        # two-thirds or more), as results.compute_result flags it.
        "low_over_half_votes": total // 2 + 1,
        "low_two_thirds_votes": -(-2 * total // 3),
        "voted": voted,
        "present": present,
        "voted_percentage": percentage(voted, total),
        "opened_at": _iso(poll.opened_at),
        "closed_at": _iso(poll.closed_at),
        "counts_visible": visible,
        "choices": list(poll.choices),
        "subjects": [
            {
                "id": subject.pk,
                "position": subject.position,
                "label": subject.label,
                "person_id": subject.person_id,
                "post": subject.post,
            }
            for subject in subjects
        ],
        "passing_now": None,
        "passed": poll.passed,
        "my_ballot": None,
    }
    if poll.status == PollStatus.CLOSED and poll.result:
        result = poll.result
    elif visible:
        counts = stored_counts(poll, subjects)
        result = compute_result(poll, subjects, counts, total=total, voted=voted)
    else:
        result = None
    if result is not None:
        by_id = {row["subject_id"]: row for row in result["subjects"]}
        for subject in state["subjects"]:
            row = by_id.get(subject["id"], {})
            for key in (
                "counts",
                "percentages",
                "passed",
                "low_over_half",
                "low_two_thirds",
                "elected",
                "tied_out",
            ):
                if key in row:
                    subject[key] = row[key]
        if poll.kind == PollKind.ELECTION:
            state["tie_at_cutoff"] = result.get("tie_at_cutoff", False)
        if poll.status == PollStatus.OPEN:
            state["passing_now"] = result["passed"]
    if viewer_participant is not None:
        state["my_ballot"] = _my_ballot(poll, viewer_participant)
    return state


def not_voted(poll: Poll) -> list[Participant]:
    """Delegates present at the poll's sitting who have not voted (for the chair: a secret
    poll reveals only THAT someone voted)."""
    voted = set(Ballot.objects.filter(poll_id=poll.pk).values_list("person_id", flat=True))
    present = present_person_ids(poll.sitting_id, poll.meeting_id)
    return [
        participant
        for participant in voting_participants(poll.meeting_id)
        if participant.person_id in present and participant.person_id not in voted
    ]


def roll_call(poll: Poll) -> list[dict[str, Any]]:
    """A closed named poll's roll call: every delegate entitled at close, with their
    choice per subject (empty when they did not vote). Nothing for a secret poll."""
    if poll.is_secret or poll.status != PollStatus.CLOSED:
        return []
    subjects = subjects_of(poll)
    votes: dict[int, dict[int, str]] = {}
    for person_id, subject_id, choice in Vote.objects.filter(poll_id=poll.pk).values_list(
        "ballot__person_id", "subject_id", "choice"
    ):
        votes.setdefault(person_id, {})[subject_id] = choice
    labels = dict(Choice.choices)
    rows = []
    for entry in poll.entitled:
        mine = votes.get(entry["person_id"], {})
        rows.append(
            {
                "person_id": entry["person_id"],
                "name": entry["name"],
                "voted": entry["voted"],
                "choices": [
                    {
                        "subject_id": subject.pk,
                        "choice": mine.get(subject.pk, ""),
                        "label": str(labels.get(mine.get(subject.pk, ""), "")),
                    }
                    for subject in subjects
                ],
            }
        )
    return rows
