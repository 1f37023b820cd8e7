"""API: session cycles and voter-contact meetings — the lists, one meeting with its items,
delegates and spot answers — and recording meetings: plan, correct, mark held, cancel,
answers given on the spot."""

from typing import Any

from django.db.models import QuerySet
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from hdnd.core.api import EnumField, expected_version_field, paginated, validated_body
from hdnd.core.errors import PermissionDenied
from hdnd.councils.api.common import PageFilterSerializer, id_parameter
from hdnd.councils.models import AdministrativeUnit, Agency, Council, DelegateGroup, Membership
from hdnd.petitions import access
from hdnd.petitions.api.common import (
    ACTION_ERRORS,
    DETAIL_ERRORS,
    LIST_ERRORS,
    TAGS,
    CouncilRowField,
    CouncilRowsField,
    PetitionsApi,
    actor_of,
    manage_meeting,
    open_to_tokens,
    read_council,
    read_council_work,
    read_meeting,
    sees_identity,
    token_of,
    validated_query,
)
from hdnd.petitions.api.serializers.meetings import (
    CycleOutputSerializer,
    MeetingDetailOutputSerializer,
    MeetingListOutputSerializer,
    SpotAnswerOutputSerializer,
)
from hdnd.petitions.models import (
    MeetingFormat,
    MeetingStatus,
    MeetingTiming,
    Organiser,
    SessionCycle,
    VoterItem,
)
from hdnd.petitions.queries import meetings as queries
from hdnd.petitions.queries.intake import council_units
from hdnd.petitions.services import meetings as services

MAX_VOTERS = 1_000_000

COUNCIL = id_parameter("council_id", "The council's id.")
MEETING = id_parameter("meeting_id", "The meeting's id.")


def council_cycles(council: Council) -> Any:
    return SessionCycle.objects.filter(council_id=council.pk)


def council_units_of(council: Council) -> QuerySet[AdministrativeUnit]:
    return council_units(council=council)


def council_groups(council: Council) -> QuerySet[DelegateGroup]:
    return DelegateGroup.objects.filter(council_id=council.pk)


def eligible_seats(council: Council) -> QuerySet[Membership]:
    return queries.eligible_memberships(council=council)


def tree_agencies(council: Council) -> QuerySet[Agency]:
    return Agency.objects.filter(council_id__in=queries.council_tree_ids(council=council))


def meeting_data(request: Request, meeting_id: int) -> dict[str, Any]:
    meeting = queries.meeting_page(meeting_id=meeting_id)
    context = {"sees_identity": sees_identity(request, meeting.council_id)}
    return dict(MeetingDetailOutputSerializer(meeting, context=context).data)


# Reads


class CouncilCycleListApi(PetitionsApi):
    @extend_schema(
        operation_id="petition_cycles_list",
        tags=TAGS,
        summary="A council's session cycles, latest first",
        parameters=[COUNCIL, PageFilterSerializer],
        responses={200: CycleOutputSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request, council_id: str) -> Response:
        council = read_council(request, council_id)
        validated_query(PageFilterSerializer, request)
        cycles = (
            SessionCycle.objects.filter(council_id=council.pk)
            .select_related("term")
            .order_by("-session_date", "-id")
        )
        return paginated(
            request=request, view=self, queryset=cycles, serializer_class=CycleOutputSerializer
        )


class CouncilMeetingListApi(PetitionsApi):
    class FilterSerializer(PageFilterSerializer):
        cycle = CouncilRowField(
            rows=council_cycles,
            not_found=gettext_lazy("No session cycle of this council has this id."),
            required=False,
            help_text="Only meetings of this session cycle (id).",
        )
        status = EnumField(MeetingStatus, required=False)
        timing = EnumField(MeetingTiming, required=False)

    @extend_schema(
        operation_id="petition_meetings_list",
        tags=TAGS,
        summary="A council's voter-contact meetings, newest first",
        parameters=[COUNCIL, FilterSerializer],
        responses={200: MeetingListOutputSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request, council_id: str) -> Response:
        council = read_council_work(request, council_id)
        filters = validated_query(self.FilterSerializer, request, council)
        cycle = filters.get("cycle")
        meetings = queries.meeting_list(
            council_id=council.pk,
            cycle_id=cycle.pk if cycle is not None else None,
            status=filters.get("status", ""),
            timing=filters.get("timing", ""),
        )
        return paginated(
            request=request,
            view=self,
            queryset=meetings,
            serializer_class=MeetingListOutputSerializer,
        )


class MeetingDetailApi(PetitionsApi):
    @extend_schema(
        operation_id="petition_meetings_retrieve",
        tags=TAGS,
        summary="One voter-contact meeting, with its items, delegates and spot answers",
        parameters=[MEETING],
        responses={200: MeetingDetailOutputSerializer, **DETAIL_ERRORS},
    )
    def get(self, request: Request, meeting_id: str) -> Response:
        meeting = read_meeting(request, meeting_id)
        return Response(meeting_data(request, meeting.pk))


# Actions (people of the office or the delegate group's leader; the council's own token)


class MeetingFieldsSerializer(serializers.Serializer[Any]):
    """The fields of a meeting; all optional (a correction sends only what changes)."""

    cycle = CouncilRowField(
        rows=council_cycles,
        not_found=gettext_lazy("No session cycle of this council has this id."),
        required=False,
    )
    timing = EnumField(MeetingTiming, required=False)
    starts_at = serializers.DateTimeField(
        required=False, help_text="With a time zone offset; a time without one is Hanoi time."
    )
    unit = CouncilRowField(
        rows=council_units_of,
        not_found=gettext_lazy("This place is not in the council's area."),
        required=False,
        help_text="The administrative unit (id) where the meeting is held.",
    )
    format = EnumField(MeetingFormat, required=False)
    topic = serializers.CharField(required=False, allow_blank=True, max_length=300)
    venue = serializers.CharField(required=False, allow_blank=True, max_length=300)
    organisers = serializers.ListField(child=EnumField(Organiser), required=False, max_length=3)
    delegate_group = CouncilRowField(
        rows=council_groups,
        not_found=gettext_lazy("No delegate group of this council has this id."),
        required=False,
        allow_null=True,
    )
    delegates_present = CouncilRowsField(
        rows=eligible_seats,
        not_found=gettext_lazy("No seat of this council or its communes has one of these ids."),
        required=False,
        max_length=500,
        help_text="Seats (membership ids) of the delegates who attended.",
    )
    voters_attending = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=MAX_VOTERS
    )
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)

    class Meta:
        ref_name = "MeetingFields"


class CouncilMeetingCreateApi(PetitionsApi):
    class InputSerializer(MeetingFieldsSerializer):
        cycle = CouncilRowField(
            rows=council_cycles,
            not_found=gettext_lazy("No session cycle of this council has this id."),
        )
        timing = EnumField(MeetingTiming)
        starts_at = serializers.DateTimeField(
            help_text="With a time zone offset; a time without one is Hanoi time."
        )
        unit = CouncilRowField(
            rows=council_units_of,
            not_found=gettext_lazy("This place is not in the council's area."),
            help_text="The administrative unit (id) where the meeting is held.",
        )

        class Meta:
            ref_name = "MeetingCreate"

    @extend_schema(
        operation_id="petition_meetings_create",
        tags=TAGS,
        summary="Plan a voter-contact meeting (or record one after the fact: then mark it held)",
        description=(
            "The council's office, a delegate group's leader (for their group's meetings) "
            "or the council's API token with petitions:write."
        ),
        parameters=[COUNCIL],
        request=InputSerializer,
        responses={201: MeetingDetailOutputSerializer, **ACTION_ERRORS},
    )
    @open_to_tokens
    def post(self, request: Request, council_id: str) -> Response:
        council = read_council_work(request, council_id)
        data = validated_body(self.InputSerializer, request, council=council)
        if token_of(request) is None and not access.is_manager(request.user, council.pk):
            group = data.get("delegate_group")
            if group is None or not access.leads_group(request.user, group.pk):
                raise PermissionDenied(
                    _(
                        "Only the office or a delegate group's leader may record "
                        "voter-contact meetings."
                    )
                )
        meeting = services.create_meeting(
            council=council,
            actor=actor_of(request),
            cycle=data["cycle"],
            timing=data["timing"],
            starts_at=data["starts_at"],
            unit=data["unit"],
            meeting_format=data.get("format", MeetingFormat.IN_PERSON),
            topic=data.get("topic", ""),
            venue=data.get("venue", ""),
            organisers=data.get("organisers", []),
            delegate_group=data.get("delegate_group"),
            delegates_present=data.get("delegates_present", []),
            voters_attending=data.get("voters_attending"),
            notes=data.get("notes", ""),
        )
        return Response(meeting_data(request, meeting.pk), status=201)


class MeetingUpdateApi(PetitionsApi):
    class InputSerializer(MeetingFieldsSerializer):
        expected_version = expected_version_field()

        class Meta:
            ref_name = "MeetingUpdate"

    @extend_schema(
        operation_id="petition_meetings_partial_update",
        tags=TAGS,
        summary="Correct a meeting: send only the fields that change",
        parameters=[MEETING],
        request=InputSerializer,
        responses={200: MeetingDetailOutputSerializer, **ACTION_ERRORS},
    )
    @open_to_tokens
    def patch(self, request: Request, meeting_id: str) -> Response:
        meeting = manage_meeting(request, meeting_id)
        data = dict(validated_body(self.InputSerializer, request, council=meeting.council))
        version = data.pop("expected_version")
        services.update_meeting(
            meeting_id=meeting.pk, expected_version=version, actor=actor_of(request), changes=data
        )
        return Response(meeting_data(request, meeting.pk))


class MeetingMinutesApi(PetitionsApi):
    tokens_may_act = True
    parser_classes = [MultiPartParser]

    class InputSerializer(serializers.Serializer[Any]):
        expected_version = expected_version_field()
        minutes_file = serializers.FileField(
            help_text="The minutes (biên bản): PDF, DOCX, JPG or PNG."
        )

        class Meta:
            ref_name = "MeetingMinutesUpload"

    @extend_schema(
        operation_id="petition_meetings_minutes_update",
        tags=TAGS,
        summary="Upload the meeting's minutes (multipart/form-data)",
        parameters=[MEETING],
        request={"multipart/form-data": InputSerializer},
        responses={200: MeetingDetailOutputSerializer, **ACTION_ERRORS},
    )
    @open_to_tokens
    def put(self, request: Request, meeting_id: str) -> Response:
        meeting = manage_meeting(request, meeting_id)
        data = validated_body(self.InputSerializer, request)
        services.update_meeting(
            meeting_id=meeting.pk,
            expected_version=data["expected_version"],
            actor=actor_of(request),
            changes={"minutes_file": data["minutes_file"]},
        )
        return Response(meeting_data(request, meeting.pk))


class MeetingHeldApi(PetitionsApi):
    class InputSerializer(serializers.Serializer[Any]):
        expected_version = expected_version_field()
        voters_attending = serializers.IntegerField(min_value=1, max_value=MAX_VOTERS)

        class Meta:
            ref_name = "MeetingHeld"

    @extend_schema(
        operation_id="petition_meetings_held",
        tags=TAGS,
        summary="Record that a planned meeting took place, with how many voters attended",
        parameters=[MEETING],
        request=InputSerializer,
        responses={200: MeetingDetailOutputSerializer, **ACTION_ERRORS},
    )
    @open_to_tokens
    def post(self, request: Request, meeting_id: str) -> Response:
        meeting = manage_meeting(request, meeting_id)
        data = validated_body(self.InputSerializer, request)
        services.mark_meeting_held(
            meeting_id=meeting.pk,
            expected_version=data["expected_version"],
            actor=actor_of(request),
            voters_attending=data["voters_attending"],
        )
        return Response(meeting_data(request, meeting.pk))


class MeetingCancelApi(PetitionsApi):
    class InputSerializer(serializers.Serializer[Any]):
        expected_version = expected_version_field()
        reason = serializers.CharField(max_length=1000)

        class Meta:
            ref_name = "MeetingCancel"

    @extend_schema(
        operation_id="petition_meetings_cancel",
        tags=TAGS,
        summary="Cancel a planned meeting that has no items; the reason is kept",
        parameters=[MEETING],
        request=InputSerializer,
        responses={200: MeetingDetailOutputSerializer, **ACTION_ERRORS},
    )
    @open_to_tokens
    def post(self, request: Request, meeting_id: str) -> Response:
        meeting = manage_meeting(request, meeting_id)
        data = validated_body(self.InputSerializer, request)
        services.cancel_meeting(
            meeting_id=meeting.pk,
            expected_version=data["expected_version"],
            actor=actor_of(request),
            reason=data["reason"],
        )
        return Response(meeting_data(request, meeting.pk))


class MeetingSpotAnswerCreateApi(PetitionsApi):
    class InputSerializer(serializers.Serializer[Any]):
        official_name = serializers.CharField(max_length=150)
        official_title = serializers.CharField(required=False, allow_blank=True, max_length=200)
        agency = CouncilRowField(
            rows=tree_agencies,
            not_found=gettext_lazy("No agency of this council or its communes has this id."),
            required=False,
            allow_null=True,
        )
        item = serializers.IntegerField(
            required=False,
            allow_null=True,
            min_value=1,
            max_value=2**63 - 1,
            help_text="The voter item (id) of this meeting that the answer is about.",
        )
        text = serializers.CharField(max_length=10_000)
        settles_item = serializers.BooleanField(required=False, default=False)

        class Meta:
            ref_name = "SpotAnswerCreate"

    @extend_schema(
        operation_id="petition_meetings_spot_answers_create",
        tags=TAGS,
        summary="Record an answer an official gave at the meeting itself",
        parameters=[MEETING],
        request=InputSerializer,
        responses={201: SpotAnswerOutputSerializer, **ACTION_ERRORS},
    )
    @open_to_tokens
    def post(self, request: Request, meeting_id: str) -> Response:
        meeting = manage_meeting(request, meeting_id)
        data = validated_body(self.InputSerializer, request, council=meeting.council)
        item = None
        if data.get("item") is not None:
            item = VoterItem.objects.filter(id=data["item"], meeting_id=meeting.pk).first()
            if item is None:
                raise serializers.ValidationError({"item": [_("Choose an item of this meeting.")]})
        answer = services.add_spot_answer(
            meeting_id=meeting.pk,
            actor=actor_of(request),
            official_name=data["official_name"],
            official_title=data.get("official_title", ""),
            agency=data.get("agency"),
            item=item,
            text=data["text"],
            settles_item=data["settles_item"],
        )
        return Response(SpotAnswerOutputSerializer(answer).data, status=201)


# One address, two operations.


class CouncilMeetingsApi(CouncilMeetingListApi, CouncilMeetingCreateApi):
    pass


class MeetingApi(MeetingDetailApi, MeetingUpdateApi):
    pass


urlpatterns: list[URLPattern] = [
    path(
        "councils/<str:council_id>/cycles/", CouncilCycleListApi.as_view(), name="cycles-api-list"
    ),
    path(
        "councils/<str:council_id>/meetings/",
        CouncilMeetingsApi.as_view(),
        name="meetings-api-list",
    ),
    path("meetings/<str:meeting_id>/", MeetingApi.as_view(), name="meetings-api-detail"),
    path(
        "meetings/<str:meeting_id>/minutes/",
        MeetingMinutesApi.as_view(),
        name="meetings-api-minutes",
    ),
    path("meetings/<str:meeting_id>/held/", MeetingHeldApi.as_view(), name="meetings-api-held"),
    path(
        "meetings/<str:meeting_id>/cancel/", MeetingCancelApi.as_view(), name="meetings-api-cancel"
    ),
    path(
        "meetings/<str:meeting_id>/spot-answers/",
        MeetingSpotAnswerCreateApi.as_view(),
        name="meetings-api-spot-answers",
    ),
]
