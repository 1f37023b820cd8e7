"""API: the floor of a council meeting — the list of speakers and the log, asking to
speak, withdrawing, reordering, a speaker's time limit, the chair granting and ending
the floor. One request to speak lives under `speech-requests/`.
"""

from collections.abc import Callable
from typing import Any

from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from hdnd.core.api import EnumField, validated_body
from hdnd.meetings import access
from hdnd.meetings.api.floor.common import (
    ACTION_ERRORS,
    MEETING,
    READ_ERRORS,
    SPEECH,
    TAGS,
    FloorApi,
    PersonRefSerializer,
    _id_field,
    _meeting_pk,
)
from hdnd.meetings.api.rows import meeting_row
from hdnd.meetings.models import Meeting, SpeechKind, SpeechRequest, SpeechStatus
from hdnd.meetings.queries import speaking as speaking_queries
from hdnd.meetings.services import speaking as speaking_services


def _speech_meeting(request_id: str, *, user: Any, check: Callable[..., Any]) -> tuple[int, Any]:
    """The row's id and what `check` gives on its meeting (a hidden meeting: the row's 404)."""
    return meeting_row(
        SpeechRequest,
        request_id,
        user=user,
        check=check,
        message=_("This request to speak does not exist."),
        meeting_field="agenda_item__meeting_id",
    )


# Output.


class SpeechOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    agenda_item_id = serializers.IntegerField()
    speaker = PersonRefSerializer(source="participant")
    kind = EnumField(SpeechKind)
    note = serializers.CharField()
    status = EnumField(SpeechStatus)
    position = serializers.IntegerField()
    limit_seconds = serializers.IntegerField()
    requested_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    ended_at = serializers.DateTimeField(allow_null=True)
    duration_seconds = serializers.IntegerField(allow_null=True)
    over_limit = serializers.SerializerMethodField()

    class Meta:
        ref_name = "Speech"

    def get_over_limit(self, speech: SpeechRequest) -> bool:
        return speaking_queries.went_over(speech)


class FloorOutputSerializer(serializers.Serializer[Any]):
    agenda_item_id = serializers.IntegerField(allow_null=True)
    server_time = serializers.DateTimeField()
    warning_seconds = serializers.IntegerField(
        help_text="How long before the limit the speaker is warned."
    )
    speaker = SpeechOutputSerializer(allow_null=True)
    seconds_left = serializers.IntegerField(
        allow_null=True,
        help_text="The speaker's time left by the server's clock; negative past it.",
    )
    waiting = SpeechOutputSerializer(many=True)

    class Meta:
        ref_name = "Floor"


def _floor_body(meeting: Meeting) -> dict[str, Any]:
    floor = speaking_queries.floor_state(meeting)
    now = timezone.now()
    return FloorOutputSerializer(
        {
            "agenda_item_id": floor.item.pk if floor.item else None,
            "server_time": now,
            "warning_seconds": meeting.speech_warning_seconds,
            "speaker": floor.speaker,
            "seconds_left": (
                speaking_queries.seconds_left(floor.speaker, now=now) if floor.speaker else None
            ),
            "waiting": floor.waiting,
        }
    ).data


def _speech_body(speech_id: int) -> dict[str, Any]:
    speech = SpeechRequest.objects.select_related("participant__person").get(id=speech_id)
    return SpeechOutputSerializer(speech).data


# Speaking.


class FloorApiView(FloorApi):
    class InputSerializer(serializers.Serializer[Any]):
        kind = EnumField(SpeechKind)
        note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
        agenda_item_id = _id_field(
            required=False,
            allow_null=True,
            default=None,
            help_text="The agenda item; by default the one under discussion.",
        )

        class Meta:
            ref_name = "SpeechRequestCreate"

    @extend_schema(
        operation_id="council_meetings_speakers_list",
        tags=TAGS,
        summary="The floor: who speaks now, time left, and the waiting list",
        parameters=[MEETING],
        responses={200: FloorOutputSerializer, **READ_ERRORS},
    )
    def get(self, request: Request, meeting_id: str) -> Response:
        meeting = access.access_meeting(user=request.user, meeting_id=_meeting_pk(meeting_id))
        return Response(_floor_body(meeting))

    @extend_schema(
        operation_id="council_meetings_speakers_request",
        tags=TAGS,
        summary="Ask to speak (a delegate or the chair, for themselves)",
        parameters=[MEETING],
        request=InputSerializer,
        responses={201: SpeechOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, meeting_id: str) -> Response:
        meeting, _participant = access.access_meeting_participate(
            user=request.user, meeting_id=_meeting_pk(meeting_id)
        )
        data = validated_body(self.InputSerializer, request)
        speech = speaking_services.request_speech(
            meeting_id=meeting.pk,
            actor=request.user,
            kind=data["kind"],
            note=data["note"],
            agenda_item_id=data["agenda_item_id"],
        )
        return Response(_speech_body(speech.pk), status=201)


class SpeakerAddApi(FloorApi):
    class InputSerializer(serializers.Serializer[Any]):
        participant_id = _id_field()
        kind = EnumField(SpeechKind)
        note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
        agenda_item_id = _id_field(required=False, allow_null=True, default=None)
        limit_seconds = serializers.IntegerField(
            required=False,
            allow_null=True,
            default=None,
            min_value=speaking_services.MIN_LIMIT_SECONDS,
            max_value=speaking_services.MAX_LIMIT_SECONDS,
            help_text="By default the meeting's speaking time limit.",
        )

        class Meta:
            ref_name = "SpeakerAdd"

    @extend_schema(
        operation_id="council_meetings_speakers_add",
        tags=TAGS,
        summary="Put a participant on the list (the chair or the office)",
        parameters=[MEETING],
        request=InputSerializer,
        responses={201: SpeechOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, meeting_id: str) -> Response:
        meeting = access.access_meeting_run(user=request.user, meeting_id=_meeting_pk(meeting_id))
        data = validated_body(self.InputSerializer, request)
        speech = speaking_services.add_speaker(
            meeting_id=meeting.pk,
            actor=request.user,
            participant_id=data["participant_id"],
            kind=data["kind"],
            note=data["note"],
            agenda_item_id=data["agenda_item_id"],
            limit_seconds=data["limit_seconds"],
        )
        return Response(_speech_body(speech.pk), status=201)


class SpeechLogApi(FloorApi):
    @extend_schema(
        operation_id="council_meetings_speakers_log",
        tags=TAGS,
        summary="The log of speeches: who spoke, how long, whether over the limit",
        parameters=[MEETING],
        responses={200: SpeechOutputSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request: Request, meeting_id: str) -> Response:
        meeting = access.access_meeting(user=request.user, meeting_id=_meeting_pk(meeting_id))
        speeches = speaking_queries.speech_log(meeting)
        return Response(SpeechOutputSerializer(speeches, many=True).data)


class FloorGrantApi(FloorApi):
    class InputSerializer(serializers.Serializer[Any]):
        request_id = _id_field(
            required=False,
            allow_null=True,
            default=None,
            help_text="The waiting request; by default the first of the current item's list.",
        )
        end_current = serializers.BooleanField(
            required=False,
            default=False,
            help_text="End the current speech first; without it, a grant while someone "
            "speaks is refused (409).",
        )

        class Meta:
            ref_name = "FloorGrant"

    @extend_schema(
        operation_id="council_meetings_floor_grant",
        tags=TAGS,
        summary="Give the floor (the chair or the office)",
        parameters=[MEETING],
        request=InputSerializer,
        responses={200: SpeechOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, meeting_id: str) -> Response:
        meeting = access.access_meeting_run(user=request.user, meeting_id=_meeting_pk(meeting_id))
        data = validated_body(self.InputSerializer, request)
        speech = speaking_services.grant_floor(
            meeting_id=meeting.pk,
            actor=request.user,
            request_id=data["request_id"],
            end_current=data["end_current"],
        )
        return Response(_speech_body(speech.pk))


class FloorEndApi(FloorApi):
    @extend_schema(
        operation_id="council_meetings_floor_end",
        tags=TAGS,
        summary="End the current speech (the chair or the office)",
        parameters=[MEETING],
        request=None,
        responses={200: SpeechOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, meeting_id: str) -> Response:
        meeting = access.access_meeting_run(user=request.user, meeting_id=_meeting_pk(meeting_id))
        speech = speaking_services.end_speech(meeting_id=meeting.pk, actor=request.user)
        return Response(_speech_body(speech.pk))


class SpeechWithdrawApi(FloorApi):
    @extend_schema(
        operation_id="council_meetings_speech_withdraw",
        tags=TAGS,
        summary="Withdraw a waiting request (its speaker, the chair or the office)",
        parameters=[SPEECH],
        request=None,
        responses={200: SpeechOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, request_id: str) -> Response:
        pk, _meeting = _speech_meeting(request_id, user=request.user, check=access.access_meeting)
        speaking_services.withdraw_speech(request_id=pk, actor=request.user)
        return Response(_speech_body(pk))


class SpeechMoveApi(FloorApi):
    class InputSerializer(serializers.Serializer[Any]):
        move = serializers.ChoiceField(choices=[one.value for one in speaking_services.Move])

        class Meta:
            ref_name = "SpeechMove"

    @extend_schema(
        operation_id="council_meetings_speech_move",
        tags=TAGS,
        summary="Move a waiting request up, down or to the top (the chair or the office)",
        parameters=[SPEECH],
        request=InputSerializer,
        responses={200: SpeechOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, request_id: str) -> Response:
        pk, _meeting = _speech_meeting(
            request_id, user=request.user, check=access.access_meeting_run
        )
        data = validated_body(self.InputSerializer, request)
        speaking_services.move_speech(request_id=pk, actor=request.user, move=data["move"])
        return Response(_speech_body(pk))


class SpeechLimitApi(FloorApi):
    class InputSerializer(serializers.Serializer[Any]):
        limit_seconds = serializers.IntegerField(
            min_value=speaking_services.MIN_LIMIT_SECONDS,
            max_value=speaking_services.MAX_LIMIT_SECONDS,
            help_text="The speaker's new time limit, in seconds.",
        )

        class Meta:
            ref_name = "SpeechLimit"

    @extend_schema(
        operation_id="council_meetings_speech_limit",
        tags=TAGS,
        summary="Change a waiting or current speaker's time limit (the chair or the office)",
        parameters=[SPEECH],
        request=InputSerializer,
        responses={200: SpeechOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, request_id: str) -> Response:
        pk, _meeting = _speech_meeting(
            request_id, user=request.user, check=access.access_meeting_run
        )
        data = validated_body(self.InputSerializer, request)
        speaking_services.set_speech_limit(
            request_id=pk, actor=request.user, limit_seconds=data["limit_seconds"]
        )
        return Response(_speech_body(pk))


urlpatterns: list[URLPattern] = [
    path("council-meetings/<str:meeting_id>/speakers/", FloorApiView.as_view()),
    path("council-meetings/<str:meeting_id>/speakers/add/", SpeakerAddApi.as_view()),
    path("council-meetings/<str:meeting_id>/speakers/log/", SpeechLogApi.as_view()),
    path("council-meetings/<str:meeting_id>/floor/grant/", FloorGrantApi.as_view()),
    path("council-meetings/<str:meeting_id>/floor/end/", FloorEndApi.as_view()),
    path("speech-requests/<str:request_id>/withdraw/", SpeechWithdrawApi.as_view()),
    path("speech-requests/<str:request_id>/move/", SpeechMoveApi.as_view()),
    path("speech-requests/<str:request_id>/limit/", SpeechLimitApi.as_view()),
]
