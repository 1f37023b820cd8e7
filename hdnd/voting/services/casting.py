"""Casting a ballot, and why it holds under load:
- The poll row is read FOR KEY SHARE: many ballots go in side by side, while closing
  (FOR UPDATE) waits for the ballots in flight and every later ballot sees it closed.
  Nothing is counted after the close.
- The Ballot row's unique (poll, person) constraint is the one vote per delegate: a second
  connection casting the same delegate's ballot waits on the index, then finds it taken.
- A secret ballot adds one to its SecretTally counters with F() updates in a fixed order
  (subject position, then choice), so two ballots never deadlock; the Ballot row says only
  THAT the delegate voted. Nothing — no row, log or audit event — says how.
- The one thing ballots do take in turn is the audit event: every event extends the one
  hash chain of the audit trail (ADR 4), so its head row is locked for a moment per ballot.
  The benchmark (docs/benchmarks.md, live voting) measures the cost with it.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hdnd.core.errors import NotFound
from hdnd.meetings.models import VOTING_ROLES, Meeting, Participant
from hdnd.meetings.queries.attendance import is_present
from hdnd.meetings.services.common import announce
from hdnd.voting.models import (
    CHOICES_BY_KIND,
    Ballot,
    Choice,
    Poll,
    PollKind,
    PollStatus,
    PollSubject,
    SecretTally,
    Vote,
)
from hdnd.voting.services.common import (
    AlreadyVoted,
    InvalidChoice,
    NotEntitled,
    NotPresent,
    PollNotOpen,
    audit,
)
from hdnd.voting.stored import subjects_of


@dataclass(frozen=True)
class CastResult:
    recorded: bool
    already_recorded: bool
    changed: bool
    cast_at: datetime
    poll_id: int


def _lock_poll_shared(poll_id: int) -> Poll:
    """The poll, read FOR KEY SHARE: ballots go in side by side; closing waits for them.
    SQLite (`make run`) has no row locks and needs none: it lets one writer in at a time."""
    if connection.vendor == "postgresql":
        polls = list(
            Poll.objects.raw("SELECT * FROM voting_poll WHERE id = %s FOR KEY SHARE", [poll_id])
        )
    else:
        polls = list(Poll.objects.filter(id=poll_id))
    if not polls:
        raise NotFound(_("This poll does not exist."))
    return polls[0]


def _check_choices(
    poll: Poll, subjects: list[PollSubject], choices: dict[int, str]
) -> dict[int, str]:
    allowed = CHOICES_BY_KIND[poll.kind]
    wanted = {subject.pk for subject in subjects}
    try:
        normalised = {int(key): str(value) for key, value in choices.items()}
    except (TypeError, ValueError) as error:
        raise InvalidChoice(_("The ballot is not valid: answer every question once.")) from error
    if set(normalised) != wanted:
        raise InvalidChoice(_("The ballot is not complete: answer every question once."))
    if any(value not in allowed for value in normalised.values()):
        raise InvalidChoice(_("The ballot holds a choice this poll does not offer."))
    # An election ballot that approves more candidates than there are posts is void on
    # paper; on a tablet it is refused, and the delegate chooses again.
    in_favour = sum(1 for value in normalised.values() if value == Choice.YES)
    if poll.kind == PollKind.ELECTION and in_favour > poll.seats:
        raise InvalidChoice(
            ngettext(
                "Approve at most %(count)s candidate: there is %(count)s post to fill.",
                "Approve at most %(count)s candidates: there are %(count)s posts to fill.",
                poll.seats,
            )
            % {"count": poll.seats}
        )
    return normalised


def cast_ballot(*, poll_id: int, user: Any, choices: dict[int, str], channel: str) -> CastResult:
    """Cast the user's own ballot. `choices` maps each PollSubject id to a Choice value.

    A repeat of the same ballot answers `already_recorded` (a tablet that retries after a
    lost connection learns its vote counted); a different ballot replaces the first only
    in a named poll that allows changes, else it is refused (`already_voted`). A secret
    ballot cannot be compared with the first (how it voted is not stored): a second one
    always answers `already_recorded` and changes nothing."""
    with transaction.atomic():
        result, meeting_id = _cast(poll_id=poll_id, user=user, choices=choices, channel=channel)
        if result.recorded or result.changed:
            announce(meeting_id, "poll")
    return result


def _cast(
    *, poll_id: int, user: Any, choices: dict[int, str], channel: str
) -> tuple[CastResult, int]:
    if not getattr(user, "is_authenticated", False) or getattr(user, "person_id", None) is None:
        raise NotEntitled(_("Only the council's delegates vote, each in person."))
    poll = _lock_poll_shared(poll_id)
    participant = (
        Participant.objects.select_related("person")
        .filter(meeting_id=poll.meeting_id, person_id=user.person_id)
        .first()
    )
    if participant is None or participant.role not in VOTING_ROLES:
        raise NotEntitled(_("Only the council's delegates vote; guests never do."))
    if poll.status != PollStatus.OPEN:
        raise PollNotOpen(
            _("Voting on this poll has closed: your vote was not recorded.")
            if poll.status == PollStatus.CLOSED
            else _("Voting on this poll has not opened yet.")
        )
    if not is_present(participant, poll.sitting):
        raise NotPresent(_("Check in to the sitting first: only delegates present vote."))
    subjects = subjects_of(poll)
    wanted = _check_choices(poll, subjects, choices)
    now = timezone.now()
    try:
        with transaction.atomic():
            ballot = Ballot.objects.create(
                poll=poll, person_id=participant.person_id, cast_at=now, channel=channel[:12]
            )
    except IntegrityError:
        # Already voted (perhaps a moment ago, on another connection).
        return _repeat(
            poll, participant, subjects, wanted, user=user, channel=channel
        ), poll.meeting_id

    if poll.is_secret:
        _add_to_tallies(poll, subjects, wanted)
    else:
        Vote.objects.bulk_create(
            Vote(poll=poll, ballot=ballot, subject_id=subject.pk, choice=wanted[subject.pk])
            for subject in subjects
        )
    meeting = Meeting.objects.select_related("council").get(id=poll.meeting_id)
    audit(
        poll,
        meeting,
        actor=user,
        action="cast",
        summary=_("%(name)s voted") % {"name": participant.person.full_name},
        changes=_cast_changes(poll, participant, channel, wanted, changed=False),
    )
    return CastResult(
        recorded=True, already_recorded=False, changed=False, cast_at=now, poll_id=poll.pk
    ), poll.meeting_id


def _cast_changes(
    poll: Poll, participant: Participant, channel: str, wanted: dict[int, str], *, changed: bool
) -> dict[str, Any]:
    changes: dict[str, Any] = {
        "person_id": participant.person_id,
        "channel": channel,
        "changed": changed,
    }
    if not poll.is_secret:
        # A named vote is public (the roll call); a secret one is never written anywhere.
        changes["choices"] = {str(key): value for key, value in sorted(wanted.items())}
    return changes


def _add_to_tallies(poll: Poll, subjects: list[PollSubject], wanted: dict[int, str]) -> None:
    # One UPDATE per subject, always in the subjects' order: no two ballots deadlock.
    for subject in subjects:
        updated = SecretTally.objects.filter(
            poll_id=poll.pk, subject_id=subject.pk, choice=wanted[subject.pk]
        ).update(count=F("count") + 1)
        if updated != 1:
            raise RuntimeError(f"poll {poll.pk}: a secret tally row is missing")


def _repeat(
    poll: Poll,
    participant: Participant,
    subjects: list[PollSubject],
    wanted: dict[int, str],
    *,
    user: Any,
    channel: str,
) -> CastResult:
    ballot = Ballot.objects.select_for_update().get(
        poll_id=poll.pk, person_id=participant.person_id
    )
    if poll.is_secret:
        return CastResult(
            recorded=False,
            already_recorded=True,
            changed=False,
            cast_at=ballot.cast_at,
            poll_id=poll.pk,
        )
    current = dict(Vote.objects.filter(ballot=ballot).values_list("subject_id", "choice"))
    if current == wanted:
        return CastResult(
            recorded=False,
            already_recorded=True,
            changed=False,
            cast_at=ballot.changed_at or ballot.cast_at,
            poll_id=poll.pk,
        )
    if not poll.allow_change:
        raise AlreadyVoted(
            _("You have already voted in this poll, at %(time)s; this poll does not allow changes.")
            % {"time": timezone.localtime(ballot.cast_at).strftime("%H:%M:%S")}
        )
    now = timezone.now()
    for subject in subjects:
        Vote.objects.filter(ballot=ballot, subject_id=subject.pk).update(choice=wanted[subject.pk])
    ballot.changed_at = now
    ballot.channel = channel[:12]
    ballot.save(update_fields=["changed_at", "channel"])
    meeting = Meeting.objects.select_related("council").get(id=poll.meeting_id)
    audit(
        poll,
        meeting,
        actor=user,
        action="cast",
        summary=_("%(name)s changed their vote") % {"name": participant.person.full_name},
        changes=_cast_changes(poll, participant, channel, wanted, changed=True),
    )
    return CastResult(
        recorded=True, already_recorded=False, changed=True, cast_at=now, poll_id=poll.pk
    )
