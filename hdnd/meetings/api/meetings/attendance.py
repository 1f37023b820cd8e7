"""API: attendance at a meeting's open sitting: a participant checks in and says they
are ready to vote, the office records attendance (absences also ahead, at a planned
sitting), the chair or the office reads the attendance list with the quorum.
"""

from typing import Any

from django.db.models import QuerySet
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy
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
    TAGS,
    MeetingsApi,
    RowField,
    _meeting_pk,
    _meeting_sittings,
)
from hdnd.meetings.api.meetings.participants import MeetingParticipantOutputSerializer
from hdnd.meetings.api.meetings.sittings import MeetingSittingOutputSerializer
from hdnd.meetings.models import Attendance, AttendanceStatus, Meeting, Participant, Sitting
from hdnd.meetings.queries import attendance as attendance_queries
from hdnd.meetings.services import attendance as attendance_services


class MeetingQuorumOutputSerializer(serializers.Serializer[Any]):
    present = serializers.IntegerField(help_text="Voting participants present at the open sitting.")
    total = serializers.IntegerField(help_text="Every voting participant, present or not.")
    required = serializers.IntegerField(help_text="ceil(total × numerator / denominator).")  # type: ignore[assignment]  # a declared field, not Field.required
    reached = serializers.BooleanField()


class MeetingAttendanceOutputSerializer(serializers.Serializer[Any]):
    sitting = serializers.IntegerField(source="sitting_id")
    participant = serializers.IntegerField(source="participant_id")
    status = serializers.CharField(help_text="present, absent_excused or absent")
    reason = serializers.CharField(help_text="The reason for a leave of absence.")
    method = serializers.CharField(help_text="tablet (checked in) or office (recorded)")
    ready_to_vote = serializers.BooleanField()
    recorded_at = serializers.DateTimeField()


class MeetingCheckInOutputSerializer(serializers.Serializer[Any]):
    attendance = MeetingAttendanceOutputSerializer()
    quorum = MeetingQuorumOutputSerializer()


def attendance_body(meeting: Meeting, row: Attendance) -> dict[str, Any]:
    """One participant's attendance just written, with the quorum at the open sitting."""
    meeting.refresh_from_db(fields=["current_sitting"])
    data = {"attendance": row, "quorum": attendance_queries.quorum(meeting)}
    return dict(MeetingCheckInOutputSerializer(data).data)


class MeetingHeadcountOutputSerializer(serializers.Serializer[Any]):
    present = serializers.IntegerField()
    total = serializers.IntegerField()


class MeetingAttendanceRowOutputSerializer(serializers.Serializer[Any]):
    participant = MeetingParticipantOutputSerializer()
    attendance = MeetingAttendanceOutputSerializer(
        allow_null=True, help_text="null: nothing recorded at this sitting yet."
    )


class MeetingAttendanceListOutputSerializer(serializers.Serializer[Any]):
    sitting = MeetingSittingOutputSerializer(
        allow_null=True, help_text="The open sitting; null when none is open."
    )
    quorum = MeetingQuorumOutputSerializer()
    delegates = MeetingHeadcountOutputSerializer(help_text="The chair and the delegates.")
    guests = MeetingHeadcountOutputSerializer(help_text="Invited guests and respondents.")
    ready = serializers.IntegerField(help_text="Voting participants present and ready to vote.")
    rows = MeetingAttendanceRowOutputSerializer(
        many=True, help_text="Every participant, in the list's order."
    )


# Input


def _meeting_participants(context: dict[str, Any]) -> QuerySet[Participant]:
    return Participant.objects.filter(meeting_id=context["meeting"].pk)


class MeetingAttendanceRecordSerializer(serializers.Serializer[Any]):
    participant = RowField(
        rows=_meeting_participants,
        not_found=gettext_lazy("No participant of this meeting has this id."),
        help_text="The participant's id (not the person's).",
    )
    status = EnumField(AttendanceStatus, schema_name="MeetingAttendanceStatusEnum")
    reason = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required for absent_excused (leave of absence).",
    )
    sitting = RowField(
        rows=_meeting_sittings,
        not_found=gettext_lazy("No sitting of this meeting has this id."),
        required=False,
        allow_null=True,
        default=None,
        help_text="By default the open sitting; a planned one records absences ahead.",
    )


class MeetingReadySerializer(serializers.Serializer[Any]):
    ready = serializers.BooleanField(help_text="true: ready to vote; false: no longer.")


# Views


class CheckInApi(MeetingsApi):
    @extend_schema(
        operation_id="council_meetings_check_in",
        tags=TAGS,
        summary="Check yourself in at the open sitting (a participant); again changes nothing",
        parameters=[MEETING],
        request=None,
        responses={200: MeetingCheckInOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, meeting_id: str) -> Response:
        meeting, participant = access.access_meeting_participate(
            user=request.user, meeting_id=_meeting_pk(meeting_id)
        )
        row = attendance_services.check_in(
            meeting_id=meeting.pk, participant_id=participant.pk, actor=request.user
        )
        return Response(attendance_body(meeting, row))


class ReadyApi(MeetingsApi):
    @extend_schema(
        operation_id="council_meetings_ready",
        tags=TAGS,
        summary=(
            "Say you are ready, or no longer ready, to vote (a delegate or the chair, once "
            "checked in at the open sitting)"
        ),
        parameters=[MEETING],
        request=MeetingReadySerializer,
        responses={200: MeetingCheckInOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, meeting_id: str) -> Response:
        meeting, participant = access.access_meeting_participate(
            user=request.user, meeting_id=_meeting_pk(meeting_id)
        )
        data = validated(MeetingReadySerializer, request.data)
        row = attendance_services.set_ready(
            meeting_id=meeting.pk,
            participant_id=participant.pk,
            actor=request.user,
            ready=data["ready"],
        )
        return Response(attendance_body(meeting, row))


class AttendanceApi(MeetingsApi):
    @extend_schema(
        operation_id="council_meetings_attendance_retrieve",
        tags=TAGS,
        summary=(
            "The attendance at the open sitting: every participant, the counts, who is ready "
            "and the quorum (the chair or the office)"
        ),
        parameters=[MEETING],
        responses={200: MeetingAttendanceListOutputSerializer, **READ_ERRORS},
    )
    def get(self, request: Request, meeting_id: str) -> Response:
        meeting = access.access_meeting_run(user=request.user, meeting_id=_meeting_pk(meeting_id))
        summary = attendance_queries.attendance_summary(meeting)
        return Response(MeetingAttendanceListOutputSerializer(summary).data)

    @extend_schema(
        operation_id="council_meetings_attendance_record",
        tags=TAGS,
        summary=(
            "Record a participant present (open sitting) or absent, with the reason for a "
            "leave (the office)"
        ),
        parameters=[MEETING],
        request=MeetingAttendanceRecordSerializer,
        responses={200: MeetingCheckInOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, meeting_id: str) -> Response:
        meeting = access.access_meeting_manage(
            user=request.user, meeting_id=_meeting_pk(meeting_id)
        )
        data = validated(MeetingAttendanceRecordSerializer, request.data, meeting=meeting)
        sitting: Sitting | None = data["sitting"]
        row = attendance_services.record_attendance(
            meeting_id=meeting.pk,
            participant_id=data["participant"].pk,
            actor=request.user,
            status=data["status"],
            reason=data["reason"],
            sitting_id=sitting.pk if sitting is not None else None,
        )
        return Response(attendance_body(meeting, row))


urlpatterns: list[URLPattern] = [
    path("council-meetings/<str:meeting_id>/check-in/", CheckInApi.as_view()),
    path("council-meetings/<str:meeting_id>/ready/", ReadyApi.as_view()),
    path("council-meetings/<str:meeting_id>/attendance/", AttendanceApi.as_view()),
]
