"""API: a council's meetings (sessions, committee meetings…), one meeting with its
sittings, participants and agenda; planning and correcting a meeting, starting, ending
or cancelling it; adding and correcting agenda items; checking in.

Meetings of the council live under `council-meetings/` (`meetings/` is the petitions'
voter-contact meetings). Only people signed in call these endpoints: an API token is
refused. Access is exactly the pages' (hdnd/meetings/access.py). Changes to a meeting
carry the `expected_version` the caller loaded; a stale one is refused with 409
stale_version. Errors have the one JSON shape of hdnd/core/api.py.
"""

from typing import Any

from django.db.models import QuerySet
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hdnd.accounts.api_permissions import HasScope
from hdnd.core.api import (
    EnumField,
    ErrorSerializer,
    Pagination,
    error_responses,
    expected_version_field,
    paginated,
    validated,
)
from hdnd.councils.api.common import MAX_ID, PageFilterSerializer, id_parameter, path_id
from hdnd.councils.models import Committee, Person, Term
from hdnd.meetings import access
from hdnd.meetings.models import (
    AgendaItem,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Participant,
    Sitting,
)
from hdnd.meetings.queries import agenda as agenda_queries
from hdnd.meetings.queries import attendance as attendance_queries
from hdnd.meetings.queries import meetings as queries
from hdnd.meetings.services import agenda as agenda_services
from hdnd.meetings.services import attendance as attendance_services
from hdnd.meetings.services import meetings as services

TAGS = ["meetings"]
COUNCIL = id_parameter("council_id", "The council's id.")
MEETING = id_parameter("meeting_id", "The council meeting's id.")
ITEM = id_parameter("item_id", "The agenda item's id.")

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
    return path_id(meeting_id, message=_("This meeting does not exist."))


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


# Output


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


class MeetingQuorumOutputSerializer(serializers.Serializer[Any]):
    present = serializers.IntegerField(help_text="Voting participants present at the open sitting.")
    total = serializers.IntegerField(help_text="Every voting participant, present or not.")
    required = serializers.IntegerField(help_text="ceil(total × numerator / denominator).")  # type: ignore[assignment]  # a declared field, not Field.required
    reached = serializers.BooleanField()


class MeetingAttendanceOutputSerializer(serializers.Serializer[Any]):
    sitting = serializers.IntegerField(source="sitting_id")
    participant = serializers.IntegerField(source="participant_id")
    status = serializers.CharField(help_text="present, absent_excused or absent")
    ready_to_vote = serializers.BooleanField()
    recorded_at = serializers.DateTimeField()


class MeetingCheckInOutputSerializer(serializers.Serializer[Any]):
    attendance = MeetingAttendanceOutputSerializer()
    quorum = MeetingQuorumOutputSerializer()


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


def _meeting_items(context: dict[str, Any]) -> QuerySet[AgendaItem]:
    return AgendaItem.objects.filter(meeting_id=context["meeting"].pk)


def _meeting_sittings(context: dict[str, Any]) -> QuerySet[Sitting]:
    return Sitting.objects.filter(meeting_id=context["meeting"].pk)


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
        message = _("This agenda item does not exist.")
        pk = path_id(item_id, message=message)
        meeting_id = agenda_services.item_meeting_id(pk)
        meeting = access.access_meeting_manage(user=request.user, meeting_id=meeting_id)
        data = validated(MeetingAgendaItemUpdateSerializer, request.data, meeting=meeting)
        agenda_services.update_item(item_id=pk, actor=request.user, changes=dict(data))
        return Response(agenda_data(meeting))


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
        meeting.refresh_from_db(fields=["current_sitting"])
        data = {"attendance": row, "quorum": attendance_queries.quorum(meeting)}
        return Response(MeetingCheckInOutputSerializer(data).data)


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
    path("council-meetings/<str:meeting_id>/sittings/", SittingListApi.as_view()),
    path("council-meetings/<str:meeting_id>/participants/", ParticipantListApi.as_view()),
    path("council-meetings/<str:meeting_id>/agenda/", AgendaApi.as_view()),
    path("agenda-items/<str:item_id>/", AgendaItemApi.as_view()),
    path("council-meetings/<str:meeting_id>/check-in/", CheckInApi.as_view()),
]
