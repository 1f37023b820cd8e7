"""API: the resolutions a council meeting adopted — listing them, reading one with the poll
that adopted it and that poll's result, recording one with its signed PDF (multipart),
publishing it, and downloading its file.

Meetings of the council live under `council-meetings/` (`meetings/` is the petitions'
voter-contact meetings). Only people signed in call these endpoints: an API token is
refused (403 person_required). Readers of the meeting (hdnd/meetings/access.py) read its
published resolutions; unpublished ones only the meeting's participants and the council's
office (`sees_unpublished`), to everyone else they do not exist (404). Recording and
publishing are the office's (`access_meeting_manage`). A signed file is served as
uploaded, never stamped: a stamp would break its signature. Errors have the one JSON shape
of hdnd/core/api.py."""

from pathlib import Path
from typing import Any

from django.http import FileResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hdnd.core.api import EnumField, ErrorSerializer, error_responses, validated_body
from hdnd.core.errors import NotFound
from hdnd.councils.api.common import MAX_ID, id_parameter, path_id
from hdnd.lib.pdfsign import SignatureStatus
from hdnd.meetings import access
from hdnd.meetings.api.documents import AnyFileRenderer, PeopleOnly
from hdnd.meetings.models import AgendaItem, Meeting, Resolution
from hdnd.meetings.services import records as services
from hdnd.voting import queries as voting_queries
from hdnd.voting.models import Poll, PollKind

TAGS = ["meetings"]
MEETING = id_parameter("meeting_id", "The council meeting's id.")
RESOLUTION = id_parameter("resolution_id", "The resolution's id.")

READ_ERRORS = error_responses(401, 403, 404)
ACTION_ERRORS = {
    **error_responses(400, 401, 403, 404),
    409: OpenApiResponse(
        ErrorSerializer,
        description=(
            "Refused in the current state: code not_allowed_now (the poll is not closed or "
            "did not pass, another resolution records it, no signed file to publish)."
        ),
    ),
}


# The base of these endpoints: people signed in; API tokens are refused (person_required).
class ResolutionsApi(APIView):
    permission_classes = [IsAuthenticated, PeopleOnly]


def _meeting_pk(meeting_id: str) -> int:
    return path_id(meeting_id, message=pgettext("council meeting", "This meeting does not exist."))


def _resolution(request: Request, resolution_id: str) -> tuple[Resolution, Meeting]:
    pk = path_id(resolution_id, message=_("This resolution does not exist."))
    return access.access_resolution(user=request.user, resolution_id=pk)


# Output.


class ResolutionPollSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = EnumField(PollKind)
    closed_at = serializers.DateTimeField(allow_null=True)
    passed = serializers.BooleanField(allow_null=True)

    class Meta:
        ref_name = "ResolutionPoll"


class ResolutionSubjectResultSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    label = serializers.CharField()  # type: ignore[assignment]  # DRF pops declared fields; "label" is the name
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="Votes per choice.")
    percentages = serializers.DictField(
        child=serializers.CharField(),
        help_text="Per choice, the percentage of ALL delegates, as a decimal string.",
    )
    passed = serializers.BooleanField(allow_null=True, required=False)

    class Meta:
        ref_name = "ResolutionPollSubjectResult"


class ResolutionPollResultSerializer(serializers.Serializer[Any]):
    total_members = serializers.IntegerField(help_text="All the council's delegates.")
    required_votes = serializers.IntegerField()
    voted = serializers.IntegerField()
    voted_percentage = serializers.CharField()
    passed = serializers.BooleanField(allow_null=True)
    subjects = ResolutionSubjectResultSerializer(many=True)

    class Meta:
        ref_name = "ResolutionPollResult"


class ResolutionOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    meeting_id = serializers.IntegerField()
    number = serializers.CharField(help_text="Number and symbol, e.g. 01/2026/NQ-HĐND.")
    title = serializers.CharField()
    adopted_on = serializers.DateField()
    agenda_item_id = serializers.IntegerField(allow_null=True)
    poll = ResolutionPollSerializer(allow_null=True, help_text="The poll that adopted it.")
    has_file = serializers.SerializerMethodField(help_text="Whether a signed PDF is attached.")
    signature_status = EnumField(SignatureStatus)
    published = serializers.SerializerMethodField()
    published_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    file_url = serializers.SerializerMethodField(help_text="Where to download the signed PDF.")

    class Meta:
        ref_name = "Resolution"

    def get_has_file(self, resolution: Resolution) -> bool:
        return bool(resolution.file)

    def get_published(self, resolution: Resolution) -> bool:
        return resolution.published_at is not None

    def get_file_url(self, resolution: Resolution) -> str | None:
        if not resolution.file:
            return None
        return reverse("council_meeting_resolution_file", args=[resolution.pk])


class ResolutionDetailSerializer(ResolutionOutputSerializer):
    signature_details = serializers.DictField(
        help_text="What the signature check found: signer, issuer, serial, signing time, coverage."
    )
    result = serializers.SerializerMethodField(
        help_text="The result of the poll that adopted it (null without a poll)."
    )

    class Meta:
        ref_name = "ResolutionDetail"

    @extend_schema_field(ResolutionPollResultSerializer(allow_null=True))
    def get_result(self, resolution: Resolution) -> dict[str, Any] | None:
        poll: Poll | None = resolution.poll
        if poll is None:
            return None
        return dict(ResolutionPollResultSerializer(voting_queries.poll_state(poll)).data)


def _detail_body(resolution_id: int) -> dict[str, Any]:
    resolution = Resolution.objects.select_related("poll").get(id=resolution_id)
    return dict(ResolutionDetailSerializer(resolution).data)


# Views.


class MeetingResolutionsApi(ResolutionsApi):
    parser_classes = [MultiPartParser]

    class InputSerializer(serializers.Serializer[Any]):
        number = serializers.CharField(max_length=80, help_text="Number and symbol.")
        title = serializers.CharField(max_length=500)
        adopted_on = serializers.DateField(help_text="Not in the future.")
        poll_id = serializers.IntegerField(
            min_value=1,
            max_value=MAX_ID,
            required=False,
            allow_null=True,
            default=None,
            help_text="The poll of this meeting that adopted it: closed and passed.",
        )
        agenda_item_id = serializers.IntegerField(
            min_value=1,
            max_value=MAX_ID,
            required=False,
            allow_null=True,
            default=None,
            help_text="By default the poll's agenda item.",
        )
        file = serializers.FileField(
            required=False,
            help_text="The signed resolution, a PDF; its digital signature is checked.",
        )

        class Meta:
            ref_name = "ResolutionCreate"

        def validate_poll_id(self, value: int | None) -> int | None:
            meeting = self.context["meeting"]
            if value is not None and not Poll.objects.filter(id=value, meeting=meeting).exists():
                raise serializers.ValidationError(_("This poll is not one of this meeting's."))
            return value

        def validate_agenda_item_id(self, value: int | None) -> int | None:
            meeting = self.context["meeting"]
            if (
                value is not None
                and not AgendaItem.objects.filter(id=value, meeting=meeting).exists()
            ):
                raise serializers.ValidationError(
                    _("This agenda item is not one of this meeting's.")
                )
            return value

    @extend_schema(
        operation_id="council_meetings_resolutions_list",
        tags=TAGS,
        summary="The resolutions the meeting adopted (unpublished ones only to its "
        "participants and the office)",
        parameters=[MEETING],
        responses={200: ResolutionOutputSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request: Request, meeting_id: str) -> Response:
        meeting = access.access_meeting(user=request.user, meeting_id=_meeting_pk(meeting_id))
        rows = access.visible_resolutions(request.user, meeting)
        return Response(ResolutionOutputSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="council_meetings_resolutions_record",
        tags=TAGS,
        summary="Record a resolution, with its signed PDF (multipart/form-data; the office)",
        parameters=[MEETING],
        request={"multipart/form-data": InputSerializer},
        responses={201: ResolutionDetailSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, meeting_id: str) -> Response:
        meeting = access.access_meeting_manage(
            user=request.user, meeting_id=_meeting_pk(meeting_id)
        )
        data = validated_body(self.InputSerializer, request, meeting=meeting)
        resolution = services.record_resolution(
            meeting_id=meeting.pk,
            number=data["number"],
            title=data["title"],
            adopted_on=data["adopted_on"],
            poll_id=data["poll_id"],
            agenda_item_id=data["agenda_item_id"],
            file=data.get("file"),
            actor=request.user,
        )
        return Response(_detail_body(resolution.pk), status=201)


class ResolutionApi(ResolutionsApi):
    @extend_schema(
        operation_id="council_meetings_resolutions_retrieve",
        tags=TAGS,
        summary="One resolution: the poll that adopted it and its result, the signed file's "
        "signature check, publication",
        parameters=[RESOLUTION],
        responses={200: ResolutionDetailSerializer, **READ_ERRORS},
    )
    def get(self, request: Request, resolution_id: str) -> Response:
        resolution, _meeting = _resolution(request, resolution_id)
        return Response(_detail_body(resolution.pk))


class ResolutionPublishApi(ResolutionsApi):
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="council_meetings_resolutions_publish",
        tags=TAGS,
        summary="Publish a resolution with its signed file on the meeting's public page "
        "(the office); again changes nothing",
        parameters=[RESOLUTION],
        request=None,
        responses={200: ResolutionDetailSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, resolution_id: str) -> Response:
        resolution, meeting = _resolution(request, resolution_id)
        access.access_meeting_manage(user=request.user, meeting_id=meeting.pk)
        services.publish_resolution(resolution_id=resolution.pk, actor=request.user)
        return Response(_detail_body(resolution.pk))


class ResolutionFileApi(ResolutionsApi):
    renderer_classes = [JSONRenderer, AnyFileRenderer]

    @extend_schema(
        operation_id="council_meetings_resolutions_file",
        tags=TAGS,
        summary="Download a resolution's signed PDF, as uploaded",
        parameters=[RESOLUTION],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, **READ_ERRORS},
    )
    def get(self, request: Request, resolution_id: str) -> FileResponse:
        resolution, _meeting = _resolution(request, resolution_id)
        if not resolution.file:
            raise NotFound(_("This resolution has no file."))
        response = FileResponse(
            resolution.file.open("rb"),
            as_attachment=True,
            filename=Path(resolution.file.name).name,
            content_type="application/pdf",
        )
        response["Cache-Control"] = "private, no-store"
        return response


urlpatterns: list[URLPattern] = [
    path(
        "council-meetings/<str:meeting_id>/resolutions/",
        MeetingResolutionsApi.as_view(),
        name="council_meeting_resolutions",
    ),
    path(
        "resolutions/<str:resolution_id>/",
        ResolutionApi.as_view(),
        name="council_meeting_resolution",
    ),
    path(
        "resolutions/<str:resolution_id>/publish/",
        ResolutionPublishApi.as_view(),
        name="council_meeting_resolution_publish",
    ),
    path(
        "resolutions/<str:resolution_id>/file/",
        ResolutionFileApi.as_view(),
        name="council_meeting_resolution_file",
    ),
]
