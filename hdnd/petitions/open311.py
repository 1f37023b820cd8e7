"""A read-only Open311 GeoReport v2 facade: services are fields, requests are published
petitions (https://wiki.open311.org/GeoReport_v2).

Mounted at /open311/v2/. Every answer is JSON or XML, chosen by the suffix; every refusal
is the spec's error array (`[{"code": 404, "description": "..."}]`, in XML
`<errors><error>…`) with the matching HTTP status — never an HTML page, never a 500.
`jurisdiction_id` is the official code of a council's unit ("01" for Hanoi); without it
the requests of every council are listed. Extension: `page` and `page_size` (at most
1,000, the spec's default limit) page through the requests.
"""

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import re_path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from hdnd.core.errors import DomainError, NotFound
from hdnd.councils.models import Council
from hdnd.petitions import open311_serializers as documents
from hdnd.petitions.models import Petition
from hdnd.petitions.queries import public as queries

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
MAX_IDS = 100
STATUSES = frozenset({"open", "closed"})

View = Callable[..., HttpResponse]


class BadRequest(DomainError):
    code = "bad_request"
    status = 400


def open311_view(view: View) -> View:
    """Only GET and HEAD; DomainErrors become the Open311 error array in the requested
    format."""

    @csrf_exempt  # Nothing here changes anything; a refusal must not be a CSRF page.
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, fmt: str = "json", **kwargs: Any) -> HttpResponse:
        if request.method == "POST":
            return _error(
                fmt,
                403,
                _(
                    "This Open311 endpoint is read-only: service requests cannot be created "
                    "here. Voters' petitions reach the council through its office."
                ),
            )
        if request.method not in ("GET", "HEAD"):
            response = _error(fmt, 405, _("Only GET is allowed on this read-only endpoint."))
            response["Allow"] = "GET, HEAD"
            return response
        try:
            return view(request, *args, fmt=fmt, **kwargs)
        except DomainError as exc:
            return _error(fmt, exc.status, exc.message)

    return wrapper


def _error(fmt: str, status: int, description: str) -> HttpResponse:
    return documents.render(
        documents.errors(status, description), fmt=fmt, root="errors", status=status
    )


def _jurisdiction(params: QueryDict) -> Council | None:
    code = params.get("jurisdiction_id", "").strip()
    if not code:
        return None
    council = queries.jurisdiction(code)
    if council is None:
        raise NotFound(
            _(
                "jurisdiction_id “%(code)s” was not found: use the official code of a council's unit."
            )
            % {"code": code[:40]}
        )
    return council


@open311_view
def discovery(request: HttpRequest, *, fmt: str) -> HttpResponse:
    document = documents.discovery(
        endpoint_url=request.build_absolute_uri(reverse("open311-unknown", kwargs={"path": ""})),
        directory_url=request.build_absolute_uri(reverse("councils:directory")),
    )
    return documents.render(document, fmt=fmt, root="discovery")


@open311_view
def services(request: HttpRequest, *, fmt: str) -> HttpResponse:
    _jurisdiction(request.GET)
    rows = [documents.service(field) for field in queries.open311_services()]
    return documents.render(rows, fmt=fmt, root="services")


@open311_view
def service_definition(request: HttpRequest, service_code: str, *, fmt: str) -> HttpResponse:
    _jurisdiction(request.GET)
    field = queries.open311_service(service_code)
    if field is None:
        raise NotFound(_("service_code “%(code)s” was not found.") % {"code": service_code[:40]})
    return documents.render(documents.service_definition(field), fmt=fmt, root="service_definition")


@open311_view
def requests(request: HttpRequest, *, fmt: str) -> HttpResponse:
    filters = _request_filters(request.GET)
    page, page_size = _paging(request.GET)
    start = (page - 1) * page_size
    rows = list(queries.open311_requests(filters)[start : start + page_size])
    return _requests_response(rows, fmt=fmt)


@open311_view
def request_detail(request: HttpRequest, request_id: str, *, fmt: str) -> HttpResponse:
    council = _jurisdiction(request.GET)
    rows = list(
        queries.open311_requests(
            queries.RequestFilters(council=council, codes=frozenset({request_id}))
        )
    )
    if not rows:
        raise NotFound(
            _("service_request_id “%(id)s” was not found among the published answers.")
            % {"id": request_id[:40]}
        )
    return _requests_response(rows, fmt=fmt)


@open311_view
def unknown(request: HttpRequest, *, fmt: str) -> HttpResponse:
    raise NotFound(
        _("There is nothing at this address. Start from discovery.json or services.json.")
    )


def unknown_path(request: HttpRequest, path: str = "") -> HttpResponse:
    """Any other address under /open311/v2/: the error array, in XML if the address asks
    for it."""
    return unknown(request, fmt="xml" if path.endswith(".xml") else "json")


def _requests_response(rows: list[Petition], *, fmt: str) -> HttpResponse:
    merged_into = queries.merged_into_codes(rows)
    document = [documents.service_request(row, merged_into=merged_into) for row in rows]
    return documents.render(document, fmt=fmt, root="service_requests")


def _request_filters(params: QueryDict) -> queries.RequestFilters:
    council = _jurisdiction(params)
    ids = _list(params, "service_request_id")
    if ids:
        if len(ids) > MAX_IDS:
            raise BadRequest(
                _("Ask for at most %(count)s service_request_id at once.") % {"count": MAX_IDS}
            )
        return queries.RequestFilters(council=council, codes=frozenset(ids))
    statuses = frozenset(value.lower() for value in _list(params, "status"))
    if not statuses <= STATUSES:
        raise BadRequest(_("status must be “open” or “closed”."))
    start = _when(params, "start_date")
    end = _when(params, "end_date")
    if start is not None and end is not None and start > end:
        raise BadRequest(_("start_date must not be later than end_date."))
    return queries.RequestFilters(
        council=council,
        service_codes=frozenset(_list(params, "service_code")),
        start=start,
        end=end,
        statuses=statuses if statuses != STATUSES else frozenset(),
    )


def _list(params: QueryDict, name: str) -> list[str]:
    """A parameter given comma-separated, repeated, or both."""
    values: list[str] = []
    for raw in params.getlist(name):
        values.extend(part.strip() for part in raw.split(",") if part.strip())
    return values


def _when(params: QueryDict, name: str) -> dt.date | None:
    """A W3C datetime (or a plain date) as the day it falls on in Vietnam time: requests
    carry the day voters raised them."""
    raw = params.get(name, "").strip()
    if not raw:
        return None
    # An unencoded "+07:00" arrives as " 07:00".
    raw = raw.replace(" ", "+") if "T" in raw else raw
    try:
        moment = parse_datetime(raw)
        day = parse_date(raw) if moment is None else None
    except ValueError:
        moment, day = None, None
    if moment is not None:
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return timezone.localtime(moment).date()
    if day is not None:
        return day
    raise BadRequest(
        _("%(name)s is not a W3C datetime such as 2026-07-01T00:00:00+07:00.") % {"name": name}
    )


def _paging(params: QueryDict) -> tuple[int, int]:
    page = _positive(params, "page", 1)
    page_size = _positive(params, "page_size", DEFAULT_PAGE_SIZE)
    if page_size > MAX_PAGE_SIZE:
        raise BadRequest(_("page_size must be at most %(max)s.") % {"max": MAX_PAGE_SIZE})
    return page, page_size


def _positive(params: QueryDict, name: str, default: int) -> int:
    raw = params.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdecimal() or len(raw) > 9 or int(raw) < 1:
        raise BadRequest(_("%(name)s must be a whole number from 1.") % {"name": name})
    return int(raw)


_FMT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    re_path(r"^discovery" + _FMT, discovery, name="open311-discovery"),
    re_path(r"^services" + _FMT, services, name="open311-services"),
    re_path(
        r"^services/(?P<service_code>[^/]+?)" + _FMT, service_definition, name="open311-service"
    ),
    re_path(r"^requests" + _FMT, requests, name="open311-requests"),
    re_path(r"^requests/(?P<request_id>[^/]+?)" + _FMT, request_detail, name="open311-request"),
    re_path(r"^(?P<path>.*)$", unknown_path, name="open311-unknown"),
]
