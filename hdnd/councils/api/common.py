"""What the directory API's endpoints share: their base view, query parameters, paging,
path ids and the reference shapes nested in many responses.

The directory API is read-only, public data, one view per operation. Each view validates
its query parameters with a FilterSerializer (bad values answer 400 in the JSON error
shape), reads through hdnd/councils/queries/ and writes the response with its own
OutputSerializer. Signed-in people and API tokens with the scope "directory:read" may call
it; a person's email and phone appear only to signed-in people that
`can_view_person_contact` allows, never to tokens.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hdnd.accounts.api_permissions import HasScope
from hdnd.accounts.models import ApiScope
from hdnd.core.api import Pagination, error_responses
from hdnd.core.errors import NotFound
from hdnd.councils.models import Council, UnitLevel
from hdnd.councils.search import MAX_QUERY_LENGTH

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

LIST_ERRORS = error_responses(400, 401, 403, 404)
DETAIL_ERRORS = error_responses(401, 403, 404)


# The base of the directory endpoints: signed-in people, or tokens with "directory:read".
# A comment, not a docstring: drf-spectacular would give every endpoint without a docstring
# of its own this text as its description in /api/docs/.
class DirectoryApi(APIView):
    permission_classes = [IsAuthenticated, HasScope]
    required_scope = ApiScope.DIRECTORY_READ
    pagination_class = Pagination  # read by the schema generator of list views


def paginated_response(
    *, request: Request, view: APIView, queryset: QuerySet[Any], serializer_class: type[Any]
) -> Response:
    paginator = Pagination()
    try:
        page = paginator.paginate_queryset(queryset, request, view=view)
    except exceptions.NotFound as exc:
        raise NotFound(
            _("This page does not exist."), fields={"page": [_("There is no such page.")]}
        ) from exc
    serializer = serializer_class(page, many=True, context={"request": request})
    return paginator.get_paginated_response(serializer.data)


MAX_ID = 2**63 - 1


def path_id(value: str, *, message: str) -> int:
    """A numeric id from the path; anything else is simply not found."""
    if not value.isascii() or not value.isdigit() or int(value) > MAX_ID:
        raise NotFound(message)
    return int(value)


def id_parameter(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.INT, OpenApiParameter.PATH, description=description)


# Query parameters shared by the list endpoints.


class ExistingIdField(serializers.IntegerField):
    """The id of an existing row, e.g. `?council=12`; unknown ids are a 400."""

    def __init__(
        self, *, rows: Callable[[], QuerySet[Any]], not_found: "StrOrPromise", **kwargs: Any
    ) -> None:
        # Ids outside `rows` (people not in the directory) are "not found" too, so the
        # filter reveals nothing.
        self.rows = rows
        kwargs.setdefault("min_value", 1)
        # Beyond a 64-bit key the database would raise, not answer "not found".
        kwargs.setdefault("max_value", MAX_ID)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.error_messages["not_found"] = not_found

    def to_internal_value(self, data: Any) -> int:
        value = int(super().to_internal_value(data))
        if not self.rows().filter(pk=value).exists():
            self.fail("not_found")
        return value


class PageFilterSerializer(serializers.Serializer[Any]):
    page = serializers.IntegerField(min_value=1, required=False, help_text="Page number, from 1.")
    page_size = serializers.IntegerField(
        min_value=1,
        max_value=Pagination.max_page_size,
        required=False,
        help_text=f"Results per page (default {Pagination.page_size}).",
    )


def search_field(help_text: str) -> serializers.CharField:
    return serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_QUERY_LENGTH, help_text=help_text
    )


def council_filter(help_text: str = "Only this council (id).") -> ExistingIdField:
    return ExistingIdField(
        rows=Council.objects.all,
        not_found=gettext_lazy("No council has this id."),
        help_text=help_text,
    )


def validated_filters(serializer_class: type[serializers.Serializer[Any]], request: Request) -> Any:
    filters = serializer_class(data=request.query_params)
    filters.is_valid(raise_exception=True)
    return filters.validated_data


# Reference shapes nested in many responses.


class UnitRefSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.ChoiceField(choices=UnitLevel.choices)

    class Meta:
        ref_name = "UnitRef"


class CouncilRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()

    class Meta:
        ref_name = "CouncilRef"


class TermRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    number = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField()

    class Meta:
        ref_name = "TermRef"


class PersonRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    full_name = serializers.CharField()

    class Meta:
        ref_name = "PersonRef"


class NamedRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()

    class Meta:
        ref_name = "NamedRef"


class ConstituencyRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    name = serializers.CharField()

    class Meta:
        ref_name = "ConstituencyRef"
