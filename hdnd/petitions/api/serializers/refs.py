"""Small reference shapes nested in many responses."""

from typing import Any

from rest_framework import serializers

from hdnd.core.api import EnumField
from hdnd.petitions.models import DayCounting, RouteKind


class FieldRefSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()

    class Meta:
        ref_name = "PetitionFieldRef"


class CycleRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    name = serializers.CharField()
    session_date = serializers.DateField()

    class Meta:
        ref_name = "SessionCycleRef"


class PetitionRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()

    class Meta:
        ref_name = "PetitionRef"


class PetitionInCouncilRefSerializer(PetitionRefSerializer):
    council_id = serializers.IntegerField()
    council_name = serializers.CharField(source="council.name")

    class Meta:
        ref_name = "PetitionInCouncilRef"


class ItemRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    code = serializers.CharField()
    text = serializers.CharField()

    class Meta:
        ref_name = "VoterItemRef"


class DeadlineRuleRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    route = EnumField(RouteKind)
    days = serializers.IntegerField()
    counting = EnumField(DayCounting)

    class Meta:
        ref_name = "DeadlineRuleRef"


class PersonNameSerializer(serializers.Serializer[Any]):
    """A staff member who acted: their name, never their contacts."""

    id = serializers.IntegerField()
    name = serializers.SerializerMethodField()

    class Meta:
        ref_name = "StaffRef"

    def get_name(self, user: Any) -> str:
        return str(user.get_full_name() or user.get_username())
