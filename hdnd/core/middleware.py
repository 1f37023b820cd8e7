import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from hdnd.core.request_context import new_request_id, set_request_id

# Accept an upstream proxy's id only when it looks like one, so logs cannot be forged.
_VALID_INCOMING_ID = re.compile(r"^[A-Za-z0-9\-]{8,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Only a proxy of ours sets the id; a client's own header is not trusted.
        incoming = request.headers.get("X-Request-Id", "") if settings.BEHIND_TLS_PROXY else ""
        request_id = incoming if _VALID_INCOMING_ID.match(incoming) else new_request_id()
        set_request_id(request_id)
        request.request_id = request_id  # type: ignore[attr-defined]  # read by views and templates
        response = self.get_response(request)
        response["X-Request-Id"] = request_id
        return response


class LanguageMiddleware(LocaleMiddleware):
    """Vietnamese unless the user chose English with the language switcher.

    Pages ignore the browser's Accept-Language: many offices run English-language Windows,
    and the platform's working language is Vietnamese. The API honours Accept-Language, the
    way other systems ask for a language.
    """

    def process_request(self, request: HttpRequest) -> None:
        if request.path.startswith("/api/"):
            super().process_request(request)
            return
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        available = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
