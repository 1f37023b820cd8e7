"""What every API shares: one JSON error shape, its schema, and pagination.

Errors always look like
    {"error": {"code": "...", "message": "...", "fields": {"name": ["..."]}}}
with a 4xx status for anything the caller can fix.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent, build_choice_description_list
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from hdnd.core.errors import DomainError, NotFound


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


# The error shape, for the schema.

ErrorSerializer = inline_serializer(
    name="Error",
    fields={
        "error": inline_serializer(
            name="ErrorDetail",
            fields={
                "code": serializers.CharField(help_text="A stable, machine-readable code."),
                "message": serializers.CharField(
                    help_text="A message for people, in the request's language."
                ),
                "fields": serializers.DictField(
                    child=serializers.ListField(child=serializers.CharField()),
                    help_text="What is wrong with each parameter or field, if anything.",
                ),
            },
        )
    },
)


_ERROR_DESCRIPTIONS = {
    400: "A parameter is not valid.",
    401: "No valid session or API token.",
    403: "The caller may not do this (for a token: a scope is missing).",
    404: "Nothing was found.",
    413: "The request body is larger than the server accepts (2.5 MB by default).",
}


def error_responses(*statuses: int) -> dict[int, OpenApiResponse]:
    """The error responses of an operation, for `extend_schema(responses=...)`."""
    return {
        status: OpenApiResponse(ErrorSerializer, description=_ERROR_DESCRIPTIONS[status])
        for status in statuses
    }


# A plain Django view, so the schema generator (which reads only DRF views) leaves it out,
# and authentication cannot turn "no such address" into a 401.
@csrf_exempt  # It changes nothing, so there is nothing to forge.
def unknown_path(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any address under the API that no endpoint answers, whatever the method."""
    message = _("There is no API endpoint at this address.")
    return JsonResponse(error_body("not_found", message), status=404)


def _flatten(detail: Any) -> Any:
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return [str(item) for item in detail]
        return [_flatten(item) for item in detail]
    return [str(detail)]


def request_limit_error(exc: Exception) -> tuple[dict[str, Any], int] | None:
    """The error body and status for a request Django refuses to read for its size
    (DATA_UPLOAD_MAX_MEMORY_SIZE, DATA_UPLOAD_MAX_NUMBER_FIELDS/FILES); None for any other
    exception. Django itself would answer these with its HTML 400 page."""
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
        megabytes = limit / 1024 / 1024
        message = _(
            "The request body is larger than the %(limit)s MB the server accepts: send the "
            "data in several smaller requests."
        ) % {"limit": number_format(megabytes, decimal_pos=0 if megabytes.is_integer() else 1)}
        return error_body("request_too_large", message), 413
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        message = _("The request has more fields or files than the server accepts.")
        return error_body("invalid", message), 400
    return None


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    limit = request_limit_error(exc)
    if limit is not None:
        return Response(limit[0], status=limit[1])
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
                if detail.startswith("CSRF Failed"):
                    # DRF's own words for a session call without the CSRF token, in English.
                    return _(
                        "This request from a signed-in session lacks its CSRF token: send the "
                        "csrftoken cookie's value in the X-CSRFToken header, or use an API token."
                    )
                if detail and detail != str(getattr(exc_class, "default_detail", "")):
                    return detail
            return str(message)
    return str(exc.detail)


class EnumField(serializers.ChoiceField):
    """A choice of a model's TextChoices, named after it in the schema (PetitionStatusEnum
    …) or by `schema_name` where two modules' enums share a class name: several choice
    sets share property names such as `status` or `level`, which drf-spectacular cannot
    name on its own without a warning."""

    def __init__(
        self, enum: type[models.TextChoices], *, schema_name: str = "", **kwargs: Any
    ) -> None:
        self.enum = enum
        self.schema_name = schema_name or f"{enum.__name__}Enum"
        super().__init__(choices=enum.choices, **kwargs)


class EnumFieldExtension(OpenApiSerializerFieldExtension):
    target_class = EnumField
    match_subclasses = True

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        field: EnumField = self.target
        name = field.schema_name
        component = ResolvedComponent(
            name=name,
            type=ResolvedComponent.SCHEMA,
            object=name,
            schema={
                "type": "string",
                "enum": list(field.enum.values),
                "description": build_choice_description_list(field.enum.choices),
            },
        )
        auto_schema.registry.register_on_missing(component)
        if field.allow_blank:
            return {"oneOf": [component.ref, {"type": "string", "enum": [""]}]}
        return dict(component.ref)


def validated(
    serializer_class: type[serializers.Serializer[Any]], data: Any, **context: Any
) -> Any:
    """`data` (a body or query parameters), validated: a 400 naming each bad field."""
    serializer = serializer_class(data=data, context=context)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def validated_body(
    serializer_class: type[serializers.Serializer[Any]], request: Request, **context: Any
) -> Any:
    """The request body, validated (400 naming each bad field; a body that is not a JSON
    object is a 400 too)."""
    return validated(serializer_class, request.data, **context)


def paginated(
    *,
    request: Request,
    view: APIView,
    queryset: QuerySet[Any],
    serializer_class: type[serializers.BaseSerializer[Any]],
    context: dict[str, Any] | None = None,
) -> Response:
    paginator = Pagination()
    try:
        page = paginator.paginate_queryset(queryset, request, view=view)
    except exceptions.NotFound as exc:
        raise NotFound(
            _("This page does not exist."), fields={"page": [_("There is no such page.")]}
        ) from exc
    serializer = serializer_class(page, many=True, context={"request": request, **(context or {})})
    return paginator.get_paginated_response(serializer.data)


@contextmanager
def fields_named(**names: str) -> Iterator[None]:
    """A service's refusal names the service's parameters (`respondents`); the API's body
    may call them otherwise (`respondent_ids`): rename them, so that `error.fields` names
    what the caller sent."""
    try:
        yield
    except DomainError as error:
        error.fields = {names.get(key, key): value for key, value in error.fields.items()}
        raise


# A version number (optimistic locking) fits PostgreSQL's integer.
MAX_VERSION = 2**31 - 1


def expected_version_field() -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1,
        max_value=MAX_VERSION,
        help_text=(
            "The `version` of the record as you loaded it. If someone changed it since, "
            "the request is refused with 409 stale_version: reload, then try again."
        ),
    )
