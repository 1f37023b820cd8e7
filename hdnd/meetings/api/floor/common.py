"""Shared by the floor API: the base view (people signed in; an API token is refused),
the tag, the path parameters and the error responses, reading a meeting's id from the
path, a participant named in an answer (PersonRefSerializer), and the fields for a row's
id and a question's expected version in a request body.
"""

from typing import Any

from django.utils.translation import pgettext
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from hdnd.accounts.api_permissions import HasScope
from hdnd.core.api import MAX_VERSION, ErrorSerializer, error_responses
from hdnd.councils.api.common import MAX_ID, id_parameter, path_id

TAGS = ["meetings"]
MEETING = id_parameter("meeting_id", "The council meeting's id.")
SPEECH = id_parameter("request_id", "The request to speak's id.")
QUESTION = id_parameter("question_id", "The question's id.")
TOPIC = id_parameter("topic_id", "The questioning topic's id.")

READ_ERRORS = error_responses(401, 403, 404)
ACTION_ERRORS = {
    **error_responses(400, 401, 403, 404),
    409: OpenApiResponse(
        ErrorSerializer,
        description=(
            "Refused in the current state: code not_allowed_now (someone has the floor, the "
            "request is no longer open…) or stale_version."
        ),
    ),
}


# The base of these endpoints: people signed in; tokens (no scope named) are refused.
class FloorApi(APIView):
    permission_classes = [IsAuthenticated, HasScope]


def _meeting_pk(meeting_id: str) -> int:
    return path_id(meeting_id, message=pgettext("council meeting", "This meeting does not exist."))


class PersonRefSerializer(serializers.Serializer[Any]):
    participant_id = serializers.IntegerField(source="pk")
    name = serializers.CharField(source="person.full_name")
    role = serializers.CharField()
    title = serializers.CharField()

    class Meta:
        ref_name = "FloorParticipant"


def _id_field(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def _version_field() -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1,
        max_value=MAX_VERSION,
        required=False,
        allow_null=True,
        default=None,
        help_text="The question's `version` as loaded; a stale one is refused with 409.",
    )
