"""Public pages (no sign-in): a council's meetings that are not closed, each with its
agenda, published documents (their current files to download), published resolutions and the results of its closed polls
(counts only: how a delegate voted stays in the roll call for the council)."""

from pathlib import Path

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from hdnd.core.errors import NotFound
from hdnd.councils.access import access_council
from hdnd.meetings.queries import public
from hdnd.meetings.queries.minutes import closed_polls
from hdnd.voting.models import Choice


def council_meetings(request: HttpRequest, council_id: int) -> HttpResponse:
    council = access_council(user=request.user, council_id=council_id)
    return render(
        request,
        "meetings/public/council.html",
        {"council": council, "meetings": public.public_meetings(council)},
    )


def meeting_page(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = public.public_meeting(meeting_id)
    context = {
        "meeting": meeting,
        "agenda": public.public_agenda(meeting),
        "documents": public.published_documents(meeting),
        "resolutions": public.published_resolutions(meeting),
        "polls": closed_polls(meeting),
        "choice_labels": dict(Choice.choices),
    }
    return render(request, "meetings/public/meeting.html", context)


def resolution_file(request: HttpRequest, meeting_id: int, resolution_id: int) -> FileResponse:
    meeting = public.public_meeting(meeting_id)
    resolution = public.published_resolutions(meeting).filter(id=resolution_id).first()
    if resolution is None or not resolution.file:
        raise NotFound(_("This resolution has no file."))
    return FileResponse(
        resolution.file.open("rb"),
        as_attachment=True,
        filename=Path(resolution.file.name).name,
        content_type="application/pdf",
    )


def document_file(request: HttpRequest, meeting_id: int, document_id: int) -> FileResponse:
    """A published document's current version, as stored: it is public, so it carries no
    reader's stamp (participants-only documents never come through here)."""
    version = public.published_file(public.public_meeting(meeting_id), document_id)
    response = FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=version.filename,
        content_type=version.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns = [
    path("council/<int:council_id>/", council_meetings, name="council"),
    path("<int:meeting_id>/", meeting_page, name="meeting"),
    path(
        "<int:meeting_id>/documents/<int:document_id>/file/",
        document_file,
        name="document_file",
    ),
    path(
        "<int:meeting_id>/resolutions/<int:resolution_id>/file/",
        resolution_file,
        name="resolution_file",
    ),
]
