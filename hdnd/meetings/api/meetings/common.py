"""Shared by the council meetings API: the base view (people signed in; an API token is
refused), the tag, the path parameters and the error responses, reading a meeting's id
or one of its sittings', participants' or agenda items' ids from the path (a meeting
hidden from the caller hides its rows with the same 404 as an unknown id), and RowField
for the id of a row in a request body.
"""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import pgettext
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from hdnd.accounts.api_permissions import HasScope
from hdnd.core.api import ErrorSerializer, Pagination, error_responses
from hdnd.councils.api.common import MAX_ID, id_parameter, path_id
from hdnd.meetings.models import Sitting

TAGS = ["meetings"]
COUNCIL = id_parameter("council_id", "The council's id.")
MEETING = id_parameter("meeting_id", "The council meeting's id.")
ITEM = id_parameter("item_id", "The agenda item's id.")
SITTING = id_parameter("sitting_id", "The sitting's id.")
PARTICIPANT = id_parameter("participant_id", "The participant's id (not the person's).")

LIST_ERRORS = error_responses(400, 401, 403, 404)
READ_ERRORS = error_responses(401, 403, 404)
ACTION_ERRORS = {
    **error_responses(400, 401, 403, 404),
    409: OpenApiResponse(
        ErrorSerializer,
        description=(
            "Refused in the current state: code not_allowed_now (the meeting has ended, no "
            "sitting is open…) or stale_version (the meeting changed since it was loaded)."
        ),
    ),
}


# The base of these endpoints: people signed in; tokens (no scope named) are refused.
class MeetingsApi(APIView):
    permission_classes = [IsAuthenticated, HasScope]
    pagination_class = Pagination  # read by the schema generator of list views


def _meeting_pk(meeting_id: str) -> int:
    return path_id(meeting_id, message=pgettext("council meeting", "This meeting does not exist."))


class RowField(serializers.IntegerField):
    """The id of a row from `rows(context)`; anything else is a 400 as if it did not exist."""

    def __init__(self, *, rows: Any, not_found: Any, **kwargs: Any) -> None:
        self.rows = rows
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)
        self.error_messages["not_found"] = not_found

    def run_validation(self, data: Any = serializers.empty) -> Any:
        value = super().run_validation(data)
        if value is None:
            return None
        row = self.rows(self.context).filter(pk=value).first()
        if row is None:
            self.fail("not_found")
        return row


def _meeting_sittings(context: dict[str, Any]) -> QuerySet[Sitting]:
    return Sitting.objects.filter(meeting_id=context["meeting"].pk)
