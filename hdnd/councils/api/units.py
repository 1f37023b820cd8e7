"""Administrative units: provinces and communes, current and former."""

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from hdnd.councils.api.common import (
    DETAIL_ERRORS,
    LIST_ERRORS,
    CouncilRefSerializer,
    DirectoryApi,
    PageFilterSerializer,
    UnitRefSerializer,
    paginated_response,
    search_field,
    validated_filters,
)
from hdnd.councils.models import UnitKind, UnitLevel
from hdnd.councils.queries.units import unit_code_exists, unit_list, units_with_code


class UnitListApi(DirectoryApi):
    class FilterSerializer(PageFilterSerializer):
        level = serializers.ChoiceField(choices=UnitLevel.choices, required=False)
        kind = serializers.ChoiceField(choices=UnitKind.choices, required=False)
        # DRF pops declared fields off the class, so "parent" shadows nothing at run time.
        parent = serializers.CharField(  # type: ignore[assignment]
            required=False, max_length=10, help_text="Official code of the parent unit."
        )
        include_former = serializers.BooleanField(
            required=False,
            default=False,
            help_text="Also list units that no longer exist (merged on 1 July 2025 and before).",
        )
        q = search_field("Words of the name, with or without diacritics.")

        def validate_parent(self, value: str) -> str:
            if not unit_code_exists(code=value):
                raise serializers.ValidationError(_("No administrative unit has this code."))
            return value

    class OutputSerializer(serializers.Serializer[Any]):
        code = serializers.CharField()
        name = serializers.CharField()
        codename = serializers.CharField()
        kind = serializers.ChoiceField(choices=UnitKind.choices)
        kind_label = serializers.CharField(source="get_kind_display")
        level = serializers.ChoiceField(choices=UnitLevel.choices)
        parent = UnitRefSerializer(allow_null=True)
        valid_from = serializers.DateField(allow_null=True)
        valid_until = serializers.DateField(allow_null=True)
        is_current = serializers.BooleanField()

        class Meta:
            ref_name = "Unit"

    @extend_schema(
        operation_id="units_list",
        tags=["units"],
        summary="Administrative units",
        parameters=[FilterSerializer],
        responses={200: OutputSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request) -> Response:
        filters = validated_filters(self.FilterSerializer, request)
        units = unit_list(
            level=filters.get("level"),
            kind=filters.get("kind"),
            parent_code=filters.get("parent"),
            include_former=filters["include_former"],
            query=filters.get("q", ""),
        )
        return paginated_response(
            request=request, view=self, queryset=units, serializer_class=self.OutputSerializer
        )


class UnitDetailApi(DirectoryApi):
    class OutputSerializer(UnitListApi.OutputSerializer):
        council = CouncilRefSerializer(allow_null=True)
        predecessors = UnitRefSerializer(many=True)
        successors = UnitRefSerializer(many=True)

        class Meta:
            ref_name = "UnitDetail"

    @extend_schema(
        operation_id="units_retrieve",
        tags=["units"],
        summary="One administrative unit, by its official code",
        description="A code reused after a merger names the current unit.",
        parameters=[
            OpenApiParameter(
                "code", OpenApiTypes.STR, OpenApiParameter.PATH, description="Official code."
            )
        ],
        responses={200: OutputSerializer, **DETAIL_ERRORS},
    )
    def get(self, request: Request, code: str) -> Response:
        # A reused code names the current unit; its neighbours come by level and code.
        unit = units_with_code(code=code, linked_by=("level", "code"))[0]
        return Response(self.OutputSerializer(unit).data)
