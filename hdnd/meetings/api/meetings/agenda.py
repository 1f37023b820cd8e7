"""API: a meeting's agenda: the items in reading order, numbered; adding, correcting,
removing items (the office); moving them and putting them at a place, taking one up and
finishing the current one (the chair or the office). One item lives under
`agenda-items/`.
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
from rest_framework.request import Request
from rest_framework.response import Response

from hdnd.core.api import EnumField, validated
from hdnd.councils.models import Person
from hdnd.meetings import access
from hdnd.meetings.api.meetings.common import (
    ACTION_ERRORS,
    ITEM,
    MEETING,
    READ_ERRORS,
    TAGS,
    MeetingsApi,
    RowField,
    _meeting_pk,
    _meeting_sittings,
)
from hdnd.meetings.api.rows import meeting_row
from hdnd.meetings.models import AgendaItem, Meeting, Participant
from hdnd.meetings.queries import agenda as agenda_queries
from hdnd.meetings.services import agenda as agenda_services


def _item_row(request: Request, item_id: str, check: Callable[..., Meeting]) -> tuple[int, Meeting]:
    return meeting_row(
        AgendaItem,
        item_id,
        user=request.user,
        check=check,
        message=_("This agenda item does not exist."),
    )


class MeetingAgendaItemOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    number = serializers.CharField(help_text="Its number as read: 1, 1.1, 1.2, 2 …")
    depth = serializers.IntegerField()
    parent = serializers.IntegerField(source="parent_id", allow_null=True)  # type: ignore[assignment]  # a declared field, not Field.parent
    position = serializers.IntegerField(help_text="Order among its siblings, from 0.")
    title = serializers.CharField()
    description = serializers.CharField()
    presenter = serializers.IntegerField(source="presenter_id", allow_null=True)
    presenter_text = serializers.CharField()
    sitting = serializers.IntegerField(source="sitting_id", allow_null=True)
    planned_start = serializers.TimeField(allow_null=True)
    planned_minutes = serializers.IntegerField(allow_null=True)
    status = serializers.CharField(help_text="pending, current or done")


def agenda_data(meeting: Meeting) -> list[dict[str, Any]]:
    rows = []
    for row in agenda_queries.agenda_rows(meeting):
        row.item.number = row.number  # type: ignore[attr-defined]  # read by the serializer
        row.item.depth = row.depth  # type: ignore[attr-defined]  # read by the serializer
        rows.append(dict(MeetingAgendaItemOutputSerializer(row.item).data))
    return rows


def _meeting_items(context: dict[str, Any]) -> QuerySet[AgendaItem]:
    return AgendaItem.objects.filter(meeting_id=context["meeting"].pk)


def _meeting_people(context: dict[str, Any]) -> QuerySet[Person]:
    return Person.objects.filter(
        id__in=Participant.objects.filter(meeting_id=context["meeting"].pk).values("person_id")
    )


class MeetingAgendaItemSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=500)
    description = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    parent = RowField(  # type: ignore[assignment]  # a declared field, not Field.parent
        rows=_meeting_items,
        not_found=gettext_lazy("No agenda item of this meeting has this id."),
        required=False,
        allow_null=True,
    )
    presenter = RowField(
        rows=_meeting_people,
        not_found=gettext_lazy("No participant of this meeting is this person."),
        required=False,
        allow_null=True,
        help_text="A participant's person id.",
    )
    presenter_text = serializers.CharField(required=False, allow_blank=True, max_length=300)
    sitting = RowField(
        rows=_meeting_sittings,
        not_found=gettext_lazy("No sitting of this meeting has this id."),
        required=False,
        allow_null=True,
    )
    planned_start = serializers.TimeField(required=False, allow_null=True)
    planned_minutes = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=1440
    )


class MeetingAgendaItemUpdateSerializer(MeetingAgendaItemSerializer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class AgendaMove(models.TextChoices):
    UP = "up"
    DOWN = "down"


class MeetingAgendaMoveSerializer(serializers.Serializer[Any]):
    direction = EnumField(
        AgendaMove, help_text="Swap with the sibling before (up) or after (down) it."
    )


class MeetingAgendaPositionSerializer(serializers.Serializer[Any]):
    position = serializers.IntegerField(
        min_value=1, max_value=10000, help_text="Its place among its siblings: 1 = first."
    )


class AgendaApi(MeetingsApi):
    @extend_schema(
        operation_id="council_meetings_agenda_list",
        tags=TAGS,
        summary="A meeting's agenda in reading order, each item numbered (1, 1.1, 2 …)",
        parameters=[MEETING],
        responses={200: MeetingAgendaItemOutputSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request: Request, meeting_id: str) -> Response:
        meeting = access.access_meeting(user=request.user, meeting_id=_meeting_pk(meeting_id))
        return Response(agenda_data(meeting))

    @extend_schema(
        operation_id="council_meetings_agenda_create",
        tags=TAGS,
        summary="Add an agenda item at the end of its siblings (the office)",
        parameters=[MEETING],
        request=MeetingAgendaItemSerializer,
        responses={201: MeetingAgendaItemOutputSerializer(many=True), **ACTION_ERRORS},
    )
    def post(self, request: Request, meeting_id: str) -> Response:
        meeting = access.access_meeting_manage(
            user=request.user, meeting_id=_meeting_pk(meeting_id)
        )
        data = validated(MeetingAgendaItemSerializer, request.data, meeting=meeting)
        agenda_services.add_item(meeting_id=meeting.pk, actor=request.user, **data)
        return Response(agenda_data(meeting), status=201)


class AgendaItemApi(MeetingsApi):
    @extend_schema(
        operation_id="council_meetings_agenda_partial_update",
        tags=TAGS,
        summary="Correct an agenda item (the office); a new parent puts it last there",
        parameters=[ITEM],
        request=MeetingAgendaItemUpdateSerializer,
        responses={200: MeetingAgendaItemOutputSerializer(many=True), **ACTION_ERRORS},
    )
    def patch(self, request: Request, item_id: str) -> Response:
        pk, meeting = _item_row(request, item_id, access.access_meeting_manage)
        data = validated(MeetingAgendaItemUpdateSerializer, request.data, meeting=meeting)
        agenda_services.update_item(item_id=pk, actor=request.user, changes=dict(data))
        return Response(agenda_data(meeting))

    @extend_schema(
        operation_id="council_meetings_agenda_destroy",
        tags=TAGS,
        summary=(
            "Remove an item and the items under it (the office), while none was taken up "
            "and nothing refers to them"
        ),
        parameters=[ITEM],
        responses={204: None, **ACTION_ERRORS},
    )
    def delete(self, request: Request, item_id: str) -> Response:
        pk, _meeting = _item_row(request, item_id, access.access_meeting_manage)
        agenda_services.remove_item(item_id=pk, actor=request.user)
        return Response(status=204)


class AgendaItemMoveApi(MeetingsApi):
    @extend_schema(
        operation_id="council_meetings_agenda_move",
        tags=TAGS,
        summary="Move an item up or down among its siblings (the chair or the office)",
        parameters=[ITEM],
        request=MeetingAgendaMoveSerializer,
        responses={200: MeetingAgendaItemOutputSerializer(many=True), **ACTION_ERRORS},
    )
    def post(self, request: Request, item_id: str) -> Response:
        pk, meeting = _item_row(request, item_id, access.access_meeting_run)
        data = validated(MeetingAgendaMoveSerializer, request.data)
        agenda_services.move_item(item_id=pk, actor=request.user, direction=data["direction"])
        return Response(agenda_data(meeting))


class AgendaItemPositionApi(MeetingsApi):
    @extend_schema(
        operation_id="council_meetings_agenda_set_position",
        tags=TAGS,
        summary="Put an item at a place among its siblings, 1 = first (the chair or the office)",
        parameters=[ITEM],
        request=MeetingAgendaPositionSerializer,
        responses={200: MeetingAgendaItemOutputSerializer(many=True), **ACTION_ERRORS},
    )
    def post(self, request: Request, item_id: str) -> Response:
        pk, meeting = _item_row(request, item_id, access.access_meeting_run)
        data = validated(MeetingAgendaPositionSerializer, request.data)
        agenda_services.set_item_position(item_id=pk, actor=request.user, position=data["position"])
        return Response(agenda_data(meeting))


class AgendaItemCurrentApi(MeetingsApi):
    @extend_schema(
        operation_id="council_meetings_agenda_set_current",
        tags=TAGS,
        summary=(
            "Take up an item while the meeting is in progress; the previous current item is "
            "done (the chair or the office)"
        ),
        parameters=[ITEM],
        request=None,
        responses={200: MeetingAgendaItemOutputSerializer(many=True), **ACTION_ERRORS},
    )
    def post(self, request: Request, item_id: str) -> Response:
        pk, meeting = _item_row(request, item_id, access.access_meeting_run)
        agenda_services.set_current_item(meeting_id=meeting.pk, item_id=pk, actor=request.user)
        return Response(agenda_data(meeting))


class AgendaDoneApi(MeetingsApi):
    @extend_schema(
        operation_id="council_meetings_agenda_finish_current",
        tags=TAGS,
        summary="Mark the current item done, with none after it yet (the chair or the office)",
        parameters=[MEETING],
        request=None,
        responses={200: MeetingAgendaItemOutputSerializer(many=True), **ACTION_ERRORS},
    )
    def post(self, request: Request, meeting_id: str) -> Response:
        meeting = access.access_meeting_run(user=request.user, meeting_id=_meeting_pk(meeting_id))
        agenda_services.finish_current_item(meeting_id=meeting.pk, actor=request.user)
        return Response(agenda_data(meeting))


urlpatterns: list[URLPattern] = [
    path("council-meetings/<str:meeting_id>/agenda/", AgendaApi.as_view()),
    path("council-meetings/<str:meeting_id>/agenda/done/", AgendaDoneApi.as_view()),
    path("agenda-items/<str:item_id>/", AgendaItemApi.as_view()),
    path("agenda-items/<str:item_id>/move/", AgendaItemMoveApi.as_view()),
    path("agenda-items/<str:item_id>/position/", AgendaItemPositionApi.as_view()),
    path("agenda-items/<str:item_id>/current/", AgendaItemCurrentApi.as_view()),
]
