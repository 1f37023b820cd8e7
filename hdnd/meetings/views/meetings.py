"""Pages of meetings: the user's meetings, a council's list, planning and editing, the
meeting's hub page (details, sittings, participants, agenda), its status changes, the
delegate's tablet page (room) and the chair's console.

The room and the console include every panel of the meeting; each panel sits in an
element with a stable id (`panel-agenda`, `panel-attendance`, …) so the live room can
re-render it alone (mine through `/meetings/<id>/panels/<name>/`).
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hdnd.core.errors import DomainError
from hdnd.core.forms import add_domain_error
from hdnd.core.navigation import may_open
from hdnd.core.paging import page_of
from hdnd.meetings import access
from hdnd.meetings.forms.agenda import AgendaItemForm
from hdnd.meetings.forms.attendance import RecordAttendanceForm
from hdnd.meetings.forms.meetings import (
    CancelForm,
    ChairForm,
    MeetingForm,
    ParticipantForm,
    SittingForm,
    VersionForm,
)
from hdnd.meetings.models import (
    SESSION_KINDS,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Participant,
    Sitting,
    SittingStatus,
)
from hdnd.meetings.queries import agenda as agenda_queries
from hdnd.meetings.queries import attendance as attendance_queries
from hdnd.meetings.queries import consultations as consultation_queries
from hdnd.meetings.queries import meetings as queries
from hdnd.meetings.services import meetings as services
from hdnd.meetings.services import participants as participant_services
from hdnd.meetings.services import sittings as sitting_services

PAGE_SIZE = 30


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def back_to(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    """Where a form posted from the room, the console or the hub goes back to."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("meetings:meeting", meeting_id=meeting.pk)


def panel_context(
    request: HttpRequest, meeting: Meeting, *, panels: tuple[str, ...] = ("agenda", "attendance")
) -> dict[str, Any]:
    """What every panel receives (meeting, participant, can_run, the open sitting), plus
    what the `panels` asked for show. A panel re-rendered alone asks only for itself: every
    tablet refetches it on each update of the room."""
    participant = access.participant_of(request.user, meeting)
    can_run = access.can_run(request.user, meeting)
    can_manage = access.is_manager(request.user, meeting.council_id)
    sitting = (
        Sitting.objects.filter(id=meeting.current_sitting_id).first()
        if meeting.current_sitting_id is not None
        else None
    )
    context: dict[str, Any] = {
        "meeting": meeting,
        "participant": participant,
        "can_run": can_run,
        "can_manage": can_manage,
        "sitting": sitting,
        "is_running": meeting.status == MeetingStatus.IN_PROGRESS,
        "sitting_open": sitting is not None and sitting.status == SittingStatus.OPEN,
        "next_url": request.get_full_path(),
        "my_attendance": (
            attendance_queries.attendance_of(participant, sitting)
            if participant is not None
            else None
        ),
    }
    if "agenda" in panels:
        context["agenda_rows"] = agenda_queries.agenda_rows(meeting)
    if "attendance" in panels and can_run:
        # The whole list, the counts and the quorum: the chair's and the office's only.
        context["attendance"] = attendance_queries.attendance_summary(meeting, sitting)
    if "attendance" in panels and can_manage:
        context["attendance_form"] = RecordAttendanceForm(meeting=meeting)
    return context


def panel_response(
    request: HttpRequest, meeting: Meeting, name: str, *, error: str = ""
) -> HttpResponse:
    context = panel_context(request, meeting, panels=(name,))
    context["panel_error"] = error
    # The page the panel is shown on, for forms that go back there without htmx.
    context["next_url"] = request.POST.get("next") or request.headers.get("HX-Current-URL", "")
    return render(request, f"meetings/panels/{name}.html", context)


def panel_action(
    request: HttpRequest, meeting: Meeting, panel: str, action: Callable[[], object], done: str
) -> HttpResponse:
    """Run one service for a panel's button: with htmx the panel comes back re-rendered
    (a refusal shown in it), else the page it was on, with a message."""
    try:
        action()
    except DomainError as error:
        if is_htmx(request):
            return panel_response(request, meeting, panel, error=error.message)
        messages.error(request, error.message)
        return back_to(request, meeting)
    if is_htmx(request):
        return panel_response(request, meeting, panel)
    if done:
        messages.success(request, done)
    return back_to(request, meeting)


# Lists


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The user's meetings: in progress and coming, and their councils' lists."""
    context = {
        "live": queries.my_live_meetings(user=request.user, today=timezone.localdate()),
        "councils": queries.my_councils(user=request.user),
        "consultations": consultation_queries.awaiting_my_answer(user=request.user),
    }
    return render(request, "meetings/home.html", context)


@login_required
@require_GET
def council_meetings(request: HttpRequest, council_id: int) -> HttpResponse:
    council = access.access_council_meetings(user=request.user, council_id=council_id)
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    if status not in MeetingStatus.values:
        status = ""
    if kind not in MeetingKind.values:
        kind = ""
    meetings = queries.visible_meetings(
        user=request.user, council_id=council.pk, status=status, kind=kind
    )
    context = {
        "council": council,
        "page": page_of(request, meetings, per_page=PAGE_SIZE),
        "status": status,
        "kind": kind,
        "statuses": MeetingStatus.choices,
        "kinds": MeetingKind.choices,
        "can_create": access.is_manager(request.user, council.pk),
    }
    return render(request, "meetings/list.html", context)


# Planning and editing


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest, council_id: int) -> HttpResponse:
    council = access.access_council_meetings_manage(user=request.user, council_id=council_id)
    form = MeetingForm(request.POST if request.method == "POST" else None, council=council)
    suggestion = None
    term = queries.term_on(council_id=council.pk, day=timezone.localdate())
    if term is not None:
        suggestion = queries.next_session_number(council_id=council.pk, term_id=term.pk)
        if not form.is_bound:
            form.initial.update(
                {"term": term.pk, "number": suggestion, "kind": MeetingKind.REGULAR}
            )
    if form.is_bound and form.is_valid():
        try:
            meeting = services.create_meeting(
                council=council, actor=request.user, **form.create_arguments()
            )
        except DomainError as error:
            add_domain_error(form, error, always_on_top=True)
        else:
            messages.success(request, _("The meeting is planned; its participants are listed."))
            return redirect("meetings:meeting", meeting_id=meeting.pk)
    context = {"council": council, "form": form, "meeting": None, "suggestion": suggestion}
    return render(request, "meetings/form.html", context, status=_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access.access_meeting_manage(user=request.user, meeting_id=meeting_id)
    form = MeetingForm(
        request.POST if request.method == "POST" else None,
        council=meeting.council,
        meeting=meeting,
    )
    if form.is_bound and form.is_valid():
        try:
            services.update_meeting(
                meeting_id=meeting.pk,
                expected_version=form.cleaned_data["version"],
                actor=request.user,
                changes=form.changes(),
            )
        except DomainError as error:
            add_domain_error(form, error, always_on_top=True)
        else:
            messages.success(request, _("The meeting is saved."))
            return redirect("meetings:meeting", meeting_id=meeting.pk)
    suggestion = queries.next_session_number(council_id=meeting.council_id, term_id=meeting.term_id)
    context = {
        "council": meeting.council,
        "form": form,
        "meeting": meeting,
        "suggestion": suggestion,
    }
    return render(request, "meetings/form.html", context, status=_status(form))


# The hub


@login_required
@require_GET
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access.access_meeting(user=request.user, meeting_id=meeting_id)
    return hub_page(request, meeting)


def hub_page(
    request: HttpRequest,
    meeting: Meeting,
    *,
    forms: dict[str, Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The meeting's page, with the forms the user just sent (bound, with their errors)
    so that nothing typed is lost."""
    context = panel_context(request, meeting)
    can_manage = context["can_manage"]
    context.update(
        council=meeting.council,
        sittings=list(queries.meeting_sittings(meeting_id=meeting.pk)),
        participants=list(queries.meeting_participants(meeting_id=meeting.pk)),
        chair=queries.chair_of(meeting),
        quorum=attendance_queries.quorum(meeting),
        is_session=meeting.kind in SESSION_KINDS,
        may_enter_room=context["participant"] is not None,
        next_url=reverse("meetings:meeting", args=[meeting.pk]),
    )
    if can_manage:
        version = {"version": meeting.version}
        context.update(
            version_form=VersionForm(initial=version),
            cancel_form=CancelForm(initial=version),
            participant_form=ParticipantForm(meeting=meeting),
            chair_form=ChairForm(meeting=meeting),
            sitting_form=SittingForm(initial={"date": meeting.starts_on}),
            item_form=AgendaItemForm(meeting=meeting),
        )
        context.update(forms or {})
    return render(request, "meetings/detail.html", context, status=status)


def _transition(
    request: HttpRequest, meeting_id: int, run: Callable[[Meeting, int | None], object], done: str
) -> HttpResponse:
    # The chair may open and close the meeting from the console, as the office may.
    meeting = access.access_meeting_run(user=request.user, meeting_id=meeting_id)
    form = VersionForm(request.POST)
    if form.is_valid():
        try:
            run(meeting, form.cleaned_data["version"])
        except DomainError as error:
            messages.error(request, error.message)
            return hub_page(request, meeting, status=409)
        messages.success(request, done)
        return back_to(request, meeting)
    messages.error(request, _("Reload the page and try again."))
    return hub_page(request, meeting, status=400)


@login_required
@require_POST
def meeting_start(request: HttpRequest, meeting_id: int) -> HttpResponse:
    def run(meeting: Meeting, version: int | None) -> object:
        return services.start_meeting(
            meeting_id=meeting.pk, expected_version=version, actor=request.user
        )

    return _transition(request, meeting_id, run, _("The meeting has started."))


@login_required
@require_POST
def meeting_end(request: HttpRequest, meeting_id: int) -> HttpResponse:
    def run(meeting: Meeting, version: int | None) -> object:
        return services.end_meeting(
            meeting_id=meeting.pk, expected_version=version, actor=request.user
        )

    return _transition(request, meeting_id, run, _("The meeting has ended."))


@login_required
@require_POST
def meeting_cancel(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access.access_meeting_manage(user=request.user, meeting_id=meeting_id)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.cancel_meeting(
                meeting_id=meeting.pk,
                expected_version=form.cleaned_data["version"],
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            add_domain_error(form, error, always_on_top=True)
        else:
            messages.success(request, _("The meeting is cancelled."))
            return redirect("meetings:meeting", meeting_id=meeting.pk)
    return hub_page(request, meeting, forms={"cancel_form": form}, status=400)


# Participants


@login_required
@require_POST
def participant_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access.access_meeting_manage(user=request.user, meeting_id=meeting_id)
    form = ParticipantForm(request.POST, meeting=meeting)
    if form.is_valid():
        data = form.cleaned_data
        try:
            participant = participant_services.add_participant(
                meeting_id=meeting.pk,
                actor=request.user,
                role=data["role"],
                person=data["person"],
                new_name=data["new_name"],
                title=data["title"],
                agency=data["agency"],
                seat=data["seat"],
            )
        except DomainError as error:
            add_domain_error(form, error, always_on_top=True)
        else:
            messages.success(
                request, _("%(person)s is added.") % {"person": participant.person.full_name}
            )
            return redirect(reverse("meetings:meeting", args=[meeting.pk]) + "#participants")
    return hub_page(request, meeting, forms={"participant_form": form}, status=400)


@login_required
@require_POST
def participant_remove(request: HttpRequest, meeting_id: int, participant_id: int) -> HttpResponse:
    meeting = access.access_meeting_manage(user=request.user, meeting_id=meeting_id)
    try:
        participant_services.remove_participant(
            meeting_id=meeting.pk, participant_id=participant_id, actor=request.user
        )
    except DomainError as error:
        messages.error(request, error.message)
        return hub_page(request, meeting, status=error.status)
    messages.success(request, _("The participant is removed."))
    return redirect(reverse("meetings:meeting", args=[meeting.pk]) + "#participants")


@login_required
@require_POST
def chair_set(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access.access_meeting_manage(user=request.user, meeting_id=meeting_id)
    form = ChairForm(request.POST, meeting=meeting)
    if form.is_valid():
        participant: Participant = form.cleaned_data["participant"]
        try:
            participant_services.set_chair(
                meeting_id=meeting.pk, participant_id=participant.pk, actor=request.user
            )
        except DomainError as error:
            add_domain_error(form, error, always_on_top=True)
        else:
            messages.success(request, _("The chair is changed."))
            return redirect(reverse("meetings:meeting", args=[meeting.pk]) + "#participants")
    return hub_page(request, meeting, forms={"chair_form": form}, status=400)


# Sittings


@login_required
@require_POST
def sitting_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access.access_meeting_manage(user=request.user, meeting_id=meeting_id)
    form = SittingForm(request.POST)
    if form.is_valid():
        try:
            sitting_services.add_sitting(
                meeting_id=meeting.pk, actor=request.user, **form.cleaned_data
            )
        except DomainError as error:
            add_domain_error(form, error, always_on_top=True)
        else:
            messages.success(request, _("The sitting is added."))
            return redirect(reverse("meetings:meeting", args=[meeting.pk]) + "#sittings")
    return hub_page(request, meeting, forms={"sitting_form": form}, status=400)


def _sitting_action(
    request: HttpRequest,
    meeting_id: int,
    sitting_id: int,
    service: Callable[..., object],
    done: str,
) -> HttpResponse:
    meeting = access.access_meeting_run(user=request.user, meeting_id=meeting_id)
    try:
        service(meeting_id=meeting.pk, sitting_id=sitting_id, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return back_to(request, meeting)
    messages.success(request, done)
    return back_to(request, meeting)


@login_required
@require_POST
def sitting_open(request: HttpRequest, meeting_id: int, sitting_id: int) -> HttpResponse:
    return _sitting_action(
        request, meeting_id, sitting_id, sitting_services.open_sitting, _("The sitting is open.")
    )


@login_required
@require_POST
def sitting_close(request: HttpRequest, meeting_id: int, sitting_id: int) -> HttpResponse:
    return _sitting_action(
        request, meeting_id, sitting_id, sitting_services.close_sitting, _("The sitting is closed.")
    )


@login_required
@require_POST
def sitting_remove(request: HttpRequest, meeting_id: int, sitting_id: int) -> HttpResponse:
    access.access_meeting_manage(user=request.user, meeting_id=meeting_id)
    return _sitting_action(
        request,
        meeting_id,
        sitting_id,
        sitting_services.remove_sitting,
        _("The sitting is removed."),
    )


# The room and the console


@login_required
@require_GET
def room(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The delegate's tablet page: their own participation."""
    meeting, _participant = access.access_meeting_participate(
        user=request.user, meeting_id=meeting_id
    )
    context = panel_context(request, meeting)
    context["current"] = agenda_queries.current_item(meeting)
    return render(request, "meetings/room.html", context)


@login_required
@require_GET
def console(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The chair's console (the chair, or the office on the chair's behalf)."""
    meeting = access.access_meeting_run(user=request.user, meeting_id=meeting_id)
    context = panel_context(request, meeting)
    context["current"] = agenda_queries.current_item(meeting)
    context["sittings"] = list(queries.meeting_sittings(meeting_id=meeting.pk))
    context["version_form"] = VersionForm(initial={"version": meeting.version})
    return render(request, "meetings/console.html", context)


def _status(form: Form) -> int:
    return 400 if form.is_bound and form.errors else 200


def may_run(user: Any, meeting_id: int) -> bool:
    return may_open(access.access_meeting_run, user=user, meeting_id=meeting_id)


urlpatterns: list[URLPattern] = [
    path("", home, name="home"),
    path("council/<int:council_id>/", council_meetings, name="council"),
    path("council/<int:council_id>/new/", meeting_new, name="new"),
    path("<int:meeting_id>/", meeting_detail, name="meeting"),
    path("<int:meeting_id>/edit/", meeting_edit, name="edit"),
    path("<int:meeting_id>/start/", meeting_start, name="start"),
    path("<int:meeting_id>/end/", meeting_end, name="end"),
    path("<int:meeting_id>/cancel/", meeting_cancel, name="cancel"),
    path("<int:meeting_id>/participants/", participant_add, name="participant_add"),
    path(
        "<int:meeting_id>/participants/<int:participant_id>/remove/",
        participant_remove,
        name="participant_remove",
    ),
    path("<int:meeting_id>/chair/", chair_set, name="chair"),
    path("<int:meeting_id>/sittings/", sitting_add, name="sitting_add"),
    path("<int:meeting_id>/sittings/<int:sitting_id>/open/", sitting_open, name="sitting_open"),
    path("<int:meeting_id>/sittings/<int:sitting_id>/close/", sitting_close, name="sitting_close"),
    path(
        "<int:meeting_id>/sittings/<int:sitting_id>/remove/",
        sitting_remove,
        name="sitting_remove",
    ),
    path("<int:meeting_id>/room/", room, name="room"),
    path("<int:meeting_id>/console/", console, name="console"),
]
