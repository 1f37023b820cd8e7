"""Pages: the routing table, deadline rules, due and overdue petitions, notifications,
and the routing actions on a petition, escalation to the standing committee included
(see hdnd/petitions/urls.py).

Each action has its own page too (GET): the petition page's panel posts to it, and when
the service refuses, the action's page shows the form again with the message, so nothing
typed is lost.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from hdnd.core.errors import DomainError, NotFound
from hdnd.core.forms import add_domain_error
from hdnd.core.paging import page_of
from hdnd.councils.models import Council
from hdnd.petitions import access
from hdnd.petitions.forms.routing import (
    AssignForm,
    ClassificationForm,
    DeadlineListForm,
    DeadlineRuleForm,
    EscalateForm,
    FieldCommitteeForm,
    ForwardForm,
    RerouteForm,
    RoutingRuleForm,
    TransferForm,
)
from hdnd.petitions.models import Field, Petition, PetitionRoute, RoutingRule
from hdnd.petitions.queries import deadlines as deadline_queries
from hdnd.petitions.queries import routing as queries
from hdnd.petitions.services import deadlines as deadline_services
from hdnd.petitions.services import routing as services
from hdnd.petitions.services.common import ALLOWED_FROM
from hdnd.petitions.services.transfers import transfer_petition

OVERDUE_PAGE_SIZE = 50


def _field_choices() -> list[tuple[int, str]]:
    return list(Field.objects.filter(is_active=True).values_list("id", "name"))


def _agency_choices(council_id: int) -> list[tuple[int, str]]:
    return list(queries.council_agencies(council_id=council_id).values_list("id", "name"))


def _target_choices(council: Council) -> list[tuple[int, str]]:
    return list(queries.transfer_targets(council=council).values_list("id", "name"))


# The routing table.


@require_http_methods(["GET", "POST"])
def routing_table(request: HttpRequest, council_id: int) -> HttpResponse:
    council = access.access_council_manage(user=request.user, council_id=council_id)
    posted = request.POST.get("form") if request.method == "POST" else None
    # A "Change" link prefills the forms with its row's field and level.
    prefill = {key: request.GET[key] for key in ("field", "level") if key in request.GET}
    fields = _field_choices()
    rule_form = RoutingRuleForm(
        request.POST if posted == "rule" else None,
        initial={"level": queries.council_tier_level(council), **prefill},
        fields=fields,
        agencies=_agency_choices(council.pk),
        prefix="rule",
    )
    committee_choices = queries.council_committees(council_id=council.pk).values_list("id", "name")
    committee_form = FieldCommitteeForm(
        request.POST if posted == "committee" else None,
        initial=prefill,
        fields=fields,
        committees=list(committee_choices),
        prefix="committee",
    )
    if posted == "rule" and _run(
        rule_form,
        lambda data: services.set_routing_rule(
            council_id=council.pk,
            field_id=data["field"],
            level=data["level"],
            agency_id=data["agency"],
            note=data["note"],
            actor=request.user,
        ),
    ):
        messages.success(request, _("The routing table is updated."))
        return redirect("petitions:routing", council_id=council.pk)
    if posted == "committee" and _run(
        committee_form,
        lambda data: services.set_field_committee(
            council_id=council.pk,
            field_id=data["field"],
            committee_id=data["committee"],
            actor=request.user,
        ),
    ):
        messages.success(request, _("The committee in charge is recorded."))
        return redirect("petitions:routing", council_id=council.pk)
    today = timezone.localdate()
    rules, past_rules = queries.split_current(
        queries.routing_rules(council_id=council.pk), on=today
    )
    committees, past_committees = queries.split_current(
        queries.field_committees(council_id=council.pk), on=today
    )
    context = {
        "council": council,
        "is_manager": True,
        "is_reader": True,
        "rules": rules,
        "past_rules": past_rules,
        "committees": committees,
        "past_committees": past_committees,
        "rule_form": rule_form,
        "committee_form": committee_form,
        "today": today,
    }
    return render(request, "petitions/routing/table.html", context)


def _run(form: forms.Form, action: Callable[[dict[str, Any]], object]) -> bool:
    """Validate the form and run the service with its data; a refusal goes on the form."""
    if not form.is_valid():
        return False
    try:
        action(form.cleaned_data)
    except DomainError as error:
        add_domain_error(form, error, always_on_top=True)
        return False
    return True


# Deadline rules.


@require_http_methods(["GET", "POST"])
def deadline_rules(request: HttpRequest, council_id: int) -> HttpResponse:
    council = access.access_council_manage(user=request.user, council_id=council_id)
    initial = {"route": request.GET["route"]} if "route" in request.GET else None
    form = DeadlineRuleForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_bound and _run(
        form,
        lambda data: deadline_services.set_deadline_rule(
            council_id=council.pk, actor=request.user, **data
        ),
    ):
        messages.success(request, _("The deadline rule is recorded."))
        return redirect("petitions:deadline_rules", council_id=council.pk)
    today = timezone.localdate()
    rules, past = queries.split_current(queries.deadline_rules(council_id=council.pk), on=today)
    context = {
        "council": council,
        "is_manager": True,
        "is_reader": True,
        "rules": rules,
        "past_rules": past,
        "form": form,
    }
    return render(request, "petitions/routing/deadline_rules.html", context)


# Due and overdue.


def deadlines(request: HttpRequest, council_id: int) -> HttpResponse:
    council = access.access_council_petitions(user=request.user, council_id=council_id)
    is_reader = access.is_reader(request.user, council.pk)
    # A responder sees only what their agencies lead or coordinate.
    agency_ids = None if is_reader else access.responder_agency_ids(request.user)
    form = DeadlineListForm(request.GET or None, initial={"days": deadline_queries.DUE_SOON_DAYS})
    days = deadline_queries.DUE_SOON_DAYS
    if form.is_valid() and form.cleaned_data["days"] is not None:
        days = form.cleaned_data["days"]
    today = timezone.localdate()
    overdue = deadline_queries.overdue(council_id=council.pk, agency_ids=agency_ids, today=today)
    page = page_of(request, overdue, per_page=OVERDUE_PAGE_SIZE)
    context = {
        "council": council,
        "is_manager": access.is_manager(request.user, council.pk),
        "is_reader": is_reader,
        "form": form,
        "days": days,
        "today": today,
        "due_soon": deadline_queries.annotate_days(
            deadline_queries.due_soon(
                council_id=council.pk, days=days, agency_ids=agency_ids, today=today
            ),
            today=today,
        ),
        "page": page,
        "overdue": deadline_queries.annotate_days(page.object_list, today=today),
        "by_agency": deadline_queries.overdue_by_agency(
            council_id=council.pk, agency_ids=agency_ids, today=today
        ),
    }
    return render(request, "petitions/routing/deadlines.html", context)


# Notifications.


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        raw = request.POST.get("notification")
        if raw is None:
            deadline_services.mark_notifications_read(user=request.user)
            return redirect("petitions:notifications")
        if not raw.isdecimal() or len(raw) > 12:
            raise NotFound(_("This notification does not exist."))
        notice = deadline_services.read_notification(user=request.user, notification_id=int(raw))
        if request.POST.get("next") == "petition":
            return redirect("petitions:detail", petition_id=notice.petition_id)
        return redirect("petitions:notifications")
    page = page_of(request, deadline_queries.notifications_of(user=request.user), per_page=50)
    context = {"page": page, "unread": deadline_queries.unread_count(user=request.user)}
    return render(request, "petitions/routing/notifications.html", context)


def unread_notifications(request: HttpRequest) -> HttpResponse:
    """The unread count, as a fragment any page can load with htmx (empty when signed out)."""
    if not request.user.is_authenticated:
        return HttpResponse("")
    count = deadline_queries.unread_count(user=request.user)
    return render(request, "petitions/routing/_unread.html", {"unread": count})


# Actions on a petition.


@dataclass(frozen=True)
class Action:
    name: str
    title: str | Promise
    button: str | Promise
    allowed_from: str
    form: type[forms.Form]

    @property
    def url_name(self) -> str:
        return f"petitions:petition_{self.name}"


ACTIONS = {
    "assign": Action(
        "assign", gettext_lazy("Send to the agency"), gettext_lazy("Send"), "assign", AssignForm
    ),
    "reroute": Action(
        "reroute", gettext_lazy("Re-route"), gettext_lazy("Re-route"), "reroute", RerouteForm
    ),
    "classify": Action(
        "classify",
        gettext_lazy("Change field or competence level"),
        gettext_lazy("Change"),
        "edit",
        ClassificationForm,
    ),
    "forward": Action(
        "forward",
        gettext_lazy("Forward to central level"),
        gettext_lazy("Forward"),
        "forward_central",
        ForwardForm,
    ),
    "transfer": Action(
        "transfer",
        gettext_lazy("Move to another council"),
        gettext_lazy("Move"),
        "transfer",
        TransferForm,
    ),
    "escalate": Action(
        "escalate",
        gettext_lazy("Escalate to the standing committee"),
        gettext_lazy("Escalate"),
        "escalate",
        EscalateForm,
    ),
}


def _refusal(action: Action, petition: Petition) -> str | None:
    """Why the action cannot be done on the petition now; None when it can (the service
    checks again, under lock)."""
    if petition.status not in ALLOWED_FROM[action.allowed_from]:
        return _("This cannot be done while the petition is “%(status)s”.") % {
            "status": petition.get_status_display()
        }
    if action.name == "escalate" and petition.escalated_on is not None:
        return _(
            "This petition was already escalated to the standing committee on %(day)s for "
            "its current deadline."
        ) % {"day": petition.escalated_on.strftime("%d/%m/%Y")}
    return None


def _action_form(
    action: Action, petition: Petition, data: Any = None, *, choices: dict[str, Any]
) -> forms.Form:
    """The action's form, prefilled from the petition (and the routing table's proposal)."""
    initial: dict[str, Any] = {"version": petition.version}
    kwargs: dict[str, Any] = {}
    if action.form in (AssignForm, RerouteForm):
        kwargs["agencies"] = choices["agencies"]
        proposal = choices["proposal"]
        if action.form is AssignForm and proposal is not None:
            initial["lead_agency"] = proposal.agency_id
        if action.form is RerouteForm:
            initial["lead_agency"] = petition.lead_agency_id
            initial["coordinating_agencies"] = [
                agency.pk for agency in petition.coordinating_agencies.all()
            ]
    elif action.form is ClassificationForm:
        kwargs["fields"] = choices["fields"]
        initial.update(field=petition.field_id, level=petition.level)
    elif action.form is TransferForm:
        kwargs["councils"] = choices["councils"]
    return action.form(data, initial=initial, prefix=action.name, **kwargs)


def _choices(
    petition: Petition, names: set[str], *, proposal: RoutingRule | None = None
) -> dict[str, Any]:
    """What the forms offer, each read once."""
    found: dict[str, Any] = {"proposal": proposal}
    if names & {"assign", "reroute"}:
        found["agencies"] = _agency_choices(petition.council_id)
        if proposal is None:
            found["proposal"] = services.propose_agency(petition=petition)
    if "classify" in names:
        found["fields"] = _field_choices()
    if "transfer" in names:
        found["councils"] = _target_choices(petition.council)
    return found


def _perform(action: Action, petition: Petition, data: dict[str, Any], user: Any) -> str:
    """Run the action's service; returns the success message."""
    common = {"petition_id": petition.pk, "expected_version": data["version"], "actor": user}
    if action.name == "assign":
        services.assign_petition(
            lead_agency_id=data["lead_agency"],
            coordinating_agency_ids=data["coordinating_agencies"],
            reason=data["reason"],
            **common,
        )
        return _("The petition is sent to the agency.")
    if action.name == "reroute":
        services.reroute_petition(
            lead_agency_id=data["lead_agency"],
            coordinating_agency_ids=data["coordinating_agencies"],
            reason=data["reason"],
            restart_deadline=data["restart_deadline"],
            **common,
        )
        return _("The petition is re-routed.")
    if action.name == "classify":
        before = petition.lead_agency_id
        changed = services.change_classification(
            field_id=data["field"], level=data["level"], reason=data["reason"], **common
        )
        if changed.lead_agency_id != before and changed.lead_agency is not None:
            return _("The classification is changed and the petition re-routed to %(agency)s.") % {
                "agency": changed.lead_agency.name
            }
        return _("The classification is changed.")
    if action.name == "forward":
        services.forward_to_central(reference=data["reference"], **common)
        return _("The petition is forwarded to central level.")
    if action.name == "escalate":
        deadline_services.escalate_by_hand(reason=data["reason"], **common)
        return _("The petition is escalated to the standing committee, who are notified.")
    successor = transfer_petition(to_council_id=data["to_council"], reason=data["reason"], **common)
    return _("The petition is moved: it continues as %(code)s in %(council)s.") % {
        "code": successor.code,
        "council": successor.council.name,
    }


@require_http_methods(["GET", "POST"])
def petition_action(request: HttpRequest, petition_id: int, action_name: str) -> HttpResponse:
    petition = access.access_petition_manage(user=request.user, petition_id=petition_id)
    action = ACTIONS[action_name]
    choices = _choices(petition, {action.name})
    data = request.POST if request.method == "POST" else None
    form = _action_form(action, petition, data, choices=choices)
    if data is not None and _run(
        form,
        lambda cleaned: messages.success(
            request, _perform(action, petition, cleaned, request.user)
        ),
    ):
        return redirect("petitions:detail", petition_id=petition.pk)
    context = {
        "petition": petition,
        "council": petition.council,
        "is_manager": True,
        "action": action,
        "form": form,
        "refusal": _refusal(action, petition),
        "proposal": choices["proposal"],
    }
    return render(request, "petitions/routing/action.html", context)


def _action_view(name: str) -> Callable[[HttpRequest, int], HttpResponse]:
    def view(request: HttpRequest, petition_id: int) -> HttpResponse:
        return petition_action(request, petition_id, name)

    view.__name__ = f"petition_{name}"
    return view


# The panel on the petition page.


def panel(request: HttpRequest, petition: Petition) -> dict[str, Any]:
    """Context for this topic's panel on the petition page (templates/petitions/panels/routing.html)."""
    routes: list[PetitionRoute] = sorted(
        petition.routes.all(), key=lambda route: (route.started_on, route.pk)
    )
    context: dict[str, Any] = {
        "routes": routes,
        "open_routes": [route for route in routes if route.ended_on is None],
        "deadline": deadline_queries.deadline_state(petition),
        "central_recipient": settings.PETITIONS_CENTRAL_RECIPIENT,
    }
    context["proposal"] = services.propose_agency(petition=petition)
    if not access.is_manager(request.user, petition.council_id):
        return context
    names = {name for name, action in ACTIONS.items() if _refusal(action, petition) is None}
    choices = _choices(petition, names, proposal=context["proposal"])
    context["actions"] = [
        (ACTIONS[name], _action_form(ACTIONS[name], petition, choices=choices))
        for name in ACTIONS
        if name in names
    ]
    return context


urlpatterns: list[URLPattern] = [
    path("<int:council_id>/routing/", routing_table, name="routing"),
    path("<int:council_id>/deadline-rules/", deadline_rules, name="deadline_rules"),
    path("<int:council_id>/deadlines/", deadlines, name="deadlines"),
    path("notifications/", notifications, name="notifications"),
    path("notifications/unread/", unread_notifications, name="notifications_unread"),
    *[
        path(f"p/<int:petition_id>/{name}/", _action_view(name), name=f"petition_{name}")
        for name in ACTIONS
    ],
]
