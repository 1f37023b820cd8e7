"""API: consolidated petitions — the council's list, one petition with its items, routes,
answer and evaluations, its timeline — and the consolidation actions on them."""

from typing import Any

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from hdnd.core.api import EnumField, expected_version_field, paginated, validated_body
from hdnd.core.errors import NotFound
from hdnd.councils.api.common import (
    MAX_ID,
    PageFilterSerializer,
    id_parameter,
    path_id,
    search_field,
)
from hdnd.councils.models import AdministrativeUnit, Agency, Council
from hdnd.petitions import access
from hdnd.petitions.api.common import (
    ACTION_ERRORS,
    DETAIL_ERRORS,
    LIST_ERRORS,
    PERSON_REQUIRED,
    TAGS,
    CouncilRowField,
    CouncilRowsField,
    FieldCodeField,
    PersonRequired,
    PetitionsApi,
    actor_of,
    manage_council,
    petition_for,
    read_council,
    read_council_work,
    read_petition,
    sees_identity,
    token_of,
    validated_query,
    visible_petitions,
)
from hdnd.petitions.api.serializers.petitions import (
    DuplicateSuggestionOutputSerializer,
    EventOutputSerializer,
    NotificationOutputSerializer,
    PetitionDetailOutputSerializer,
    PetitionListOutputSerializer,
    SimilarPetitionOutputSerializer,
)
from hdnd.petitions.api.serializers.refs import PetitionRefSerializer
from hdnd.petitions.duplicates import similar_petitions
from hdnd.petitions.models import (
    CompetenceLevel,
    DuplicateSuggestion,
    Notification,
    Petition,
    PetitionEvent,
    PetitionStatus,
    Rating,
    SessionCycle,
    SuggestionStatus,
    VoterItem,
)
from hdnd.petitions.queries import petitions as queries
from hdnd.petitions.queries.intake import council_units
from hdnd.petitions.services import consolidation
from hdnd.petitions.services import deadlines as deadline_services

COUNCIL = id_parameter("council_id", "The council's id.")
PETITION = id_parameter("petition_id", "The petition's id.")
SUGGESTION = id_parameter("suggestion_id", "The duplicate suggestion's id.")


def council_agencies(council: Council) -> Any:
    return Agency.objects.filter(council_id=council.pk)


def council_cycles(council: Council) -> Any:
    return SessionCycle.objects.filter(council_id=council.pk)


def petition_detail(request: Request, petition: Petition) -> dict[str, Any]:
    """The detail shape of a petition, loaded in a fixed number of queries."""
    page = queries.petition_page(petition_id=petition.pk)
    prefetch_related_objects(
        [page],
        Prefetch(
            "ratings", queryset=Rating.objects.select_related("committee").order_by("-rated_at")
        ),
    )
    context = {"sees_identity": sees_identity(request, page.council_id)}
    return dict(PetitionDetailOutputSerializer(page, context=context).data)


# Reads


class CouncilPetitionListApi(PetitionsApi):
    class FilterSerializer(PageFilterSerializer):
        status = EnumField(PetitionStatus, required=False)
        field = FieldCodeField(required=False)
        level = EnumField(CompetenceLevel, required=False)
        agency = CouncilRowField(
            rows=council_agencies,
            not_found=gettext_lazy("No agency of this council has this id."),
            required=False,
            help_text="Only petitions led by this agency (id).",
        )
        cycle = CouncilRowField(
            rows=council_cycles,
            not_found=gettext_lazy("No session cycle of this council has this id."),
            required=False,
            help_text="Only petitions in this session cycle's report (id).",
        )
        due = serializers.ChoiceField(
            choices=[("overdue", "overdue"), ("due_soon", "due_soon")],
            required=False,
            help_text="overdue: past the deadline; due_soon: due within 7 days.",
        )
        q = search_field("Words of the title or text, with or without diacritics, or a code.")

    @extend_schema(
        operation_id="petitions_list",
        tags=TAGS,
        summary="A council's petitions (an agency's responders see only their agency's)",
        parameters=[COUNCIL, FilterSerializer],
        responses={200: PetitionListOutputSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request, council_id: str) -> Response:
        council = read_council(request, council_id)
        filters = validated_query(self.FilterSerializer, request, council)
        petitions = queries.petition_list(
            queries.filter_petitions(visible_petitions(request, council), filters)
        )
        return paginated(
            request=request,
            view=self,
            queryset=petitions,
            serializer_class=PetitionListOutputSerializer,
        )


class PetitionDetailApi(PetitionsApi):
    @extend_schema(
        operation_id="petitions_retrieve",
        tags=TAGS,
        summary="One petition: its items, routing history, current answer and evaluations",
        parameters=[PETITION],
        responses={200: PetitionDetailOutputSerializer, **DETAIL_ERRORS},
    )
    def get(self, request: Request, petition_id: str) -> Response:
        petition = read_petition(request, petition_id)
        return Response(petition_detail(request, petition))


class PetitionEventListApi(PetitionsApi):
    @extend_schema(
        operation_id="petitions_events_list",
        tags=TAGS,
        summary="The petition's whole timeline, oldest first",
        parameters=[PETITION, PageFilterSerializer],
        responses={200: EventOutputSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request, petition_id: str) -> Response:
        petition = read_petition(request, petition_id)
        validated_query(PageFilterSerializer, request)
        events = (
            PetitionEvent.objects.filter(petition=petition)
            .select_related("actor")
            .order_by("occurred_at", "id")
        )
        return paginated(
            request=request, view=self, queryset=events, serializer_class=EventOutputSerializer
        )


class CouncilDuplicateSuggestionListApi(PetitionsApi):
    @extend_schema(
        operation_id="petition_duplicate_suggestions_list",
        tags=TAGS,
        summary="Duplicate suggestions waiting for a person's decision, most similar first",
        parameters=[COUNCIL, PageFilterSerializer],
        responses={200: DuplicateSuggestionOutputSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request, council_id: str) -> Response:
        council = read_council_work(request, council_id)
        validated_query(PageFilterSerializer, request)
        suggestions = (
            DuplicateSuggestion.objects.filter(
                council_id=council.pk, status=SuggestionStatus.PENDING
            )
            .select_related("item", "candidate")
            .order_by("-score", "id")
        )
        return paginated(
            request=request,
            view=self,
            queryset=suggestions,
            serializer_class=DuplicateSuggestionOutputSerializer,
        )


class CouncilSimilarPetitionListApi(PetitionsApi):
    class FilterSerializer(serializers.Serializer[Any]):
        text = serializers.CharField(
            max_length=10_000, help_text="The text to compare, e.g. a new item's, while typing."
        )
        limit = serializers.IntegerField(required=False, default=5, min_value=1, max_value=20)

    @extend_schema(
        operation_id="petitions_similar_list",
        tags=TAGS,
        summary="The council's petitions a text probably repeats, best first (not paged)",
        description=(
            "Lexical and diacritics-insensitive. Merged and moved petitions are left out; "
            "answered ones stay, so that an older answer to the same request shows."
        ),
        parameters=[COUNCIL, FilterSerializer],
        responses={200: SimilarPetitionOutputSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request, council_id: str) -> Response:
        council = read_council_work(request, council_id)
        filters = validated_query(self.FilterSerializer, request, council)
        matches = similar_petitions(
            council_id=council.pk, text=filters["text"], limit=filters["limit"]
        )
        return Response(SimilarPetitionOutputSerializer(matches, many=True).data)


# The caller's notifications


class MyNotificationListApi(PetitionsApi):
    class FilterSerializer(PageFilterSerializer):
        unread = serializers.BooleanField(
            required=False, default=False, help_text="true: only the unread ones."
        )

    @extend_schema(
        operation_id="me_petition_notifications_list",
        tags=TAGS,
        summary="The signed-in person's petition notifications, newest first",
        parameters=[FilterSerializer],
        responses={200: NotificationOutputSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request) -> Response:
        if token_of(request) is not None:
            raise PersonRequired(PERSON_REQUIRED)
        filters = validated_query(self.FilterSerializer, request)
        notifications = Notification.objects.filter(
            user_id=int(request.user.pk or 0)
        ).select_related("petition")
        if filters["unread"]:
            notifications = notifications.filter(read_at__isnull=True)
        return paginated(
            request=request,
            view=self,
            queryset=notifications.order_by("-created_at", "-id"),
            serializer_class=NotificationOutputSerializer,
        )


class MarkedCountSerializer(serializers.Serializer[Any]):
    marked = serializers.IntegerField(help_text="How many notifications became read.")

    class Meta:
        ref_name = "MarkedCount"


class MyNotificationReadApi(PetitionsApi):
    class InputSerializer(serializers.Serializer[Any]):
        id = serializers.IntegerField(
            required=False,
            allow_null=True,
            default=None,
            min_value=1,
            max_value=MAX_ID,
            help_text="One notification (id); without it, all of them.",
        )

        class Meta:
            ref_name = "NotificationsRead"

    @extend_schema(
        operation_id="me_petition_notifications_read",
        tags=TAGS,
        summary="Mark one of your notifications read, or all of them",
        request=InputSerializer,
        responses={200: MarkedCountSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request) -> Response:
        data = validated_body(self.InputSerializer, request)
        marked = deadline_services.mark_notifications_read(
            user=request.user, notification_id=data["id"]
        )
        return Response({"marked": marked})


# Consolidation (the office's decisions; tokens are refused)


def council_free_items(council: Council) -> QuerySet[VoterItem]:
    return VoterItem.objects.filter(council_id=council.pk)


def council_petitions(council: Council) -> QuerySet[Petition]:
    return Petition.objects.filter(council_id=council.pk)


def council_units_of(council: Council) -> QuerySet[AdministrativeUnit]:
    return council_units(council=council)


def items_field(help_text: str) -> CouncilRowsField:
    return CouncilRowsField(
        rows=council_free_items,
        not_found=gettext_lazy("No voter item of this council has one of these ids."),
        min_length=1,
        max_length=consolidation.MAX_BATCH,
        help_text=help_text,
    )


class CouncilConsolidateApi(PetitionsApi):
    class InputSerializer(serializers.Serializer[Any]):
        items = items_field("The accepted voter items (ids), not yet in a petition.")
        title = serializers.CharField(max_length=consolidation.TITLE_LENGTH)
        text = serializers.CharField(max_length=consolidation.MAX_TEXT_LENGTH)
        field = FieldCodeField(required=False, allow_null=True, default=None)
        level = EnumField(CompetenceLevel, required=False, allow_blank=True, default="")
        unit = CouncilRowField(
            rows=council_units_of,
            not_found=gettext_lazy("This place is not in the council's area."),
            required=False,
            allow_null=True,
            default=None,
        )

        class Meta:
            ref_name = "Consolidate"

    @extend_schema(
        operation_id="petitions_consolidate",
        tags=TAGS,
        summary="Consolidate voter items into a new petition",
        parameters=[COUNCIL],
        request=InputSerializer,
        responses={201: PetitionDetailOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, council_id: str) -> Response:
        council = manage_council(request, council_id)
        data = validated_body(self.InputSerializer, request, council=council)
        petition = consolidation.consolidate_items(
            council_id=council.pk,
            item_ids=[item.pk for item in data["items"]],
            title=data["title"],
            text=data["text"],
            field_id=data["field"].pk if data["field"] else None,
            level=data["level"] or "",
            unit_id=data["unit"].pk if data["unit"] else None,
            actor=actor_of(request),
        )
        return Response(petition_detail(request, petition), status=201)


class CouncilConsolidateEachApi(PetitionsApi):
    class InputSerializer(serializers.Serializer[Any]):
        items = items_field("Voter items (ids) that repeat nothing: each becomes a petition.")

        class Meta:
            ref_name = "ConsolidateEach"

    @extend_schema(
        operation_id="petitions_consolidate_each",
        tags=TAGS,
        summary="Make each voter item a petition of its own (items that repeat nothing)",
        parameters=[COUNCIL],
        request=InputSerializer,
        responses={201: PetitionRefSerializer(many=True), **ACTION_ERRORS},
    )
    def post(self, request: Request, council_id: str) -> Response:
        council = manage_council(request, council_id)
        data = validated_body(self.InputSerializer, request, council=council)
        petitions = consolidation.consolidate_each(
            council_id=council.pk,
            item_ids=[item.pk for item in data["items"]],
            actor=actor_of(request),
        )
        return Response(PetitionRefSerializer(petitions, many=True).data, status=201)


class PetitionAddItemApi(PetitionsApi):
    class InputSerializer(serializers.Serializer[Any]):
        expected_version = expected_version_field()
        item = CouncilRowField(
            rows=council_free_items,
            not_found=gettext_lazy("No voter item of this council has this id."),
            help_text="The voter item (id) that joins the petition.",
        )
        suggestion = serializers.IntegerField(
            required=False,
            allow_null=True,
            default=None,
            min_value=1,
            max_value=MAX_ID,
            help_text="The duplicate suggestion (id) this confirms, if any.",
        )

        class Meta:
            ref_name = "PetitionAddItem"

    @extend_schema(
        operation_id="petitions_items_add",
        tags=TAGS,
        summary="Add a voter item to the petition (confirming a duplicate suggestion, or not)",
        parameters=[PETITION],
        request=InputSerializer,
        responses={200: PetitionDetailOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, petition_id: str) -> Response:
        petition = petition_for(request, petition_id, access.access_petition_manage)
        data = validated_body(self.InputSerializer, request, council=petition.council)
        consolidation.add_item_to_petition(
            item_id=data["item"].pk,
            petition_id=petition.pk,
            expected_version=data["expected_version"],
            suggestion_id=data["suggestion"],
            actor=actor_of(request),
        )
        return Response(petition_detail(request, petition))


class PetitionSplitApi(PetitionsApi):
    class InputSerializer(serializers.Serializer[Any]):
        expected_version = expected_version_field()
        items = items_field("The petition's voter items (ids) that leave it.")
        title = serializers.CharField(max_length=consolidation.TITLE_LENGTH)
        text = serializers.CharField(max_length=consolidation.MAX_TEXT_LENGTH)

        class Meta:
            ref_name = "PetitionSplit"

    @extend_schema(
        operation_id="petitions_split",
        tags=TAGS,
        summary="Split voter items off into a new petition (answers with the new petition)",
        parameters=[PETITION],
        request=InputSerializer,
        responses={201: PetitionDetailOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, petition_id: str) -> Response:
        petition = petition_for(request, petition_id, access.access_petition_manage)
        data = validated_body(self.InputSerializer, request, council=petition.council)
        new = consolidation.split_items(
            petition_id=petition.pk,
            item_ids=[item.pk for item in data["items"]],
            expected_version=data["expected_version"],
            title=data["title"],
            text=data["text"],
            actor=actor_of(request),
        )
        return Response(petition_detail(request, new), status=201)


class MergeSourceSerializer(serializers.Serializer[Any]):
    id = CouncilRowField(
        rows=council_petitions,
        not_found=gettext_lazy("No petition of this council has this id."),
        help_text="A petition (id) to merge into this one.",
    )
    expected_version = expected_version_field()

    class Meta:
        ref_name = "MergeSource"


class PetitionMergeApi(PetitionsApi):
    class InputSerializer(serializers.Serializer[Any]):
        expected_version = expected_version_field()
        sources = serializers.ListField(
            child=MergeSourceSerializer(),
            min_length=1,
            max_length=consolidation.MAX_BATCH,
            help_text="The petitions merged into this one, each with the version you loaded.",
        )

        class Meta:
            ref_name = "PetitionMerge"

    @extend_schema(
        operation_id="petitions_merge",
        tags=TAGS,
        summary="Merge other petitions into this one: their items move here",
        parameters=[PETITION],
        request=InputSerializer,
        responses={200: PetitionDetailOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, petition_id: str) -> Response:
        petition = petition_for(request, petition_id, access.access_petition_manage)
        data = validated_body(self.InputSerializer, request, council=petition.council)
        versions = {source["id"].pk: source["expected_version"] for source in data["sources"]}
        versions[petition.pk] = data["expected_version"]
        consolidation.merge_petitions(
            target_id=petition.pk,
            source_ids=[source["id"].pk for source in data["sources"]],
            expected_versions=versions,
            actor=actor_of(request),
        )
        return Response(petition_detail(request, petition))


class PetitionEditApi(PetitionsApi):
    class InputSerializer(serializers.Serializer[Any]):
        expected_version = expected_version_field()
        title = serializers.CharField(required=False, max_length=consolidation.TITLE_LENGTH)
        text = serializers.CharField(required=False, max_length=consolidation.MAX_TEXT_LENGTH)
        tags = serializers.ListField(
            child=serializers.CharField(max_length=80), required=False, max_length=20
        )

        class Meta:
            ref_name = "PetitionEdit"

    @extend_schema(
        operation_id="petitions_partial_update",
        tags=TAGS,
        summary="Edit the consolidated title, text or tags: send only what changes",
        description="The field and level change through /classification/ (re-routing).",
        parameters=[PETITION],
        request=InputSerializer,
        responses={200: PetitionDetailOutputSerializer, **ACTION_ERRORS},
    )
    def patch(self, request: Request, petition_id: str) -> Response:
        petition = petition_for(request, petition_id, access.access_petition_manage)
        data = validated_body(self.InputSerializer, request)
        tags = data.get("tags")
        if tags is None:
            tags = [tag.name for tag in petition.tags.all()]
        consolidation.edit_petition(
            petition_id=petition.pk,
            expected_version=data["expected_version"],
            title=data.get("title", petition.title),
            text=data.get("text", petition.text),
            tags=tags,
            actor=actor_of(request),
        )
        return Response(petition_detail(request, petition))


class DuplicateSuggestionRejectApi(PetitionsApi):
    @extend_schema(
        operation_id="petition_duplicate_suggestions_reject",
        tags=TAGS,
        summary="Decide that the item does not repeat the petition",
        description="To confirm a suggestion instead, add the item to the petition with it.",
        parameters=[SUGGESTION],
        request=None,
        responses={200: DuplicateSuggestionOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, suggestion_id: str) -> Response:
        pk = path_id(suggestion_id, message=_("This suggestion does not exist."))
        suggestion = DuplicateSuggestion.objects.filter(id=pk).first()
        if suggestion is None or not access.is_reader(request.user, suggestion.council_id):
            raise NotFound(_("This suggestion does not exist."))
        access.access_council_manage(user=request.user, council_id=suggestion.council_id)
        consolidation.reject_suggestion(suggestion_id=pk, actor=actor_of(request))
        decided = DuplicateSuggestion.objects.select_related("item", "candidate").get(id=pk)
        return Response(DuplicateSuggestionOutputSerializer(decided).data)


# One address, two operations.


class PetitionApi(PetitionDetailApi, PetitionEditApi):
    pass


urlpatterns: list[URLPattern] = [
    path(
        "councils/<str:council_id>/petitions/",
        CouncilPetitionListApi.as_view(),
        name="petitions-api-list",
    ),
    path(
        "councils/<str:council_id>/petitions/similar/",
        CouncilSimilarPetitionListApi.as_view(),
        name="petitions-api-similar",
    ),
    path(
        "councils/<str:council_id>/duplicate-suggestions/",
        CouncilDuplicateSuggestionListApi.as_view(),
        name="duplicate-suggestions-api-list",
    ),
    path(
        "me/petition-notifications/",
        MyNotificationListApi.as_view(),
        name="petition-notifications-api-list",
    ),
    path(
        "me/petition-notifications/read/",
        MyNotificationReadApi.as_view(),
        name="petition-notifications-api-read",
    ),
    path(
        "councils/<str:council_id>/petitions/consolidate/",
        CouncilConsolidateApi.as_view(),
        name="petitions-api-consolidate",
    ),
    path(
        "councils/<str:council_id>/petitions/consolidate-each/",
        CouncilConsolidateEachApi.as_view(),
        name="petitions-api-consolidate-each",
    ),
    path(
        "duplicate-suggestions/<str:suggestion_id>/reject/",
        DuplicateSuggestionRejectApi.as_view(),
        name="duplicate-suggestions-api-reject",
    ),
    path("petitions/<str:petition_id>/", PetitionApi.as_view(), name="petitions-api-detail"),
    path(
        "petitions/<str:petition_id>/items/",
        PetitionAddItemApi.as_view(),
        name="petitions-api-add-item",
    ),
    path(
        "petitions/<str:petition_id>/split/", PetitionSplitApi.as_view(), name="petitions-api-split"
    ),
    path(
        "petitions/<str:petition_id>/merge/", PetitionMergeApi.as_view(), name="petitions-api-merge"
    ),
    path(
        "petitions/<str:petition_id>/events/",
        PetitionEventListApi.as_view(),
        name="petitions-api-events",
    ),
]
