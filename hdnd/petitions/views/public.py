"""Public pages: lookup by code, published answers per council, printable answer sheets.
No personal data ever reaches these pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
