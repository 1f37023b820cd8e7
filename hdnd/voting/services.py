"""Polls: prepare, open, cast, close (with the sealed result), re-vote.

Every change runs in one transaction, checks who acts (the chair or the office run polls:
`access_meeting_run`; a ballot is the delegate's own), writes an audit event
("poll.<action>") and tells the room after commit (`announce(meeting_id, "poll")`).

Casting, and why it holds under load:
- The poll row is read FOR KEY SHARE: many ballots go in side by side, while closing
  (FOR UPDATE) waits for the ballots in flight and every later ballot sees it closed.
  Nothing is counted after the close.
- The Ballot row's unique (poll, person) constraint is the one vote per delegate: a second
  connection casting the same delegate's ballot waits on the index, then finds it taken.
- A secret ballot adds one to its SecretTally counters with F() updates in a fixed order
  (subject position, then choice), so two ballots never deadlock; the Ballot row says only
  THAT the delegate voted. Nothing — no row, log or audit event — says how.
"""

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F, TextChoices
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hdnd.core.audit import record_event
from hdnd.core.errors import DomainError, NotFound
from hdnd.councils.models import Person
from hdnd.meetings.access import access_meeting_run
from hdnd.meetings.models import (
    VOTING_ROLES,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Meeting,
    Participant,
    SittingStatus,
)
from hdnd.meetings.queries.attendance import is_present
from hdnd.meetings.services.common import (
    NotAllowedNow,
    announce,
    check_version,
    lock_meeting,
    save_versioned,
)
from hdnd.voting.models import (
    CHOICES_BY_KIND,
    Ballot,
    Poll,
    PollKind,
    PollStatus,
    PollSubject,
    SecretTally,
    Vote,
)
from hdnd.voting.results import compute_result
from hdnd.voting.sealing import seal_poll
from hdnd.voting.stored import stored_counts, subjects_of

logger = logging.getLogger(__name__)

MAX_SUBJECTS = 100


class PassRule(TextChoices):
    MAJORITY = "majority", gettext_lazy("More than half of all delegates")
    TWO_THIRDS = "two_thirds", gettext_lazy("At least two-thirds of all delegates (dismissal)")
    CUSTOM = "custom", gettext_lazy("A custom share of all delegates")


# (numerator, denominator, strict) of each preset.
RULE_SHARES: dict[str, tuple[int, int, bool]] = {
    PassRule.MAJORITY: (1, 2, True),
    PassRule.TWO_THIRDS: (2, 3, False),
}


def rule_of(poll: Poll) -> str:
    """The preset a poll's share matches, else "custom"."""
    share = (poll.required_numerator, poll.required_denominator, poll.required_strict)
    for rule, preset in RULE_SHARES.items():
        if preset == share:
            return rule
    return PassRule.CUSTOM


# Refusals of a ballot (codes are part of the interface: the tablet shows each).


class PollNotOpen(DomainError):
    code = "poll_not_open"
    status = 409


class NotPresent(DomainError):
    code = "not_present"
    status = 403


class NotEntitled(DomainError):
    code = "not_entitled"
    status = 403


class AlreadyVoted(DomainError):
    code = "already_voted"
    status = 409


class InvalidChoice(DomainError):
    code = "invalid_choice"
    status = 400


class InvalidPoll(DomainError):
    code = "invalid"
    status = 400


@dataclass(frozen=True)
class CastResult:
    recorded: bool
    already_recorded: bool
    changed: bool
    cast_at: datetime
    poll_id: int


@dataclass(frozen=True)
class SubjectSpec:
    """A subject to create: a candidate or person rated (person_id, post) or the motion."""

    label: str = ""
    person_id: int | None = None
    post: str = ""


def _audit(
    poll: Poll,
    meeting: Meeting,
    *,
    actor: Any,
    action: str,
    summary: str,
    changes: dict[str, Any] | None = None,
) -> None:
    record_event(
        actor=actor,
        action=f"poll.{action}",
        obj=poll,
        council=meeting.council,
        summary=summary[:500],
        changes=changes or {},
    )


def _lock_poll(poll_id: int, *, expected_version: int | None = None) -> Poll:
    poll = Poll.objects.select_for_update().filter(id=poll_id).first()
    if poll is None:
        raise NotFound(_("This poll does not exist."))
    check_version(poll.version, expected_version)
    return poll


def _poll_meeting_id(poll_id: int) -> int:
    meeting_id = Poll.objects.filter(id=poll_id).values_list("meeting_id", flat=True).first()
    if meeting_id is None:
        raise NotFound(_("This poll does not exist."))
    return meeting_id


def _share(
    rule: str, numerator: int | None, denominator: int | None, strict: bool | None
) -> tuple[int, int, bool]:
    if rule in RULE_SHARES:
        return RULE_SHARES[rule]
    if rule != PassRule.CUSTOM:
        raise InvalidPoll(_("Choose a pass rule."), fields={"rule": [_("Choose a pass rule.")]})
    if numerator is None or denominator is None:
        message = _("A custom rule needs a share: a numerator and a denominator.")
        raise InvalidPoll(message, fields={"numerator": [message]})
    if not 1 <= numerator <= denominator <= 1000:
        message = _("The share must be a fraction between 0 and 1, such as 3/4.")
        raise InvalidPoll(message, fields={"numerator": [message]})
    return numerator, denominator, True if strict is None else strict


def _settings(
    *,
    meeting: Meeting,
    kind: str,
    title: str,
    is_secret: bool,
    agenda_item_id: int | None,
    seats: int,
    allow_change: bool,
    subjects: list[SubjectSpec],
) -> tuple[bool, AgendaItem | None, list[SubjectSpec]]:
    """Check a poll's settings; return (is_secret, agenda item, subjects to create)."""
    if kind not in PollKind.values:
        raise InvalidPoll(
            _("Choose what kind of poll this is."), fields={"kind": [_("Not a kind of poll.")]}
        )
    if not title.strip():
        raise InvalidPoll(
            _("The poll needs a title."), fields={"title": [_("This field is required.")]}
        )
    # Confidence ratings and elections are secret ballots by law.
    if kind in (PollKind.CONFIDENCE, PollKind.ELECTION):
        is_secret = True
    if is_secret and allow_change:
        message = _("A secret ballot cannot be changed once cast: it keeps no link to the voter.")
        raise InvalidPoll(message, fields={"allow_change": [message]})
    item = None
    if agenda_item_id is not None:
        item = AgendaItem.objects.filter(id=agenda_item_id, meeting_id=meeting.pk).first()
        if item is None:
            message = _("This agenda item is not part of the meeting.")
            raise InvalidPoll(message, fields={"agenda_item": [message]})
    if kind == PollKind.MOTION:
        return is_secret, item, [SubjectSpec(label=title.strip())]
    if not subjects:
        message = (
            _("Add the people to rate.")
            if kind == PollKind.CONFIDENCE
            else _("Add the candidates.")
        )
        raise InvalidPoll(message, fields={"subjects": [message]})
    if len(subjects) > MAX_SUBJECTS:
        message = _("A poll has at most %(count)s subjects.") % {"count": MAX_SUBJECTS}
        raise InvalidPoll(message, fields={"subjects": [message]})
    person_ids = [spec.person_id for spec in subjects if spec.person_id is not None]
    if len(set(person_ids)) != len(person_ids):
        message = _("The same person is listed twice.")
        raise InvalidPoll(message, fields={"subjects": [message]})
    people = Person.objects.in_bulk(person_ids)
    if len(people) != len(set(person_ids)):
        message = _("A person listed does not exist.")
        raise InvalidPoll(message, fields={"subjects": [message]})
    resolved: list[SubjectSpec] = []
    for spec in subjects:
        label = spec.label.strip() or (
            people[spec.person_id].full_name if spec.person_id is not None else ""
        )
        if not label:
            message = _("Each subject needs a person or a name.")
            raise InvalidPoll(message, fields={"subjects": [message]})
        resolved.append(
            SubjectSpec(label=label[:300], person_id=spec.person_id, post=spec.post.strip()[:300])
        )
    if kind == PollKind.ELECTION and not 1 <= seats <= len(resolved):
        message = _("The posts to fill must be between 1 and the number of candidates.")
        raise InvalidPoll(message, fields={"seats": [message]})
    if kind == PollKind.CONFIDENCE and any(spec.person_id is None for spec in resolved):
        message = _("Each person rated must be chosen from the directory.")
        raise InvalidPoll(message, fields={"subjects": [message]})
    return is_secret, item, resolved


def _write_subjects(poll: Poll, subjects: list[SubjectSpec]) -> None:
    PollSubject.objects.bulk_create(
        PollSubject(
            poll=poll,
            position=index + 1,
            label=spec.label,
            person_id=spec.person_id,
            post=spec.post,
        )
        for index, spec in enumerate(subjects)
    )


@transaction.atomic
def create_poll(
    *,
    meeting_id: int,
    actor: Any,
    kind: str,
    title: str,
    text: str = "",
    is_secret: bool = False,
    agenda_item_id: int | None = None,
    rule: str = PassRule.MAJORITY,
    numerator: int | None = None,
    denominator: int | None = None,
    strict: bool | None = None,
    seats: int = 1,
    allow_change: bool = False,
    show_live_counts: bool = True,
    subjects: list[SubjectSpec] | None = None,
) -> Poll:
    """Prepare a poll (a draft: nobody votes until it is opened)."""
    access_meeting_run(user=actor, meeting_id=meeting_id)
    meeting = lock_meeting(meeting_id)
    is_secret, item, specs = _settings(
        meeting=meeting,
        kind=kind,
        title=title,
        is_secret=is_secret,
        agenda_item_id=agenda_item_id,
        seats=seats if kind == PollKind.ELECTION else 1,
        allow_change=allow_change,
        subjects=subjects or [],
    )
    numerator_, denominator_, strict_ = _share(rule, numerator, denominator, strict)
    poll = Poll.objects.create(
        meeting=meeting,
        agenda_item=item,
        kind=kind,
        title=title.strip()[:500],
        text=text.strip(),
        is_secret=is_secret,
        required_numerator=numerator_,
        required_denominator=denominator_,
        required_strict=strict_,
        seats=seats if kind == PollKind.ELECTION else 1,
        allow_change=allow_change,
        show_live_counts=show_live_counts,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    _write_subjects(poll, specs)
    _audit(poll, meeting, actor=actor, action="create", summary=poll.title)
    announce(meeting.pk, "poll")
    return poll


@transaction.atomic
def edit_poll(
    *,
    poll_id: int,
    actor: Any,
    expected_version: int | None = None,
    title: str,
    text: str = "",
    is_secret: bool = False,
    agenda_item_id: int | None = None,
    rule: str = PassRule.MAJORITY,
    numerator: int | None = None,
    denominator: int | None = None,
    strict: bool | None = None,
    seats: int = 1,
    allow_change: bool = False,
    show_live_counts: bool = True,
    subjects: list[SubjectSpec] | None = None,
) -> Poll:
    """Change a prepared poll (its kind stays); only while it is a draft."""
    meeting_id = _poll_meeting_id(poll_id)
    access_meeting_run(user=actor, meeting_id=meeting_id)
    meeting = lock_meeting(meeting_id)
    poll = _lock_poll(poll_id, expected_version=expected_version)
    if poll.status != PollStatus.DRAFT:
        raise NotAllowedNow(_("Only a poll not yet opened can be changed."))
    is_secret, item, specs = _settings(
        meeting=meeting,
        kind=poll.kind,
        title=title,
        is_secret=is_secret,
        agenda_item_id=agenda_item_id,
        seats=seats if poll.kind == PollKind.ELECTION else 1,
        allow_change=allow_change,
        subjects=subjects or [],
    )
    poll.required_numerator, poll.required_denominator, poll.required_strict = _share(
        rule, numerator, denominator, strict
    )
    poll.title = title.strip()[:500]
    poll.text = text.strip()
    poll.is_secret = is_secret
    poll.agenda_item = item
    poll.seats = seats if poll.kind == PollKind.ELECTION else 1
    poll.allow_change = allow_change
    poll.show_live_counts = show_live_counts
    save_versioned(
        poll,
        [
            "title",
            "text",
            "is_secret",
            "agenda_item",
            "required_numerator",
            "required_denominator",
            "required_strict",
            "seats",
            "allow_change",
            "show_live_counts",
        ],
    )
    PollSubject.objects.filter(poll=poll).delete()
    _write_subjects(poll, specs)
    _audit(poll, meeting, actor=actor, action="edit", summary=poll.title)
    announce(meeting.pk, "poll")
    return poll


@transaction.atomic
def delete_poll(*, poll_id: int, actor: Any, expected_version: int | None = None) -> None:
    """Delete a prepared poll; an opened poll is part of the record and stays."""
    meeting_id = _poll_meeting_id(poll_id)
    access_meeting_run(user=actor, meeting_id=meeting_id)
    meeting = lock_meeting(meeting_id)
    poll = _lock_poll(poll_id, expected_version=expected_version)
    if poll.status != PollStatus.DRAFT:
        raise NotAllowedNow(_("Only a poll not yet opened can be deleted."))
    if poll.revotes.exists():
        raise NotAllowedNow(_("This poll has a re-vote: it stays."))
    _audit(poll, meeting, actor=actor, action="delete", summary=poll.title)
    PollSubject.objects.filter(poll=poll).delete()
    poll.delete()
    announce(meeting.pk, "poll")


def voting_participants(meeting_id: int) -> list[Participant]:
    return list(
        Participant.objects.filter(meeting_id=meeting_id, role__in=VOTING_ROLES)
        .select_related("person")
        .order_by("sort_key", "id")
    )


def present_person_ids(sitting_id: int | None, meeting_id: int) -> set[int]:
    """The voting participants present at a sitting, by person."""
    if sitting_id is None:
        return set()
    return set(
        Attendance.objects.filter(
            sitting_id=sitting_id,
            status=AttendanceStatus.PRESENT,
            participant__meeting_id=meeting_id,
            participant__role__in=VOTING_ROLES,
        ).values_list("participant__person_id", flat=True)
    )


@transaction.atomic
def open_poll(*, poll_id: int, actor: Any, expected_version: int | None = None) -> Poll:
    """Open voting, in the meeting's current open sitting. Freezes the number of all
    delegates (the base of the threshold); a secret poll gets its counters at zero."""
    meeting_id = _poll_meeting_id(poll_id)
    access_meeting_run(user=actor, meeting_id=meeting_id)
    meeting = lock_meeting(meeting_id)
    poll = _lock_poll(poll_id, expected_version=expected_version)
    if poll.status != PollStatus.DRAFT:
        raise NotAllowedNow(_("This poll has already been opened."))
    sitting = meeting.current_sitting
    if sitting is None or sitting.status != SittingStatus.OPEN:
        raise NotAllowedNow(_("Open a sitting first: a poll is held in the current sitting."))
    if Poll.objects.filter(meeting_id=meeting.pk, status=PollStatus.OPEN).exists():
        raise NotAllowedNow(_("Another poll is open in this meeting: close it first."))
    subjects = subjects_of(poll)
    if not subjects:
        raise NotAllowedNow(_("This poll has nothing to vote on."))
    poll.status = PollStatus.OPEN
    poll.sitting = sitting
    poll.total_members = len(voting_participants(meeting.pk))
    poll.opened_at = timezone.now()
    poll.opened_by = actor if getattr(actor, "pk", None) else None
    try:
        with transaction.atomic():
            save_versioned(poll, ["status", "sitting", "total_members", "opened_at", "opened_by"])
    except IntegrityError as error:
        # The one-open-poll constraint (a race the check above did not see).
        raise NotAllowedNow(_("Another poll is open in this meeting: close it first.")) from error
    if poll.is_secret:
        SecretTally.objects.bulk_create(
            SecretTally(poll=poll, subject=subject, choice=choice, count=0)
            for subject in subjects
            for choice in poll.choices
        )
    _audit(
        poll,
        meeting,
        actor=actor,
        action="open",
        summary=poll.title,
        changes={"total_members": poll.total_members, "sitting": sitting.pk},
    )
    announce(meeting.pk, "poll")
    return poll


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
    _audit(
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
    _audit(
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


def entitled_at_close(poll: Poll) -> list[dict[str, Any]]:
    """The delegates entitled when the poll closes: voting participants present at its
    sitting, and anyone who voted (present when they voted, perhaps gone since)."""
    voted = set(Ballot.objects.filter(poll_id=poll.pk).values_list("person_id", flat=True))
    present = present_person_ids(poll.sitting_id, poll.meeting_id)
    return [
        {
            "person_id": participant.person_id,
            "name": participant.person.full_name,
            "voted": participant.person_id in voted,
        }
        for participant in voting_participants(poll.meeting_id)
        if participant.person_id in present or participant.person_id in voted
    ]


@transaction.atomic
def close_poll(*, poll_id: int, actor: Any, expected_version: int | None = None) -> Poll:
    """Close voting: freeze the entitled list and the result, then seal it."""
    meeting_id = _poll_meeting_id(poll_id)
    access_meeting_run(user=actor, meeting_id=meeting_id)
    meeting = lock_meeting(meeting_id)
    # FOR UPDATE: waits for the ballots in flight (FOR KEY SHARE); later ones see it closed.
    poll = _lock_poll(poll_id, expected_version=expected_version)
    if poll.status != PollStatus.OPEN:
        raise NotAllowedNow(_("Only an open poll can be closed."))
    subjects = subjects_of(poll)
    counts = stored_counts(poll, subjects)
    entitled = entitled_at_close(poll)
    total = poll.total_members or 0
    voted = sum(1 for row in entitled if row["voted"])
    result = compute_result(poll, subjects, counts, total=total, voted=voted)
    poll.status = PollStatus.CLOSED
    poll.closed_at = timezone.now()
    poll.closed_by = actor if getattr(actor, "pk", None) else None
    poll.entitled = entitled
    poll.result = result
    poll.passed = result["passed"]
    save_versioned(poll, ["status", "closed_at", "closed_by", "entitled", "result", "passed"])
    # What the seal hashes must be what the database holds: read it back.
    poll.refresh_from_db()
    seal = seal_poll(poll)
    _audit(
        poll,
        meeting,
        actor=actor,
        action="close",
        summary=poll.title,
        changes={"passed": poll.passed, "voted": voted, "seal": seal.hash},
    )
    announce(meeting.pk, "poll")
    logger.info("poll %s closed and sealed as #%s", poll.pk, seal.seq)
    return poll


@transaction.atomic
def revote(*, poll_id: int, actor: Any) -> Poll:
    """A new draft poll with the closed poll's settings and subjects, linked to it."""
    meeting_id = _poll_meeting_id(poll_id)
    access_meeting_run(user=actor, meeting_id=meeting_id)
    meeting = lock_meeting(meeting_id)
    old = _lock_poll(poll_id)
    if old.status != PollStatus.CLOSED:
        raise NotAllowedNow(_("Only a closed poll can be voted on again."))
    poll = Poll.objects.create(
        meeting=meeting,
        agenda_item_id=old.agenda_item_id,
        kind=old.kind,
        title=old.title,
        text=old.text,
        is_secret=old.is_secret,
        required_numerator=old.required_numerator,
        required_denominator=old.required_denominator,
        required_strict=old.required_strict,
        seats=old.seats,
        allow_change=old.allow_change,
        show_live_counts=old.show_live_counts,
        revote_of=old,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    _write_subjects(
        poll,
        [SubjectSpec(label=s.label, person_id=s.person_id, post=s.post) for s in subjects_of(old)],
    )
    _audit(
        poll,
        meeting,
        actor=actor,
        action="revote",
        summary=poll.title,
        changes={"revote_of": old.pk},
    )
    announce(meeting.pk, "poll")
    return poll
