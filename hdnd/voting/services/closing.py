"""Closing a poll (the entitled list and the result frozen, then sealed) and voting
again on a closed one."""

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hdnd.core.versions import save_versioned
from hdnd.meetings.access import access_meeting_run
from hdnd.meetings.services.common import NotAllowedNow, announce, lock_meeting
from hdnd.voting.models import Ballot, Poll, PollStatus
from hdnd.voting.results import compute_result
from hdnd.voting.sealing import seal_poll
from hdnd.voting.services.common import (
    audit,
    lock_poll,
    poll_meeting_id,
    present_person_ids,
    voting_participants,
)
from hdnd.voting.services.polls import SubjectSpec, write_subjects
from hdnd.voting.stored import stored_counts, subjects_of

logger = logging.getLogger(__name__)


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
    meeting_id = poll_meeting_id(poll_id)
    access_meeting_run(user=actor, meeting_id=meeting_id)
    meeting = lock_meeting(meeting_id)
    # FOR UPDATE: waits for the ballots in flight (FOR KEY SHARE); later ones see it closed.
    poll = lock_poll(poll_id, expected_version=expected_version)
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
    audit(
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
    meeting_id = poll_meeting_id(poll_id)
    access_meeting_run(user=actor, meeting_id=meeting_id)
    meeting = lock_meeting(meeting_id)
    old = lock_poll(poll_id)
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
    write_subjects(
        poll,
        [SubjectSpec(label=s.label, person_id=s.person_id, post=s.post) for s in subjects_of(old)],
    )
    audit(
        poll,
        meeting,
        actor=actor,
        action="revote",
        summary=poll.title,
        changes={"revote_of": old.pk},
    )
    announce(meeting.pk, "poll")
    return poll
