"""The catalogue and configuration the API shows: fields of work, the routing table and
the deadline rules, each row with its validity."""

from typing import Any

from rest_framework import serializers

from hdnd.core.api import EnumField
from hdnd.councils.api.common import NamedRefSerializer
from hdnd.petitions.api.serializers.refs import FieldRefSerializer
from hdnd.petitions.models import CompetenceLevel, DayCounting, RouteKind


class FieldOutputSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(help_text="Also the Open311 service_code.")
    name = serializers.CharField()
    description = serializers.CharField()
    is_active = serializers.BooleanField()

    class Meta:
        ref_name = "PetitionField"


class ValidityMixin(serializers.Serializer[Any]):
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True)
    in_force = serializers.SerializerMethodField(help_text="In force today.")

    def get_in_force(self, row: Any) -> bool:
        today = self.context["today"]
        return bool(
            row.valid_from <= today and (row.valid_until is None or row.valid_until >= today)
        )


class RoutingRuleOutputSerializer(ValidityMixin):
    id = serializers.IntegerField()
    field = FieldRefSerializer()
    level = EnumField(CompetenceLevel)
    agency = NamedRefSerializer()
    note = serializers.CharField()

    class Meta:
        ref_name = "RoutingRule"


class DeadlineRuleOutputSerializer(ValidityMixin):
    id = serializers.IntegerField()
    route = EnumField(RouteKind)
    route_label = serializers.CharField(source="get_route_display")
    days = serializers.IntegerField()
    counting = EnumField(DayCounting)
    remind_days_before = serializers.IntegerField()
    escalate_days_after = serializers.IntegerField()
    legal_basis = serializers.CharField()

    class Meta:
        ref_name = "DeadlineRule"


class FieldCommitteeOutputSerializer(ValidityMixin):
    id = serializers.IntegerField()
    field = FieldRefSerializer()
    committee = NamedRefSerializer()

    class Meta:
        ref_name = "FieldCommittee"
