"""What the poll services share: the refusals (one error hierarchy), the audit event of
each change ("poll.<action>"), locking a poll, and who votes in a meeting."""

from typing import Any

from django.utils.translation import gettext as _

from hdnd.core.audit import record_event
from hdnd.core.errors import DomainError, NotFound
from hdnd.core.versions import check_version
from hdnd.meetings.models import VOTING_ROLES, Attendance, AttendanceStatus, Meeting, Participant
from hdnd.voting.models import Poll


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


def audit(
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


def lock_poll(poll_id: int, *, expected_version: int | None = None) -> Poll:
    poll = Poll.objects.select_for_update().filter(id=poll_id).first()
    if poll is None:
        raise NotFound(_("This poll does not exist."))
    check_version(poll.version, expected_version)
    return poll


def poll_meeting_id(poll_id: int) -> int:
    meeting_id = Poll.objects.filter(id=poll_id).values_list("meeting_id", flat=True).first()
    if meeting_id is None:
        raise NotFound(_("This poll does not exist."))
    return meeting_id


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
