"""Pages: routing (see hdnd/petitions/urls.py)."""

from typing import Any

from django.http import HttpRequest
from django.urls import URLPattern

from hdnd.petitions.models import Petition

urlpatterns: list[URLPattern] = []


def panel(request: HttpRequest, petition: Petition) -> dict[str, Any]:
    """Context for this topic's panel on the petition page (templates/petitions/panels/routing.html)."""
    return {}
