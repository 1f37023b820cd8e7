"""People's Councils."""

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from hdnd.councils.api.common import (
    DETAIL_ERRORS,
    LIST_ERRORS,
    CouncilRefSerializer,
    DirectoryApi,
    PageFilterSerializer,
    TermRefSerializer,
    UnitRefSerializer,
    council_filter,
    id_parameter,
    paginated_response,
    path_id,
    search_field,
    validated_filters,
)
from hdnd.councils.models import CouncilLevel
from hdnd.councils.queries.bodies import council_detail, council_list


class CouncilListApi(DirectoryApi):
    class FilterSerializer(PageFilterSerializer):
        level = serializers.ChoiceField(choices=CouncilLevel.choices, required=False)
        # DRF pops declared fields off the class, so "parent" shadows nothing at run time.
        parent = council_filter(  # type: ignore[assignment]
            "Only the councils under this council (id)."
        )
        q = search_field("Words of the name, with or without diacritics.")

    class OutputSerializer(serializers.Serializer[Any]):
        id = serializers.IntegerField()
        name = serializers.CharField()
        level = serializers.ChoiceField(choices=CouncilLevel.choices)
        level_label = serializers.CharField(source="get_level_display")
        unit = UnitRefSerializer()
        parent = CouncilRefSerializer(allow_null=True)
        address = serializers.CharField()
        email = serializers.CharField(help_text="The council office's public address.")
        phone = serializers.CharField(help_text="The council office's public number.")

        class Meta:
            ref_name = "Council"

    @extend_schema(
        operation_id="councils_list",
        tags=["councils"],
        summary="People's Councils",
        parameters=[FilterSerializer],
        responses={200: OutputSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request) -> Response:
        filters = validated_filters(self.FilterSerializer, request)
        councils = council_list(
            level=filters.get("level"), parent_id=filters.get("parent"), query=filters.get("q", "")
        )
        return paginated_response(
            request=request, view=self, queryset=councils, serializer_class=self.OutputSerializer
        )


class CouncilDetailApi(DirectoryApi):
    class OutputSerializer(CouncilListApi.OutputSerializer):
        terms = TermRefSerializer(many=True)

        class Meta:
            ref_name = "CouncilDetail"

    @extend_schema(
        operation_id="councils_retrieve",
        tags=["councils"],
        summary="One council, with its terms",
        parameters=[id_parameter("council_id", "The council's id.")],
        responses={200: OutputSerializer, **DETAIL_ERRORS},
    )
    def get(self, request: Request, council_id: str) -> Response:
        council = council_detail(
            council_id=path_id(council_id, message=_("No council has this id."))
        )
        return Response(self.OutputSerializer(council).data)
