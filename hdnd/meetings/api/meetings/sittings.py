"""API: a meeting's sittings: the list in order, planning one on one of the meeting's
days and removing one that never opened (the office), opening and closing one (the chair
or the office). One sitting lives under `sittings/`.
"""

from collections.abc import Callable
from typing import Any

from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from hdnd.core.api import EnumField, validated
from hdnd.meetings import access
from hdnd.meetings.api.meetings.common import (
    ACTION_ERRORS,
    MEETING,
    READ_ERRORS,
    SITTING,
    TAGS,
    MeetingsApi,
    _meeting_pk,
)
from hdnd.meetings.api.rows import meeting_row
from hdnd.meetings.models import Meeting, Sitting, SittingPart
from hdnd.meetings.queries import meetings as queries
from hdnd.meetings.services import sittings as services


def _sitting_row(
    request: Request, sitting_id: str, check: Callable[..., Meeting]
) -> tuple[int, Meeting]:
    return meeting_row(
        Sitting,
        sitting_id,
        user=request.user,
        check=check,
        message=_("This sitting does not exist."),
    )


class MeetingSittingOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    date = serializers.DateField()
    part = serializers.CharField(help_text="morning, afternoon, evening or full_day")
    title = serializers.CharField()
    is_closed = serializers.BooleanField()
    status = serializers.CharField(help_text="planned, open or closed")
    opened_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)


class MeetingSittingCreateSerializer(serializers.Serializer[Any]):
    date = serializers.DateField(help_text="One of the meeting's days.")
    part = EnumField(SittingPart)
    title = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    is_closed = serializers.BooleanField(required=False, default=False)


class SittingListApi(MeetingsApi):
    @extend_schema(
        operation_id="council_meetings_sittings_list",
        tags=TAGS,
        summary="A meeting's sittings, in order",
        parameters=[MEETING],
        responses={200: MeetingSittingOutputSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request: Request, meeting_id: str) -> Response:
        meeting = access.access_meeting(user=request.user, meeting_id=_meeting_pk(meeting_id))
        sittings = list(queries.meeting_sittings(meeting_id=meeting.pk))
        return Response(MeetingSittingOutputSerializer(sittings, many=True).data)

    @extend_schema(
        operation_id="council_meetings_sittings_create",
        tags=TAGS,
        summary="Plan a sitting on one of the meeting's days (the office); numbered in order",
        parameters=[MEETING],
        request=MeetingSittingCreateSerializer,
        responses={201: MeetingSittingOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, meeting_id: str) -> Response:
        meeting = access.access_meeting_manage(
            user=request.user, meeting_id=_meeting_pk(meeting_id)
        )
        data = validated(MeetingSittingCreateSerializer, request.data)
        sitting = services.add_sitting(meeting_id=meeting.pk, actor=request.user, **data)
        return Response(MeetingSittingOutputSerializer(sitting).data, status=201)


class SittingApi(MeetingsApi):
    @extend_schema(
        operation_id="council_meetings_sittings_destroy",
        tags=TAGS,
        summary="Remove a sitting that never opened (the office)",
        parameters=[SITTING],
        responses={204: None, **ACTION_ERRORS},
    )
    def delete(self, request: Request, sitting_id: str) -> Response:
        pk, meeting = _sitting_row(request, sitting_id, access.access_meeting_manage)
        services.remove_sitting(meeting_id=meeting.pk, sitting_id=pk, actor=request.user)
        return Response(status=204)


class SittingOpenApi(MeetingsApi):
    @extend_schema(
        operation_id="council_meetings_sittings_open",
        tags=TAGS,
        summary="Open a sitting, or reopen a closed one; one at a time (the chair or the office)",
        parameters=[SITTING],
        request=None,
        responses={200: MeetingSittingOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, sitting_id: str) -> Response:
        pk, meeting = _sitting_row(request, sitting_id, access.access_meeting_run)
        sitting = services.open_sitting(meeting_id=meeting.pk, sitting_id=pk, actor=request.user)
        return Response(MeetingSittingOutputSerializer(sitting).data)


class SittingCloseApi(MeetingsApi):
    @extend_schema(
        operation_id="council_meetings_sittings_close",
        tags=TAGS,
        summary="Close the open sitting once no poll is open in it (the chair or the office)",
        parameters=[SITTING],
        request=None,
        responses={200: MeetingSittingOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, sitting_id: str) -> Response:
        pk, meeting = _sitting_row(request, sitting_id, access.access_meeting_run)
        sitting = services.close_sitting(meeting_id=meeting.pk, sitting_id=pk, actor=request.user)
        return Response(MeetingSittingOutputSerializer(sitting).data)


urlpatterns: list[URLPattern] = [
    path("council-meetings/<str:meeting_id>/sittings/", SittingListApi.as_view()),
    path("sittings/<str:sitting_id>/", SittingApi.as_view()),
    path("sittings/<str:sitting_id>/open/", SittingOpenApi.as_view()),
    path("sittings/<str:sitting_id>/close/", SittingCloseApi.as_view()),
]
