"""A meeting's participants: the office adds guests, respondents and its own staff,
removes someone who has not yet acted, and may hand the chair to another member.
Delegates and the chair are seeded from the seats when the meeting is created
(services/meetings.py)."""

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from hdnd.core.errors import DomainError, NotFound
from hdnd.councils.models import Agency, Person
from hdnd.lib.vietnamese import fold, normalize
from hdnd.meetings.models import (
    Meeting,
    Participant,
    ParticipantRole,
    Question,
    SpeechRequest,
    SpeechStatus,
)
from hdnd.meetings.services.common import NotAllowedNow, announce, lock_meeting, record
from hdnd.meetings.services.meetings import require_state, sort_key

# Roles the office adds by hand; delegates and the chair come from the seats.
ADDED_ROLES = frozenset({ParticipantRole.GUEST, ParticipantRole.RESPONDENT, ParticipantRole.STAFF})


def _participant(meeting: Meeting, participant_id: int) -> Participant:
    participant = (
        Participant.objects.select_for_update(of=("self",))
        .select_related("person")
        .filter(meeting_id=meeting.pk, id=participant_id)
        .first()
    )
    if participant is None:
        raise NotFound(_("This participant is not in the meeting."))
    return participant


def _check_agency(meeting: Meeting, agency: Agency | None) -> None:
    if agency is None:
        raise DomainError(
            _("Name the agency the official answers for."),
            fields={"agency": [_("Choose an agency.")]},
        )
    councils = {meeting.council_id, meeting.council.parent_id}
    if agency.council_id not in councils:
        raise DomainError(
            _("Choose an agency of this council's area."),
            fields={"agency": [_("Choose an agency of this council's area.")]},
        )


def add_participant(
    *,
    meeting_id: int,
    actor: Any,
    role: str,
    person: Person | None = None,
    new_name: str = "",
    title: str = "",
    agency: Agency | None = None,
    seat: str = "",
) -> Participant:
    """Invite a guest (with the title they attend as), a respondent official (with their
    agency) or a member of the office's staff: a known person, or someone new by name
    (a guest from outside, say; they are not listed in the public directory)."""
    if role not in ADDED_ROLES:
        raise DomainError(
            _(
                "Delegates and the chair come from the council's seats; add a guest, a respondent or staff."
            ),
            fields={"role": [_("Choose guest, respondent or staff.")]},
        )
    title = normalize(title or "")[:300]
    with transaction.atomic():
        meeting = lock_meeting(meeting_id)
        require_state(meeting, "participants")
        if role == ParticipantRole.RESPONDENT:
            _check_agency(meeting, agency)
        else:
            agency = None
        if role == ParticipantRole.GUEST and not title:
            raise DomainError(
                _("Say what the guest attends as (their title or post)."),
                fields={"title": [_("Give the guest's title.")]},
            )
        if person is None:
            name = normalize(new_name or "")[:150]
            if not name:
                raise DomainError(
                    _("Choose a person or write a name."),
                    fields={"person": [_("Choose a person or write a name.")]},
                )
            person = Person.objects.create(full_name=name, search_text=fold(name))
        elif Participant.objects.filter(meeting_id=meeting.pk, person_id=person.pk).exists():
            raise DomainError(
                _("%(person)s is already a participant of this meeting.") % {"person": person},
                fields={"person": [_("Already a participant.")]},
            )
        participant = Participant.objects.create(
            meeting=meeting,
            person=person,
            role=role,
            title=title,
            agency=agency,
            seat=normalize(seat or "")[:20],
            sort_key=sort_key(role, person),
        )
        record(
            meeting,
            actor=actor,
            action="participant.add",
            obj=participant,
            summary=_("Participant added: %(participant)s.") % {"participant": participant},
            changes={"person": person.pk, "role": role, "agency": getattr(agency, "pk", None)},
        )
        announce(meeting.pk, "attendance")
    return participant


def participant_has_acted(participant: Participant) -> bool:
    """Whether the participant voted, spoke or asked a question in the meeting (their
    record stays)."""
    from hdnd.voting.models import Ballot

    if Ballot.objects.filter(
        poll__meeting_id=participant.meeting_id, person_id=participant.person_id
    ).exists():
        return True
    spoke = SpeechRequest.objects.filter(
        participant=participant, status__in=[SpeechStatus.SPEAKING, SpeechStatus.DONE]
    )
    if spoke.exists():
        return True
    return Question.objects.filter(Q(asker=participant) | Q(respondent=participant)).exists()


def remove_participant(*, meeting_id: int, participant_id: int, actor: Any) -> None:
    """Take someone off the meeting; never one who has voted or spoken, nor the chair."""
    with transaction.atomic():
        meeting = lock_meeting(meeting_id)
        require_state(meeting, "participants")
        participant = _participant(meeting, participant_id)
        if participant.role == ParticipantRole.CHAIR:
            raise NotAllowedNow(_("Hand the chair to another member before removing the chair."))
        if participant_has_acted(participant):
            raise NotAllowedNow(
                _(
                    "%(person)s has already voted, spoken or asked a question in this meeting: "
                    "they stay on the record."
                )
                % {"person": participant.person}
            )
        record(
            meeting,
            actor=actor,
            action="participant.remove",
            obj=participant,
            summary=_("Participant removed: %(participant)s.") % {"participant": participant},
            changes={"person": participant.person_id, "role": participant.role},
        )
        participant.delete()
        announce(meeting.pk, "attendance", "speakers", "questions")


def set_chair(*, meeting_id: int, participant_id: int, actor: Any) -> Participant:
    """Hand the chair to another member with a seat; the previous chair stays a delegate."""
    with transaction.atomic():
        meeting = lock_meeting(meeting_id)
        require_state(meeting, "participants")
        participant = _participant(meeting, participant_id)
        if participant.membership_id is None:
            raise DomainError(
                _("Only a member of the council with a seat may chair the meeting."),
                fields={"participant": [_("Choose a delegate.")]},
            )
        if participant.role == ParticipantRole.CHAIR:
            return participant
        previous = list(
            Participant.objects.select_for_update(of=("self",))
            .select_related("person")
            .filter(meeting_id=meeting.pk, role=ParticipantRole.CHAIR)
        )
        for old in previous:
            old.role = ParticipantRole.DELEGATE
            old.sort_key = sort_key(old.role, old.person)
            old.save(update_fields=["role", "sort_key"])
        participant.role = ParticipantRole.CHAIR
        participant.sort_key = sort_key(participant.role, participant.person)
        participant.save(update_fields=["role", "sort_key"])
        record(
            meeting,
            actor=actor,
            action="chair.set",
            obj=participant,
            summary=_("Chair: %(person)s.") % {"person": participant.person},
            changes={"chair": [[old.person_id for old in previous], participant.person_id]},
        )
        announce(meeting.pk, "meeting", "attendance")
    return participant
