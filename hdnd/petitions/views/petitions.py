"""The petitions home, a council's petition list and the petition page.

The petition page is assembled from topic panels: each topic's views module has a
`panel(request, petition)` that returns the context of its template
`petitions/panels/<topic>.html`, so topics never edit each other's pages.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path

from hdnd.core.paging import page_of
from hdnd.meetings.queries.questioning import topics_taking_up
from hdnd.petitions import access
from hdnd.petitions.forms.petitions import PetitionFilterForm
from hdnd.petitions.queries import petitions as queries
from hdnd.petitions.views import (
    answers,
    consolidation,
    evaluation,
    intake,
    meetings,
    routing,
)

PAGE_SIZE = 50

# (topic, panel function): shown on the petition page in this order.
PANELS = [
    ("consolidation", consolidation.panel),
    ("meetings", meetings.panel),
    ("intake", intake.panel),
    ("routing", routing.panel),
    ("answers", answers.panel),
    ("evaluation", evaluation.panel),
]


def home(request: HttpRequest) -> HttpResponse:
    councils = list(queries.petition_councils(request.user))
    if len(councils) == 1:
        return redirect("petitions:council", council_id=councils[0].pk)
    return render(request, "petitions/home.html", {"councils": councils})


def council(request: HttpRequest, council_id: int) -> HttpResponse:
    council = access.access_council_petitions(user=request.user, council_id=council_id)
    form = PetitionFilterForm(request.GET or None, council_id=council.pk)
    filters = form.cleaned_data if form.is_valid() else {}
    petitions = access.visible_petitions(user=request.user, council_id=council.pk)
    petitions = queries.petition_list(queries.filter_petitions(petitions, filters))
    context = {
        "council": council,
        "form": form,
        "page": page_of(request, petitions, per_page=PAGE_SIZE),
        "is_manager": access.is_manager(request.user, council.pk),
        "is_reader": access.is_reader(request.user, council.pk),
    }
    return render(request, "petitions/council.html", context)


def detail(request: HttpRequest, petition_id: int) -> HttpResponse:
    access.access_petition(user=request.user, petition_id=petition_id)
    petition = queries.petition_page(petition_id=petition_id)
    panels: list[tuple[str, dict[str, Any]]] = []
    for topic, panel in PANELS:
        panels.append((f"petitions/panels/{topic}.html", panel(request, petition)))
    context = {
        "petition": petition,
        "council": petition.council,
        "panels": panels,
        "days_overdue": queries.days_overdue(petition),
        "sessions_open": queries.sessions_open(petition),
        "is_manager": access.is_manager(request.user, petition.council_id),
        "is_reader": access.is_reader(request.user, petition.council_id),
        "sees_identity": access.can_see_voter_identity(request.user, petition.council_id),
        # Where the council took it up in questioning (the meetings module's topics).
        "questioning_topics": topics_taking_up(petition.pk),
    }
    return render(request, "petitions/detail.html", context)


def item(request: HttpRequest, item_id: int) -> HttpResponse:
    voter_item = access.access_item(user=request.user, item_id=item_id)
    context = {
        "item": voter_item,
        "council": voter_item.council,
        "is_manager": access.is_manager(request.user, voter_item.council_id),
        "is_reader": True,
        "sees_identity": access.can_see_voter_identity(request.user, voter_item.council_id),
    }
    return render(request, "petitions/item.html", context)


urlpatterns = [
    path("", home, name="home"),
    path("<int:council_id>/", council, name="council"),
    path("p/<int:petition_id>/", detail, name="detail"),
    path("items/<int:item_id>/", item, name="item"),
]
