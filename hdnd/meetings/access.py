"""Who may see and do what in a council's meetings (and their polls).

- The council's office staff (a commune's officers) prepare and run every meeting: they
  are the secretaries, and they may work the chair's console on the chair's behalf.
- A participant with the chair role runs the room: agenda, floor, polls.
- Participants read the meeting and its documents (participants-only ones included);
  delegates and the chair check in, ask to speak, register questions and vote; guests
  read and may be given the floor, never vote; respondents answer questions.
- The council's other readers (standing committee, committee members, delegates) read
  its meetings that are not closed and their published documents.
- The public reads published documents, resolutions and closed polls' results of
  meetings that are not closed; the projector reads through the meeting's display key.

Every refusal raises NotFound or PermissionDenied; one condition per line.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from hdnd.accounts.roles import (
    COUNCIL_OFFICE_ROLES,
    COUNCIL_READER_ROLES,
    holds_council_role,
)
from hdnd.core.errors import NotFound, PermissionDenied
from hdnd.councils.access import access_council
from hdnd.councils.models import Council
from hdnd.meetings.models import (
    VOTING_ROLES,
    Consultation,
    ConsultationStatus,
    Document,
    DocumentVersion,
    Meeting,
    Participant,
    ParticipantRole,
    Resolution,
    Visibility,
)

T = TypeVar("T")


def is_manager(user: Any, council_id: int) -> bool:
    """The council's office."""
    return holds_council_role(user, council_id, COUNCIL_OFFICE_ROLES)


def is_reader(user: Any, council_id: int) -> bool:
    return holds_council_role(user, council_id, COUNCIL_READER_ROLES)


def participant_of(user: Any, meeting: Meeting) -> Participant | None:
    """The user's participation in the meeting (through their person), if any; cached."""
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        return None
    cache: dict[int, Participant | None] = user.__dict__.setdefault("_meeting_participants", {})
    if meeting.pk not in cache:
        cache[meeting.pk] = (
            Participant.objects.select_related("person")
            .filter(meeting_id=meeting.pk, person_id=person_id)
            .first()
        )
    return cache[meeting.pk]


def is_chair(user: Any, meeting: Meeting) -> bool:
    participant = participant_of(user, meeting)
    return participant is not None and participant.role == ParticipantRole.CHAIR


def can_run(user: Any, meeting: Meeting) -> bool:
    """The chair's console: the chair, or the office on the chair's behalf."""
    return is_chair(user, meeting) or is_manager(user, meeting.council_id)


def _require_login(user: Any) -> None:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Please sign in to see this page."))


def _meeting(meeting_id: int) -> Meeting:
    meeting = (
        Meeting.objects.select_related("council", "term", "committee", "current_sitting")
        .filter(id=meeting_id)
        .first()
    )
    if meeting is None:
        raise NotFound(pgettext("council meeting", "This meeting does not exist."))
    return meeting


def access_council_meetings(*, user: Any, council_id: int) -> Council:
    """A council's list of meetings: its readers (a participant reaches their meetings
    from their home page)."""
    council = access_council(user=user, council_id=council_id)
    _require_login(user)
    if is_reader(user, council.pk):
        return council
    raise PermissionDenied(_("You have no role in this council's meetings."))


def access_council_meetings_manage(*, user: Any, council_id: int) -> Council:
    """Creating meetings and written consultations."""
    council = access_council(user=user, council_id=council_id)
    _require_login(user)
    if is_manager(user, council.pk):
        return council
    raise PermissionDenied(_("Only the council's office staff may do this."))


def access_meeting(*, user: Any, meeting_id: int) -> Meeting:
    """Reading a meeting: participants, the office, and the council's readers unless it
    is closed."""
    _require_login(user)
    meeting = _meeting(meeting_id)
    if is_manager(user, meeting.council_id):
        return meeting
    if participant_of(user, meeting) is not None:
        return meeting
    if not meeting.is_closed and is_reader(user, meeting.council_id):
        return meeting
    # Not telling an outsider whether the meeting exists.
    raise NotFound(pgettext("council meeting", "This meeting does not exist."))


def access_meeting_manage(*, user: Any, meeting_id: int) -> Meeting:
    """Preparing: details, sittings, participants, agenda, documents."""
    meeting = access_meeting(user=user, meeting_id=meeting_id)
    if is_manager(user, meeting.council_id):
        return meeting
    raise PermissionDenied(_("Only the council's office staff may prepare this meeting."))


def require_run(user: Any, meeting: Meeting) -> None:
    """The chair, or the office on the chair's behalf (a meeting already read)."""
    if not can_run(user, meeting):
        raise PermissionDenied(_("Only the chair or the council's office may run the meeting."))


def access_meeting_run(*, user: Any, meeting_id: int) -> Meeting:
    """The chair's console: current item, floor, questioning, polls, attendance."""
    meeting = access_meeting(user=user, meeting_id=meeting_id)
    require_run(user, meeting)
    return meeting


def access_meeting_participate(*, user: Any, meeting_id: int) -> tuple[Meeting, Participant]:
    """Acting as a participant (checking in, asking to speak, notes): the user's own
    participation."""
    meeting = access_meeting(user=user, meeting_id=meeting_id)
    participant = participant_of(user, meeting)
    if participant is None:
        raise PermissionDenied(_("You are not a participant of this meeting."))
    return meeting, participant


def access_meeting_vote(*, user: Any, meeting_id: int) -> tuple[Meeting, Participant]:
    """Voting: a delegate or the chair, in person (no proxy). Presence at the sitting is
    checked by the voting service when the ballot is cast."""
    meeting, participant = access_meeting_participate(user=user, meeting_id=meeting_id)
    if participant.role not in VOTING_ROLES:
        raise PermissionDenied(_("Only the council's delegates vote; guests never do."))
    return meeting, participant


def access_row(check: Callable[..., T], *, user: Any, meeting_id: int, message: str) -> T:
    """`check` (one of the access_meeting… functions) on the meeting of a row reached by
    its own id (a question, a request to speak…). A meeting hidden from the user answers
    with the row's own 404, as an unknown id does, so that an id reveals nothing."""
    try:
        return check(user=user, meeting_id=meeting_id)
    except NotFound as refusal:
        raise NotFound(message) from refusal


def access_meeting_display(*, key: str) -> Meeting:
    """The projector page: anyone holding the meeting's display key (read-only)."""
    meeting = Meeting.objects.select_related("council").filter(display_key=key).first()
    if meeting is None or not key:
        raise NotFound(_("This display link is not valid."))
    return meeting


# Documents --------------------------------------------------------------------------------


def sees_unpublished(user: Any, meeting: Meeting) -> bool:
    """Participants-only documents: the meeting's participants and the council's office."""
    if is_manager(user, meeting.council_id):
        return True
    return participant_of(user, meeting) is not None


def _document(document_id: int) -> Document:
    document = (
        Document.objects.select_related("meeting", "meeting__council", "agenda_item")
        .filter(id=document_id)
        .first()
    )
    if document is None:
        raise NotFound(_("This document does not exist."))
    return document


def access_document(*, user: Any, document_id: int) -> Document:
    """Reading a document, its versions and files; keeping one's private note on it."""
    document = _document(document_id)
    try:
        access_meeting(user=user, meeting_id=document.meeting_id)
    except NotFound as refusal:
        raise NotFound(_("This document does not exist.")) from refusal
    if document.visibility == Visibility.PUBLISHED:
        return document
    if sees_unpublished(user, document.meeting):
        return document
    raise NotFound(_("This document does not exist."))


def access_document_manage(*, user: Any, document_id: int) -> Document:
    """New versions and publishing: the council's office."""
    document = access_document(user=user, document_id=document_id)
    if is_manager(user, document.meeting.council_id):
        return document
    raise PermissionDenied(_("Only the council's office staff may change documents."))


def access_version(*, user: Any, version_id: int) -> DocumentVersion:
    """Downloading one version's file."""
    version = DocumentVersion.objects.filter(id=version_id).only("id", "document_id").first()
    if version is None:
        raise NotFound(_("This file does not exist."))
    document = access_document(user=user, document_id=version.document_id)
    found = DocumentVersion.objects.get(id=version_id)
    found.document = document
    return found


# Resolutions ------------------------------------------------------------------------------


def visible_resolutions(user: Any, meeting: Meeting) -> QuerySet[Resolution]:
    """A meeting's resolutions the user may read (the meeting already checked): published
    ones, and unpublished ones for its participants and the council's office."""
    rows = Resolution.objects.filter(meeting_id=meeting.pk).select_related("poll")
    if not sees_unpublished(user, meeting):
        rows = rows.filter(published_at__isnull=False)
    return rows.order_by("adopted_on", "id")


def access_resolution(*, user: Any, resolution_id: int) -> tuple[Resolution, Meeting]:
    """One resolution and its meeting, if the user may read it; any other is not found."""
    message = _("This resolution does not exist.")
    meeting_id = (
        Resolution.objects.filter(id=resolution_id).values_list("meeting_id", flat=True).first()
    )
    if meeting_id is None:
        raise NotFound(message)
    meeting = access_row(access_meeting, user=user, meeting_id=meeting_id, message=message)
    resolution = visible_resolutions(user, meeting).filter(id=resolution_id).first()
    if resolution is None:
        raise NotFound(message)
    return resolution, meeting


# Written consultations ---------------------------------------------------------------------------------


def access_consultation(*, user: Any, consultation_id: int) -> Consultation:
    """Reading a consultation (and answering it, for a member): the council's readers."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Please sign in to see this page."))
    consultation = (
        Consultation.objects.select_related("council", "term").filter(id=consultation_id).first()
    )
    if consultation is None:
        raise NotFound(_("This consultation does not exist."))
    if is_reader(user, consultation.council_id):
        return consultation
    raise NotFound(_("This consultation does not exist."))


def access_consultation_manage(*, user: Any, consultation_id: int) -> Consultation:
    """Opening, closing, and seeing who has not answered yet: the council's office."""
    consultation = access_consultation(user=user, consultation_id=consultation_id)
    if is_manager(user, consultation.council_id):
        return consultation
    raise PermissionDenied(_("Only the council's office staff may do this."))


def may_see_results(user: Any, consultation: Consultation) -> bool:
    """The office at any time; the other readers once the consultation is closed."""
    if is_manager(user, consultation.council_id):
        return True
    return consultation.status == ConsultationStatus.CLOSED


# Sealed poll results: the office and the standing committee check them.


def may_verify_seals(user: Any, council_id: int) -> bool:
    """The council's readers (its delegates, the chair among them, its committees and
    office): the seals cover results that are public once closed."""
    return is_reader(user, council_id)


def access_council_seals(*, user: Any, council_id: int) -> Council:
    council = access_council(user=user, council_id=council_id)
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Please sign in to see this page."))
    if may_verify_seals(user, council.pk):
        return council
    raise PermissionDenied(_("Only the council's office and standing committee check this."))
