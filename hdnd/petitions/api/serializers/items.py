"""Voter items as the API shows them. The voter's identity appears only where the
view says the caller may see it (context["sees_identity"])."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hdnd.core.api import EnumField
from hdnd.councils.api.common import UnitRefSerializer
from hdnd.petitions.api.serializers.refs import (
    CycleRefSerializer,
    FieldRefSerializer,
    PetitionRefSerializer,
)
from hdnd.petitions.models import Channel, CompetenceLevel, ItemKind, TriageStatus, VoterItem


class VoterIdentitySerializer(serializers.Serializer[Any]):
    name = serializers.CharField(source="voter_name")
    phone = serializers.CharField(source="voter_phone")
    email = serializers.CharField(source="voter_email")
    address = serializers.CharField(source="voter_address")

    class Meta:
        ref_name = "VoterIdentity"


class IdentityMixin(serializers.Serializer[Any]):
    voter = serializers.SerializerMethodField(
        help_text=(
            "Who asked: only for the receiving council's office and standing committee; "
            "null for everyone else and for API tokens."
        )
    )

    @extend_schema_field(VoterIdentitySerializer(allow_null=True))
    def get_voter(self, item: VoterItem) -> dict[str, Any] | None:
        if not self.context.get("sees_identity", False):
            return None
        return dict(VoterIdentitySerializer(item).data)


class ItemSummarySerializer(IdentityMixin):
    """An item as listed under its petition or meeting."""

    id = serializers.IntegerField()
    code = serializers.CharField()
    channel = EnumField(Channel)
    meeting_id = serializers.IntegerField(allow_null=True)
    received_on = serializers.DateField()
    text = serializers.CharField()
    voter_count = serializers.IntegerField()
    unit = UnitRefSerializer(allow_null=True)
    place = serializers.CharField()
    version = serializers.IntegerField()

    class Meta:
        ref_name = "VoterItemSummary"


class ItemOutputSerializer(ItemSummarySerializer):
    council_id = serializers.IntegerField()
    cycle = CycleRefSerializer(allow_null=True)
    field = FieldRefSerializer(allow_null=True)
    level = EnumField(CompetenceLevel, allow_blank=True)
    tags = serializers.SerializerMethodField()
    kind = EnumField(ItemKind)
    triage_status = EnumField(TriageStatus)
    redirected_to = serializers.CharField()
    redirect_reason = serializers.CharField()
    petition = PetitionRefSerializer(allow_null=True)
    source_system = serializers.CharField()
    source_id = serializers.CharField()
    created_at = serializers.DateTimeField()

    class Meta:
        ref_name = "VoterItem"

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_tags(self, item: VoterItem) -> list[str]:
        return [tag.name for tag in item.tags.all()]
