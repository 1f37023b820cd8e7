"""API: a meeting's participants: the list, inviting a guest, a respondent official or
office staff, taking someone off the meeting and handing over the chair (the office). One
participant lives under `participants/`, by the participant's id (not the person's).
"""

from collections.abc import Callable
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from hdnd.core.api import EnumField, validated
from hdnd.councils.models import Agency, Person
from hdnd.meetings import access
from hdnd.meetings.api.meetings.common import (
    ACTION_ERRORS,
    MEETING,
    PARTICIPANT,
    READ_ERRORS,
    TAGS,
    MeetingsApi,
    RowField,
    _meeting_pk,
)
from hdnd.meetings.api.rows import meeting_row
from hdnd.meetings.models import Meeting, Participant, ParticipantRole
from hdnd.meetings.queries import meetings as queries
from hdnd.meetings.services import participants as services


def _participant_row(
    request: Request, participant_id: str, check: Callable[..., Meeting]
) -> tuple[int, Meeting]:
    return meeting_row(
        Participant,
        participant_id,
        user=request.user,
        check=check,
        message=_("This participant is not in the meeting."),
    )


class MeetingParticipantOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    person = serializers.IntegerField(source="person_id")
    name = serializers.CharField(source="person.full_name")
    role = serializers.CharField(help_text="chair, delegate, guest, respondent or staff")
    votes = serializers.BooleanField(
        help_text="Whether this participant votes (chair and delegates)."
    )
    membership = serializers.IntegerField(source="membership_id", allow_null=True)
    title = serializers.CharField()
    agency = serializers.IntegerField(source="agency_id", allow_null=True)
    seat = serializers.CharField()


class AddedParticipantRole(models.TextChoices):
    """The roles the office adds by hand (services.participants.ADDED_ROLES): delegates and
    the chair come from the council's seats."""

    GUEST = ParticipantRole.GUEST.value, ParticipantRole.GUEST.label
    RESPONDENT = ParticipantRole.RESPONDENT.value, ParticipantRole.RESPONDENT.label
    STAFF = ParticipantRole.STAFF.value, ParticipantRole.STAFF.label


def _invitable_people(context: dict[str, Any]) -> QuerySet[Person]:
    return queries.candidate_people(context["meeting"].council)


def _area_agencies(context: dict[str, Any]) -> QuerySet[Agency]:
    council = context["meeting"].council
    councils = [council.pk, *([council.parent_id] if council.parent_id else [])]
    return Agency.objects.filter(council_id__in=councils, is_active=True)


class MeetingParticipantCreateSerializer(serializers.Serializer[Any]):
    role = EnumField(AddedParticipantRole, schema_name="MeetingAddedRoleEnum")
    person = RowField(
        rows=_invitable_people,
        not_found=gettext_lazy("No person who may be invited to this meeting has this id."),
        required=False,
        allow_null=True,
        default=None,
        help_text=(
            "A known person: an official of the area's agencies, a seat holder, or someone "
            "with a role in the council. Or give new_name instead."
        ),
    )
    new_name = serializers.CharField(
        max_length=150,
        required=False,
        allow_blank=True,
        default="",
        help_text="The name of someone not listed (a guest from outside).",
    )
    title = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        default="",
        help_text="What they attend as; required for a guest.",
    )
    agency = RowField(
        rows=_area_agencies,
        not_found=gettext_lazy("Choose an agency of this council's area."),
        required=False,
        allow_null=True,
        default=None,
        help_text="The agency a respondent answers for; required for a respondent.",
    )
    seat = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # The page's rule: a person from the list or a name, never both.
        has_name = bool(attrs["new_name"].strip())
        if attrs["person"] is None and not has_name:
            raise ValidationError({"person": [_("Choose a person or write a name.")]})
        if attrs["person"] is not None and has_name:
            raise ValidationError({"new_name": [_("Choose a person or write a name, not both.")]})
        return attrs


class ParticipantListApi(MeetingsApi):
    @extend_schema(
        operation_id="council_meetings_participants_list",
        tags=TAGS,
        summary="A meeting's participants: the chair, delegates, guests, respondents, staff",
        parameters=[MEETING],
        responses={200: MeetingParticipantOutputSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request: Request, meeting_id: str) -> Response:
        meeting = access.access_meeting(user=request.user, meeting_id=_meeting_pk(meeting_id))
        participants = queries.meeting_participants(meeting_id=meeting.pk)
        return Response(MeetingParticipantOutputSerializer(participants, many=True).data)

    @extend_schema(
        operation_id="council_meetings_participants_create",
        tags=TAGS,
        summary="Invite a guest, a respondent official or office staff (the office)",
        parameters=[MEETING],
        request=MeetingParticipantCreateSerializer,
        responses={201: MeetingParticipantOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, meeting_id: str) -> Response:
        meeting = access.access_meeting_manage(
            user=request.user, meeting_id=_meeting_pk(meeting_id)
        )
        data = validated(MeetingParticipantCreateSerializer, request.data, meeting=meeting)
        participant = services.add_participant(meeting_id=meeting.pk, actor=request.user, **data)
        return Response(MeetingParticipantOutputSerializer(participant).data, status=201)


class ParticipantApi(MeetingsApi):
    @extend_schema(
        operation_id="council_meetings_participants_destroy",
        tags=TAGS,
        summary=(
            "Take someone off the meeting (the office); never the chair, nor anyone who has "
            "voted, spoken or asked a question"
        ),
        parameters=[PARTICIPANT],
        responses={204: None, **ACTION_ERRORS},
    )
    def delete(self, request: Request, participant_id: str) -> Response:
        pk, meeting = _participant_row(request, participant_id, access.access_meeting_manage)
        services.remove_participant(meeting_id=meeting.pk, participant_id=pk, actor=request.user)
        return Response(status=204)


class ParticipantChairApi(MeetingsApi):
    @extend_schema(
        operation_id="council_meetings_participants_set_chair",
        tags=TAGS,
        summary=(
            "Hand the chair to this member with a seat (the office); the previous chair stays "
            "a delegate. Answers the participants"
        ),
        parameters=[PARTICIPANT],
        request=None,
        responses={200: MeetingParticipantOutputSerializer(many=True), **ACTION_ERRORS},
    )
    def post(self, request: Request, participant_id: str) -> Response:
        pk, meeting = _participant_row(request, participant_id, access.access_meeting_manage)
        services.set_chair(meeting_id=meeting.pk, participant_id=pk, actor=request.user)
        participants = queries.meeting_participants(meeting_id=meeting.pk)
        return Response(MeetingParticipantOutputSerializer(participants, many=True).data)


urlpatterns: list[URLPattern] = [
    path("council-meetings/<str:meeting_id>/participants/", ParticipantListApi.as_view()),
    path("participants/<str:participant_id>/", ParticipantApi.as_view()),
    path("participants/<str:participant_id>/chair/", ParticipantChairApi.as_view()),
]
