"""Polls prepared, changed, deleted and opened; the pass rule (a share of all delegates)
and the subjects voted on (the motion, the candidates or the people rated)."""

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import TextChoices
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hdnd.core.versions import save_versioned
from hdnd.councils.models import Person
from hdnd.meetings.access import access_meeting_run
from hdnd.meetings.models import AgendaItem, Meeting, SittingStatus
from hdnd.meetings.queries.meetings import participant_posts
from hdnd.meetings.services.common import NotAllowedNow, announce, lock_meeting
from hdnd.voting.models import Poll, PollKind, PollStatus, PollSubject, SecretTally
from hdnd.voting.services.common import (
    InvalidPoll,
    audit,
    lock_poll,
    poll_meeting_id,
    voting_participants,
)
from hdnd.voting.stored import subjects_of

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


@dataclass(frozen=True)
class SubjectSpec:
    """A subject to create: a candidate or person rated (person_id, post) or the motion."""

    label: str = ""
    person_id: int | None = None
    post: str = ""


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
    posts: dict[int, str] = {}
    if kind == PollKind.CONFIDENCE:
        # The people rated are among the meeting's participants; each is named with the
        # post they hold (the meeting's title for them, their agency post, their seat).
        posts = participant_posts(meeting)
        if any(person_id not in posts for person_id in person_ids):
            message = _("Only the meeting's participants can be rated.")
            raise InvalidPoll(message, fields={"subjects": [message]})
    resolved: list[SubjectSpec] = []
    for spec in subjects:
        label = spec.label.strip() or (
            people[spec.person_id].full_name if spec.person_id is not None else ""
        )
        if not label:
            message = _("Each subject needs a person or a name.")
            raise InvalidPoll(message, fields={"subjects": [message]})
        post = spec.post.strip() or (posts.get(spec.person_id, "") if spec.person_id else "")
        resolved.append(SubjectSpec(label=label[:300], person_id=spec.person_id, post=post[:300]))
    if kind == PollKind.ELECTION and not 1 <= seats <= len(resolved):
        message = _("The posts to fill must be between 1 and the number of candidates.")
        raise InvalidPoll(message, fields={"seats": [message]})
    if kind == PollKind.CONFIDENCE and any(spec.person_id is None for spec in resolved):
        message = _("Each person rated must be chosen from the directory.")
        raise InvalidPoll(message, fields={"subjects": [message]})
    return is_secret, item, resolved


def write_subjects(poll: Poll, subjects: list[SubjectSpec]) -> None:
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
    write_subjects(poll, specs)
    audit(poll, meeting, actor=actor, action="create", summary=poll.title)
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
    meeting_id = poll_meeting_id(poll_id)
    access_meeting_run(user=actor, meeting_id=meeting_id)
    meeting = lock_meeting(meeting_id)
    poll = lock_poll(poll_id, expected_version=expected_version)
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
    write_subjects(poll, specs)
    audit(poll, meeting, actor=actor, action="edit", summary=poll.title)
    announce(meeting.pk, "poll")
    return poll


@transaction.atomic
def delete_poll(*, poll_id: int, actor: Any, expected_version: int | None = None) -> None:
    """Delete a prepared poll; an opened poll is part of the record and stays."""
    meeting_id = poll_meeting_id(poll_id)
    access_meeting_run(user=actor, meeting_id=meeting_id)
    meeting = lock_meeting(meeting_id)
    poll = lock_poll(poll_id, expected_version=expected_version)
    if poll.status != PollStatus.DRAFT:
        raise NotAllowedNow(_("Only a poll not yet opened can be deleted."))
    if poll.revotes.exists():
        raise NotAllowedNow(_("This poll has a re-vote: it stays."))
    audit(poll, meeting, actor=actor, action="delete", summary=poll.title)
    PollSubject.objects.filter(poll=poll).delete()
    poll.delete()
    announce(meeting.pk, "poll")


@transaction.atomic
def open_poll(*, poll_id: int, actor: Any, expected_version: int | None = None) -> Poll:
    """Open voting, in the meeting's current open sitting. Freezes the number of all
    delegates (the base of the threshold); a secret poll gets its counters at zero."""
    meeting_id = poll_meeting_id(poll_id)
    access_meeting_run(user=actor, meeting_id=meeting_id)
    meeting = lock_meeting(meeting_id)
    poll = lock_poll(poll_id, expected_version=expected_version)
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
    audit(
        poll,
        meeting,
        actor=actor,
        action="open",
        summary=poll.title,
        changes={"total_members": poll.total_members, "sitting": sitting.pk},
    )
    announce(meeting.pk, "poll")
    return poll
