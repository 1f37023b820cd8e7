"""After the meeting: the draft minutes (.docx) and the resolutions adopted (record,
signed file, publication)."""

from pathlib import Path

from django import forms
from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hdnd.core.errors import DomainError, NotFound
from hdnd.core.forms import add_domain_error
from hdnd.lib.docx import DOCX_CONTENT_TYPE
from hdnd.meetings import access
from hdnd.meetings.models import AgendaItem, Meeting, Resolution
from hdnd.meetings.queries.minutes import minutes_of
from hdnd.meetings.reports.minutes import minutes_docx, minutes_file_name
from hdnd.meetings.services import records as services
from hdnd.voting.models import Poll, PollStatus


class ResolutionForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("Number and symbol"), max_length=80)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=500)
    adopted_on = forms.DateField(
        label=gettext_lazy("Adopted on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    poll = forms.ModelChoiceField(
        label=gettext_lazy("Adopted by the poll"), queryset=Poll.objects.none(), required=False
    )
    agenda_item = forms.ModelChoiceField(
        label=gettext_lazy("Agenda item"), queryset=AgendaItem.objects.none(), required=False
    )
    file = forms.FileField(label=gettext_lazy("Signed file (PDF)"), required=False)

    def __init__(self, *args: object, meeting: Meeting, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        poll_field = self.fields["poll"]
        item_field = self.fields["agenda_item"]
        if isinstance(poll_field, forms.ModelChoiceField):
            poll_field.queryset = Poll.objects.filter(
                meeting=meeting, status=PollStatus.CLOSED, passed=True, resolution__isnull=True
            ).order_by("closed_at")
        if isinstance(item_field, forms.ModelChoiceField):
            item_field.queryset = AgendaItem.objects.filter(meeting=meeting).order_by("position")


def resolutions(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access.access_meeting(user=request.user, meeting_id=meeting_id)
    is_manager = access.is_manager(request.user, meeting.council_id)
    form = None
    status = 200
    if is_manager:
        form = ResolutionForm(request.POST or None, request.FILES or None, meeting=meeting)
    if request.method == "POST":
        access.access_meeting_manage(user=request.user, meeting_id=meeting.pk)
        if form is not None and form.is_valid():
            data = form.cleaned_data
            try:
                services.record_resolution(
                    meeting_id=meeting.pk,
                    number=data["number"],
                    title=data["title"],
                    adopted_on=data["adopted_on"],
                    poll_id=data["poll"].pk if data["poll"] else None,
                    agenda_item_id=data["agenda_item"].pk if data["agenda_item"] else None,
                    file=data["file"],
                    actor=request.user,
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("The resolution was recorded."))
                return redirect("meetings:resolutions", meeting.pk)
        status = 400
    context = {
        "meeting": meeting,
        "resolutions": access.visible_resolutions(request.user, meeting),
        "form": form,
        "is_manager": is_manager,
        "can_run": access.can_run(request.user, meeting),
    }
    return render(request, "meetings/records/resolutions.html", context, status=status)


@require_POST
def publish(request: HttpRequest, meeting_id: int, resolution_id: int) -> HttpResponse:
    meeting = access.access_meeting_manage(user=request.user, meeting_id=meeting_id)
    if not Resolution.objects.filter(id=resolution_id, meeting=meeting).exists():
        raise NotFound(_("This resolution does not exist."))
    try:
        services.publish_resolution(resolution_id=resolution_id, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The resolution is published."))
    return redirect("meetings:resolutions", meeting.pk)


def resolution_file(request: HttpRequest, meeting_id: int, resolution_id: int) -> FileResponse:
    resolution, meeting = access.access_resolution(user=request.user, resolution_id=resolution_id)
    if meeting.pk != meeting_id or not resolution.file:
        raise NotFound(_("This resolution has no file."))
    return FileResponse(
        resolution.file.open("rb"),
        as_attachment=True,
        filename=Path(resolution.file.name).name,
        content_type="application/pdf",
    )


def minutes(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The draft minutes: the office and the chair."""
    meeting = access.access_meeting_run(user=request.user, meeting_id=meeting_id)
    record = minutes_of(meeting)
    response = HttpResponse(minutes_docx(record), content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        content_disposition_header(True, minutes_file_name(record)) or "attachment"
    )
    return response


urlpatterns = [
    path("<int:meeting_id>/resolutions/", resolutions, name="resolutions"),
    path(
        "<int:meeting_id>/resolutions/<int:resolution_id>/publish/",
        publish,
        name="resolution_publish",
    ),
    path(
        "<int:meeting_id>/resolutions/<int:resolution_id>/file/",
        resolution_file,
        name="resolution_file",
    ),
    path("<int:meeting_id>/minutes.docx", minutes, name="minutes"),
]
