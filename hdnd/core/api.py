"""What every API shares: one JSON error shape and pagination.

Errors always look like
    {"error": {"code": "...", "message": "...", "fields": {"name": ["..."]}}}
with a 4xx status for anything the caller can fix.
"""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from hdnd.core.errors import DomainError


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    invalid_page_message = "invalid page"

    def get_paginated_response(self, data: Any) -> Response:
        if self.page is None:
            raise RuntimeError("paginate_queryset must run first")
        return Response(
            {
                "count": self.page.paginator.count,
                "page": self.page.number,
                "pages": self.page.paginator.num_pages,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["count", "page", "pages", "results"],
            "properties": {
                "count": {"type": "integer"},
                "page": {"type": "integer"},
                "pages": {"type": "integer"},
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }


def error_body(code: str, message: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def _flatten(detail: Any) -> Any:
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return [str(item) for item in detail]
        return [_flatten(item) for item in detail]
    return [str(detail)]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        return Response(error_body(exc.code, exc.message, exc.fields), status=exc.status)
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {}
        message = _("The data sent is not valid.") if fields else " ".join(exc.messages)
        return Response(error_body("invalid", message, fields), status=400)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if not isinstance(exc, exceptions.APIException):
        return response
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        if not isinstance(fields, dict):
            fields = {"non_field_errors": fields}
        response.data = error_body("invalid", _("The data sent is not valid."), fields)
    else:
        response.data = error_body(_code_for(exc), _message_for(exc))
    return response


def _code_for(exc: exceptions.APIException) -> str:
    codes = exc.get_codes()
    return codes if isinstance(codes, str) else exc.default_code


def _message_for(exc: exceptions.APIException) -> str:
    messages = {
        exceptions.NotAuthenticated: _("Sign in or send a valid API token."),
        exceptions.AuthenticationFailed: _("The credentials are not valid."),
        exceptions.PermissionDenied: _("You do not have permission to do this."),
        exceptions.NotFound: _("Not found."),
        exceptions.MethodNotAllowed: _("This method is not allowed here."),
        exceptions.NotAcceptable: _("The requested format is not available."),
        exceptions.UnsupportedMediaType: _("The content type of the request is not supported."),
        exceptions.Throttled: _("Too many requests; try again later."),
        exceptions.ParseError: _("The request body is not valid JSON."),
    }
    for exc_class, message in messages.items():
        if isinstance(exc, exc_class):
            if isinstance(exc, exceptions.AuthenticationFailed | exceptions.PermissionDenied):
                detail = str(exc.detail)
                if detail and detail != str(getattr(exc_class, "default_detail", "")):
                    return detail
            return str(message)
    return str(exc.detail)
