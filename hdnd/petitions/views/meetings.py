"""Pages of voter-contact meetings: the council's list, planning and editing a meeting,
marking it held or cancelled, and on the meeting page the quick entry of the items
voters raised and of the answers officials gave on the spot."""

from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.forms import Form
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hdnd.core.errors import DomainError, NotFound
from hdnd.core.forms import add_domain_error
from hdnd.core.navigation import may_open
from hdnd.core.paging import page_of
from hdnd.councils.models import Council, DelegateGroup
from hdnd.petitions import access
from hdnd.petitions.forms.intake import MeetingItemForm
from hdnd.petitions.forms.meetings import (
    CancelForm,
    HoldForm,
    MeetingFilterForm,
    MeetingForm,
    SpotAnswerForm,
    delegate_label,
)
from hdnd.petitions.models import (
    Channel,
    ContactMeeting,
    MeetingStatus,
    Organiser,
    Petition,
    VoterItem,
)
from hdnd.petitions.queries import intake as intake_queries
from hdnd.petitions.queries import meetings as queries
from hdnd.petitions.services import intake as intake_services
from hdnd.petitions.services import meetings as services

PAGE_SIZE = 50


def _groups_for(user: Any, meeting: ContactMeeting) -> QuerySet[DelegateGroup] | None:
    if access.is_manager(user, meeting.council_id):
        return None
    return queries.led_groups(user=user, council_id=meeting.council_id)


@login_required
@require_GET
def meeting_list(request: HttpRequest, council_id: int) -> HttpResponse:
    council = access.access_council_meetings(user=request.user, council_id=council_id)
    form = MeetingFilterForm(request.GET or None, council=council)
    filters = form.cleaned_data if form.is_valid() else {}
    cycle = filters.get("cycle")
    meetings = queries.meeting_list(
        council_id=council.pk,
        cycle_id=cycle.pk if cycle else None,
        status=filters.get("status") or "",
        timing=filters.get("timing") or "",
    )
    context = {
        "council": council,
        "form": form,
        "page": page_of(request, meetings, per_page=PAGE_SIZE),
        "can_record": may_open(
            access.access_meeting_record, user=request.user, council_id=council.pk
        ),
        "is_manager": access.is_manager(request.user, council.pk),
        "is_reader": True,
    }
    return render(request, "petitions/meetings/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest, council_id: int) -> HttpResponse:
    council, groups = access.access_meeting_record(user=request.user, council_id=council_id)
    form = MeetingForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        council=council,
        groups=groups,
        delegate_query=request.POST.get("delegate_q", ""),
    )
    if request.method == "GET":
        upcoming = intake_queries.cycle_for(council_id=council.pk, on=timezone.localdate())
        form.initial.update({"cycle": upcoming.pk if upcoming else None, "unit": council.unit_id})
    if form.is_bound and form.is_valid():
        arguments = form.service_arguments()
        try:
            meeting = services.create_meeting(
                council=council,
                actor=request.user,
                meeting_format=form.cleaned_data["format"],
                **arguments,
            )
        except DomainError as error:
            add_domain_error(form, error, always_on_top=True)
        else:
            messages.success(request, _("The meeting is recorded."))
            return redirect("petitions:meeting", meeting_id=meeting.pk)
    context = {"council": council, "form": form, "meeting": None, **_nav(request, council)}
    return render(request, "petitions/meetings/form.html", context, status=_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, meeting_id: int) -> HttpResponse:
    found = access.access_meeting_manage(user=request.user, meeting_id=meeting_id)
    meeting = queries.meeting_page(meeting_id=found.pk)
    form = MeetingForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        council=meeting.council,
        groups=_groups_for(request.user, meeting),
        meeting=meeting,
        delegate_query=request.POST.get("delegate_q", ""),
    )
    if form.is_bound and form.is_valid():
        changes = form.service_arguments()
        changes["format"] = form.cleaned_data["format"]
        try:
            services.update_meeting(
                meeting_id=meeting.pk,
                expected_version=form.cleaned_data["version"],
                actor=request.user,
                changes=changes,
            )
        except DomainError as error:
            add_domain_error(form, error, always_on_top=True)
        else:
            messages.success(request, _("The meeting is saved."))
            return redirect("petitions:meeting", meeting_id=meeting.pk)
    context = {
        "council": meeting.council,
        "form": form,
        "meeting": meeting,
        **_nav(request, meeting.council),
    }
    return render(request, "petitions/meetings/form.html", context, status=_status(form))


@login_required
@require_GET
def meeting_delegates(request: HttpRequest, council_id: int) -> HttpResponse:
    """The delegate picker's options for a search (htmx)."""
    council, _groups = access.access_meeting_record(user=request.user, council_id=council_id)
    # The picker's meeting time, as the datetime-local input sends it (local, no zone).
    starts_at = parse_datetime(request.GET.get("starts_at", "")[:40])
    day = starts_at.date() if starts_at is not None else None
    chosen = [value for value in request.GET.getlist("delegates_present") if value.isdecimal()]
    options = queries.delegate_options(
        council=council,
        on=day,
        query=request.GET.get("delegate_q", "")[:200],
        selected_ids=[int(value) for value in chosen[:500]],
    )
    rows = [(seat.pk, delegate_label(seat), str(seat.pk) in chosen) for seat in options]
    return render(request, "petitions/meetings/_delegate_options.html", {"rows": rows})


@login_required
@require_GET
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    access.access_meeting(user=request.user, meeting_id=meeting_id)
    return _meeting_page(request, meeting_id)


def _meeting_page(
    request: HttpRequest,
    meeting_id: int,
    *,
    forms: dict[str, Form] | None = None,
    status: int = 200,
    template: str = "petitions/meetings/detail.html",
    added: VoterItem | None = None,
) -> HttpResponse:
    """The meeting page, with the forms the user just sent (bound, with their errors)
    so that nothing typed is lost."""
    meeting = queries.meeting_page(meeting_id=meeting_id)
    council = meeting.council
    can_manage = may_open(access.access_meeting_manage, user=request.user, meeting_id=meeting.pk)
    context: dict[str, Any] = {
        "meeting": meeting,
        "council": council,
        "items": list(meeting.items.all()),
        "can_manage": can_manage,
        "is_open": meeting.status != MeetingStatus.CANCELLED,
        "sees_identity": access.can_see_voter_identity(request.user, council.pk),
        "added": added,
        "organiser_choices": Organiser.choices,
        **_nav(request, council),
    }
    if can_manage:
        context.update(
            item_form=MeetingItemForm(council=council),
            answer_form=SpotAnswerForm(meeting=meeting),
            hold_form=HoldForm(initial={"version": meeting.version}),
            cancel_form=CancelForm(initial={"version": meeting.version}),
        )
        context.update(forms or {})
        if added is not None:
            # Ready for the next item: the clerk types on without reaching for the mouse.
            context["item_form"].fields["text"].widget.attrs["autofocus"] = True
    return render(request, template, context, status=status)


@login_required
@require_GET
def meeting_minutes(request: HttpRequest, meeting_id: int) -> FileResponse:
    """The minutes file, for those who may read the meeting (it may name voters)."""
    meeting = access.access_meeting(user=request.user, meeting_id=meeting_id)
    if not meeting.minutes_file:
        raise NotFound(_("This meeting has no minutes file."))
    name = Path(meeting.minutes_file.name).name
    return FileResponse(meeting.minutes_file.open("rb"), as_attachment=True, filename=name)


@login_required
@require_POST
def meeting_held(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access.access_meeting_manage(user=request.user, meeting_id=meeting_id)
    form = HoldForm(request.POST)
    if form.is_valid():
        try:
            services.mark_meeting_held(
                meeting_id=meeting.pk,
                expected_version=form.cleaned_data["version"],
                actor=request.user,
                voters_attending=form.cleaned_data["voters_attending"],
            )
        except DomainError as error:
            add_domain_error(form, error, always_on_top=True)
        else:
            messages.success(request, _("The meeting is marked as held."))
            return redirect("petitions:meeting", meeting_id=meeting.pk)
    return _meeting_page(request, meeting.pk, forms={"hold_form": form}, status=400)


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
            return redirect("petitions:meeting", meeting_id=meeting.pk)
    return _meeting_page(request, meeting.pk, forms={"cancel_form": form}, status=400)


@login_required
@require_POST
def meeting_item_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """One voter item heard at the meeting. With htmx the items section is redrawn with
    an empty form ready for the next item."""
    meeting = access.access_meeting_manage(user=request.user, meeting_id=meeting_id)
    form = MeetingItemForm(request.POST, council=meeting.council)
    if form.is_valid():
        try:
            item = intake_services.receive_item(
                council=meeting.council,
                actor=request.user,
                channel=Channel.MEETING,
                meeting=meeting,
                needs_triage=form.cleaned_data["needs_triage"],
                **form.item_arguments(),
            )
        except DomainError as error:
            add_domain_error(form, error, always_on_top=True)
        else:
            if request.htmx:  # type: ignore[attr-defined]  # set by django-htmx
                return _meeting_page(
                    request, meeting.pk, template="petitions/meetings/_items.html", added=item
                )
            messages.success(request, _("Item %(code)s added.") % {"code": item.code})
            return redirect(reverse("petitions:meeting", args=[meeting.pk]) + "#items")
    if request.htmx:  # type: ignore[attr-defined]  # set by django-htmx
        # htmx swaps nothing on a 4xx: answer 200 with the form and its errors.
        return _meeting_page(
            request,
            meeting.pk,
            forms={"item_form": form},
            template="petitions/meetings/_items.html",
        )
    return _meeting_page(request, meeting.pk, forms={"item_form": form}, status=400)


@login_required
@require_POST
def meeting_answer_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access.access_meeting_manage(user=request.user, meeting_id=meeting_id)
    form = SpotAnswerForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            services.add_spot_answer(
                meeting_id=meeting.pk,
                actor=request.user,
                official_name=form.cleaned_data["official_name"],
                official_title=form.cleaned_data["official_title"],
                agency=form.cleaned_data["agency"],
                text=form.cleaned_data["text"],
                item=form.cleaned_data["item"],
                settles_item=form.cleaned_data["settles_item"],
            )
        except DomainError as error:
            add_domain_error(form, error, always_on_top=True)
        else:
            messages.success(request, _("The answer is recorded."))
            return redirect(reverse("petitions:meeting", args=[meeting.pk]) + "#spot-answers")
    return _meeting_page(request, meeting.pk, forms={"answer_form": form}, status=400)


def _nav(request: HttpRequest, council: Council) -> dict[str, bool]:
    """What the council's petition navigation needs to know."""
    return {
        "is_manager": access.is_manager(request.user, council.pk),
        "is_reader": access.is_reader(request.user, council.pk),
    }


def _status(form: Form) -> int:
    return 400 if form.is_bound and form.errors else 200


urlpatterns: list[URLPattern] = [
    path("<int:council_id>/meetings/", meeting_list, name="meetings"),
    path("<int:council_id>/meetings/new/", meeting_new, name="meeting_new"),
    path("<int:council_id>/meetings/delegates/", meeting_delegates, name="meeting_delegates"),
    path("meetings/<int:meeting_id>/", meeting_detail, name="meeting"),
    path("meetings/<int:meeting_id>/edit/", meeting_edit, name="meeting_edit"),
    path("meetings/<int:meeting_id>/minutes/", meeting_minutes, name="meeting_minutes"),
    path("meetings/<int:meeting_id>/held/", meeting_held, name="meeting_held"),
    path("meetings/<int:meeting_id>/cancel/", meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:meeting_id>/items/", meeting_item_add, name="meeting_item_add"),
    path("meetings/<int:meeting_id>/answers/", meeting_answer_add, name="meeting_answer_add"),
]


def panel(request: HttpRequest, petition: Petition) -> dict[str, Any]:
    """The meetings a petition's items were raised at, with the answers given there."""
    return {"meetings": intake_queries.petition_meetings(petition=petition)}
