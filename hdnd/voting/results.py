"""A poll's result from its counts: the legal thresholds, counted on ALL the council's
delegates (the poll's frozen `total_members`), never on those present or those who voted.

- A motion passes with votes in favour {>, ≥} total × share (Poll.required_votes).
- A confidence rating has no pass or fail: each person rated is flagged when "low
  confidence" reaches more than half of all delegates, and again at two-thirds or more.
- An election fills `seats` posts: a candidate is elected with votes in favour meeting the
  poll's rule (more than half of all delegates by default), at most `seats` of them by most
  votes; a tie at the cut-off elects none of the tied (the council votes again).

Everything here is pure: counts in, a JSON-ready result out. The same function gives the
live "passing now" while a poll is open and the frozen result at close.
"""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from hdnd.voting.models import Choice, Poll, PollKind, PollSubject

# counts[subject_id][choice] = number of ballots
Counts = dict[int, dict[str, int]]

TWO_PLACES = Decimal("0.01")


def percentage(count: int, total: int) -> str:
    """`count` as a percentage of `total` with two decimals ("66.67"), a string so the
    sealed JSON holds no float."""
    if total <= 0:
        return "0.00"
    value = Decimal(count * 100) / Decimal(total)
    return str(value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP))


def empty_counts(poll: Poll, subjects: list[PollSubject]) -> Counts:
    return {subject.pk: dict.fromkeys(poll.choices, 0) for subject in subjects}


def compute_result(
    poll: Poll, subjects: list[PollSubject], counts: Counts, *, total: int, voted: int
) -> dict[str, Any]:
    """The result of `poll` for these counts, with `total` delegates as the base."""
    required = poll.required_votes(total)
    rows: list[dict[str, Any]] = []
    for subject in subjects:
        subject_counts = {
            choice: counts.get(subject.pk, {}).get(choice, 0) for choice in poll.choices
        }
        row: dict[str, Any] = {
            "subject_id": subject.pk,
            "position": subject.position,
            "label": subject.label,
            "person_id": subject.person_id,
            "post": subject.post,
            "counts": subject_counts,
            "percentages": {
                choice: percentage(count, total) for choice, count in subject_counts.items()
            },
        }
        if poll.kind == PollKind.MOTION:
            row["passed"] = subject_counts[Choice.YES] >= required
        elif poll.kind == PollKind.CONFIDENCE:
            low = subject_counts[Choice.LOW]
            row["passed"] = None
            row["low_over_half"] = low * 2 > total
            row["low_two_thirds"] = total > 0 and low * 3 >= total * 2
        rows.append(row)

    result: dict[str, Any] = {
        "total_members": total,
        "required_votes": required,
        "voted": voted,
        "voted_percentage": percentage(voted, total),
        "subjects": rows,
    }
    if poll.kind == PollKind.MOTION:
        result["passed"] = bool(rows) and all(row["passed"] for row in rows)
    elif poll.kind == PollKind.CONFIDENCE:
        result["passed"] = None
    else:
        _elect(rows, seats=poll.seats, required=required)
        elected = [row["subject_id"] for row in rows if row["elected"]]
        result["elected"] = elected
        result["seats"] = poll.seats
        result["tie_at_cutoff"] = any(row["tied_out"] for row in rows)
        result["passed"] = len(elected) == poll.seats
    return result


def _elect(rows: list[dict[str, Any]], *, seats: int, required: int) -> None:
    """Mark each candidate row elected or not (and tied out at the cut-off)."""
    for row in rows:
        row["elected"] = False
        row["tied_out"] = False
        row["reached_threshold"] = row["counts"][Choice.YES] >= required
        row["passed"] = False
    qualified = sorted(
        (row for row in rows if row["reached_threshold"]),
        key=lambda row: -int(row["counts"][Choice.YES]),
    )
    if len(qualified) <= seats:
        winners = qualified
    else:
        cutoff = qualified[seats - 1]["counts"][Choice.YES]
        first_out = qualified[seats]["counts"][Choice.YES]
        if first_out == cutoff:
            # A tie at the last post: none of the tied is elected.
            winners = [row for row in qualified if row["counts"][Choice.YES] > cutoff]
            for row in qualified:
                if row["counts"][Choice.YES] == cutoff:
                    row["tied_out"] = True
        else:
            winners = qualified[:seats]
    for row in winners:
        row["elected"] = True
        row["passed"] = True
