"""Pages: the evaluation queue and rating, questioning topics (flagging one, taking one
off the list), carrying petitions over to a later session."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from hdnd.core.errors import DomainError, PermissionDenied
from hdnd.core.forms import add_domain_error
from hdnd.core.navigation import may_open
from hdnd.core.paging import page_of
from hdnd.councils.models import Council
from hdnd.petitions import access
from hdnd.petitions.forms.evaluation import (
    CarryOverForm,
    QuestioningFilterForm,
    QuestioningFlagForm,
    QuestioningUnflagForm,
    RatingForm,
)
from hdnd.petitions.models import Answer, Petition, PetitionStatus
from hdnd.petitions.queries import evaluation as queries
from hdnd.petitions.queries.petitions import sessions_open
from hdnd.petitions.services import evaluation as services
from hdnd.petitions.services.common import ALLOWED_FROM

PAGE_SIZE = 25
PANEL_PREFIX = "rate"
FLAG_PREFIX = "flag"
UNFLAG_PREFIX = "unflag"


def _reader_council(request: HttpRequest, council_id: int) -> Council:
    council = access.access_council_petitions(user=request.user, council_id=council_id)
    if not access.is_reader(request.user, council.pk):
        raise PermissionDenied(_("You have no role in this council's petition work."))
    return council


def evaluation(request: HttpRequest, council_id: int) -> HttpResponse:
    council = _reader_council(request, council_id)
    committees = queries.rateable_committee_ids(user=request.user, council_id=council.pk)
    page = page_of(
        request,
        queries.evaluation_queue(user=request.user, council_id=council.pk),
        per_page=PAGE_SIZE,
    )
    rows = []
    for petition in page.object_list:
        answer = petition.current_answers[0] if petition.current_answers else None
        form = (
            RatingForm(initial={"version": petition.version}, prefix=f"p{petition.pk}")
            if queries.may_rate(petition, committees) and answer is not None
            else None
        )
        rows.append({"petition": petition, "answer": answer, "form": form})
    context = {
        "council": council,
        "page": page,
        "rows": rows,
        "is_manager": access.is_manager(request.user, council.pk),
        "is_reader": True,
    }
    return render(request, "petitions/evaluation/queue.html", context)


def rate(request: HttpRequest, petition_id: int) -> HttpResponse:
    petition = access.access_petition_rate(user=request.user, petition_id=petition_id)
    answer = (
        Answer.objects.filter(petition=petition, is_current=True)
        .select_related("document", "agency")
        .first()
    )
    prefix = _form_prefix(request.POST.get("prefix") or request.GET.get("prefix") or "")
    form = RatingForm(
        request.POST or None,
        initial={"version": petition.version},
        result=answer.result if answer else "",
        prefix=prefix,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                rating = services.rate_answer(
                    petition_id=petition.pk,
                    expected_version=data["version"],
                    verdict=data["verdict"],
                    decision=data["decision"],
                    comment=data["comment"],
                    actor=request.user,
                )
            except DomainError as error:
                add_domain_error(form, error)
                status = error.status
            else:
                petition.refresh_from_db(fields=["status", "due_on", "version"])
                if request.htmx:  # type: ignore[attr-defined]  # django-htmx middleware
                    done = {"petition": petition, "rating": rating}
                    return render(request, "petitions/evaluation/_rated.html", done)
                messages.success(
                    request,
                    _("Evaluation recorded: %(status)s")
                    % {"status": petition.get_status_display()},
                )
                return redirect(_next_url(request, petition))
        else:
            status = 400
    context = {
        "petition": petition,
        "council": petition.council,
        "answer": answer,
        "form": form,
        "prefix": prefix or "",
        "next": _next_url(request, petition),
    }
    if request.htmx:  # type: ignore[attr-defined]  # django-htmx middleware
        # htmx swaps only 2xx answers: the form comes back with its errors as a 200.
        return render(request, "petitions/evaluation/_rating_form.html", context)
    return render(request, "petitions/evaluation/rate.html", context, status=status)


def _form_prefix(raw: str) -> str | None:
    """The rating form's prefix: "rate" on the petition page, "p<id>" in the queue (several
    forms on one page must not share their field ids)."""
    if raw == PANEL_PREFIX or (raw.startswith("p") and raw[1:].isdecimal()):
        return raw
    return None


def _next_url(request: HttpRequest, petition: Petition) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("petitions:detail", args=[petition.pk])


@require_POST
def flag_questioning(request: HttpRequest, petition_id: int) -> HttpResponse:
    petition = access.access_petition_supervise(user=request.user, petition_id=petition_id)
    form = QuestioningFlagForm(request.POST, prefix=FLAG_PREFIX)
    if not form.is_valid():
        messages.error(request, _("Reload the page and try again."))
        return redirect("petitions:detail", petition_id=petition.pk)
    try:
        services.flag_questioning_topic(
            petition_id=petition.pk,
            expected_version=form.cleaned_data["version"],
            note=form.cleaned_data["note"],
            actor=request.user,
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Flagged as a questioning topic for the next session."))
    return redirect("petitions:detail", petition_id=petition.pk)


@require_http_methods(["GET", "POST"])
def unflag_questioning(request: HttpRequest, petition_id: int) -> HttpResponse:
    """Take the petition off the questioning topics. The panel and the list post here;
    when the service refuses, this page shows the form again with the message, so the
    reason typed is not lost."""
    petition = access.access_petition_unflag_questioning(user=request.user, petition_id=petition_id)
    data = request.POST if request.method == "POST" else None
    prefix = _unflag_prefix(request.POST.get("prefix", ""), petition)
    form = QuestioningUnflagForm(data, initial={"version": petition.version}, prefix=prefix)
    status = 200
    if data is not None:
        if form.is_valid():
            try:
                services.unflag_questioning_topic(
                    petition_id=petition.pk,
                    expected_version=form.cleaned_data["version"],
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                )
            except DomainError as error:
                add_domain_error(form, error)
                status = error.status
            else:
                messages.success(
                    request,
                    _("%(code)s is no longer a questioning topic.") % {"code": petition.code},
                )
                return redirect(_next_url(request, petition))
        else:
            status = 400
    context = {
        "petition": petition,
        "council": petition.council,
        "form": form,
        "refusal": _unflag_refusal(petition),
        "next": _next_url(request, petition),
    }
    return render(request, "petitions/evaluation/unflag.html", context, status=status)


def _unflag_prefix(raw: str, petition: Petition) -> str:
    """The form's prefix: "unflag" on the petition page, "unflag-<id>" on the list of
    topics (several forms on one page must not share their field ids)."""
    if raw == f"{UNFLAG_PREFIX}-{petition.pk}":
        return raw
    return UNFLAG_PREFIX


def _unflag_refusal(petition: Petition) -> str | None:
    if not petition.is_questioning_topic:
        return _("This petition is not a questioning topic.")
    if petition.status not in ALLOWED_FROM["unflag_questioning"]:
        return _("This cannot be done while the petition is “%(status)s”.") % {
            "status": petition.get_status_display()
        }
    return None


def questioning(request: HttpRequest, council_id: int) -> HttpResponse:
    council = _reader_council(request, council_id)
    form = QuestioningFilterForm(request.GET or None, council_id=council.pk)
    cycle = form.cleaned_data.get("cycle") if form.is_valid() else None
    topics = list(
        queries.questioning_topics(council_id=council.pk, cycle_id=cycle.pk if cycle else None)
    )
    printing = bool(request.GET.get("print"))
    committees = queries.rateable_committee_ids(user=request.user, council_id=council.pk)
    # The committee in charge of a topic's field, or the standing committee, may take it
    # off the list here; the others (and the printed list) see the list only.
    rows = [
        (
            topic,
            QuestioningUnflagForm(
                initial={"version": topic.version}, prefix=f"{UNFLAG_PREFIX}-{topic.pk}"
            )
            if not printing
            and queries.may_rate(topic, committees)
            and topic.status in ALLOWED_FROM["unflag_questioning"]
            else None,
        )
        for topic in topics
    ]
    context = {
        "council": council,
        "form": form,
        "cycle": cycle,
        "topics": topics,
        "rows": rows,
        "with_actions": any(unflag_form is not None for _topic, unflag_form in rows),
        "is_manager": access.is_manager(request.user, council.pk),
        "is_reader": True,
        "query": request.GET.urlencode(),
        "today": timezone.localdate(),
    }
    template = (
        "petitions/evaluation/questioning_print.html"
        if printing
        else "petitions/evaluation/questioning.html"
    )
    return render(request, template, context)


def carry_over(request: HttpRequest, council_id: int) -> HttpResponse:
    council = access.access_council_manage(user=request.user, council_id=council_id)
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = CarryOverForm(data, council_id=council.pk)
    status = 200
    preview = None
    if form.is_valid():
        source, target = form.cleaned_data["from_cycle"], form.cleaned_data["to_cycle"]
        if request.method == "POST":
            try:
                moved = services.carry_over(
                    council_id=council.pk,
                    from_cycle_id=source.pk,
                    to_cycle_id=target.pk,
                    actor=request.user,
                )
            except DomainError as error:
                add_domain_error(form, error)
                status = error.status
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s petition carried over from %(source)s to %(target)s.",
                        "%(count)s petitions carried over from %(source)s to %(target)s.",
                        moved,
                    )
                    % {"count": moved, "source": source.name, "target": target.name},
                )
                return redirect("petitions:carry_over", council_id=council.pk)
        else:
            preview = queries.carry_over_candidates(
                council_id=council.pk, cycle_id=source.pk
            ).count()
    elif data is not None:
        status = 400
    context = {
        "council": council,
        "form": form,
        "preview": preview,
        "is_manager": True,
        "is_reader": access.is_reader(request.user, council.pk),
    }
    return render(request, "petitions/evaluation/carry_over.html", context, status=status)


urlpatterns = [
    path("<int:council_id>/evaluation/", evaluation, name="evaluation"),
    path("<int:council_id>/questioning/", questioning, name="questioning"),
    path("<int:council_id>/carry-over/", carry_over, name="carry_over"),
    path("p/<int:petition_id>/rate/", rate, name="rate"),
    path("p/<int:petition_id>/questioning/", flag_questioning, name="flag_questioning"),
    path(
        "p/<int:petition_id>/questioning/withdraw/",
        unflag_questioning,
        name="unflag_questioning",
    ),
]


def panel(request: HttpRequest, petition: Petition) -> dict[str, Any]:
    """Context for this topic's panel on the petition page (templates/petitions/panels/evaluation.html)."""
    may_rate = may_open(access.access_petition_rate, user=request.user, petition_id=petition.pk)
    may_supervise = may_open(
        access.access_petition_supervise, user=request.user, petition_id=petition.pk
    )
    may_unflag = (
        petition.is_questioning_topic
        and petition.status in ALLOWED_FROM["unflag_questioning"]
        and may_open(
            access.access_petition_unflag_questioning,
            user=request.user,
            petition_id=petition.pk,
        )
    )
    current = next((a for a in petition.answers.all() if a.is_current), None)
    can_rate = may_rate and petition.status == PetitionStatus.ANSWERED and current is not None
    can_flag = (
        may_supervise
        and not petition.is_questioning_topic
        and petition.status in ALLOWED_FROM["flag_questioning"]
    )
    return {
        "ratings": queries.petition_ratings(petition),
        "rating_form": (
            RatingForm(
                initial={"version": petition.version}, result=current.result, prefix=PANEL_PREFIX
            )
            if can_rate and current is not None
            else None
        ),
        "flag_form": QuestioningFlagForm(initial={"version": petition.version}, prefix=FLAG_PREFIX)
        if can_flag
        else None,
        "unflag_form": QuestioningUnflagForm(
            initial={"version": petition.version}, prefix=UNFLAG_PREFIX
        )
        if may_unflag
        else None,
        "sessions_open": sessions_open(petition),
    }
