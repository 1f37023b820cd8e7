"""API: statistics."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
