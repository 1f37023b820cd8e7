"""API: the JSON import for the city's and the national systems.

Another system sends up to 1,000 petitions per call; each is created (a voter item and
a petition of one, with its routing, answer and evaluation), reported unchanged when its
source id was imported before from the same system (so a call can be repeated safely),
or refused with the reason for each field. The values are read as in an Excel import:
a field, agency or place by code or by name, dates as YYYY-MM-DD.
"""

from typing import Any

from django.urls import URLPattern, path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from hdnd.core.api import EnumField, error_responses, validated_body
from hdnd.councils.api.common import id_parameter
from hdnd.petitions.api.common import (
    TAGS,
    PetitionsApi,
    actor_of,
    manage_council,
    open_to_tokens,
)
from hdnd.petitions.importing.values import MAX_SOURCE_ID, MAX_TEXT
from hdnd.petitions.models import Channel, CompetenceLevel, ResultCategory, Verdict
from hdnd.petitions.services import imports as services

COUNCIL = id_parameter("council_id", "The council's id.")
_STATUSES = [services.CREATED, services.UNCHANGED, services.ERROR]


class ImportItemSerializer(serializers.Serializer[Any]):
    """One petition as another system sends it (documentation of the request body)."""

    source_id = serializers.CharField(
        max_length=MAX_SOURCE_ID,
        help_text="The petition's id in your system. Sending it again changes nothing.",
    )
    text = serializers.CharField(max_length=MAX_TEXT, help_text="What the voters asked.")
    received_on = serializers.DateField(
        required=False, help_text="Default: the day of the session, or today."
    )
    session = serializers.CharField(
        required=False,
        help_text=(
            "The session (kỳ họp): its number in the term in force on the day received "
            "(e.g. 3), its name, or “thứ ba khóa XVII”. Default: the next session after the "
            "day received."
        ),
    )
    field = serializers.CharField(required=False, help_text="The field's code or name.")
    level = EnumField(CompetenceLevel, required=False)
    unit = serializers.CharField(
        required=False, help_text="The commune or ward: its official code or name."
    )
    voter_count = serializers.IntegerField(min_value=1, required=False, help_text="Default 1.")
    channel = EnumField(
        Channel, required=False, help_text="How the petition first reached the council."
    )
    agency = serializers.CharField(
        required=False,
        help_text="The lead agency: its code, short name or name among the council's agencies.",
    )
    due_on = serializers.DateField(
        required=False, help_text="Default: from the council's deadline rules."
    )
    answered_on = serializers.DateField(required=False)
    result = EnumField(ResultCategory, required=False)
    answer_text = serializers.CharField(required=False)
    roadmap = serializers.CharField(required=False, help_text="Required when in_progress.")
    planned_completion = serializers.DateField(
        required=False, help_text="Required when in_progress."
    )
    verdict = EnumField(Verdict, required=False, help_text="The committee's evaluation.")
    rating_comment = serializers.CharField(required=False)
    rated_on = serializers.DateField(required=False)

    class Meta:
        ref_name = "PetitionImportItem"


class ImportRequestSerializer(serializers.Serializer[Any]):
    source_system = serializers.CharField(
        max_length=40,
        help_text=(
            "Your system's name, e.g. “hanoi-platform”: lower-case letters, digits, dots, "
            "dashes, underscores. Source ids are unique within it."
        ),
    )
    items = serializers.ListField(
        child=ImportItemSerializer(), min_length=1, max_length=services.MAX_API_ITEMS
    )

    class Meta:
        ref_name = "PetitionImport"


class ImportResultSerializer(serializers.Serializer[Any]):
    source_id = serializers.CharField()
    status = serializers.ChoiceField(choices=_STATUSES)
    item_code = serializers.CharField(allow_null=True)
    petition_code = serializers.CharField(allow_null=True)
    # DRF pops declared fields off the class, so "errors" shadows nothing at run time.
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        help_text="What is wrong with each field of a refused item.",
    )

    class Meta:
        ref_name = "PetitionImportResult"


class ImportResponseSerializer(serializers.Serializer[Any]):
    source_system = serializers.CharField()
    created = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    refused = serializers.IntegerField()
    results = ImportResultSerializer(many=True, help_text="One per item, in the order sent.")

    class Meta:
        ref_name = "PetitionImportResponse"


class PetitionImportApi(PetitionsApi):
    parser_classes = [JSONParser]

    # What is checked before any item is looked at: the body's shape. Each item is then
    # checked on its own, and a bad item does not stop the others.
    class BodySerializer(serializers.Serializer[Any]):
        source_system = serializers.CharField(max_length=40)
        items = serializers.ListField(
            child=serializers.DictField(),
            min_length=1,
            max_length=services.MAX_API_ITEMS,
        )

    @extend_schema(
        operation_id="petitions_import",
        tags=TAGS,
        summary="Import petitions from another system",
        description=(
            "Creates a voter item and a petition for each item not imported before from "
            "the same source system. Items already imported answer `unchanged`; items with "
            "errors answer `error` with the reason per field, and the others are imported. "
            "Send at most 1,000 items per call, in a body of at most 2.5 MB. Open to the "
            "council's API tokens with the scope `petitions:write` and to its office staff."
        ),
        parameters=[COUNCIL],
        request=ImportRequestSerializer,
        responses={200: ImportResponseSerializer, **error_responses(400, 401, 403, 404)},
    )
    @open_to_tokens
    def post(self, request: Request, council_id: str) -> Response:
        council = manage_council(request, council_id)
        body = validated_body(self.BodySerializer, request)
        results = services.import_items(
            actor=actor_of(request),
            council=council,
            source_system=body["source_system"],
            items=body["items"],
        )
        statuses = [result.status for result in results]
        data = {
            "source_system": body["source_system"].strip().lower(),
            "created": statuses.count(services.CREATED),
            "unchanged": statuses.count(services.UNCHANGED),
            "refused": statuses.count(services.ERROR),
            "results": [
                {
                    "source_id": result.source_id,
                    "status": result.status,
                    "item_code": result.item_code,
                    "petition_code": result.petition_code,
                    "errors": result.errors,
                }
                for result in results
            ],
        }
        return Response(ImportResponseSerializer(data).data)


urlpatterns: list[URLPattern] = [
    path(
        "councils/<str:council_id>/petitions/import/",
        PetitionImportApi.as_view(),
        name="petitions-api-import",
    ),
]
