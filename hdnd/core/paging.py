"""Pagination of list pages: Django's Paginator, strict about the page number."""

from typing import Any

from django.core.paginator import EmptyPage, Page, Paginator
from django.http import HttpRequest
from django.utils.translation import gettext as _

from hdnd.core.errors import DomainError, NotFound


def page_of(request: HttpRequest, items: Any, *, per_page: int) -> Page[Any]:
    """The page named by `?page=` (1 by default, or "last"). A page number that is not a
    number is a 400 and a page past the end a 404, rather than a quiet first page that
    hides a broken link."""
    raw = request.GET.get("page", "1")
    paginator = Paginator(items, per_page)
    if raw == "last":
        return paginator.page(paginator.num_pages)
    if not raw.isdecimal():
        raise DomainError(_("The page number must be a whole number."), fields={"page": [raw]})
    missing = NotFound(_("There is no page %(number)s in this list.") % {"number": raw[:12]})
    if len(raw) > 9:
        raise missing
    try:
        return paginator.page(int(raw))
    except EmptyPage as exc:
        raise missing from exc
