"""API: the supervision figures of a council's petitions — the dashboard's totals, counts
by status, and breakdowns by lead agency, field, place and (for a city) commune — from
the same queries as the dashboard (queries/dashboard.py)."""

from typing import Any

from django.db.models import Count, QuerySet
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from hdnd.core.api import EnumField
from hdnd.councils.api.common import id_parameter
from hdnd.councils.models import AdministrativeUnit, Agency, Council
from hdnd.petitions import access
from hdnd.petitions.api.common import (
    LIST_ERRORS,
    TAGS,
    CouncilRowField,
    FieldCodeField,
    PetitionsApi,
    read_council,
    token_of,
    validated_query,
)
from hdnd.petitions.models import CompetenceLevel, Petition, PetitionStatus, SessionCycle
from hdnd.petitions.queries.dashboard import COUNT_NAMES, DashboardFilters, dashboard_figures
from hdnd.petitions.queries.intake import council_units

COUNCIL = id_parameter("council_id", "The council's id.")


def council_cycles(council: Council) -> QuerySet[SessionCycle]:
    return SessionCycle.objects.filter(council_id=council.pk)


def council_agencies(council: Council) -> QuerySet[Agency]:
    return Agency.objects.filter(council_id=council.pk)


def council_units_of(council: Council) -> QuerySet[AdministrativeUnit]:
    return council_units(council=council)


class CountsSerializer(serializers.Serializer[Any]):
    """Every figure of queries.dashboard.Counts, by the same names."""

    class Meta:
        ref_name = "PetitionCounts"

    def get_fields(self) -> dict[str, Any]:
        return {name: serializers.IntegerField() for name in COUNT_NAMES}


class BreakdownRowSerializer(serializers.Serializer[Any]):
    key = serializers.IntegerField(
        allow_null=True, help_text="The agency's, field's, place's or council's id; null: none."
    )
    # DRF pops declared fields off the class, so "label" shadows nothing at run time.
    label = serializers.CharField()  # type: ignore[assignment]
    counts = CountsSerializer()

    class Meta:
        ref_name = "PetitionBreakdownRow"


class StatusCountSerializer(serializers.Serializer[Any]):
    status = EnumField(PetitionStatus)
    count = serializers.IntegerField()

    class Meta:
        ref_name = "PetitionStatusCount"


class StatisticsOutputSerializer(serializers.Serializer[Any]):
    council_id = serializers.IntegerField()
    today = serializers.DateField(help_text="The day overdue counts are computed for.")
    summary = CountsSerializer(
        help_text="Petitions in scope: less those merged or moved to another council."
    )
    by_status = StatusCountSerializer(many=True, help_text="Every petition, by status.")
    by_agency = BreakdownRowSerializer(many=True)
    by_field = BreakdownRowSerializer(many=True)
    by_unit = BreakdownRowSerializer(many=True)
    communes = BreakdownRowSerializer(
        many=True, help_text="For a city: its communes' totals (field and level filters only)."
    )

    class Meta:
        ref_name = "PetitionStatistics"


class CouncilStatisticsApi(PetitionsApi):
    class FilterSerializer(serializers.Serializer[Any]):
        cycle = CouncilRowField(
            rows=council_cycles,
            not_found=gettext_lazy("No session cycle of this council has this id."),
            required=False,
            help_text="Only petitions in this session cycle's report (id).",
        )
        field = FieldCodeField(required=False)
        agency = CouncilRowField(
            rows=council_agencies,
            not_found=gettext_lazy("No agency of this council has this id."),
            required=False,
            help_text="Only petitions led by this agency (id).",
        )
        unit = CouncilRowField(
            rows=council_units_of,
            not_found=gettext_lazy("This place is not in the council's area."),
            required=False,
            help_text="Only petitions about this place (administrative unit id).",
        )
        level = EnumField(CompetenceLevel, required=False)

    @extend_schema(
        operation_id="petition_statistics_retrieve",
        tags=TAGS,
        summary="Supervision figures: totals, by status, agency, field, place and commune",
        parameters=[COUNCIL, FilterSerializer],
        responses={200: StatisticsOutputSerializer, **LIST_ERRORS},
    )
    def get(self, request: Request, council_id: str) -> Response:
        council = read_council(request, council_id)
        if token_of(request) is None:
            access.access_council_dashboard(user=request.user, council_id=council.pk)
        data = validated_query(self.FilterSerializer, request, council)
        filters = DashboardFilters.from_cleaned(data)
        figures = dashboard_figures(council_id=council.pk, filters=filters, complete=True)
        by_status = (
            Petition.objects.filter(council_id=council.pk)
            .filter(filters.petition_q())
            .values("status")
            .annotate(count=Count("id"))
            .order_by("status")
        )
        body = {
            "council_id": council.pk,
            "today": figures.today,
            "summary": figures.summary,
            "by_status": list(by_status),
            "by_agency": figures.by_agency,
            "by_field": figures.by_field,
            "by_unit": figures.by_unit,
            "communes": figures.communes,
        }
        return Response(StatisticsOutputSerializer(body).data)


urlpatterns: list[URLPattern] = [
    path(
        "councils/<str:council_id>/petition-statistics/",
        CouncilStatisticsApi.as_view(),
        name="petition-statistics-api",
    ),
]
