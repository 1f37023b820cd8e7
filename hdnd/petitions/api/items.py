"""API: voter items — the council's items with triage filters, one item — and intake:
receiving an item (open to the council's own systems through an API token), accepting it
or redirecting it in triage."""

from typing import Any

from django.db.models import Q, QuerySet
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from hdnd.core.api import EnumField, expected_version_field, paginated, validated_body
from hdnd.councils.api.common import PageFilterSerializer, id_parameter, search_field
from hdnd.councils.models import AdministrativeUnit, Council
from hdnd.lib.vietnamese import search_terms
from hdnd.petitions.api.common import (
    ACTION_ERRORS,
    DETAIL_ERRORS,
    LIST_ERRORS,
    TAGS,
    CouncilRowField,
    FieldCodeField,
    PetitionsApi,
    actor_of,
    manage_council,
    manage_item,
    open_to_tokens,
    read_council_work,
    read_item,
    sees_identity,
    validated_query,
)
from hdnd.petitions.api.serializers.items import ItemOutputSerializer
from hdnd.petitions.api.serializers.petitions import DuplicateSuggestionOutputSerializer
from hdnd.petitions.models import (
    Channel,
    CompetenceLevel,
    ContactMeeting,
    DuplicateSuggestion,
    ItemKind,
    SessionCycle,
    TriageStatus,
    VoterItem,
)
from hdnd.petitions.queries.intake import council_units
from hdnd.petitions.services import consolidation
from hdnd.petitions.services import intake as services

IDENTITY_FIELDS = ("voter_name", "voter_phone", "voter_email", "voter_address")
MAX_VOTERS = 1_000_000

COUNCIL = id_parameter("council_id", "The council's id.")
ITEM = id_parameter("item_id", "The voter item's id.")


def council_meetings(council: Council) -> QuerySet[ContactMeeting]:
    return ContactMeeting.objects.filter(council_id=council.pk)


def council_cycles(council: Council) -> QuerySet[SessionCycle]:
    return SessionCycle.objects.filter(council_id=council.pk)


def council_units_of(council: Council) -> QuerySet[AdministrativeUnit]:
    return council_units(council=council)


def item_rows() -> QuerySet[VoterItem]:
    """What an item's response shows, in a fixed number of queries."""
    return VoterItem.objects.select_related(
        "unit", "cycle", "field", "petition", "meeting"
    ).prefetch_related("tags")


def item_data(request: Request, item_id: int) -> dict[str, Any]:
    item = item_rows().get(id=item_id)
    context = {"sees_identity": sees_identity(request, item.council_id)}
    return dict(ItemOutputSerializer(item, context=context).data)


# Reads


class CouncilItemListApi(PetitionsApi):
    class FilterSerializer(PageFilterSerializer):
        triage_status = EnumField(TriageStatus, required=False)
        channel = EnumField(Channel, required=False)
        meeting = CouncilRowField(
            rows=council_meetings,
            not_found=gettext_lazy("No meeting of this council has this id."),
            required=False,
            help_text="Only items raised at this meeting (id).",
        )
        cycle = CouncilRowField(
            rows=council_cycles,
            not_found=gettext_lazy("No session cycle of this council has this id."),
            required=False,
            help_text="Only items of this session cycle (id).",
        )
        unconsolidated = serializers.BooleanField(
            required=False,
            allow_null=True,
            default=None,
            help_text="true: only items not yet part of a petition; false: only those that are.",
        )
        q = search_field("Words of the text, with or without diacritics, or an item code.")

    @extend_schema(
        operation_id="petition_items_list",
        tags=TAGS,
        summary="A council's voter items, newest first",
        parameters=[COUNCIL, FilterSerializer],
        responses={200: ItemOutputSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request, council_id: str) -> Response:
        council = read_council_work(request, council_id)
        filters = validated_query(self.FilterSerializer, request, council)
        items = item_rows().filter(council_id=council.pk)
        if filters.get("triage_status"):
            items = items.filter(triage_status=filters["triage_status"])
        if filters.get("channel"):
            items = items.filter(channel=filters["channel"])
        if filters.get("meeting") is not None:
            items = items.filter(meeting=filters["meeting"])
        if filters.get("cycle") is not None:
            items = items.filter(cycle=filters["cycle"])
        if filters.get("unconsolidated") is not None:
            items = items.filter(petition__isnull=filters["unconsolidated"])
        for term in search_terms(filters.get("q") or ""):
            items = items.filter(Q(search_text__contains=term) | Q(code__iexact=term))
        return paginated(
            request=request,
            view=self,
            queryset=items.order_by("-received_on", "-id"),
            serializer_class=ItemOutputSerializer,
            context={"sees_identity": sees_identity(request, council.pk)},
        )


class ItemDetailApi(PetitionsApi):
    @extend_schema(
        operation_id="petition_items_retrieve",
        tags=TAGS,
        summary="One voter item",
        parameters=[ITEM],
        responses={200: ItemOutputSerializer, **DETAIL_ERRORS},
    )
    def get(self, request: Request, item_id: str) -> Response:
        item = read_item(request, item_id)
        return Response(item_data(request, item.pk))


# Actions


class ItemFieldsSerializer(serializers.Serializer[Any]):
    """What describes an item; all optional (a correction sends only what changes)."""

    text = serializers.CharField(required=False, max_length=services.MAX_TEXT_LENGTH)
    voter_count = serializers.IntegerField(required=False, min_value=1, max_value=MAX_VOTERS)
    voter_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    voter_phone = serializers.CharField(required=False, allow_blank=True, max_length=40)
    voter_email = serializers.EmailField(required=False, allow_blank=True, max_length=254)
    voter_address = serializers.CharField(required=False, allow_blank=True, max_length=300)
    unit = CouncilRowField(
        rows=council_units_of,
        not_found=gettext_lazy("This place is not in the council's area."),
        required=False,
        allow_null=True,
        help_text="The administrative unit (id) the item is about.",
    )
    place = serializers.CharField(required=False, allow_blank=True, max_length=300)
    field = FieldCodeField(required=False, allow_null=True)
    level = EnumField(CompetenceLevel, required=False, allow_blank=True)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=services.TAG_NAME_LENGTH),
        required=False,
        max_length=services.MAX_TAGS,
    )


class CouncilItemCreateApi(PetitionsApi):
    class InputSerializer(ItemFieldsSerializer):
        channel = EnumField(
            Channel,
            required=False,
            default=Channel.API,
            help_text="How the item arrived (default: api).",
        )
        text = serializers.CharField(max_length=services.MAX_TEXT_LENGTH)
        received_on = serializers.DateField(
            required=False, help_text="Default: the meeting's day, else today."
        )
        meeting = CouncilRowField(
            rows=council_meetings,
            not_found=gettext_lazy("No meeting of this council has this id."),
            required=False,
            allow_null=True,
            help_text="The meeting (id) it was raised at; required for the channel meeting.",
        )
        cycle = CouncilRowField(
            rows=council_cycles,
            not_found=gettext_lazy("No session cycle of this council has this id."),
            required=False,
            allow_null=True,
            help_text="Default: the meeting's cycle, else the next session's.",
        )
        source_system = serializers.CharField(required=False, allow_blank=True, max_length=40)
        source_id = serializers.CharField(
            required=False,
            allow_blank=True,
            max_length=100,
            help_text="The item's id in the source system: sending it again is a 409.",
        )

        class Meta:
            ref_name = "VoterItemCreate"

    @extend_schema(
        operation_id="petition_items_create",
        tags=TAGS,
        summary="Receive a voter item",
        description=(
            "The council's office, or the council's API token with petitions:write (another "
            "system feeding items in). Items heard at a meeting or imported are accepted at "
            "once; the others wait for triage. A `source_id` already received answers 409."
        ),
        parameters=[COUNCIL],
        request=InputSerializer,
        responses={201: ItemOutputSerializer, **ACTION_ERRORS},
    )
    @open_to_tokens
    def post(self, request: Request, council_id: str) -> Response:
        council = manage_council(request, council_id)
        data = validated_body(self.InputSerializer, request, council=council)
        item = services.receive_item(
            council=council,
            actor=actor_of(request),
            channel=data["channel"],
            text=data["text"],
            received_on=data.get("received_on"),
            voter_count=data.get("voter_count", 1),
            voter_name=data.get("voter_name", ""),
            voter_phone=data.get("voter_phone", ""),
            voter_email=data.get("voter_email", ""),
            voter_address=data.get("voter_address", ""),
            unit=data.get("unit"),
            place=data.get("place", ""),
            field=data.get("field"),
            level=data.get("level", ""),
            tags=data.get("tags", []),
            meeting=data.get("meeting"),
            cycle=data.get("cycle"),
            source_system=data.get("source_system", ""),
            source_id=data.get("source_id", ""),
        )
        return Response(item_data(request, item.pk), status=201)


class ItemUpdateApi(PetitionsApi):
    class InputSerializer(ItemFieldsSerializer):
        expected_version = expected_version_field()

        class Meta:
            ref_name = "VoterItemUpdate"

    @extend_schema(
        operation_id="petition_items_partial_update",
        tags=TAGS,
        summary="Correct a voter item: send only the fields that change",
        description=(
            "Its text and number of voters are fixed once it is part of a petition. The "
            "voter's identity may be changed only by those who may see it."
        ),
        parameters=[ITEM],
        request=InputSerializer,
        responses={200: ItemOutputSerializer, **ACTION_ERRORS},
    )
    def patch(self, request: Request, item_id: str) -> Response:
        item = manage_item(request, item_id, group_leader_may=True)
        data = dict(validated_body(self.InputSerializer, request, council=item.council))
        hidden = [name for name in IDENTITY_FIELDS if name in data]
        if hidden and not sees_identity(request, item.council_id):
            raise serializers.ValidationError(
                {name: [_("You may not see or change the voter's identity.")] for name in hidden}
            )
        version = data.pop("expected_version")
        if "level" in data:
            data["level"] = data["level"] or ""
        services.update_item(
            item_id=item.pk, expected_version=version, actor=actor_of(request), changes=data
        )
        return Response(item_data(request, item.pk))


class ItemAcceptApi(PetitionsApi):
    class InputSerializer(serializers.Serializer[Any]):
        expected_version = expected_version_field()
        reason = serializers.CharField(
            required=False,
            allow_blank=True,
            default="",
            max_length=1000,
            help_text="Required when the item had been redirected.",
        )

        class Meta:
            ref_name = "VoterItemAccept"

    @extend_schema(
        operation_id="petition_items_accept",
        tags=TAGS,
        summary="Triage: accept the item as a voter petition",
        parameters=[ITEM],
        request=InputSerializer,
        responses={200: ItemOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, item_id: str) -> Response:
        item = manage_item(request, item_id)
        data = validated_body(self.InputSerializer, request)
        services.accept_item(
            item_id=item.pk,
            expected_version=data["expected_version"],
            actor=actor_of(request),
            reason=data["reason"],
        )
        return Response(item_data(request, item.pk))


class ItemRedirectApi(PetitionsApi):
    class InputSerializer(serializers.Serializer[Any]):
        expected_version = expected_version_field()
        kind = serializers.ChoiceField(
            choices=[kind for kind in ItemKind.choices if kind[0] in services.REDIRECT_KINDS],
            help_text="What the item really is.",
        )
        redirected_to = serializers.CharField(
            max_length=300, help_text="Where it was sent (e.g. the citizen reception office)."
        )
        reason = serializers.CharField(max_length=1000)

        class Meta:
            ref_name = "VoterItemRedirect"

    @extend_schema(
        operation_id="petition_items_redirect",
        tags=TAGS,
        summary="Triage: mark a complaint, denunciation or field report and redirect it",
        parameters=[ITEM],
        request=InputSerializer,
        responses={200: ItemOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, item_id: str) -> Response:
        item = manage_item(request, item_id)
        data = validated_body(self.InputSerializer, request)
        services.redirect_item(
            item_id=item.pk,
            expected_version=data["expected_version"],
            kind=data["kind"],
            redirected_to=data["redirected_to"],
            reason=data["reason"],
            actor=actor_of(request),
        )
        return Response(item_data(request, item.pk))


class ItemSuggestDuplicatesApi(PetitionsApi):
    @extend_schema(
        operation_id="petition_items_suggest_duplicates",
        tags=TAGS,
        summary="Look for petitions the item repeats; answers its pending suggestions",
        description=(
            "Safe to call again: a pair is suggested once, and a pair a person rejected is "
            "not suggested again. A person then confirms (adds the item to the petition) or "
            "rejects each suggestion."
        ),
        parameters=[ITEM],
        request=None,
        responses={200: DuplicateSuggestionOutputSerializer(many=True), **ACTION_ERRORS},
    )
    @open_to_tokens
    def post(self, request: Request, item_id: str) -> Response:
        item = manage_item(request, item_id)
        pending = consolidation.suggest_duplicates_for_item(item_id=item.pk)
        suggestions = (
            DuplicateSuggestion.objects.filter(id__in=[suggestion.pk for suggestion in pending])
            .select_related("item", "candidate")
            .order_by("-score", "id")
        )
        return Response(DuplicateSuggestionOutputSerializer(suggestions, many=True).data)


# One address, two operations.


class CouncilItemsApi(CouncilItemListApi, CouncilItemCreateApi):
    pass


class ItemApi(ItemDetailApi, ItemUpdateApi):
    pass


urlpatterns: list[URLPattern] = [
    path("councils/<str:council_id>/items/", CouncilItemsApi.as_view(), name="items-api-list"),
    path("items/<str:item_id>/", ItemApi.as_view(), name="items-api-detail"),
    path("items/<str:item_id>/accept/", ItemAcceptApi.as_view(), name="items-api-accept"),
    path("items/<str:item_id>/redirect/", ItemRedirectApi.as_view(), name="items-api-redirect"),
    path(
        "items/<str:item_id>/suggest-duplicates/",
        ItemSuggestDuplicatesApi.as_view(),
        name="items-api-suggest-duplicates",
    ),
]
