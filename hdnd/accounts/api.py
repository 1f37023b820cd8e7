"""The caller's own account over the API, and how API tokens appear in the schema."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hdnd.accounts.api_auth import TokenUser
from hdnd.accounts.models import ApiScope, Role
from hdnd.accounts.roles import active_roles
from hdnd.core.api import error_responses
from hdnd.councils.api.common import CouncilRefSerializer


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "hdnd.accounts.api_auth.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "hdnd_<prefix>_<secret>",
            "description": "A council's API token, made by its system administrators.",
        }


class MeUserSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField(source="get_full_name")
    person_id = serializers.IntegerField(allow_null=True)

    class Meta:
        ref_name = "MeUser"


class MeRoleSerializer(serializers.Serializer[Any]):
    council = CouncilRefSerializer()
    role = serializers.ChoiceField(choices=Role.choices)
    role_label = serializers.CharField(source="get_role_display")
    committee_id = serializers.IntegerField(allow_null=True)
    agency_id = serializers.IntegerField(allow_null=True)
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)

    class Meta:
        ref_name = "MeRole"


class MeTokenSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    prefix = serializers.CharField()
    council = CouncilRefSerializer()
    scopes = serializers.ListField(child=serializers.ChoiceField(choices=ApiScope.choices))
    expires_at = serializers.DateTimeField(allow_null=True)

    class Meta:
        ref_name = "MeToken"


class MeApi(APIView):
    """Who is calling: a signed-in person with their roles, or an API token."""

    permission_classes = [IsAuthenticated]

    class OutputSerializer(serializers.Serializer[Any]):
        kind = serializers.ChoiceField(choices=[("user", "user"), ("token", "token")])
        user = MeUserSerializer(allow_null=True, help_text="The person signed in, if any.")
        roles = MeRoleSerializer(many=True, help_text="Their roles in force today.")
        token = MeTokenSerializer(allow_null=True, help_text="The API token used, if any.")

        class Meta:
            ref_name = "Me"

    @extend_schema(
        operation_id="me_retrieve",
        tags=["account"],
        summary="The caller: a person with their roles in force today, or an API token",
        responses={200: OutputSerializer, **error_responses(401, 403)},
    )
    def get(self, request: Request) -> Response:
        user: Any = request.user
        me: dict[str, Any]
        if isinstance(user, TokenUser):
            me = {"kind": "token", "user": None, "roles": [], "token": user.token}
        else:
            roles = active_roles(user).select_related("council").order_by("council_id", "role")
            me = {"kind": "user", "user": user, "roles": roles, "token": None}
        return Response(self.OutputSerializer(me).data)
