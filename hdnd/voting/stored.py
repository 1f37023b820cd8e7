"""What the stored rows say about a poll: its counts (from the named Vote rows or the
secret SecretTally counters), who cast a ballot, and each named vote. Closing a poll, the
live state and the seal verification all read them from here, so all three count alike."""

from typing import Any

from django.db.models import Count

from hdnd.voting.models import Ballot, Poll, PollSubject, SecretTally, Vote
from hdnd.voting.results import Counts, empty_counts


def subjects_of(poll: Poll) -> list[PollSubject]:
    return list(PollSubject.objects.filter(poll_id=poll.pk).order_by("position", "id"))


def stored_counts(poll: Poll, subjects: list[PollSubject]) -> Counts:
    """Per subject, per choice: the named votes counted, or the secret tallies."""
    counts = empty_counts(poll, subjects)
    if poll.is_secret:
        rows = SecretTally.objects.filter(poll_id=poll.pk).values_list(
            "subject_id", "choice", "count"
        )
        for subject_id, choice, count in rows:
            counts.setdefault(subject_id, {})[choice] = count
        return counts
    grouped = (
        Vote.objects.filter(poll_id=poll.pk)
        .values("subject_id", "choice")
        .annotate(n=Count("id"))
        .values_list("subject_id", "choice", "n")
    )
    for subject_id, choice, count in grouped:
        counts.setdefault(subject_id, {})[choice] = count
    return counts


def voter_ids(poll: Poll) -> list[int]:
    """The people who cast a ballot (THAT they voted; never how in a secret poll)."""
    return sorted(Ballot.objects.filter(poll_id=poll.pk).values_list("person_id", flat=True))


def named_votes(poll: Poll) -> list[dict[str, Any]]:
    """Each named vote: person, subject, choice (empty for a secret poll, which has none)."""
    rows = Vote.objects.filter(poll_id=poll.pk).values_list(
        "ballot__person_id", "subject_id", "choice"
    )
    return [
        {"person_id": person_id, "subject_id": subject_id, "choice": choice}
        for person_id, subject_id, choice in sorted(rows)
    ]
