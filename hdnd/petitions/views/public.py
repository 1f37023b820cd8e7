"""Public pages: lookup by code, published answers per council, printable answer sheets.
No personal data ever reaches these pages: they render only what queries/public.py
returns, which never reads a voter's identity or words. No sign-in is needed, and nothing
but the site header depends on who is looking."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from hdnd.core.errors import NotFound
from hdnd.core.paging import page_of
from hdnd.councils.access import access_council
from hdnd.councils.filters import cleaned
from hdnd.councils.models import CouncilLevel
from hdnd.lib import ratelimit
from hdnd.petitions.forms.public import CouncilSearchForm, LookupForm, PublicFilterForm, SheetForm
from hdnd.petitions.queries import public as queries

PAGE_SIZE = 30
COMMUNE_PAGE_SIZE = 50
# Lookups per address and minute: enough for a family, too few to enumerate codes.
LOOKUP_WINDOW_SECONDS = 60


def home(request: HttpRequest) -> HttpResponse:
    search_form = CouncilSearchForm(request.GET or None)
    query = search_form.cleaned_data["q"] if search_form.is_valid() else ""
    communes = queries.councils_with_answers(level=CouncilLevel.COMMUNE, query=query)
    context = {
        "lookup_form": LookupForm(),
        "search_form": search_form,
        "query": query,
        "provinces": list(queries.councils_with_answers(level=CouncilLevel.PROVINCE)),
        "page": page_of(request, communes, per_page=COMMUNE_PAGE_SIZE),
    }
    return render(request, "petitions/public/home.html", context)


def lookup(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.GET if "code" in request.GET else None)
    context: dict[str, object] = {"form": form, "searched": False}
    if not form.is_valid():
        return render(request, "petitions/public/lookup.html", context)
    if not _within_lookup_limit(request):
        context["limited"] = True
        response = render(request, "petitions/public/lookup.html", context, status=429)
        response["Retry-After"] = str(LOOKUP_WINDOW_SECONDS)
        return response
    context.update(searched=True, view=queries.look_up(form.cleaned_data["code"]))
    return render(request, "petitions/public/lookup.html", context)


def council(request: HttpRequest, council_id: int) -> HttpResponse:
    found = access_council(user=request.user, council_id=council_id)
    form = PublicFilterForm(request.GET or None, council=found)
    filters = cleaned(form) if form.is_bound else {}
    petitions = queries.public_petitions().filter(council=found)
    petitions = queries.public_list(queries.filter_public_petitions(petitions, filters))
    context = {
        "council": found,
        "form": form,
        "page": page_of(request, petitions, per_page=PAGE_SIZE),
        "filtered": any(filters.values()),
    }
    return render(request, "petitions/public/council.html", context)


def petition(request: HttpRequest, code: str) -> HttpResponse:
    petition_id = queries.published_petition_id(code)
    if petition_id is None:
        raise NotFound(
            _("No published answer has this number. Check the number, or look up your code.")
        )
    view = queries.petition_view(petition_id=petition_id)
    context = {"view": view, "council": view.lineage[0].petition.council}
    return render(request, "petitions/public/petition.html", context)


def sheet(request: HttpRequest, council_id: int) -> HttpResponse:
    found = access_council(user=request.user, council_id=council_id)
    form = SheetForm(request.GET or None, council=found)
    values = cleaned(form) if form.is_bound else {}
    cycle = values.get("cycle") or queries.latest_answered_cycle(found)
    answer_sheet = queries.answer_sheet(council=found, cycle=cycle, unit=values.get("unit"))
    context = {"council": found, "form": form, "sheet": answer_sheet}
    return render(request, "petitions/public/sheet.html", context)


def _within_lookup_limit(request: HttpRequest) -> bool:
    """Count this lookup against the caller's address; False past the limit."""
    key = ratelimit.client_key(request, "petitions-lookup")
    used = ratelimit.count(key, window_seconds=LOOKUP_WINDOW_SECONDS)
    return used <= settings.PETITIONS_PUBLIC_LOOKUPS_PER_MINUTE


urlpatterns = [
    path("", home, name="home"),
    path("lookup/", lookup, name="lookup"),
    path("p/<str:code>/", petition, name="petition"),
    path("<int:council_id>/", council, name="council"),
    path("<int:council_id>/sheet/", sheet, name="sheet"),
]
