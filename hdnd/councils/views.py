"""The public council directory. Nothing here needs a sign-in; contact details of people
appear only for those `can_view_person_contact` allows."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from hdnd.accounts.access import access_council_tokens
from hdnd.core.errors import NotFound
from hdnd.core.navigation import may_open
from hdnd.core.paging import page_of
from hdnd.councils.access import access_council, access_council_audit, can_view_person_contact
from hdnd.councils.filters import (
    COMMUNE_KIND_CHOICES,
    CommuneFilterForm,
    DelegateFilterForm,
    SearchForm,
    cleaned,
)
from hdnd.councils.models import CouncilLevel, UnitLevel
from hdnd.councils.queries import bodies, people, units
from hdnd.councils.queries import search as search_queries

LIST_PAGE_SIZE = 50
SEARCH_PAGE_SIZE = 20


def directory(request: HttpRequest) -> HttpResponse:
    context = {"provinces": units.current_provinces()}
    return render(request, "councils/directory.html", context)


def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    values = cleaned(form)
    query, kind = values["q"], values["kind"]
    context = {"form": form, "query": query, "kind": kind, "searched": False}
    if search_queries.is_searchable(query):
        counts = search_queries.directory_search_counts(query=query)
        page = page_of(
            request,
            search_queries.directory_search(query=query, kind=kind),
            per_page=SEARCH_PAGE_SIZE,
            count=counts[kind] if kind else sum(counts.values()),
        )
        page.object_list = search_queries.search_hits(page.object_list)
        context.update(
            searched=True,
            page=page,
            total=sum(counts.values()),
            kinds=[
                (value, label, counts[value]) for value, label in search_queries.SearchKind.CHOICES
            ],
        )
    is_htmx = request.headers.get("HX-Request") == "true"
    template = "councils/_search_results.html" if is_htmx else "councils/search.html"
    response = render(request, template, context)
    # The same URL answers with a fragment or a page: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


def unit(request: HttpRequest, code: str) -> HttpResponse:
    current, *earlier = units.units_with_code(code=code)
    context = {"unit": current, "earlier_units": earlier}
    if current.is_current and current.level == UnitLevel.PROVINCE:
        kind = cleaned(CommuneFilterForm(request.GET))["kind"]
        counts = units.unit_child_kinds(unit=current)
        children = units.unit_children(unit=current, kind=kind)
        context.update(
            kind=kind,
            kinds=[(value, label, counts.get(value, 0)) for value, label in COMMUNE_KIND_CHOICES],
            child_total=sum(counts.values()),
            page=page_of(request, children, per_page=LIST_PAGE_SIZE),
        )
    return render(request, "councils/unit.html", context)


def unit_former(request: HttpRequest, code: str) -> HttpResponse:
    current = units.units_with_code(code=code)[0]
    page = page_of(request, units.former_units(unit=current), per_page=LIST_PAGE_SIZE)
    return render(request, "councils/unit_former.html", {"unit": current, "page": page})


def council(request: HttpRequest, council_id: int) -> HttpResponse:
    found = access_council(user=request.user, council_id=council_id)
    terms = bodies.council_terms(council=found)
    term = bodies.current_term(terms)
    context = {
        "council": found,
        "terms": terms,
        "term": term,
        "committees": bodies.council_committees(council=found),
        "agencies": bodies.council_top_agencies(council=found),
        "is_city": found.level == CouncilLevel.PROVINCE,
        "commune_council_count": (
            bodies.commune_council_count(council=found)
            if found.level == CouncilLevel.PROVINCE
            else 0
        ),
        "can_see_audit": may_open(access_council_audit, user=request.user, council_id=found.pk),
        "can_manage_tokens": may_open(
            access_council_tokens, user=request.user, council_id=found.pk
        ),
    }
    if term is not None:
        context.update(
            standing=people.standing_members(council=found, term=term),
            groups=bodies.council_groups(council=found, term=term),
            delegate_count=people.council_delegate_count(council=found, term=term),
        )
    return render(request, "councils/council.html", context)


def council_delegates(request: HttpRequest, council_id: int) -> HttpResponse:
    found = access_council(user=request.user, council_id=council_id)
    terms = bodies.council_terms(council=found)
    default_term = bodies.current_term(terms)
    if default_term is None:
        raise NotFound(_("This council has no term of office yet."))
    form = DelegateFilterForm(request.GET, council=found, terms=terms, default_term=default_term)
    values = cleaned(form)
    delegates = people.council_delegates(
        council=found,
        term=form.chosen_term,
        position=values["position"],
        committee=values["committee"],
        constituency_id=values["constituency"].pk if values["constituency"] else None,
        status=values["status"],
    )
    context = {
        "council": found,
        "term": form.chosen_term,
        "form": form,
        "page": page_of(request, delegates, per_page=LIST_PAGE_SIZE),
    }
    return render(request, "councils/delegates.html", context)


def person(request: HttpRequest, person_id: int) -> HttpResponse:
    found = people.person_profile(person_id=person_id, with_groups=True)
    context = {
        "person": found,
        "show_contact": can_view_person_contact(user=request.user, person=found),
    }
    return render(request, "councils/person.html", context)


def committee(request: HttpRequest, committee_id: int) -> HttpResponse:
    found = bodies.committee_with_seats(committee_id=committee_id, with_former=True)
    return render(request, "councils/committee.html", {"committee": found})


def group(request: HttpRequest, group_id: int) -> HttpResponse:
    found = bodies.group_with_members(group_id=group_id)
    return render(request, "councils/group.html", {"group": found})


def council_agencies(request: HttpRequest, council_id: int) -> HttpResponse:
    found = access_council(user=request.user, council_id=council_id)
    context = {"council": found, "tree": bodies.agency_tree(council=found)}
    return render(request, "councils/agencies.html", context)


def agency(request: HttpRequest, agency_id: int) -> HttpResponse:
    found = bodies.agency_with_officials(agency_id=agency_id, with_former=True, with_children=True)
    return render(request, "councils/agency.html", {"agency": found})
