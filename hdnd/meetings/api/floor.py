"""API: the floor and questioning of a council meeting — the list of speakers and the log,
asking to speak, withdrawing, reordering, a speaker's time limit, the chair granting and
ending the floor; questioning topics (listed with their respondents and linked voter
petitions, added, edited); questions registered, listed, reordered, called, answered and
withdrawn.

Meetings of the council live under `council-meetings/` (`meetings/` is the petitions'
voter-contact meetings). Only people signed in call these endpoints: an API token is
refused (the floor is a person's act). Access is exactly the pages' (hdnd/meetings/
access.py): readers of the meeting read; participants ask; the chair or the office run.
Errors have the one JSON shape of hdnd/core/api.py."""

from collections.abc import Callable
from typing import Any

from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hdnd.accounts.api_permissions import HasScope
from hdnd.core.api import MAX_VERSION, EnumField, ErrorSerializer, error_responses, validated_body
from hdnd.core.errors import NotFound
from hdnd.councils.api.common import MAX_ID, id_parameter, path_id
from hdnd.meetings import access
from hdnd.meetings.models import (
    Meeting,
    Question,
    QuestionKind,
    QuestionStatus,
    QuestionTopic,
    SpeechKind,
    SpeechRequest,
    SpeechStatus,
)
from hdnd.meetings.queries import questioning as question_queries
from hdnd.meetings.queries import speaking as speaking_queries
from hdnd.meetings.services import questioning as question_services
from hdnd.meetings.services import speaking as speaking_services

TAGS = ["meetings"]
MEETING = id_parameter("meeting_id", "The council meeting's id.")
SPEECH = id_parameter("request_id", "The request to speak's id.")
QUESTION = id_parameter("question_id", "The question's id.")
TOPIC = id_parameter("topic_id", "The questioning topic's id.")

# Bounds of the id lists a topic takes (a council invites a few dozen officials at most).
MAX_TOPIC_RESPONDENTS = 100
MAX_TOPIC_PETITIONS = 500

READ_ERRORS = error_responses(401, 403, 404)
ACTION_ERRORS = {
    **error_responses(400, 401, 403, 404),
    409: OpenApiResponse(
        ErrorSerializer,
        description=(
            "Refused in the current state: code not_allowed_now (someone has the floor, the "
            "request is no longer open…) or stale_version."
        ),
    ),
}


# The base of these endpoints: people signed in; tokens (no scope named) are refused.
class FloorApi(APIView):
    permission_classes = [IsAuthenticated, HasScope]


def _meeting_pk(meeting_id: str) -> int:
    return path_id(meeting_id, message=pgettext("council meeting", "This meeting does not exist."))


def _speech_meeting(request_id: str, *, user: Any, check: Callable[..., Any]) -> tuple[int, Any]:
    """The row's id and what `check` gives on its meeting (a hidden meeting: the row's 404)."""
    message = _("This request to speak does not exist.")
    pk = path_id(request_id, message=message)
    meeting_id = (
        SpeechRequest.objects.filter(id=pk).values_list("agenda_item__meeting_id", flat=True)
    ).first()
    if meeting_id is None:
        raise NotFound(message)
    return pk, access.access_row(check, user=user, meeting_id=int(meeting_id), message=message)


def _question_meeting(question_id: str, *, user: Any, check: Callable[..., Any]) -> tuple[int, Any]:
    """The row's id and what `check` gives on its meeting (a hidden meeting: the row's 404)."""
    message = _("This question does not exist.")
    pk = path_id(question_id, message=message)
    meeting_id = Question.objects.filter(id=pk).values_list("meeting_id", flat=True).first()
    if meeting_id is None:
        raise NotFound(message)
    return pk, access.access_row(check, user=user, meeting_id=int(meeting_id), message=message)


def _topic_meeting(topic_id: str, *, user: Any, check: Callable[..., Any]) -> tuple[int, Any]:
    """The row's id and what `check` gives on its meeting (a hidden meeting: the row's 404)."""
    message = _("This questioning topic does not exist.")
    pk = path_id(topic_id, message=message)
    meeting_id = QuestionTopic.objects.filter(id=pk).values_list("meeting_id", flat=True).first()
    if meeting_id is None:
        raise NotFound(message)
    return pk, access.access_row(check, user=user, meeting_id=int(meeting_id), message=message)


# Output.


class PersonRefSerializer(serializers.Serializer[Any]):
    participant_id = serializers.IntegerField(source="pk")
    name = serializers.CharField(source="person.full_name")
    role = serializers.CharField()
    title = serializers.CharField()

    class Meta:
        ref_name = "FloorParticipant"


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


def _speech_body(speech_id: int) -> dict[str, Any]:
    speech = SpeechRequest.objects.select_related("participant__person").get(id=speech_id)
    return SpeechOutputSerializer(speech).data


def _id_field(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def _version_field() -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1,
        max_value=MAX_VERSION,
        required=False,
        allow_null=True,
        default=None,
        help_text="The question's `version` as loaded; a stale one is refused with 409.",
    )


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


# Questioning.


RESPONDENTS_HELP = (
    "The respondent participants answering on this topic; any other participant is "
    "refused (400, field `respondents`)."
)
PETITIONS_HELP = (
    "Voter petitions of the meeting's council flagged as questioning topics; any other "
    "is refused (400, field `petitions`)."
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


urlpatterns = [
    path("council-meetings/<str:meeting_id>/speakers/", FloorApiView.as_view()),
    path("council-meetings/<str:meeting_id>/speakers/add/", SpeakerAddApi.as_view()),
    path("council-meetings/<str:meeting_id>/speakers/log/", SpeechLogApi.as_view()),
    path("council-meetings/<str:meeting_id>/floor/grant/", FloorGrantApi.as_view()),
    path("council-meetings/<str:meeting_id>/floor/end/", FloorEndApi.as_view()),
    path("speech-requests/<str:request_id>/withdraw/", SpeechWithdrawApi.as_view()),
    path("speech-requests/<str:request_id>/move/", SpeechMoveApi.as_view()),
    path("speech-requests/<str:request_id>/limit/", SpeechLimitApi.as_view()),
    path("council-meetings/<str:meeting_id>/questioning-topics/", TopicsApi.as_view()),
    path("questioning-topics/<str:topic_id>/", TopicApi.as_view()),
    path("council-meetings/<str:meeting_id>/questions/", QuestionsApi.as_view()),
    path("questions/<str:question_id>/call/", QuestionCallApi.as_view()),
    path("questions/<str:question_id>/answer/", QuestionAnswerApi.as_view()),
    path("questions/<str:question_id>/withdraw/", QuestionWithdrawApi.as_view()),
    path("questions/<str:question_id>/move/", QuestionMoveApi.as_view()),
]
