"""What the public sees of a council's meetings (the public pages and the open-data API):
meetings that are not closed and not cancelled, their agenda, published documents and
resolutions, and the counts of their closed polls (how a delegate voted stays in the
roll call for the council)."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from hdnd.core.errors import NotFound
from hdnd.councils.models import Council
from hdnd.meetings.models import (
    AgendaItem,
    DocumentVersion,
    Meeting,
    MeetingStatus,
    Resolution,
    Visibility,
)
from hdnd.meetings.queries.documents import published_documents
from hdnd.meetings.queries.minutes import agenda_numbers

__all__ = [
    "PUBLIC_STATES",
    "public_agenda",
    "public_meeting",
    "public_meetings",
    "published_documents",
    "published_file",
    "published_resolutions",
]

PUBLIC_STATES = [MeetingStatus.PLANNED, MeetingStatus.IN_PROGRESS, MeetingStatus.ENDED]


def public_meetings(council: Council) -> QuerySet[Meeting]:
    """The council's public meetings, newest first."""
    return Meeting.objects.filter(
        council=council, is_closed=False, status__in=PUBLIC_STATES
    ).order_by("-starts_on", "-id")


def public_meeting(meeting_id: int) -> Meeting:
    meeting = (
        Meeting.objects.select_related("council", "term")
        .filter(id=meeting_id, is_closed=False, status__in=PUBLIC_STATES)
        .first()
    )
    if meeting is None:
        raise NotFound(pgettext("council meeting", "This meeting does not exist."))
    return meeting


def public_agenda(meeting: Meeting) -> list[tuple[str, AgendaItem]]:
    return agenda_numbers(list(AgendaItem.objects.filter(meeting=meeting)))


def published_resolutions(meeting: Meeting) -> QuerySet[Resolution]:
    return Resolution.objects.filter(meeting=meeting, published_at__isnull=False).order_by(
        "adopted_on", "id"
    )


def published_file(meeting: Meeting, document_id: int) -> DocumentVersion:
    """A published document's current version."""
    version = (
        DocumentVersion.objects.filter(
            document_id=document_id,
            document__meeting=meeting,
            document__visibility=Visibility.PUBLISHED,
        )
        .order_by("-number")
        .first()
    )
    if version is None:
        raise NotFound(_("This document does not exist."))
    return version
