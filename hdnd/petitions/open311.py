"""A read-only Open311 GeoReport v2 facade: services are fields, requests are published
petitions."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
