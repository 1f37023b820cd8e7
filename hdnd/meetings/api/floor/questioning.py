"""API: questioning in a council meeting — questioning topics (listed with their
respondents and linked voter petitions, added, edited); questions registered, listed,
reordered, called, answered and withdrawn. One topic lives under `questioning-topics/`,
one question under `questions/`.
"""

from collections.abc import Callable
from typing import Any

from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from hdnd.core.api import EnumField, fields_named, validated_body
from hdnd.meetings import access
from hdnd.meetings.api.floor.common import (
    ACTION_ERRORS,
    MEETING,
    QUESTION,
    READ_ERRORS,
    TAGS,
    TOPIC,
    FloorApi,
    PersonRefSerializer,
    _id_field,
    _meeting_pk,
    _version_field,
)
from hdnd.meetings.api.rows import meeting_row
from hdnd.meetings.models import Meeting, Question, QuestionKind, QuestionStatus, QuestionTopic
from hdnd.meetings.queries import questioning as question_queries
from hdnd.meetings.services import questioning as question_services
from hdnd.meetings.services import speaking as speaking_services

# Bounds of the id lists a topic takes (a council invites a few dozen officials at most).
MAX_TOPIC_RESPONDENTS = 100
MAX_TOPIC_PETITIONS = 500

# The services' field names in a refusal → this API's body keys.
TOPIC_FIELDS = {
    "respondents": "respondent_ids",
    "petitions": "petition_ids",
    "agenda_item": "agenda_item_id",
}
QUESTION_FIELDS = {
    "respondent": "respondent_id",
    "topic": "topic_id",
    "follows": "follows_id",
    "asker": "asker_id",
}


def _question_meeting(question_id: str, *, user: Any, check: Callable[..., Any]) -> tuple[int, Any]:
    """The row's id and what `check` gives on its meeting (a hidden meeting: the row's 404)."""
    return meeting_row(
        Question, question_id, user=user, check=check, message=_("This question does not exist.")
    )


def _topic_meeting(topic_id: str, *, user: Any, check: Callable[..., Any]) -> tuple[int, Any]:
    """The row's id and what `check` gives on its meeting (a hidden meeting: the row's 404)."""
    return meeting_row(
        QuestionTopic,
        topic_id,
        user=user,
        check=check,
        message=_("This questioning topic does not exist."),
    )


# Output.


class QuestionOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    topic_id = serializers.IntegerField(allow_null=True)
    kind = EnumField(QuestionKind)
    follows_id = serializers.IntegerField(allow_null=True)
    asker = PersonRefSerializer()
    respondent = PersonRefSerializer()
    text = serializers.CharField()
    registered_live = serializers.BooleanField()
    status = EnumField(QuestionStatus)
    position = serializers.IntegerField()
    answer = serializers.CharField()
    asked_at = serializers.DateTimeField(allow_null=True)
    answered_at = serializers.DateTimeField(allow_null=True)
    answer_seconds = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField()
    version = serializers.IntegerField()

    class Meta:
        ref_name = "Question"


def _question_body(question_id: int) -> dict[str, Any]:
    question = Question.objects.select_related("asker__person", "respondent__person").get(
        id=question_id
    )
    return QuestionOutputSerializer(question).data


class TopicPetitionSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()

    class Meta:
        ref_name = "QuestionTopicPetition"


class TopicOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    position = serializers.IntegerField()
    agenda_item_id = serializers.IntegerField(allow_null=True)
    respondents = PersonRefSerializer(
        many=True, help_text="The officials answering on this topic (any respondent if none)."
    )
    petitions = TopicPetitionSerializer(
        many=True, help_text="The voter petitions flagged as questioning topics it takes up."
    )

    class Meta:
        ref_name = "QuestionTopic"


def _topic_body(meeting: Meeting, topic_id: int) -> dict[str, Any]:
    return TopicOutputSerializer(question_queries.topics_of(meeting).get(id=topic_id)).data


# Questioning.


RESPONDENTS_HELP = (
    "The respondent participants answering on this topic; any other participant is refused (400)."
)
PETITIONS_HELP = (
    "Voter petitions of the meeting's council flagged as questioning topics; any other "
    "is refused (400)."
)


def _id_list(*, max_length: int, help_text: str, **kwargs: Any) -> serializers.ListField:
    return serializers.ListField(
        child=_id_field(), max_length=max_length, help_text=help_text, **kwargs
    )


class TopicsApi(FloorApi):
    class InputSerializer(serializers.Serializer[Any]):
        title = serializers.CharField(max_length=question_services.TITLE_MAX_LENGTH)
        respondent_ids = _id_list(
            max_length=MAX_TOPIC_RESPONDENTS,
            help_text=RESPONDENTS_HELP,
            required=False,
            default=list,
        )
        petition_ids = _id_list(
            max_length=MAX_TOPIC_PETITIONS, help_text=PETITIONS_HELP, required=False, default=list
        )
        agenda_item_id = _id_field(required=False, allow_null=True, default=None)

        class Meta:
            ref_name = "QuestionTopicCreate"

    @extend_schema(
        operation_id="council_meetings_question_topics_list",
        tags=TAGS,
        summary="The meeting's questioning topics, with their respondents and voter petitions",
        parameters=[MEETING],
        responses={200: TopicOutputSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request: Request, meeting_id: str) -> Response:
        meeting = access.access_meeting(user=request.user, meeting_id=_meeting_pk(meeting_id))
        topics = question_queries.topics_of(meeting)
        return Response(TopicOutputSerializer(topics, many=True).data)

    @extend_schema(
        operation_id="council_meetings_question_topics_add",
        tags=TAGS,
        summary="Add a questioning topic (the chair or the office)",
        parameters=[MEETING],
        request=InputSerializer,
        responses={201: TopicOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, meeting_id: str) -> Response:
        meeting = access.access_meeting_run(user=request.user, meeting_id=_meeting_pk(meeting_id))
        data = validated_body(self.InputSerializer, request)
        with fields_named(**TOPIC_FIELDS):
            topic = question_services.add_topic(
                meeting_id=meeting.pk,
                actor=request.user,
                title=data["title"],
                respondent_ids=data["respondent_ids"],
                petition_ids=data["petition_ids"],
                agenda_item_id=data["agenda_item_id"],
            )
        return Response(_topic_body(meeting, topic.pk), status=201)


class TopicApi(FloorApi):
    class InputSerializer(serializers.Serializer[Any]):
        title = serializers.CharField(max_length=question_services.TITLE_MAX_LENGTH)
        respondent_ids = _id_list(max_length=MAX_TOPIC_RESPONDENTS, help_text=RESPONDENTS_HELP)
        petition_ids = _id_list(max_length=MAX_TOPIC_PETITIONS, help_text=PETITIONS_HELP)

        class Meta:
            ref_name = "QuestionTopicUpdate"

    @extend_schema(
        operation_id="council_meetings_question_topics_update",
        tags=TAGS,
        summary="Edit a questioning topic: its title, respondents and voter petitions, all "
        "replaced (the chair or the office)",
        parameters=[TOPIC],
        request=InputSerializer,
        responses={200: TopicOutputSerializer, **ACTION_ERRORS},
    )
    def put(self, request: Request, topic_id: str) -> Response:
        pk, meeting = _topic_meeting(topic_id, user=request.user, check=access.access_meeting_run)
        data = validated_body(self.InputSerializer, request)
        with fields_named(**TOPIC_FIELDS):
            question_services.edit_topic(
                topic_id=pk,
                actor=request.user,
                title=data["title"],
                respondent_ids=data["respondent_ids"],
                petition_ids=data["petition_ids"],
            )
        return Response(_topic_body(meeting, pk))


class QuestionsApi(FloorApi):
    class InputSerializer(serializers.Serializer[Any]):
        text = serializers.CharField(max_length=question_services.TEXT_MAX_LENGTH)
        kind = EnumField(QuestionKind, required=False, default=QuestionKind.QUESTION)
        respondent_id = _id_field(
            required=False,
            allow_null=True,
            default=None,
            help_text="The respondent participant; a follow-up defaults to its question's.",
        )
        topic_id = _id_field(required=False, allow_null=True, default=None)
        follows_id = _id_field(
            required=False,
            allow_null=True,
            default=None,
            help_text="Required for a follow-up or a debate: the question it follows.",
        )
        asker_id = _id_field(
            required=False,
            allow_null=True,
            default=None,
            help_text="The office registers for a delegate; by default the caller asks.",
        )

        class Meta:
            ref_name = "QuestionCreate"

    @extend_schema(
        operation_id="council_meetings_questions_list",
        tags=TAGS,
        summary="The meeting's questions, in order (follow-ups name the question followed)",
        parameters=[MEETING],
        responses={200: QuestionOutputSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request: Request, meeting_id: str) -> Response:
        meeting = access.access_meeting(user=request.user, meeting_id=_meeting_pk(meeting_id))
        questions = question_queries.questions_of(meeting)
        return Response(QuestionOutputSerializer(questions, many=True).data)

    @extend_schema(
        operation_id="council_meetings_questions_register",
        tags=TAGS,
        summary="Register a question, a follow-up or a debate",
        parameters=[MEETING],
        request=InputSerializer,
        responses={201: QuestionOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, meeting_id: str) -> Response:
        meeting = access.access_meeting(user=request.user, meeting_id=_meeting_pk(meeting_id))
        data = validated_body(self.InputSerializer, request)
        with fields_named(**QUESTION_FIELDS):
            question = question_services.register_question(
                meeting_id=meeting.pk,
                actor=request.user,
                text=data["text"],
                kind=data["kind"],
                respondent_id=data["respondent_id"],
                topic_id=data["topic_id"],
                follows_id=data["follows_id"],
                asker_id=data["asker_id"],
            )
        return Response(_question_body(question.pk), status=201)


class QuestionCallApi(FloorApi):
    class InputSerializer(serializers.Serializer[Any]):
        expected_version = _version_field()

        class Meta:
            ref_name = "QuestionCall"

    @extend_schema(
        operation_id="council_meetings_question_call",
        tags=TAGS,
        summary="Call a registered question (the chair or the office; one at a time)",
        parameters=[QUESTION],
        request=InputSerializer,
        responses={200: QuestionOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, question_id: str) -> Response:
        pk, _meeting = _question_meeting(
            question_id, user=request.user, check=access.access_meeting_run
        )
        data = validated_body(self.InputSerializer, request)
        question_services.call_question(
            question_id=pk, actor=request.user, expected_version=data["expected_version"]
        )
        return Response(_question_body(pk))


class QuestionAnswerApi(FloorApi):
    class InputSerializer(serializers.Serializer[Any]):
        answer = serializers.CharField(
            required=False,
            allow_blank=True,
            default="",
            max_length=question_services.ANSWER_MAX_LENGTH,
        )
        expected_version = _version_field()

        class Meta:
            ref_name = "QuestionAnswer"

    @extend_schema(
        operation_id="council_meetings_question_answer",
        tags=TAGS,
        summary="Record that the question was answered (the answer text is optional)",
        parameters=[QUESTION],
        request=InputSerializer,
        responses={200: QuestionOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, question_id: str) -> Response:
        pk, _meeting = _question_meeting(
            question_id, user=request.user, check=access.access_meeting_run
        )
        data = validated_body(self.InputSerializer, request)
        question_services.record_answer(
            question_id=pk,
            actor=request.user,
            answer=data["answer"],
            expected_version=data["expected_version"],
        )
        return Response(_question_body(pk))


class QuestionWithdrawApi(FloorApi):
    class InputSerializer(serializers.Serializer[Any]):
        expected_version = _version_field()

        class Meta:
            ref_name = "QuestionWithdraw"

    @extend_schema(
        operation_id="council_meetings_question_withdraw",
        tags=TAGS,
        summary="Withdraw a registered question (its asker, the chair or the office)",
        parameters=[QUESTION],
        request=InputSerializer,
        responses={200: QuestionOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, question_id: str) -> Response:
        pk, _meeting = _question_meeting(
            question_id, user=request.user, check=access.access_meeting
        )
        data = validated_body(self.InputSerializer, request)
        question_services.withdraw_question(
            question_id=pk, actor=request.user, expected_version=data["expected_version"]
        )
        return Response(_question_body(pk))


class QuestionMoveApi(FloorApi):
    class InputSerializer(serializers.Serializer[Any]):
        move = serializers.ChoiceField(choices=[one.value for one in speaking_services.Move])
        expected_version = _version_field()

        class Meta:
            ref_name = "QuestionMove"

    @extend_schema(
        operation_id="council_meetings_question_move",
        tags=TAGS,
        summary="Move a registered question up, down or to the top (the chair or the office)",
        parameters=[QUESTION],
        request=InputSerializer,
        responses={200: QuestionOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, question_id: str) -> Response:
        pk, _meeting = _question_meeting(
            question_id, user=request.user, check=access.access_meeting_run
        )
        data = validated_body(self.InputSerializer, request)
        question_services.move_question(
            question_id=pk,
            actor=request.user,
            move=data["move"],
            expected_version=data["expected_version"],
        )
        return Response(_question_body(pk))


urlpatterns: list[URLPattern] = [
    path("council-meetings/<str:meeting_id>/questioning-topics/", TopicsApi.as_view()),
    path("questioning-topics/<str:topic_id>/", TopicApi.as_view()),
    path("council-meetings/<str:meeting_id>/questions/", QuestionsApi.as_view()),
    path("questions/<str:question_id>/call/", QuestionCallApi.as_view()),
    path("questions/<str:question_id>/answer/", QuestionAnswerApi.as_view()),
    path("questions/<str:question_id>/withdraw/", QuestionWithdrawApi.as_view()),
    path("questions/<str:question_id>/move/", QuestionMoveApi.as_view()),
]
