"""Turns a DomainError that escapes a view into what the user can act on.

- a page (GET, HEAD), or anything not found or not allowed: the matching error page
  (404, 403, else 400) with the message;
- a form post refused for its content (400, 409): the message, and back to the page the
  form was on;
- an htmx request: the message, swapped into the page's message area;
- the JSON API: the one error shape (DRF views already answer through core.api); a
  request body too large for Django to read gets it too (413), from any view under /api/.

Views that hold a form should catch DomainError themselves and show the form again with
the message, so that nothing typed is lost; this middleware is the net under them.
"""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from hdnd.core.api import error_body, request_limit_error
from hdnd.core.errors import DomainError

ERROR_TEMPLATES = {403: "403.html", 404: "404.html"}


class DomainErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if request.path.startswith("/api/"):
            limit = request_limit_error(exception)
            if limit is not None:
                return JsonResponse(limit[0], status=limit[1])
        if not isinstance(exception, DomainError):
            return None
        if request.path.startswith("/api/"):
            body = error_body(exception.code, exception.message, exception.fields)
            return JsonResponse(body, status=exception.status)
        if request.headers.get("HX-Request") == "true":
            return self._htmx_message(request, exception)
        if request.method in ("GET", "HEAD", "OPTIONS") or exception.status in ERROR_TEMPLATES:
            template = ERROR_TEMPLATES.get(exception.status, "400.html")
            context = {"error_message": exception.message, "error_status": exception.status}
            return render(request, template, context, status=exception.status)
        messages.error(request, exception.message)
        return HttpResponseRedirect(_back_to(request))

    @staticmethod
    def _htmx_message(request: HttpRequest, exception: DomainError) -> HttpResponse:
        # htmx swaps nothing on a 4xx, so answer 200 and aim at the message area.
        response = render(request, "includes/error_message.html", {"message": exception.message})
        response["HX-Retarget"] = "#messages"
        response["HX-Reswap"] = "innerHTML"
        return response


def _back_to(request: HttpRequest) -> str:
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return request.path
