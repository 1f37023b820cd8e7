"""API: the catalogue of fields, a council's routing table, committees in charge of fields
and deadline rules (each with its history), and the routing actions on petitions:
assign, re-route, change the classification, forward to central level, move to another
council, escalate to the standing committee."""

from typing import Any

from django.db.models import QuerySet
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hdnd.core.api import EnumField, expected_version_field, paginated, validated_body
from hdnd.core.errors import NotFound
from hdnd.councils.api.common import PageFilterSerializer, id_parameter
from hdnd.councils.models import Agency, Committee, Council
from hdnd.lib.periods import in_force_on
from hdnd.petitions import access
from hdnd.petitions.api.common import (
    ACTION_ERRORS,
    LIST_ERRORS,
    TAGS,
    CouncilRowField,
    CouncilRowsField,
    FieldCodeField,
    PetitionsApi,
    actor_of,
    manage_council,
    petition_for,
    read_council,
    validated_query,
)
from hdnd.petitions.api.petitions import petition_detail
from hdnd.petitions.api.serializers.petitions import PetitionDetailOutputSerializer
from hdnd.petitions.api.serializers.routing import (
    DeadlineRuleOutputSerializer,
    FieldCommitteeOutputSerializer,
    FieldOutputSerializer,
    RoutingRuleOutputSerializer,
)
from hdnd.petitions.models import (
    CompetenceLevel,
    DayCounting,
    DeadlineRule,
    Field,
    FieldCommittee,
    RouteKind,
    RoutingRule,
)
from hdnd.petitions.queries import routing as queries
from hdnd.petitions.services import deadlines as deadline_services
from hdnd.petitions.services import routing as services
from hdnd.petitions.services import transfers as transfer_services

MAX_AGENCIES = 20
FIELD_CODE = OpenApiParameter(
    "field_code", OpenApiTypes.STR, OpenApiParameter.PATH, description="The field's code."
)
LEVEL = OpenApiParameter(
    "level",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    enum=[CompetenceLevel.CITY.value, CompetenceLevel.COMMUNE.value],
    description="The competence level routed (central-level petitions are forwarded).",
)
ROUTE = OpenApiParameter(
    "route",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    enum=list(RouteKind.values),
    description="What the deadline rule applies to.",
)
NOTHING_LEFT = OpenApiResponse(description="The row in force was ended; none replaces it.")

COUNCIL = id_parameter("council_id", "The council's id.")
PETITION = id_parameter("petition_id", "The petition's id.")


def own_agencies(council: Council) -> QuerySet[Agency]:
    return Agency.objects.filter(council_id=council.pk, is_active=True)


def own_committees(council: Council) -> QuerySet[Committee]:
    return Committee.objects.filter(council_id=council.pk, is_active=True)


def transfer_targets(council: Council) -> QuerySet[Council]:
    return queries.transfer_targets(council=council)


def path_field(code: str) -> Field:
    field = Field.objects.filter(code=code[:40]).first()
    if field is None:
        raise NotFound(_("No field has this code."))
    return field


def path_choice(value: str, choices: list[str]) -> str:
    if value not in choices:
        raise NotFound(_("Not found."))
    return value


def in_force_today(rows: QuerySet[Any], current: bool | None) -> QuerySet[Any]:
    if not current:
        return rows
    return rows.filter(in_force_on(timezone.localdate(), start="valid_from", end="valid_until"))


class CurrentFilterSerializer(PageFilterSerializer):
    current = serializers.BooleanField(
        required=False,
        default=False,
        help_text="true: only the rows in force today; otherwise the whole history.",
    )


# Reads


class FieldListApi(APIView):
    """The fields of work (lĩnh vực) petitions are classified in, shared by all councils.
    Public: no sign-in needed."""

    permission_classes = [AllowAny]

    class FilterSerializer(serializers.Serializer[Any]):
        include_inactive = serializers.BooleanField(required=False, default=False)

    @extend_schema(
        operation_id="petition_fields_list",
        tags=TAGS,
        summary="Fields of work, in their display order (not paged: a short catalogue)",
        parameters=[FilterSerializer],
        responses={200: FieldOutputSerializer(many=True), **LIST_ERRORS},
        auth=[],
    )
    def get(self, request: Request) -> Response:
        filters = validated_query(self.FilterSerializer, request)
        fields = Field.objects.order_by("sort_order", "name")
        if not filters["include_inactive"]:
            fields = fields.filter(is_active=True)
        return Response(FieldOutputSerializer(fields, many=True).data)


class CouncilRoutingRuleListApi(PetitionsApi):
    class FilterSerializer(CurrentFilterSerializer):
        field = FieldCodeField(required=False)
        level = EnumField(CompetenceLevel, required=False)

    @extend_schema(
        operation_id="petition_routing_rules_list",
        tags=TAGS,
        summary="A council's routing table (field × level → agency), with its history",
        parameters=[COUNCIL, FilterSerializer],
        responses={200: RoutingRuleOutputSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request, council_id: str) -> Response:
        council = read_council(request, council_id)
        filters = validated_query(self.FilterSerializer, request, council)
        rules = in_force_today(queries.routing_rules(council_id=council.pk), filters["current"])
        if filters.get("field") is not None:
            rules = rules.filter(field=filters["field"])
        if filters.get("level"):
            rules = rules.filter(level=filters["level"])
        return paginated(
            request=request,
            view=self,
            queryset=rules,
            serializer_class=RoutingRuleOutputSerializer,
            context={"today": timezone.localdate()},
        )


class CouncilFieldCommitteeListApi(PetitionsApi):
    class FilterSerializer(CurrentFilterSerializer):
        field = FieldCodeField(required=False)

    @extend_schema(
        operation_id="petition_field_committees_list",
        tags=TAGS,
        summary="The committee in charge of each field, with its history",
        parameters=[COUNCIL, FilterSerializer],
        responses={200: FieldCommitteeOutputSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request, council_id: str) -> Response:
        council = read_council(request, council_id)
        filters = validated_query(self.FilterSerializer, request, council)
        rows = in_force_today(queries.field_committees(council_id=council.pk), filters["current"])
        if filters.get("field") is not None:
            rows = rows.filter(field=filters["field"])
        return paginated(
            request=request,
            view=self,
            queryset=rows,
            serializer_class=FieldCommitteeOutputSerializer,
            context={"today": timezone.localdate()},
        )


class CouncilDeadlineRuleListApi(PetitionsApi):
    class FilterSerializer(CurrentFilterSerializer):
        route = EnumField(RouteKind, required=False)

    @extend_schema(
        operation_id="petition_deadline_rules_list",
        tags=TAGS,
        summary="A council's deadline rules, with their history",
        parameters=[COUNCIL, FilterSerializer],
        responses={200: DeadlineRuleOutputSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request, council_id: str) -> Response:
        council = read_council(request, council_id)
        filters = validated_query(self.FilterSerializer, request, council)
        rules = in_force_today(queries.deadline_rules(council_id=council.pk), filters["current"])
        if filters.get("route"):
            rules = rules.filter(route=filters["route"])
        return paginated(
            request=request,
            view=self,
            queryset=rules,
            serializer_class=DeadlineRuleOutputSerializer,
            context={"today": timezone.localdate()},
        )


# Configuration (the office; people only)


class RoutingRuleSetApi(PetitionsApi):
    class InputSerializer(serializers.Serializer[Any]):
        agency = CouncilRowField(
            rows=own_agencies,
            not_found=gettext_lazy("No active agency of this council has this id."),
            allow_null=True,
            help_text="The agency (id) that answers from today; null: no agency any more.",
        )
        note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)

        class Meta:
            ref_name = "RoutingRuleSet"

    @extend_schema(
        operation_id="petition_routing_rules_update",
        tags=TAGS,
        summary="Route a field and level to an agency from today (the old row is kept, ended)",
        parameters=[COUNCIL, FIELD_CODE, LEVEL],
        request=InputSerializer,
        responses={200: RoutingRuleOutputSerializer, 204: NOTHING_LEFT, **ACTION_ERRORS},
    )
    def put(self, request: Request, council_id: str, field_code: str, level: str) -> Response:
        council = manage_council(request, council_id)
        field = path_field(field_code)
        level = path_choice(level, [CompetenceLevel.CITY, CompetenceLevel.COMMUNE])
        data = validated_body(self.InputSerializer, request, council=council)
        rule = services.set_routing_rule(
            council_id=council.pk,
            field_id=field.pk,
            level=level,
            agency_id=data["agency"].pk if data["agency"] else None,
            note=data["note"],
            actor=actor_of(request),
        )
        if rule is None:
            return Response(status=204)
        rule = RoutingRule.objects.select_related("field", "agency").get(id=rule.pk)
        context = {"today": timezone.localdate()}
        return Response(RoutingRuleOutputSerializer(rule, context=context).data)


class FieldCommitteeSetApi(PetitionsApi):
    class InputSerializer(serializers.Serializer[Any]):
        committee = CouncilRowField(
            rows=own_committees,
            not_found=gettext_lazy("No active committee of this council has this id."),
            allow_null=True,
            help_text="The committee (id) in charge from today; null: none any more.",
        )

        class Meta:
            ref_name = "FieldCommitteeSet"

    @extend_schema(
        operation_id="petition_field_committees_update",
        tags=TAGS,
        summary="Put a committee in charge of a field from today (the old row is kept, ended)",
        parameters=[COUNCIL, FIELD_CODE],
        request=InputSerializer,
        responses={200: FieldCommitteeOutputSerializer, 204: NOTHING_LEFT, **ACTION_ERRORS},
    )
    def put(self, request: Request, council_id: str, field_code: str) -> Response:
        council = manage_council(request, council_id)
        field = path_field(field_code)
        data = validated_body(self.InputSerializer, request, council=council)
        row = services.set_field_committee(
            council_id=council.pk,
            field_id=field.pk,
            committee_id=data["committee"].pk if data["committee"] else None,
            actor=actor_of(request),
        )
        if row is None:
            return Response(status=204)
        row = FieldCommittee.objects.select_related("field", "committee").get(id=row.pk)
        context = {"today": timezone.localdate()}
        return Response(FieldCommitteeOutputSerializer(row, context=context).data)


class DeadlineRuleSetApi(PetitionsApi):
    class InputSerializer(serializers.Serializer[Any]):
        days = serializers.IntegerField(min_value=1, max_value=366)
        counting = EnumField(DayCounting)
        remind_days_before = serializers.IntegerField(min_value=0, max_value=60, default=5)
        escalate_days_after = serializers.IntegerField(min_value=0, max_value=366, default=0)
        legal_basis = serializers.CharField(
            required=False, allow_blank=True, default="", max_length=200
        )

        class Meta:
            ref_name = "DeadlineRuleSet"

    @extend_schema(
        operation_id="petition_deadline_rules_update",
        tags=TAGS,
        summary="Replace the deadline rule of a route from today",
        description="Petitions assigned from today get the new deadline; others keep theirs.",
        parameters=[COUNCIL, ROUTE],
        request=InputSerializer,
        responses={200: DeadlineRuleOutputSerializer, **ACTION_ERRORS},
    )
    def put(self, request: Request, council_id: str, route: str) -> Response:
        council = manage_council(request, council_id)
        route = path_choice(route, list(RouteKind.values))
        data = validated_body(self.InputSerializer, request)
        rule = deadline_services.set_deadline_rule(
            council_id=council.pk,
            route=route,
            days=data["days"],
            counting=data["counting"],
            remind_days_before=data["remind_days_before"],
            escalate_days_after=data["escalate_days_after"],
            legal_basis=data["legal_basis"],
            actor=actor_of(request),
        )
        rule = DeadlineRule.objects.get(id=rule.pk)
        context = {"today": timezone.localdate()}
        return Response(DeadlineRuleOutputSerializer(rule, context=context).data)


# Routing a petition (the office; people only)


class AgenciesSerializer(serializers.Serializer[Any]):
    expected_version = expected_version_field()
    lead_agency = CouncilRowField(
        rows=own_agencies,
        not_found=gettext_lazy("No active agency of this council has this id."),
        help_text="The lead agency (id).",
    )
    coordinating_agencies = CouncilRowsField(
        rows=own_agencies,
        not_found=gettext_lazy("No active agency of this council has one of these ids."),
        required=False,
        default=list,
        max_length=MAX_AGENCIES,
        help_text="Coordinating agencies (ids).",
    )


class PetitionAssignApi(PetitionsApi):
    class InputSerializer(AgenciesSerializer):
        reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)

        class Meta:
            ref_name = "PetitionAssign"

    @extend_schema(
        operation_id="petitions_assign",
        tags=TAGS,
        summary="Send a consolidated petition to its lead (and coordinating) agencies",
        description=(
            "The committee in charge comes from the field and the deadline from the "
            "council's rule. The routing table's proposal is in the routing-rules list."
        ),
        parameters=[PETITION],
        request=InputSerializer,
        responses={200: PetitionDetailOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, petition_id: str) -> Response:
        petition = petition_for(request, petition_id, access.access_petition_manage)
        data = validated_body(self.InputSerializer, request, council=petition.council)
        services.assign_petition(
            petition_id=petition.pk,
            expected_version=data["expected_version"],
            lead_agency_id=data["lead_agency"].pk,
            coordinating_agency_ids=[agency.pk for agency in data["coordinating_agencies"]],
            reason=data["reason"],
            actor=actor_of(request),
        )
        return Response(petition_detail(request, petition))


class PetitionRerouteApi(PetitionsApi):
    class InputSerializer(AgenciesSerializer):
        reason = serializers.CharField(max_length=300)
        restart_deadline = serializers.BooleanField(
            required=False,
            default=False,
            help_text="Count the deadline again from today under the rule in force.",
        )

        class Meta:
            ref_name = "PetitionReroute"

    @extend_schema(
        operation_id="petitions_reroute",
        tags=TAGS,
        summary="Change the agencies of an assigned petition, with history",
        parameters=[PETITION],
        request=InputSerializer,
        responses={200: PetitionDetailOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, petition_id: str) -> Response:
        petition = petition_for(request, petition_id, access.access_petition_manage)
        data = validated_body(self.InputSerializer, request, council=petition.council)
        services.reroute_petition(
            petition_id=petition.pk,
            expected_version=data["expected_version"],
            lead_agency_id=data["lead_agency"].pk,
            coordinating_agency_ids=[agency.pk for agency in data["coordinating_agencies"]],
            reason=data["reason"],
            restart_deadline=data["restart_deadline"],
            actor=actor_of(request),
        )
        return Response(petition_detail(request, petition))


class PetitionClassificationApi(PetitionsApi):
    class InputSerializer(serializers.Serializer[Any]):
        expected_version = expected_version_field()
        field = FieldCodeField()
        level = EnumField(CompetenceLevel)
        reason = serializers.CharField(max_length=300)

        class Meta:
            ref_name = "PetitionClassification"

    @extend_schema(
        operation_id="petitions_classification_update",
        tags=TAGS,
        summary="Change the field or competence level (an assigned petition is re-routed)",
        parameters=[PETITION],
        request=InputSerializer,
        responses={200: PetitionDetailOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, petition_id: str) -> Response:
        petition = petition_for(request, petition_id, access.access_petition_manage)
        data = validated_body(self.InputSerializer, request)
        services.change_classification(
            petition_id=petition.pk,
            expected_version=data["expected_version"],
            field_id=data["field"].pk,
            level=data["level"],
            reason=data["reason"],
            actor=actor_of(request),
        )
        return Response(petition_detail(request, petition))


class PetitionForwardCentralApi(PetitionsApi):
    class InputSerializer(serializers.Serializer[Any]):
        expected_version = expected_version_field()
        reference = serializers.CharField(
            max_length=100, help_text="The forwarding document's number and symbol."
        )

        class Meta:
            ref_name = "PetitionForwardCentral"

    @extend_schema(
        operation_id="petitions_forward_central",
        tags=TAGS,
        summary="Forward a petition of central competence to the National Assembly delegation",
        parameters=[PETITION],
        request=InputSerializer,
        responses={200: PetitionDetailOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, petition_id: str) -> Response:
        petition = petition_for(request, petition_id, access.access_petition_manage)
        data = validated_body(self.InputSerializer, request)
        services.forward_to_central(
            petition_id=petition.pk,
            expected_version=data["expected_version"],
            reference=data["reference"],
            actor=actor_of(request),
        )
        return Response(petition_detail(request, petition))


class PetitionTransferApi(PetitionsApi):
    class InputSerializer(serializers.Serializer[Any]):
        expected_version = expected_version_field()
        to_council = CouncilRowField(
            rows=transfer_targets,
            not_found=gettext_lazy("Choose the city above this council or one of its communes."),
            help_text="The receiving council (id): the city above, or one of the communes.",
        )
        reason = serializers.CharField(max_length=300)

        class Meta:
            ref_name = "PetitionTransfer"

    @extend_schema(
        operation_id="petitions_transfer",
        tags=TAGS,
        summary="Move the petition to the other tier (city ↔ commune) with its history",
        description=(
            "The petition ends here as transferred; it continues in the receiving council "
            "as a new petition, listed in `successors`."
        ),
        parameters=[PETITION],
        request=InputSerializer,
        responses={200: PetitionDetailOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, petition_id: str) -> Response:
        petition = petition_for(request, petition_id, access.access_petition_manage)
        data = validated_body(self.InputSerializer, request, council=petition.council)
        transfer_services.transfer_petition(
            petition_id=petition.pk,
            expected_version=data["expected_version"],
            to_council_id=data["to_council"].pk,
            reason=data["reason"],
            actor=actor_of(request),
        )
        return Response(petition_detail(request, petition))


class PetitionEscalateApi(PetitionsApi):
    class InputSerializer(serializers.Serializer[Any]):
        expected_version = expected_version_field()
        reason = serializers.CharField(
            max_length=300, help_text="Why the petition goes to the standing committee."
        )

        class Meta:
            ref_name = "PetitionEscalate"

    @extend_schema(
        operation_id="petitions_escalate",
        tags=TAGS,
        summary="Escalate a petition awaiting its answer to the standing committee (the office)",
        description=(
            "What the daily reminders do on their own once an answer is overdue, done now "
            "by the office, with a reason: recorded on the timeline and in the audit trail, "
            "and the standing committee is notified. Once per deadline: a petition already "
            "escalated for its current deadline answers 409 already_escalated."
        ),
        parameters=[PETITION],
        request=InputSerializer,
        responses={200: PetitionDetailOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, petition_id: str) -> Response:
        petition = petition_for(request, petition_id, access.access_petition_manage)
        data = validated_body(self.InputSerializer, request)
        deadline_services.escalate_by_hand(
            petition_id=petition.pk,
            expected_version=data["expected_version"],
            reason=data["reason"],
            actor=actor_of(request),
        )
        return Response(petition_detail(request, petition))


urlpatterns: list[URLPattern] = [
    path("fields/", FieldListApi.as_view(), name="fields-api-list"),
    path(
        "councils/<str:council_id>/routing-rules/",
        CouncilRoutingRuleListApi.as_view(),
        name="routing-rules-api-list",
    ),
    path(
        "councils/<str:council_id>/field-committees/",
        CouncilFieldCommitteeListApi.as_view(),
        name="field-committees-api-list",
    ),
    path(
        "councils/<str:council_id>/deadline-rules/",
        CouncilDeadlineRuleListApi.as_view(),
        name="deadline-rules-api-list",
    ),
    path(
        "councils/<str:council_id>/routing-rules/<str:field_code>/<str:level>/",
        RoutingRuleSetApi.as_view(),
        name="routing-rules-api-set",
    ),
    path(
        "councils/<str:council_id>/field-committees/<str:field_code>/",
        FieldCommitteeSetApi.as_view(),
        name="field-committees-api-set",
    ),
    path(
        "councils/<str:council_id>/deadline-rules/<str:route>/",
        DeadlineRuleSetApi.as_view(),
        name="deadline-rules-api-set",
    ),
    path(
        "petitions/<str:petition_id>/assign/",
        PetitionAssignApi.as_view(),
        name="petitions-api-assign",
    ),
    path(
        "petitions/<str:petition_id>/reroute/",
        PetitionRerouteApi.as_view(),
        name="petitions-api-reroute",
    ),
    path(
        "petitions/<str:petition_id>/classification/",
        PetitionClassificationApi.as_view(),
        name="petitions-api-classification",
    ),
    path(
        "petitions/<str:petition_id>/forward-central/",
        PetitionForwardCentralApi.as_view(),
        name="petitions-api-forward-central",
    ),
    path(
        "petitions/<str:petition_id>/transfer/",
        PetitionTransferApi.as_view(),
        name="petitions-api-transfer",
    ),
    path(
        "petitions/<str:petition_id>/escalate/",
        PetitionEscalateApi.as_view(),
        name="petitions-api-escalate",
    ),
]
