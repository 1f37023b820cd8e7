"""Pages of the agenda: the office adds, corrects and removes items; the chair or the
office reorders them and takes one up (the current item). The agenda panel re-renders
alone at /meetings/<id>/panels/agenda/."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hdnd.core.errors import DomainError, NotFound
from hdnd.core.forms import add_domain_error
from hdnd.meetings import access
from hdnd.meetings.forms.agenda import AgendaItemForm, PositionForm
from hdnd.meetings.models import AgendaItem
from hdnd.meetings.services import agenda as services
from hdnd.meetings.views.meetings import hub_page, panel_action, panel_response


def _item_of(meeting_id: int, item_id: int) -> AgendaItem:
    item = AgendaItem.objects.filter(meeting_id=meeting_id, id=item_id).first()
    if item is None:
        raise NotFound(_("This agenda item does not exist."))
    return item


@login_required
@require_GET
def agenda_panel(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access.access_meeting(user=request.user, meeting_id=meeting_id)
    return panel_response(request, meeting, "agenda")


@login_required
@require_POST
def item_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access.access_meeting_manage(user=request.user, meeting_id=meeting_id)
    form = AgendaItemForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            services.add_item(meeting_id=meeting.pk, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error, always_on_top=True)
        else:
            messages.success(request, _("The item is added to the agenda."))
            return redirect(reverse("meetings:meeting", args=[meeting.pk]) + "#agenda")
    return hub_page(request, meeting, forms={"item_form": form}, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    meeting = access.access_meeting_manage(user=request.user, meeting_id=meeting_id)
    item = _item_of(meeting.pk, item_id)
    form = AgendaItemForm(
        request.POST if request.method == "POST" else None, meeting=meeting, item=item
    )
    if form.is_bound and form.is_valid():
        try:
            services.update_item(item_id=item.pk, actor=request.user, changes=form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error, always_on_top=True)
        else:
            messages.success(request, _("The item is saved."))
            return redirect(reverse("meetings:meeting", args=[meeting.pk]) + "#agenda")
    status = 400 if form.is_bound and form.errors else 200
    context = {"meeting": meeting, "item": item, "form": form}
    return render(request, "meetings/agenda_item_form.html", context, status=status)


@login_required
@require_POST
def item_remove(request: HttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    meeting = access.access_meeting_manage(user=request.user, meeting_id=meeting_id)
    item = _item_of(meeting.pk, item_id)
    return panel_action(
        request,
        meeting,
        "agenda",
        lambda: services.remove_item(item_id=item.pk, actor=request.user),
        _("The item is removed from the agenda."),
    )


@login_required
@require_POST
def item_move(request: HttpRequest, meeting_id: int, item_id: int, direction: str) -> HttpResponse:
    meeting = access.access_meeting_run(user=request.user, meeting_id=meeting_id)
    item = _item_of(meeting.pk, item_id)
    return panel_action(
        request,
        meeting,
        "agenda",
        lambda: services.move_item(item_id=item.pk, actor=request.user, direction=direction),
        "",
    )


@login_required
@require_POST
def item_position(request: HttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    meeting = access.access_meeting_run(user=request.user, meeting_id=meeting_id)
    item = _item_of(meeting.pk, item_id)
    form = PositionForm(request.POST)
    if not form.is_valid():
        message = _("Give a position: a whole number from 1.")
        return panel_action(request, meeting, "agenda", lambda: _refuse(message), "")
    position = form.cleaned_data["position"]
    return panel_action(
        request,
        meeting,
        "agenda",
        lambda: services.set_item_position(item_id=item.pk, actor=request.user, position=position),
        "",
    )


def _refuse(message: str) -> None:
    raise DomainError(message)


@login_required
@require_POST
def item_current(request: HttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    meeting = access.access_meeting_run(user=request.user, meeting_id=meeting_id)
    item = _item_of(meeting.pk, item_id)
    return panel_action(
        request,
        meeting,
        "agenda",
        lambda: services.set_current_item(
            meeting_id=meeting.pk, item_id=item.pk, actor=request.user
        ),
        _("The item is taken up."),
    )


@login_required
@require_POST
def item_done(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access.access_meeting_run(user=request.user, meeting_id=meeting_id)
    return panel_action(
        request,
        meeting,
        "agenda",
        lambda: services.finish_current_item(meeting_id=meeting.pk, actor=request.user),
        _("The item is done."),
    )


urlpatterns: list[URLPattern] = [
    path("<int:meeting_id>/panels/agenda/", agenda_panel, name="panel_agenda"),
    path("<int:meeting_id>/agenda/", item_add, name="agenda_add"),
    path("<int:meeting_id>/agenda/<int:item_id>/edit/", item_edit, name="agenda_edit"),
    path("<int:meeting_id>/agenda/<int:item_id>/remove/", item_remove, name="agenda_remove"),
    path(
        "<int:meeting_id>/agenda/<int:item_id>/move/<str:direction>/",
        item_move,
        name="agenda_move",
    ),
    path("<int:meeting_id>/agenda/<int:item_id>/position/", item_position, name="agenda_position"),
    path("<int:meeting_id>/agenda/<int:item_id>/current/", item_current, name="agenda_current"),
    path("<int:meeting_id>/agenda/done/", item_done, name="agenda_done"),
]
