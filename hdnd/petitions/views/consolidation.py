"""Pages: consolidation — duplicate suggestions while typing and in the review queue,
consolidating voter items into petitions, merging, splitting and editing petitions."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from hdnd.core.errors import DomainError, NotFound
from hdnd.core.forms import add_domain_error
from hdnd.core.paging import page_of
from hdnd.councils.models import Council
from hdnd.petitions import access, duplicates
from hdnd.petitions.forms.consolidation import (
    ConsolidateForm,
    DecideSuggestionForm,
    MergeForm,
    PetitionEditForm,
    SplitForm,
    SuggestForm,
)
from hdnd.petitions.models import DuplicateSuggestion, Petition, VoterItem
from hdnd.petitions.queries import consolidation as queries
from hdnd.petitions.services import consolidation as services
from hdnd.petitions.services.common import ALLOWED_FROM

PAGE_SIZE = 25
# Fewer words than this and the text says too little to look for duplicates.
SUGGEST_MIN_WORDS = 3
SUGGEST_LIMIT = 5


@require_GET
def suggest(request: HttpRequest, council_id: int) -> HttpResponse:
    """The petitions a text being typed probably repeats (an htmx fragment)."""
    council = access.access_council_consolidation(user=request.user, council_id=council_id)
    # The meeting page's item form names its field "item-text".
    prefix = "item" if request.GET.get("form") == "item" else None
    text = SuggestForm(request.GET, prefix=prefix).text_to_compare()
    matches: list[duplicates.Match] = []
    if len(text.split()) >= SUGGEST_MIN_WORDS:
        matches = duplicates.similar_petitions(
            council_id=council.pk, text=text, limit=SUGGEST_LIMIT
        )
    response = render(
        request,
        "petitions/consolidation/_suggestions.html",
        {"council": council, "matches": matches, "searched": bool(text.strip())},
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


# The review queue -----------------------------------------------------------------------


def duplicates_queue(request: HttpRequest, council_id: int) -> HttpResponse:
    council = access.access_council_manage(user=request.user, council_id=council_id)
    return _queue_page(request, council, ConsolidateForm(council=council))


def _like(request: HttpRequest, council: Council) -> list[VoterItem]:
    """With ?like=<item>, that item and the free items like it."""
    raw = request.GET.get("like", "")
    if not raw.isdecimal() or len(raw) > 18:
        return []
    return queries.items_like(council_id=council.pk, item_id=int(raw))


def _queue_page(
    request: HttpRequest, council: Council, form: ConsolidateForm, *, status: int = 200
) -> HttpResponse:
    suggestions = page_of(
        request, queries.items_with_suggestions(council_id=council.pk), per_page=PAGE_SIZE
    )
    rows = [
        (
            item,
            [
                (suggestion, queries.where_now(suggestion))
                for suggestion in getattr(item, "pending", ())
            ],
        )
        for item in suggestions.object_list
    ]
    chosen = {int(pk) for pk in request.POST.getlist("items") if pk.isdecimal() and len(pk) < 19}
    like = _like(request, council)
    if like and not form.is_bound:
        # Pre-chosen, with the first item's words to start the consolidated text from.
        chosen = {item.pk for item in like}
        form.initial["text"] = like[0].text
    context = {
        "council": council,
        "is_manager": True,
        "is_reader": True,
        "page": suggestions,
        "rows": rows,
        "free_items": like or queries.items_to_consolidate(council_id=council.pk)[: PAGE_SIZE * 4],
        "like": like[0] if like else None,
        "summary": queries.summary(council_id=council.pk),
        "form": form,
        "chosen_items": chosen,
        "mergeable": ALLOWED_FROM["add_item"],
    }
    return render(request, "petitions/consolidation/queue.html", context, status=status)


@require_POST
def consolidate(request: HttpRequest, council_id: int) -> HttpResponse:
    council = access.access_council_manage(user=request.user, council_id=council_id)
    form = ConsolidateForm(request.POST, council=council)
    if not form.is_valid():
        return _queue_page(request, council, form, status=400)
    data = form.cleaned_data
    item_ids = [item.pk for item in data["items"]]
    try:
        if data["mode"] == ConsolidateForm.EACH:
            made = services.consolidate_each(
                council_id=council.pk, item_ids=item_ids, actor=request.user
            )
        else:
            made = [
                services.consolidate_items(
                    council_id=council.pk,
                    item_ids=item_ids,
                    title=data["title"],
                    text=data["text"],
                    field_id=data["field"].pk if data["field"] else None,
                    level=data["level"],
                    unit_id=data["unit"].pk if data["unit"] else None,
                    actor=request.user,
                )
            ]
    except DomainError as error:
        add_domain_error(form, error)
        return _queue_page(request, council, form, status=error.status)
    messages.success(
        request,
        ngettext("Petition %(codes)s created.", "Petitions %(codes)s created.", len(made))
        % {"codes": ", ".join(petition.code for petition in made)},
    )
    if len(made) == 1:
        return redirect("petitions:detail", petition_id=made[0].pk)
    return redirect("petitions:duplicates", council_id=council.pk)


def _managed_suggestion(request: HttpRequest, suggestion_id: int) -> DuplicateSuggestion:
    suggestion = (
        DuplicateSuggestion.objects.select_related("item", "candidate")
        .filter(id=suggestion_id)
        .first()
    )
    if suggestion is None or not access.is_manager(request.user, suggestion.council_id):
        raise NotFound(_("This suggestion does not exist."))
    return suggestion


def _back_to_queue(request: HttpRequest, suggestion: DuplicateSuggestion) -> HttpResponse:
    if request.POST.get("next") == "petition":
        return redirect("petitions:detail", petition_id=suggestion.candidate_id)
    return redirect("petitions:duplicates", council_id=suggestion.council_id)


@require_POST
def suggestion_confirm(request: HttpRequest, suggestion_id: int) -> HttpResponse:
    """ "Merge": the item joins the petition it was suggested to repeat."""
    suggestion = _managed_suggestion(request, suggestion_id)
    form = DecideSuggestionForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else None
    target = services.effective_candidate(suggestion.candidate)
    try:
        petition = services.add_item_to_petition(
            item_id=suggestion.item_id,
            petition_id=target.pk,
            expected_version=version,
            actor=request.user,
            suggestion_id=suggestion.pk,
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Voter item %(item)s added to petition %(petition)s.")
            % {"item": suggestion.item.code, "petition": petition.code},
        )
    return _back_to_queue(request, suggestion)


@require_POST
def suggestion_reject(request: HttpRequest, suggestion_id: int) -> HttpResponse:
    """ "Not a duplicate"."""
    suggestion = _managed_suggestion(request, suggestion_id)
    try:
        services.reject_suggestion(suggestion_id=suggestion.pk, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Noted: %(item)s does not repeat %(petition)s.")
            % {"item": suggestion.item.code, "petition": suggestion.candidate.code},
        )
    return _back_to_queue(request, suggestion)


# One petition: merge, split, edit -------------------------------------------------------


def merge(request: HttpRequest, petition_id: int) -> HttpResponse:
    petition = access.access_petition_manage(user=request.user, petition_id=petition_id)
    query = request.GET.get("q", "")[:200]
    form = MergeForm(
        request.POST if request.method == "POST" else None,
        petition=petition,
        initial={"version": petition.version},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.merge_petitions(
                    target_id=petition.pk,
                    source_ids=[source.pk for source in form.cleaned_data["sources"]],
                    expected_versions=form.expected_versions(),
                    actor=request.user,
                )
            except DomainError as error:
                add_domain_error(form, error)
                status = error.status
            else:
                messages.success(request, _("The petitions were merged into this one."))
                return redirect("petitions:detail", petition_id=petition.pk)
        else:
            status = 400
    candidates = queries.merge_candidates(petition=petition, query=query)
    context = {
        "petition": petition,
        "council": petition.council,
        "form": form,
        "query": query,
        "candidates": candidates,
        "chosen": {str(pk) for pk in request.POST.getlist("sources")},
        "allowed": ALLOWED_FROM["merge"],
    }
    return render(request, "petitions/consolidation/merge.html", context, status=status)


def split(request: HttpRequest, petition_id: int) -> HttpResponse:
    petition = access.access_petition_manage(user=request.user, petition_id=petition_id)
    form = SplitForm(
        request.POST if request.method == "POST" else None,
        petition=petition,
        initial={"version": petition.version, "title": petition.title},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                new = services.split_items(
                    petition_id=petition.pk,
                    item_ids=[item.pk for item in data["items"]],
                    expected_version=data["version"],
                    title=data["title"],
                    text=data["text"],
                    actor=request.user,
                )
            except DomainError as error:
                add_domain_error(form, error)
                status = error.status
            else:
                messages.success(
                    request,
                    _("Voter items split off into petition %(code)s.") % {"code": new.code},
                )
                return redirect("petitions:detail", petition_id=new.pk)
        else:
            status = 400
    context = {
        "petition": petition,
        "council": petition.council,
        "form": form,
        "allowed": ALLOWED_FROM["split"],
    }
    return render(request, "petitions/consolidation/split.html", context, status=status)


def petition_edit(request: HttpRequest, petition_id: int) -> HttpResponse:
    petition = access.access_petition_manage(user=request.user, petition_id=petition_id)
    initial = {
        "version": petition.version,
        "title": petition.title,
        "text": petition.text,
        "tags": ", ".join(tag.name for tag in petition.tags.order_by("name")),
    }
    form = PetitionEditForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.edit_petition(
                    petition_id=petition.pk,
                    expected_version=data["version"],
                    title=data["title"],
                    text=data["text"],
                    tags=[data["tags"]],
                    actor=request.user,
                )
            except DomainError as error:
                add_domain_error(form, error)
                status = error.status
            else:
                messages.success(request, _("The petition was saved."))
                return redirect("petitions:detail", petition_id=petition.pk)
        else:
            status = 400
    context = {
        "petition": petition,
        "council": petition.council,
        "form": form,
        "allowed": ALLOWED_FROM["edit"],
    }
    return render(request, "petitions/consolidation/edit.html", context, status=status)


@require_GET
def petition_similar(request: HttpRequest, petition_id: int) -> HttpResponse:
    """The petitions most like this one (loaded into the petition page's panel)."""
    petition = access.access_petition(user=request.user, petition_id=petition_id)
    if not access.is_reader(request.user, petition.council_id):
        # An agency responder sees only its own petitions, not what they resemble.
        raise NotFound(_("This petition does not exist."))
    context = {
        "petition": petition,
        "matches": queries.similar_to_petition(petition=petition),
        "is_manager": access.is_manager(request.user, petition.council_id),
        "mergeable": ALLOWED_FROM["merge"],
    }
    return render(request, "petitions/consolidation/_similar.html", context)


def panel(request: HttpRequest, petition: Petition) -> dict[str, Any]:
    """Context for this topic's panel on the petition page (templates/petitions/panels/consolidation.html)."""
    is_manager = access.is_manager(request.user, petition.council_id)
    return {
        "shows_similar": access.is_reader(request.user, petition.council_id),
        "pending": list(queries.pending_for_petition(petition_id=petition.pk))
        if is_manager
        else [],
        "can_merge": is_manager and petition.status in ALLOWED_FROM["merge"],
        "can_split": is_manager
        and petition.status in ALLOWED_FROM["split"]
        and petition.item_count > 1,
        "can_edit": is_manager and petition.status in ALLOWED_FROM["edit"],
        "can_add": is_manager and petition.status in ALLOWED_FROM["add_item"],
    }


urlpatterns: list[URLPattern] = [
    path("<int:council_id>/consolidation/", duplicates_queue, name="duplicates"),
    path("<int:council_id>/consolidation/suggest/", suggest, name="suggest"),
    path("<int:council_id>/consolidation/consolidate/", consolidate, name="consolidate"),
    path(
        "suggestions/<int:suggestion_id>/confirm/",
        suggestion_confirm,
        name="suggestion_confirm",
    ),
    path("suggestions/<int:suggestion_id>/reject/", suggestion_reject, name="suggestion_reject"),
    path("p/<int:petition_id>/merge/", merge, name="merge"),
    path("p/<int:petition_id>/split/", split, name="split"),
    path("p/<int:petition_id>/edit/", petition_edit, name="petition_edit"),
    path("p/<int:petition_id>/similar/", petition_similar, name="petition_similar"),
]
