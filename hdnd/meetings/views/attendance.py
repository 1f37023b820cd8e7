"""Attendance: a participant checks in and says they are ready to vote on their tablet;
the office records anyone present or absent; the chair reads the counts and the quorum;
the attendance exports to .xlsx. The panel re-renders alone at
/meetings/<id>/panels/attendance/."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hdnd.core.errors import DomainError
from hdnd.lib.xlsx import XLSX_CONTENT_TYPE, add_sheet, new_workbook, workbook_bytes
from hdnd.meetings import access
from hdnd.meetings.forms.attendance import RecordAttendanceForm
from hdnd.meetings.models import AttendanceStatus
from hdnd.meetings.queries import attendance as queries
from hdnd.meetings.services import attendance as services
from hdnd.meetings.views.meetings import panel_action, panel_response


@login_required
@require_GET
def attendance_panel(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access.access_meeting(user=request.user, meeting_id=meeting_id)
    return panel_response(request, meeting, "attendance")


@login_required
@require_POST
def check_in(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting, participant = access.access_meeting_participate(
        user=request.user, meeting_id=meeting_id
    )
    response = panel_action(
        request,
        meeting,
        "attendance",
        lambda: services.check_in(
            meeting_id=meeting.pk, participant_id=participant.pk, actor=request.user
        ),
        _("You are checked in."),
    )
    # This tablet's ballot opens at once, before the room's live attendance update (which
    # the ballot panel also follows while its delegate is not present).
    response["HX-Trigger"] = "meeting:poll"
    return response


@login_required
@require_POST
def ready(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting, participant = access.access_meeting_participate(
        user=request.user, meeting_id=meeting_id
    )
    is_ready = request.POST.get("ready") == "1"
    return panel_action(
        request,
        meeting,
        "attendance",
        lambda: services.set_ready(
            meeting_id=meeting.pk, participant_id=participant.pk, actor=request.user, ready=is_ready
        ),
        _("You are ready to vote.") if is_ready else _("You are no longer ready to vote."),
    )


@login_required
@require_POST
def record(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access.access_meeting_manage(user=request.user, meeting_id=meeting_id)
    form = RecordAttendanceForm(request.POST, meeting=meeting)

    def run() -> object:
        if not form.is_valid():
            messages = [str(note) for notes in form.errors.values() for note in notes]
            raise DomainError(" ".join(messages))
        data = form.cleaned_data
        sitting = data.get("sitting")
        return services.record_attendance(
            meeting_id=meeting.pk,
            participant_id=data["participant"].pk,
            actor=request.user,
            status=data["status"],
            reason=data["reason"],
            sitting_id=sitting.pk if sitting is not None else None,
        )

    return panel_action(request, meeting, "attendance", run, _("The attendance is recorded."))


@login_required
@require_GET
def export(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The attendance of every sitting that opened, one sheet each (the chair's report)."""
    meeting = access.access_meeting_run(user=request.user, meeting_id=meeting_id)
    labels = dict(AttendanceStatus.choices)
    workbook = new_workbook()
    headers = [
        _("No."),
        _("Full name"),
        _("Role"),
        _("Title or post"),
        _("Attendance"),
        _("Reason for absence"),
        _("Recorded"),
    ]
    sheets = 0
    for sitting, rows in queries.export_sittings(meeting):
        sheets += 1
        add_sheet(
            workbook,
            _("Sitting %(number)s") % {"number": sitting.number},
            headers=headers,
            widths=[6, 32, 20, 32, 20, 40, 16],
            heading=f"{meeting.title} — {sitting}",
            rows=(
                [
                    index,
                    row.participant.person.full_name,
                    row.participant.get_role_display(),
                    row.participant.title
                    or (row.participant.agency.name if row.participant.agency else ""),
                    str(labels.get(row.status, _("Not checked in"))),
                    row.attendance.reason if row.attendance else "",
                    row.attendance.get_method_display() if row.attendance else "",
                ]
                for index, row in enumerate(rows, start=1)
            ),
        )
    if not sheets:
        add_sheet(
            workbook,
            _("Attendance"),
            headers=headers,
            heading=_("No sitting has opened yet."),
            rows=[],
        )
    response = HttpResponse(workbook_bytes(workbook), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="diem-danh-{meeting.pk}.xlsx"'
    return response


urlpatterns: list[URLPattern] = [
    path("<int:meeting_id>/panels/attendance/", attendance_panel, name="panel_attendance"),
    path("<int:meeting_id>/check-in/", check_in, name="check_in"),
    path("<int:meeting_id>/ready/", ready, name="ready"),
    path("<int:meeting_id>/attendance/", record, name="attendance_record"),
    path("<int:meeting_id>/attendance.xlsx", export, name="attendance_export"),
]
