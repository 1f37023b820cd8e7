"""Meetings: planned, edited, started, ended or cancelled, and numbered.

A meeting is created by the council's office. Creating it seeds its participants: the
seats of the council in force on the first day (the chair of the council chairs), or for
a committee meeting the committee's members (its head chairs), or for a standing
committee meeting the standing committee. The office then adds guests, respondents and
its own staff, and may hand the chair to another member (services/participants.py).

Sessions (regular, thematic, extraordinary) share one numbering per term: "kỳ họp thứ
N". The database refuses a second session with the same number; the service says so
first, in words.

A meeting runs over sittings (phiên, services/sittings.py): one at a time is open, and
the open one is the meeting's `current_sitting`.
"""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hdnd.core.errors import DomainError
from hdnd.core.versions import save_versioned
from hdnd.councils.models import (
    Committee,
    CommitteeRole,
    CommitteeSeat,
    Council,
    Membership,
    Person,
    Position,
    Term,
)
from hdnd.lib.periods import in_force_on
from hdnd.lib.vietnamese import fold, normalize
from hdnd.meetings.models import (
    SESSION_KINDS,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Participant,
    ParticipantRole,
    SittingStatus,
)
from hdnd.meetings.services.agenda import finish_current
from hdnd.meetings.services.common import NotAllowedNow, announce, lock_meeting, record

S = MeetingStatus

# Which meeting states each action may start from. The refusal names the current state.
ALLOWED_FROM: dict[str, frozenset[str]] = {
    "edit": frozenset({S.PLANNED, S.IN_PROGRESS}),
    "start": frozenset({S.PLANNED}),
    "end": frozenset({S.IN_PROGRESS}),
    "cancel": frozenset({S.PLANNED, S.IN_PROGRESS}),
    "participants": frozenset({S.PLANNED, S.IN_PROGRESS}),
    "sittings": frozenset({S.PLANNED, S.IN_PROGRESS}),
    "open_sitting": frozenset({S.IN_PROGRESS}),
}

# What an edit may change (status changes, participants and sittings have their own
# services; the committee is fixed: the participants were seeded from it).
EDITABLE_FIELDS = frozenset(
    {
        "kind",
        "number",
        "title",
        "venue",
        "starts_on",
        "ends_on",
        "is_closed",
        "quorum_numerator",
        "quorum_denominator",
        "allow_vote_change",
        "speech_limit_seconds",
        "speech_warning_seconds",
    }
)

# Sort order of the participant list: the chair, the delegates, then the others.
_ROLE_RANK: dict[str, str] = {
    ParticipantRole.CHAIR: "0",
    ParticipantRole.DELEGATE: "1",
    ParticipantRole.RESPONDENT: "2",
    ParticipantRole.GUEST: "3",
    ParticipantRole.STAFF: "4",
}

MAX_SPEECH_SECONDS = 3600
MAX_SESSION_NUMBER = 999


def require_state(meeting: Meeting, action: str) -> None:
    if meeting.status not in ALLOWED_FROM[action]:
        raise NotAllowedNow(
            _("Not possible while the meeting is “%(status)s”.")
            % {"status": meeting.get_status_display()}
        )


def sort_key(role: str, person: Person) -> str:
    return f"{_ROLE_RANK.get(role, '9')}-{fold(person.full_name)}"[:200]


def _audit(meeting: Meeting) -> dict[str, Any]:
    return {
        "kind": meeting.kind,
        "number": meeting.number,
        "committee": meeting.committee_id,
        "title": meeting.title,
        "venue": meeting.venue,
        "starts_on": meeting.starts_on,
        "ends_on": meeting.ends_on,
        "is_closed": meeting.is_closed,
        "quorum": f"{meeting.quorum_numerator}/{meeting.quorum_denominator}",
        "allow_vote_change": meeting.allow_vote_change,
        "speech_limit_seconds": meeting.speech_limit_seconds,
        "speech_warning_seconds": meeting.speech_warning_seconds,
        "status": meeting.status,
    }


def _duplicate_number(number: int) -> DomainError:
    return DomainError(
        _(
            "Session number %(number)s of this term already exists. Choose another number: "
            "regular, thematic and extraordinary sessions share one numbering."
        )
        % {"number": number},
        fields={"number": [_("This session number is already used in this term.")]},
    )


def _check_details(meeting: Meeting, *, exclude_id: int | None = None) -> None:
    """The rules a meeting's details must follow, all reported at once."""
    errors: dict[str, list[str]] = {}
    if meeting.kind not in MeetingKind.values:
        errors["kind"] = [_("Unknown kind of meeting.")]
    if not meeting.title:
        errors["title"] = [_("Give the meeting a title.")]
    if meeting.term.council_id != meeting.council_id:
        errors["term"] = [_("Choose a term of this council.")]
    if meeting.ends_on < meeting.starts_on:
        errors["ends_on"] = [_("The last day cannot be before the first day.")]
    if not (meeting.term.start_date <= meeting.starts_on <= meeting.term.end_date):
        errors["starts_on"] = [_("The first day must fall within the term.")]
    if meeting.kind in SESSION_KINDS:
        if meeting.number is None:
            errors["number"] = [_("A session needs its number in the term (kỳ họp thứ N).")]
        elif not 1 <= meeting.number <= MAX_SESSION_NUMBER:
            errors["number"] = [_("Give a number from 1 to 999.")]
    elif meeting.number is not None:
        errors["number"] = [_("Only sessions are numbered; leave the number empty.")]
    if meeting.kind == MeetingKind.COMMITTEE:
        if meeting.committee_id is None:
            errors["committee"] = [_("Name the committee that meets.")]
        elif meeting.committee is not None and meeting.committee.council_id != meeting.council_id:
            errors["committee"] = [_("Choose a committee of this council.")]
    elif meeting.committee_id is not None:
        errors["committee"] = [_("Only a committee meeting names a committee.")]
    if not (1 <= meeting.quorum_denominator <= 100):
        errors["quorum_denominator"] = [_("Give a denominator from 1 to 100.")]
    elif not (1 <= meeting.quorum_numerator <= meeting.quorum_denominator):
        errors["quorum_numerator"] = [
            _("The quorum is a fraction of at most 1: the numerator cannot exceed the denominator.")
        ]
    if not (30 <= meeting.speech_limit_seconds <= MAX_SPEECH_SECONDS):
        errors["speech_limit_seconds"] = [_("Give a limit from 30 seconds to one hour.")]
    elif not (0 <= meeting.speech_warning_seconds < meeting.speech_limit_seconds):
        errors["speech_warning_seconds"] = [_("The warning must come before the limit.")]
    if errors:
        raise DomainError(_("Please correct the meeting's details."), fields=errors)
    if meeting.kind in SESSION_KINDS and meeting.number is not None:
        taken = Meeting.objects.filter(
            council_id=meeting.council_id,
            term_id=meeting.term_id,
            kind__in=[str(kind) for kind in SESSION_KINDS],
            number=meeting.number,
        )
        if exclude_id is not None:
            taken = taken.exclude(id=exclude_id)
        if taken.exists():
            raise _duplicate_number(meeting.number)


def _save_checked(meeting: Meeting, **save: Any) -> None:
    """Save; a session number taken meanwhile (the unique constraint) is the same refusal
    as one taken before."""
    try:
        with transaction.atomic():
            meeting.save(**save)
    except IntegrityError as error:
        if "meeting_session_number_unique" in str(error) and meeting.number is not None:
            raise _duplicate_number(meeting.number) from error
        raise


def _seats_for(meeting: Meeting) -> list[tuple[Membership, str]]:
    """The seats a new meeting's voting participants come from, with their role."""
    day = meeting.starts_on
    if meeting.kind == MeetingKind.COMMITTEE:
        committee_seats = (
            CommitteeSeat.objects.filter(committee_id=meeting.committee_id or 0)
            .filter(in_force_on(day))
            .filter(in_force_on(day, prefix="membership__"))
            .filter(membership__council_id=meeting.council_id, membership__term_id=meeting.term_id)
            .select_related("membership__person")
            .order_by("id")
        )
        result: dict[int, tuple[Membership, str]] = {}
        for committee_seat in committee_seats:
            role = (
                ParticipantRole.CHAIR
                if committee_seat.role == CommitteeRole.HEAD
                else ParticipantRole.DELEGATE
            )
            membership = committee_seat.membership
            result.setdefault(membership.person_id, (membership, role))
        return _one_chair(list(result.values()))
    memberships = (
        Membership.objects.filter(council_id=meeting.council_id, term_id=meeting.term_id)
        .filter(in_force_on(day))
        .select_related("person")
        .order_by("id")
    )
    if meeting.kind == MeetingKind.STANDING_COMMITTEE:
        memberships = memberships.filter(
            position__in=[Position.CHAIR, Position.VICE_CHAIR, Position.STANDING_MEMBER]
        )
    by_person: dict[int, tuple[Membership, str]] = {}
    for seat in memberships:
        role = (
            ParticipantRole.CHAIR if seat.position == Position.CHAIR else ParticipantRole.DELEGATE
        )
        by_person.setdefault(seat.person_id, (seat, role))
    return _one_chair(list(by_person.values()))


def _one_chair(seats: list[tuple[Membership, str]]) -> list[tuple[Membership, str]]:
    # Two seats marked chair (a handover on the first day): the first chairs.
    chaired = False
    result = []
    for seat, role in seats:
        if role == ParticipantRole.CHAIR:
            if chaired:
                role = ParticipantRole.DELEGATE
            chaired = True
        result.append((seat, role))
    return result


def _seed_participants(meeting: Meeting) -> int:
    rows = [
        Participant(
            meeting=meeting,
            person=seat.person,
            membership=seat,
            role=role,
            sort_key=sort_key(role, seat.person),
        )
        for seat, role in _seats_for(meeting)
    ]
    Participant.objects.bulk_create(rows)
    return len(rows)


def create_meeting(
    *,
    council: Council,
    actor: Any,
    term: Term,
    kind: str,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date,
    number: int | None = None,
    committee: Committee | None = None,
    venue: str = "",
    is_closed: bool = False,
    quorum_numerator: int = 2,
    quorum_denominator: int = 3,
    allow_vote_change: bool = True,
    speech_limit_seconds: int = 420,
    speech_warning_seconds: int = 60,
) -> Meeting:
    """Plan a meeting and seed its participants from the seats in force on its first day."""
    meeting = Meeting(
        council=council,
        term=term,
        kind=kind,
        number=number,
        committee=committee,
        title=normalize(title or "")[:300],
        venue=normalize(venue or "")[:300],
        starts_on=starts_on,
        ends_on=ends_on,
        is_closed=is_closed,
        quorum_numerator=quorum_numerator,
        quorum_denominator=quorum_denominator,
        allow_vote_change=allow_vote_change,
        speech_limit_seconds=speech_limit_seconds,
        speech_warning_seconds=speech_warning_seconds,
        status=MeetingStatus.PLANNED,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    _check_details(meeting)
    with transaction.atomic():
        _save_checked(meeting, force_insert=True)
        seeded = _seed_participants(meeting)
        record(
            meeting,
            actor=actor,
            action="create",
            summary=_("Meeting planned: %(meeting)s.") % {"meeting": meeting},
            changes={**_audit(meeting), "participants": seeded},
        )
    return meeting


def update_meeting(
    *, meeting_id: int, expected_version: int | None, actor: Any, changes: dict[str, Any]
) -> Meeting:
    """Correct a planned or running meeting's details. `changes` maps names from
    EDITABLE_FIELDS to new values."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise DomainError(
            _("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    with transaction.atomic():
        meeting = lock_meeting(meeting_id, expected_version=expected_version)
        require_state(meeting, "edit")
        before = _audit(meeting)
        kind = changes.get("kind", meeting.kind)
        if kind != meeting.kind and not (kind in SESSION_KINDS and meeting.kind in SESSION_KINDS):
            raise DomainError(
                _(
                    "A session can only become another kind of session: the participants "
                    "were chosen for this kind of meeting. Cancel it and plan a new one."
                ),
                fields={"kind": [_("This kind cannot be changed to that one.")]},
            )
        for name, value in changes.items():
            if name in {"title", "venue"}:
                value = normalize(value or "")[:300]
            setattr(meeting, name, value)
        _check_details(meeting, exclude_id=meeting.pk)
        after = _audit(meeting)
        changed = {
            name: [before[name], after[name]] for name in after if before[name] != after[name]
        }
        if not changed:
            return meeting
        meeting.version += 1
        fields = sorted(set(changes) | {"version", "updated_at"})
        _save_checked(meeting, update_fields=fields)
        record(
            meeting,
            actor=actor,
            action="update",
            summary=_("Meeting details corrected."),
            changes=changed,
        )
        announce(meeting.pk, "meeting", "attendance")
    return meeting


def start_meeting(*, meeting_id: int, expected_version: int | None, actor: Any) -> Meeting:
    """Planned → in progress (the office or the chair opens the meeting)."""
    with transaction.atomic():
        meeting = lock_meeting(meeting_id, expected_version=expected_version)
        require_state(meeting, "start")
        meeting.status = MeetingStatus.IN_PROGRESS
        save_versioned(meeting, ["status", "updated_at"])
        record(meeting, actor=actor, action="start", summary=_("Meeting started."))
        announce(meeting.pk, "meeting")
    return meeting


def end_meeting(*, meeting_id: int, expected_version: int | None, actor: Any) -> Meeting:
    """In progress → ended, once no sitting is open."""
    with transaction.atomic():
        meeting = lock_meeting(meeting_id, expected_version=expected_version)
        require_state(meeting, "end")
        if meeting.sittings.filter(status=SittingStatus.OPEN).exists():
            raise NotAllowedNow(_("Close the open sitting before ending the meeting."))
        meeting.status = MeetingStatus.ENDED
        save_versioned(meeting, ["status", "updated_at"])
        # The item under way ends with the meeting (the room and the projector show it).
        finished = finish_current(meeting, timezone.now())
        record(
            meeting,
            actor=actor,
            action="end",
            summary=_("Meeting ended."),
            changes={"agenda_item_done": finished.pk} if finished else None,
        )
        announce(meeting.pk, "meeting", "agenda")
    return meeting


def cancel_meeting(
    *, meeting_id: int, expected_version: int | None, actor: Any, reason: str
) -> Meeting:
    """Planned or in progress → cancelled, with the reason (kept in the audit trail).
    An open sitting is closed with it."""
    reason = normalize(reason or "")[:500]
    if not reason:
        raise DomainError(
            _("Say why the meeting is cancelled."), fields={"reason": [_("Give a reason.")]}
        )
    with transaction.atomic():
        meeting = lock_meeting(meeting_id, expected_version=expected_version)
        require_state(meeting, "cancel")
        now = timezone.now()
        meeting.sittings.filter(status=SittingStatus.OPEN).update(
            status=SittingStatus.CLOSED, closed_at=now
        )
        meeting.status = MeetingStatus.CANCELLED
        meeting.current_sitting = None
        save_versioned(meeting, ["status", "current_sitting", "updated_at"])
        record(
            meeting,
            actor=actor,
            action="cancel",
            summary=_("Meeting cancelled: %(reason)s") % {"reason": reason},
            changes={"reason": reason},
        )
        announce(meeting.pk, "meeting", "attendance")
    return meeting
