"""Pagination of list pages: Django's Paginator, strict about the page number."""

from typing import Any

from django.core.paginator import EmptyPage, Page, Paginator
from django.http import HttpRequest
from django.utils.translation import gettext as _

from hdnd.core.errors import DomainError, NotFound


class _CountedPaginator(Paginator):  # type: ignore[type-arg]  # generic over items
    """A paginator told how many items there are, when the caller has counted them already."""

    def __init__(self, items: Any, per_page: int, *, count: int) -> None:
        super().__init__(items, per_page)
        self.known_count = count

    @property
    def count(self) -> int:
        return self.known_count


def page_of(
    request: HttpRequest, items: Any, *, per_page: int, count: int | None = None
) -> Page[Any]:
    """The page named by `?page=` (1 by default, or "last"). A page number that is not a
    number is a 400 and a page past the end a 404, rather than a quiet first page that
    hides a broken link. Pass `count` when it is known, to save counting again."""
    raw = request.GET.get("page", "1")
    paginator = (
        Paginator(items, per_page)
        if count is None
        else _CountedPaginator(items, per_page, count=count)
    )
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
