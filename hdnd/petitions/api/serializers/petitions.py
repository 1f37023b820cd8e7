"""Consolidated petitions, their routing history and timeline as the API shows them."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hdnd.core.api import EnumField
from hdnd.councils.api.common import NamedRefSerializer, UnitRefSerializer
from hdnd.petitions.api.serializers.answers import AnswerOutputSerializer, RatingOutputSerializer
from hdnd.petitions.api.serializers.items import ItemSummarySerializer
from hdnd.petitions.api.serializers.refs import (
    CycleRefSerializer,
    DeadlineRuleRefSerializer,
    FieldRefSerializer,
    ItemRefSerializer,
    PersonNameSerializer,
    PetitionInCouncilRefSerializer,
    PetitionRefSerializer,
)
from hdnd.petitions.models import (
    AgencyRole,
    CompetenceLevel,
    EventKind,
    NotificationKind,
    Petition,
    PetitionStatus,
    ResultCategory,
    SuggestionStatus,
    Verdict,
)
from hdnd.petitions.queries.petitions import days_overdue, sessions_open


class PetitionListOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    council_id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    status = EnumField(PetitionStatus)
    status_label = serializers.CharField(source="get_status_display")
    field = FieldRefSerializer(allow_null=True)
    level = EnumField(CompetenceLevel, allow_blank=True)
    lead_agency = NamedRefSerializer(allow_null=True)
    current_cycle = CycleRefSerializer()
    raised_in_id = serializers.IntegerField()
    assigned_on = serializers.DateField(allow_null=True)
    due_on = serializers.DateField(allow_null=True)
    days_overdue = serializers.SerializerMethodField(
        help_text="Days past the deadline while the answer is awaited (0 if none)."
    )
    answered_on = serializers.DateField(allow_null=True)
    answered_on_time = serializers.BooleanField(allow_null=True)
    result = EnumField(ResultCategory, allow_blank=True)
    verdict = EnumField(Verdict, allow_blank=True)
    answer_published_on = serializers.DateField(allow_null=True)
    is_questioning_topic = serializers.BooleanField()
    item_count = serializers.IntegerField()
    voter_count = serializers.IntegerField()
    meeting_count = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    version = serializers.IntegerField(
        help_text="Send it back as `expected_version` with any change to this petition."
    )

    class Meta:
        ref_name = "PetitionListItem"

    def get_days_overdue(self, petition: Petition) -> int:
        return days_overdue(petition)


class RouteOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    agency = NamedRefSerializer()
    role = EnumField(AgencyRole)
    proposed_by_rule_id = serializers.IntegerField(allow_null=True)
    started_on = serializers.DateField()
    ended_on = serializers.DateField(allow_null=True)
    reason = serializers.CharField()

    class Meta:
        ref_name = "PetitionRoute"


class EventOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    kind = EnumField(EventKind)
    kind_label = serializers.CharField(source="get_kind_display")
    occurred_at = serializers.DateTimeField()
    actor = PersonNameSerializer(allow_null=True)
    summary = serializers.CharField()
    is_public = serializers.BooleanField()

    class Meta:
        ref_name = "PetitionEvent"


class PetitionDetailOutputSerializer(PetitionListOutputSerializer):
    text = serializers.CharField()
    unit = UnitRefSerializer(allow_null=True)
    tags = serializers.SerializerMethodField()
    raised_in = CycleRefSerializer()
    coordinating_agencies = NamedRefSerializer(many=True)
    committee = NamedRefSerializer(allow_null=True)
    deadline_rule = DeadlineRuleRefSerializer(allow_null=True)
    forwarded_reference = serializers.CharField()
    escalated_on = serializers.DateField(allow_null=True)
    sessions_open = serializers.SerializerMethodField(
        help_text="Sessions the petition has been carried across (kéo dài qua N kỳ họp)."
    )
    predecessor = PetitionInCouncilRefSerializer(allow_null=True)
    successors = PetitionInCouncilRefSerializer(many=True)
    merged_into = PetitionRefSerializer(allow_null=True)
    items = ItemSummarySerializer(many=True)
    routes = RouteOutputSerializer(many=True, help_text="Routing history, oldest first.")
    current_answer = serializers.SerializerMethodField(
        help_text="The answer in force, published or not yet."
    )
    ratings = RatingOutputSerializer(many=True, help_text="Evaluations, newest first.")
    public_events = serializers.SerializerMethodField(
        help_text="What voters see of the timeline; the whole one is at /events/."
    )

    class Meta:
        ref_name = "PetitionDetail"

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_tags(self, petition: Petition) -> list[str]:
        return [tag.name for tag in petition.tags.all()]

    def get_sessions_open(self, petition: Petition) -> int:
        return sessions_open(petition)

    # The two below read what petition_page() prefetched: no query per petition.

    @extend_schema_field(AnswerOutputSerializer(allow_null=True))
    def get_current_answer(self, petition: Petition) -> dict[str, Any] | None:
        answer = next((answer for answer in petition.answers.all() if answer.is_current), None)
        return None if answer is None else dict(AnswerOutputSerializer(answer).data)

    @extend_schema_field(EventOutputSerializer(many=True))
    def get_public_events(self, petition: Petition) -> list[Any]:
        events = [event for event in petition.events.all() if event.is_public]
        return list(EventOutputSerializer(events, many=True).data)


class DuplicateSuggestionOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    item = ItemRefSerializer()
    candidate = PetitionRefSerializer(help_text="The petition the item probably repeats.")
    candidate_status = EnumField(PetitionStatus, source="candidate.status")
    score = serializers.FloatField(help_text="Similarity from 0 to 1.")
    method = serializers.CharField()
    suggested_at = serializers.DateTimeField()
    status = EnumField(SuggestionStatus)

    class Meta:
        ref_name = "DuplicateSuggestion"


class SimilarPetitionOutputSerializer(serializers.Serializer[Any]):
    petition_id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    status = EnumField(PetitionStatus)
    score = serializers.FloatField(help_text="Similarity from 0 to 1.")
    method = serializers.CharField()

    class Meta:
        ref_name = "SimilarPetition"


class NotificationOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    petition = PetitionRefSerializer()
    kind = EnumField(NotificationKind)
    message = serializers.CharField()
    due_on = serializers.DateField(allow_null=True)
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)

    class Meta:
        ref_name = "PetitionNotification"
