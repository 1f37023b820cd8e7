"""Pages for receiving voter items: the office's "new item" page for hotline, letters,
Zalo, email and citizen reception; the public web form (no sign-in); the triage queue;
and correcting an item."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hdnd.core.errors import DomainError
from hdnd.core.forms import add_domain_error
from hdnd.core.paging import page_of
from hdnd.councils.access import access_council
from hdnd.lib import ratelimit
from hdnd.petitions import access
from hdnd.petitions.forms.intake import (
    REDIRECT_DESTINATIONS,
    REDIRECT_KIND_CHOICES,
    AcceptForm,
    ItemEditForm,
    ItemForm,
    PublicSubmissionForm,
    RedirectForm,
    TriageFilterForm,
)
from hdnd.petitions.models import Channel, Petition, VoterItem
from hdnd.petitions.queries import intake as queries
from hdnd.petitions.services import intake as services

PAGE_SIZE = 50
# Submissions one address may send through the public form in an hour (the default of
# settings.PETITIONS_PUBLIC_SUBMISSIONS_PER_HOUR).
PUBLIC_SUBMISSIONS_PER_HOUR = 5
RATE_WINDOW_SECONDS = 3600
SUBMITTED_SESSION_KEY = "petitions_submitted"


def _nav(request: HttpRequest, council_id: int) -> dict[str, bool]:
    return {
        "is_manager": access.is_manager(request.user, council_id),
        "is_reader": access.is_reader(request.user, council_id),
    }


@login_required
@require_http_methods(["GET", "POST"])
def item_new(request: HttpRequest, council_id: int) -> HttpResponse:
    council = access.access_council_manage(user=request.user, council_id=council_id)
    form = ItemForm(request.POST if request.method == "POST" else None, council=council)
    if form.is_bound and form.is_valid():
        try:
            item = services.receive_item(
                council=council,
                actor=request.user,
                channel=form.cleaned_data["channel"],
                received_on=form.cleaned_data["received_on"],
                needs_triage=not form.cleaned_data["accept_now"],
                **form.item_arguments(),
            )
        except DomainError as error:
            add_domain_error(form, error, always_on_top=True)
        else:
            messages.success(request, _("Item %(code)s received.") % {"code": item.code})
            if "another" in request.POST:
                return redirect("petitions:item_new", council_id=council.pk)
            return redirect("petitions:item", item_id=item.pk)
    context = {"council": council, "form": form, **_nav(request, council.pk)}
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "petitions/intake/item_new.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, item_id: int) -> HttpResponse:
    item = access.access_item_manage(user=request.user, item_id=item_id)
    sees_identity = access.can_see_voter_identity(request.user, item.council_id)
    form = ItemEditForm(
        request.POST if request.method == "POST" else None, item=item, with_identity=sees_identity
    )
    if form.is_bound and form.is_valid():
        try:
            services.update_item(
                item_id=item.pk,
                expected_version=form.cleaned_data["version"],
                actor=request.user,
                changes=form.item_arguments(),
            )
        except DomainError as error:
            add_domain_error(form, error, always_on_top=True)
        else:
            messages.success(request, _("Item %(code)s saved.") % {"code": item.code})
            return redirect("petitions:item", item_id=item.pk)
    context = {
        "item": item,
        "council": item.council,
        "form": form,
        **_nav(request, item.council_id),
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "petitions/intake/item_edit.html", context, status=status)


@login_required
@require_GET
def triage(request: HttpRequest, council_id: int) -> HttpResponse:
    council = access.access_council_manage(user=request.user, council_id=council_id)
    form = TriageFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    status = filters.get("status") or "new"
    items = queries.triage_queue(
        council_id=council.pk,
        status=status,
        kind=filters.get("kind") or "",
        channel=filters.get("channel") or "",
        query=filters.get("q") or "",
    )
    context = {
        "council": council,
        "form": form,
        "status": status,
        "counts": queries.triage_counts(council_id=council.pk),
        "page": page_of(request, items, per_page=PAGE_SIZE),
        "destinations": REDIRECT_DESTINATIONS,
        "redirect_kinds": REDIRECT_KIND_CHOICES,
        "sees_identity": access.can_see_voter_identity(request.user, council.pk),
        **_nav(request, council.pk),
    }
    return render(request, "petitions/intake/triage.html", context)


def _decision_page(
    request: HttpRequest, item: VoterItem, *, accept_form: AcceptForm, redirect_form: RedirectForm
) -> HttpResponse:
    context = {
        "item": item,
        "council": item.council,
        "accept_form": accept_form,
        "redirect_form": redirect_form,
        "destinations": REDIRECT_DESTINATIONS,
        "sees_identity": access.can_see_voter_identity(request.user, item.council_id),
        **_nav(request, item.council_id),
    }
    failed = accept_form.errors or redirect_form.errors
    return render(request, "petitions/intake/decide.html", context, status=400 if failed else 200)


def _item_to_triage(request: HttpRequest, item_id: int) -> VoterItem:
    return access.access_item_triage(user=request.user, item_id=item_id)


@login_required
@require_http_methods(["GET", "POST"])
def item_accept(request: HttpRequest, item_id: int) -> HttpResponse:
    item = _item_to_triage(request, item_id)
    initial = {"version": item.version}
    form = AcceptForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_bound and form.is_valid():
        try:
            services.accept_item(
                item_id=item.pk,
                expected_version=form.cleaned_data["version"],
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            add_domain_error(form, error, always_on_top=True)
        else:
            messages.success(
                request, _("Item %(code)s accepted as a petition.") % {"code": item.code}
            )
            return redirect("petitions:triage", council_id=item.council_id)
    return _decision_page(
        request, item, accept_form=form, redirect_form=RedirectForm(initial=initial)
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_redirect(request: HttpRequest, item_id: int) -> HttpResponse:
    item = _item_to_triage(request, item_id)
    initial = {"version": item.version, "kind": item.kind, "redirected_to": item.redirected_to}
    form = RedirectForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_bound and form.is_valid():
        try:
            services.redirect_item(
                item_id=item.pk,
                expected_version=form.cleaned_data["version"],
                kind=form.cleaned_data["kind"],
                redirected_to=form.cleaned_data["redirected_to"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except DomainError as error:
            add_domain_error(form, error, always_on_top=True)
        else:
            messages.success(
                request,
                _("Item %(code)s redirected to %(destination)s.")
                % {"code": item.code, "destination": form.cleaned_data["redirected_to"]},
            )
            return redirect("petitions:triage", council_id=item.council_id)
    return _decision_page(
        request, item, accept_form=AcceptForm(initial={"version": item.version}), redirect_form=form
    )


def _over_rate_limit(request: HttpRequest) -> bool:
    key = ratelimit.client_key(request, "petitions-submit")
    return ratelimit.used(key) >= settings.PETITIONS_PUBLIC_SUBMISSIONS_PER_HOUR


def _count_submission(request: HttpRequest) -> None:
    key = ratelimit.client_key(request, "petitions-submit")
    ratelimit.count(key, window_seconds=RATE_WINDOW_SECONDS)


@require_http_methods(["GET", "POST"])
def public_submit(request: HttpRequest, council_id: int) -> HttpResponse:
    """A voter sends a petition to the council. No sign-in; the item waits for triage."""
    council = access_council(user=request.user, council_id=council_id)
    form = PublicSubmissionForm(request.POST if request.method == "POST" else None, council=council)
    status = 200
    if form.is_bound:
        if _over_rate_limit(request):
            form.add_error(
                None,
                _(
                    "Many petitions were sent from your connection in the last hour. Please "
                    "try again later, or call the council's office."
                ),
            )
            status = 429
        elif form.is_robot:
            _count_submission(request)
            form.add_error(None, _("Your petition could not be sent. Please try again."))
            status = 400
        elif form.is_valid():
            _count_submission(request)
            try:
                item = services.receive_item(
                    council=council,
                    actor=None,
                    channel=Channel.WEB,
                    needs_triage=True,
                    text=form.cleaned_data["text"],
                    unit=form.cleaned_data["unit"],
                    voter_name=form.cleaned_data["voter_name"],
                    voter_phone=form.cleaned_data["voter_phone"],
                    voter_email=form.cleaned_data["voter_email"],
                    voter_address=form.cleaned_data["voter_address"],
                )
            except DomainError as error:
                add_domain_error(form, error, always_on_top=True)
                status = 400
            else:
                request.session[SUBMITTED_SESSION_KEY] = {
                    "council": council.pk,
                    "code": item.code,
                }
                return redirect("petitions:public_submitted", council_id=council.pk)
        else:
            status = 400
    context = {"council": council, "form": form}
    return render(request, "petitions/intake/public_submit.html", context, status=status)


@require_GET
def public_submitted(request: HttpRequest, council_id: int) -> HttpResponse:
    """The code of the petition the voter just sent (kept in their session only)."""
    council = access_council(user=request.user, council_id=council_id)
    sent = request.session.get(SUBMITTED_SESSION_KEY) or {}
    if sent.get("council") != council.pk:
        return redirect("petitions:public_submit", council_id=council.pk)
    context = {"council": council, "code": sent["code"]}
    return render(request, "petitions/intake/public_submitted.html", context)


urlpatterns: list[URLPattern] = [
    path("<int:council_id>/items/new/", item_new, name="item_new"),
    path("<int:council_id>/triage/", triage, name="triage"),
    path("items/<int:item_id>/edit/", item_edit, name="item_edit"),
    path("items/<int:item_id>/accept/", item_accept, name="item_accept"),
    path("items/<int:item_id>/redirect/", item_redirect, name="item_redirect"),
    path("submit/<int:council_id>/", public_submit, name="public_submit"),
    path("submit/<int:council_id>/sent/", public_submitted, name="public_submitted"),
]


def panel(request: HttpRequest, petition: Petition) -> dict[str, Any]:
    """The voter items consolidated into the petition."""
    return {"items": queries.petition_source_items(petition=petition)}
