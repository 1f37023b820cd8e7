"""API: a council's meetings (sessions, committee meetings…) and one meeting; planning
and correcting a meeting (the office), starting and ending it (the chair or the office),
cancelling it (the office).

Meetings of the council live under `council-meetings/` (`meetings/` is the petitions'
voter-contact meetings); a closed meeting is listed only to its participants and the
office. Changes carry the `expected_version` the caller loaded; a stale one is refused
with 409 stale_version.
"""

from typing import Any

from django.db.models import QuerySet
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from hdnd.core.api import EnumField, expected_version_field, paginated, validated
from hdnd.councils.api.common import PageFilterSerializer, path_id
from hdnd.councils.models import Committee, Term
from hdnd.meetings import access
from hdnd.meetings.api.meetings.common import (
    ACTION_ERRORS,
    COUNCIL,
    LIST_ERRORS,
    MEETING,
    READ_ERRORS,
    TAGS,
    MeetingsApi,
    RowField,
    _meeting_pk,
)
from hdnd.meetings.models import MeetingKind, MeetingStatus
from hdnd.meetings.queries import meetings as queries
from hdnd.meetings.services import meetings as services


class CouncilMeetingOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    council = serializers.IntegerField(source="council_id")
    term = serializers.IntegerField(source="term_id")
    kind = serializers.CharField(
        help_text="regular, thematic, extraordinary, standing_committee, committee or conference"
    )
    number = serializers.IntegerField(
        allow_null=True, help_text="Sessions only: kỳ họp thứ N of the term."
    )
    committee = serializers.IntegerField(source="committee_id", allow_null=True)
    title = serializers.CharField()
    venue = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    is_closed = serializers.BooleanField()
    status = serializers.CharField(help_text="planned, in_progress, ended or cancelled")
    quorum_numerator = serializers.IntegerField()
    quorum_denominator = serializers.IntegerField()
    allow_vote_change = serializers.BooleanField()
    speech_limit_seconds = serializers.IntegerField()
    speech_warning_seconds = serializers.IntegerField()
    current_sitting = serializers.IntegerField(source="current_sitting_id", allow_null=True)
    version = serializers.IntegerField()


# Input


def _council_terms(context: dict[str, Any]) -> QuerySet[Term]:
    return queries.council_terms(council_id=context["council"].pk)


def _council_committees(context: dict[str, Any]) -> QuerySet[Committee]:
    return Committee.objects.filter(council_id=context["council"].pk)


class CouncilMeetingFieldsSerializer(serializers.Serializer[Any]):
    kind = EnumField(MeetingKind, schema_name="CouncilMeetingKindEnum")
    number = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=999,
        help_text="Sessions only (regular, thematic, extraordinary share the numbering).",
    )
    title = serializers.CharField(max_length=300)
    venue = serializers.CharField(max_length=300, required=False, allow_blank=True)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    is_closed = serializers.BooleanField(required=False)
    quorum_numerator = serializers.IntegerField(required=False, min_value=1, max_value=100)
    quorum_denominator = serializers.IntegerField(required=False, min_value=1, max_value=100)
    allow_vote_change = serializers.BooleanField(required=False)
    speech_limit_seconds = serializers.IntegerField(required=False, min_value=30, max_value=3600)
    speech_warning_seconds = serializers.IntegerField(required=False, min_value=0, max_value=3600)


class CouncilMeetingCreateSerializer(CouncilMeetingFieldsSerializer):
    term = RowField(
        rows=_council_terms, not_found=gettext_lazy("No term of this council has this id.")
    )
    committee = RowField(
        rows=_council_committees,
        not_found=gettext_lazy("No committee of this council has this id."),
        required=False,
        allow_null=True,
        help_text="Committee meetings only.",
    )


class CouncilMeetingUpdateSerializer(CouncilMeetingFieldsSerializer):
    expected_version = expected_version_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "expected_version":
                field.required = False


class CouncilMeetingVersionSerializer(serializers.Serializer[Any]):
    expected_version = expected_version_field()


class CouncilMeetingCancelSerializer(CouncilMeetingVersionSerializer):
    reason = serializers.CharField(max_length=500)


class CouncilMeetingFilterSerializer(PageFilterSerializer):
    status = EnumField(MeetingStatus, schema_name="CouncilMeetingStatusEnum", required=False)
    kind = EnumField(MeetingKind, schema_name="CouncilMeetingKindEnum", required=False)


# Views


class CouncilMeetingsApi(MeetingsApi):
    @extend_schema(
        operation_id="council_meetings_list",
        tags=TAGS,
        summary="A council's meetings, latest first (closed ones only to their participants and the office)",
        parameters=[COUNCIL, CouncilMeetingFilterSerializer],
        responses={200: CouncilMeetingOutputSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request, council_id: str) -> Response:
        pk = path_id(council_id, message=_("This council does not exist."))
        council = access.access_council_meetings(user=request.user, council_id=pk)
        filters = validated(CouncilMeetingFilterSerializer, request.query_params)
        meetings = queries.visible_meetings(
            user=request.user,
            council_id=council.pk,
            status=filters.get("status", ""),
            kind=filters.get("kind", ""),
        )
        return paginated(
            request=request,
            view=self,
            queryset=meetings,
            serializer_class=CouncilMeetingOutputSerializer,
        )

    @extend_schema(
        operation_id="council_meetings_create",
        tags=TAGS,
        summary="Plan a meeting (the office); its participants are seeded from the seats",
        parameters=[COUNCIL],
        request=CouncilMeetingCreateSerializer,
        responses={201: CouncilMeetingOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, council_id: str) -> Response:
        pk = path_id(council_id, message=_("This council does not exist."))
        council = access.access_council_meetings_manage(user=request.user, council_id=pk)
        data = validated(CouncilMeetingCreateSerializer, request.data, council=council)
        meeting = services.create_meeting(council=council, actor=request.user, **data)
        return Response(CouncilMeetingOutputSerializer(meeting).data, status=201)


class MeetingApi(MeetingsApi):
    @extend_schema(
        operation_id="council_meetings_retrieve",
        tags=TAGS,
        summary="One council meeting",
        parameters=[MEETING],
        responses={200: CouncilMeetingOutputSerializer, **READ_ERRORS},
    )
    def get(self, request: Request, meeting_id: str) -> Response:
        meeting = access.access_meeting(user=request.user, meeting_id=_meeting_pk(meeting_id))
        return Response(CouncilMeetingOutputSerializer(meeting).data)

    @extend_schema(
        operation_id="council_meetings_partial_update",
        tags=TAGS,
        summary="Correct a meeting's details (the office)",
        parameters=[MEETING],
        request=CouncilMeetingUpdateSerializer,
        responses={200: CouncilMeetingOutputSerializer, **ACTION_ERRORS},
    )
    def patch(self, request: Request, meeting_id: str) -> Response:
        meeting = access.access_meeting_manage(
            user=request.user, meeting_id=_meeting_pk(meeting_id)
        )
        data = dict(validated(CouncilMeetingUpdateSerializer, request.data))
        version = data.pop("expected_version")
        updated = services.update_meeting(
            meeting_id=meeting.pk, expected_version=version, actor=request.user, changes=data
        )
        return Response(CouncilMeetingOutputSerializer(updated).data)


class MeetingStartApi(MeetingsApi):
    @extend_schema(
        operation_id="council_meetings_start",
        tags=TAGS,
        summary="Start a planned meeting (the chair or the office)",
        parameters=[MEETING],
        request=CouncilMeetingVersionSerializer,
        responses={200: CouncilMeetingOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, meeting_id: str) -> Response:
        meeting = access.access_meeting_run(user=request.user, meeting_id=_meeting_pk(meeting_id))
        data = validated(CouncilMeetingVersionSerializer, request.data)
        started = services.start_meeting(
            meeting_id=meeting.pk, expected_version=data["expected_version"], actor=request.user
        )
        return Response(CouncilMeetingOutputSerializer(started).data)


class MeetingEndApi(MeetingsApi):
    @extend_schema(
        operation_id="council_meetings_end",
        tags=TAGS,
        summary="End a meeting in progress once no sitting is open (the chair or the office)",
        parameters=[MEETING],
        request=CouncilMeetingVersionSerializer,
        responses={200: CouncilMeetingOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, meeting_id: str) -> Response:
        meeting = access.access_meeting_run(user=request.user, meeting_id=_meeting_pk(meeting_id))
        data = validated(CouncilMeetingVersionSerializer, request.data)
        ended = services.end_meeting(
            meeting_id=meeting.pk, expected_version=data["expected_version"], actor=request.user
        )
        return Response(CouncilMeetingOutputSerializer(ended).data)


class MeetingCancelApi(MeetingsApi):
    @extend_schema(
        operation_id="council_meetings_cancel",
        tags=TAGS,
        summary="Cancel a planned or running meeting, with the reason (the office)",
        parameters=[MEETING],
        request=CouncilMeetingCancelSerializer,
        responses={200: CouncilMeetingOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, meeting_id: str) -> Response:
        meeting = access.access_meeting_manage(
            user=request.user, meeting_id=_meeting_pk(meeting_id)
        )
        data = validated(CouncilMeetingCancelSerializer, request.data)
        cancelled = services.cancel_meeting(
            meeting_id=meeting.pk,
            expected_version=data["expected_version"],
            actor=request.user,
            reason=data["reason"],
        )
        return Response(CouncilMeetingOutputSerializer(cancelled).data)


urlpatterns: list[URLPattern] = [
    path(
        "councils/<str:council_id>/council-meetings/",
        CouncilMeetingsApi.as_view(),
        name="council-meetings-api-list",
    ),
    path(
        "council-meetings/<str:meeting_id>/",
        MeetingApi.as_view(),
        name="council-meetings-api-detail",
    ),
    path("council-meetings/<str:meeting_id>/start/", MeetingStartApi.as_view()),
    path("council-meetings/<str:meeting_id>/end/", MeetingEndApi.as_view()),
    path("council-meetings/<str:meeting_id>/cancel/", MeetingCancelApi.as_view()),
]
