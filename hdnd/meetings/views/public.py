"""Public pages (no sign-in): a council's meetings that are not closed, each with its
agenda, published documents, published resolutions and the results of its closed polls
(counts only: how a delegate voted stays in the roll call for the council)."""

from pathlib import Path

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from hdnd.core.errors import NotFound
from hdnd.councils.access import access_council
from hdnd.meetings.models import (
    AgendaItem,
    Document,
    Meeting,
    MeetingStatus,
    Resolution,
    Visibility,
)
from hdnd.meetings.queries.minutes import CHOICE_LABELS_VI, agenda_numbers, closed_polls

PUBLIC_STATES = [MeetingStatus.PLANNED, MeetingStatus.IN_PROGRESS, MeetingStatus.ENDED]


def _public_meeting(meeting_id: int) -> Meeting:
    meeting = (
        Meeting.objects.select_related("council", "term")
        .filter(id=meeting_id, is_closed=False, status__in=PUBLIC_STATES)
        .first()
    )
    if meeting is None:
        raise NotFound(_("This meeting does not exist."))
    return meeting


def council_meetings(request: HttpRequest, council_id: int) -> HttpResponse:
    council = access_council(user=request.user, council_id=council_id)
    meetings = Meeting.objects.filter(
        council=council, is_closed=False, status__in=PUBLIC_STATES
    ).order_by("-starts_on", "-id")
    return render(
        request, "meetings/public/council.html", {"council": council, "meetings": meetings}
    )


def meeting_page(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _public_meeting(meeting_id)
    context = {
        "meeting": meeting,
        "agenda": agenda_numbers(list(AgendaItem.objects.filter(meeting=meeting))),
        "documents": Document.objects.filter(
            meeting=meeting, visibility=Visibility.PUBLISHED
        ).order_by("position", "id"),
        "resolutions": Resolution.objects.filter(
            meeting=meeting, published_at__isnull=False
        ).order_by("adopted_on", "id"),
        "polls": closed_polls(meeting),
        "choice_labels": CHOICE_LABELS_VI,
    }
    return render(request, "meetings/public/meeting.html", context)


def resolution_file(request: HttpRequest, meeting_id: int, resolution_id: int) -> FileResponse:
    meeting = _public_meeting(meeting_id)
    resolution = Resolution.objects.filter(
        id=resolution_id, meeting=meeting, published_at__isnull=False
    ).first()
    if resolution is None or not resolution.file:
        raise NotFound(_("This resolution has no file."))
    return FileResponse(
        resolution.file.open("rb"),
        as_attachment=True,
        filename=Path(resolution.file.name).name,
        content_type="application/pdf",
    )


urlpatterns = [
    path("council/<int:council_id>/", council_meetings, name="council"),
    path("<int:meeting_id>/", meeting_page, name="meeting"),
    path(
        "<int:meeting_id>/resolutions/<int:resolution_id>/file/",
        resolution_file,
        name="resolution_file",
    ),
]
