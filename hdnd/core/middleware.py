import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from hdnd.core.request_context import new_request_id, set_request_id

# Accept an upstream proxy's id only when it looks like one, so logs cannot be forged.
_VALID_INCOMING_ID = re.compile(r"^[A-Za-z0-9\-]{8,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-Id", "")
        request_id = incoming if _VALID_INCOMING_ID.match(incoming) else new_request_id()
        set_request_id(request_id)
        request.request_id = request_id  # type: ignore[attr-defined]  # read by views and templates
        response = self.get_response(request)
        response["X-Request-Id"] = request_id
        return response
