"""API: polls of council meetings — list and read with results, prepare, open, close,
re-vote, cast one's own ballot, and the seal's verification.

Every endpoint is a person's, signed in with a session: an API token acts for a system,
and a vote, or running one, is a decision people make and answer for (403
person_required). Reading follows the meeting's access rules; running polls needs the
chair or the office (`access_meeting_run`); casting is the delegate's own ballot, present
at the poll's sitting.
"""

from typing import Any

from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hdnd.accounts.api_auth import TokenUser
from hdnd.core.api import MAX_VERSION, EnumField, ErrorSerializer, error_responses, validated_body
from hdnd.core.errors import NotFound
from hdnd.councils.api.common import MAX_ID, id_parameter, path_id
from hdnd.meetings.access import access_meeting, participant_of
from hdnd.voting import queries, services
from hdnd.voting.models import Poll, PollKind, PollStatus
from hdnd.voting.sealing import verify_poll

TAGS = ["voting"]

_CONFLICT = {
    409: OpenApiResponse(
        ErrorSerializer,
        description=(
            "Refused in the current state: not_allowed_now, stale_version, poll_not_open or "
            "already_voted."
        ),
    )
}
READ_ERRORS = error_responses(401, 403, 404)
ACTION_ERRORS = {**error_responses(400, 401, 403, 404), **_CONFLICT}
POLL = id_parameter("poll_id", "The poll's id.")


class PersonsOnly(BasePermission):
    """A vote is a person's act: API tokens are refused."""

    code = "person_required"
    message = gettext_lazy(
        "Only a person signed in may do this: an API token acts for a system, and a vote "
        "is a decision people make and answer for."
    )

    def has_permission(self, request: Request, view: APIView) -> bool:
        return not isinstance(request.user, TokenUser)


# The base of every voting endpoint (comments, not a docstring: drf-spectacular would show
# it as the description of each endpoint).
class VotingApi(APIView):
    permission_classes = [IsAuthenticated, PersonsOnly]


# Output.


class SubjectStateSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    label = serializers.CharField()  # type: ignore[assignment]  # DRF pops declared fields; "label" is the name
    person_id = serializers.IntegerField(allow_null=True)
    post = serializers.CharField(allow_blank=True)
    counts = serializers.DictField(
        child=serializers.IntegerField(), required=False, help_text="Ballots per choice."
    )
    percentages = serializers.DictField(
        child=serializers.CharField(),
        required=False,
        help_text="Per choice, the percentage of ALL delegates, as a decimal string.",
    )
    passed = serializers.BooleanField(allow_null=True, required=False)
    low_over_half = serializers.BooleanField(required=False)
    low_two_thirds = serializers.BooleanField(required=False)
    elected = serializers.BooleanField(required=False)
    tied_out = serializers.BooleanField(required=False)

    class Meta:
        ref_name = "PollSubjectState"


class MyBallotSerializer(serializers.Serializer[Any]):
    entitled = serializers.BooleanField()
    voted = serializers.BooleanField()
    cast_at = serializers.DateTimeField(allow_null=True)
    changed_at = serializers.DateTimeField(allow_null=True)
    cast_time = serializers.CharField(allow_null=True, help_text="hh:mm:ss, Vietnam time.")
    choices = serializers.DictField(
        child=serializers.CharField(),
        allow_null=True,
        help_text="Subject id → choice, in a named poll only.",
    )

    class Meta:
        ref_name = "PollMyBallot"


class ShareSerializer(serializers.Serializer[Any]):
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()
    strict = serializers.BooleanField(help_text="More than the share (else at least).")

    class Meta:
        ref_name = "PollShare"


class RollCallChoiceSerializer(serializers.Serializer[Any]):
    subject_id = serializers.IntegerField()
    choice = serializers.CharField(allow_blank=True)
    label = serializers.CharField(allow_blank=True)  # type: ignore[assignment]  # DRF pops declared fields; "label" is the name

    class Meta:
        ref_name = "PollRollCallChoice"


class RollCallSerializer(serializers.Serializer[Any]):
    person_id = serializers.IntegerField()
    name = serializers.CharField()
    voted = serializers.BooleanField()
    choices = RollCallChoiceSerializer(many=True)

    class Meta:
        ref_name = "PollRollCall"


class SealSerializer(serializers.Serializer[Any]):
    seq = serializers.IntegerField()
    hash = serializers.CharField()
    sealed_at = serializers.DateTimeField()
    verified = serializers.BooleanField()
    problems = serializers.ListField(child=serializers.CharField())

    class Meta:
        ref_name = "PollSeal"


class PollStateSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    meeting_id = serializers.IntegerField()
    title = serializers.CharField()
    text = serializers.CharField(allow_blank=True)
    status = EnumField(PollStatus)
    kind = EnumField(PollKind)
    secret = serializers.BooleanField()
    rule = EnumField(services.PassRule)
    share = ShareSerializer()
    seats = serializers.IntegerField()
    allow_change = serializers.BooleanField()
    revote_of = serializers.IntegerField(allow_null=True)
    total_members = serializers.IntegerField(help_text="All the council's delegates.")
    required_votes = serializers.IntegerField()
    voted = serializers.IntegerField()
    present = serializers.IntegerField()
    voted_percentage = serializers.CharField()
    opened_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    counts_visible = serializers.BooleanField(
        help_text="A secret poll shows its counts only once closed."
    )
    choices = serializers.ListField(child=serializers.CharField())
    subjects = SubjectStateSerializer(many=True)
    passing_now = serializers.BooleanField(allow_null=True)
    passed = serializers.BooleanField(allow_null=True)
    tie_at_cutoff = serializers.BooleanField(required=False)
    my_ballot = MyBallotSerializer(allow_null=True)

    class Meta:
        ref_name = "PollState"


class PollDetailSerializer(PollStateSerializer):
    version = serializers.IntegerField()
    roll_call = RollCallSerializer(many=True)
    seal = SealSerializer(allow_null=True)

    class Meta:
        ref_name = "PollDetail"


class CastResultSerializer(serializers.Serializer[Any]):
    recorded = serializers.BooleanField()
    already_recorded = serializers.BooleanField()
    changed = serializers.BooleanField()
    cast_at = serializers.DateTimeField()
    poll_id = serializers.IntegerField()

    class Meta:
        ref_name = "CastResult"


# Who may read what.


def _poll(request: Request, poll_id: str) -> Poll:
    pk = path_id(poll_id, message=_("This poll does not exist."))
    poll = Poll.objects.filter(id=pk).select_related("meeting").first()
    if poll is None:
        raise NotFound(_("This poll does not exist."))
    try:
        access_meeting(user=request.user, meeting_id=poll.meeting_id)
    except NotFound:
        raise NotFound(_("This poll does not exist.")) from None
    return poll


def poll_detail(request: Request, poll: Poll) -> dict[str, Any]:
    poll.refresh_from_db()
    participant = participant_of(request.user, poll.meeting)
    state = queries.poll_state(poll, viewer_participant=participant)
    state["version"] = poll.version
    state["roll_call"] = queries.roll_call(poll)
    state["seal"] = None
    seal = getattr(poll, "seal", None) if poll.status == PollStatus.CLOSED else None
    if seal is not None:
        problems = verify_poll(poll)
        state["seal"] = {
            "seq": seal.seq,
            "hash": seal.hash,
            "sealed_at": seal.sealed_at,
            "verified": not problems,
            "problems": problems,
        }
    return dict(PollDetailSerializer(state).data)


# Input.


class SubjectInputSerializer(serializers.Serializer[Any]):
    label = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")  # type: ignore[assignment]  # DRF pops declared fields; "label" is the name
    person_id = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True, default=None
    )
    post = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    class Meta:
        ref_name = "PollSubjectInput"


class PollSettingsSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=500)
    text = serializers.CharField(max_length=20000, required=False, allow_blank=True, default="")
    secret = serializers.BooleanField(required=False, default=False)
    agenda_item_id = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True, default=None
    )
    rule = EnumField(services.PassRule, required=False, default=services.PassRule.MAJORITY)
    numerator = serializers.IntegerField(
        min_value=1, max_value=1000, required=False, allow_null=True, default=None
    )
    denominator = serializers.IntegerField(
        min_value=1, max_value=1000, required=False, allow_null=True, default=None
    )
    strict = serializers.BooleanField(required=False, allow_null=True, default=None)
    seats = serializers.IntegerField(min_value=1, max_value=100, required=False, default=1)
    allow_change = serializers.BooleanField(required=False, default=False)
    show_live_counts = serializers.BooleanField(required=False, default=True)
    subjects = SubjectInputSerializer(many=True, required=False, default=list)


def _settings(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": data["title"],
        "text": data["text"],
        "is_secret": data["secret"],
        "agenda_item_id": data["agenda_item_id"],
        "rule": data["rule"],
        "numerator": data["numerator"],
        "denominator": data["denominator"],
        "strict": data["strict"],
        "seats": data["seats"],
        "allow_change": data["allow_change"],
        "show_live_counts": data["show_live_counts"],
        "subjects": [services.SubjectSpec(**subject) for subject in data["subjects"]],
    }


# Endpoints.


class PollListApi(VotingApi):
    class FilterSerializer(serializers.Serializer[Any]):
        meeting = serializers.IntegerField(min_value=1, max_value=MAX_ID)

    class InputSerializer(PollSettingsSerializer):
        meeting = serializers.IntegerField(min_value=1, max_value=MAX_ID)
        kind = EnumField(PollKind)

        class Meta:
            ref_name = "PollCreate"

    @extend_schema(
        operation_id="polls_list",
        tags=TAGS,
        summary="A meeting's polls, with their state and results",
        parameters=[
            OpenApiParameter(
                "meeting",
                OpenApiTypes.INT,
                OpenApiParameter.QUERY,
                required=True,
                description="The meeting's id.",
            )
        ],
        responses={200: PollStateSerializer(many=True), **error_responses(400, 401, 403, 404)},
    )
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        meeting = access_meeting(user=request.user, meeting_id=filters.validated_data["meeting"])
        participant = participant_of(request.user, meeting)
        states = [
            queries.poll_state(poll, viewer_participant=participant)
            for poll in queries.meeting_polls(meeting.pk)
        ]
        return Response(PollStateSerializer(states, many=True).data)

    @extend_schema(
        operation_id="polls_create",
        tags=TAGS,
        summary="Prepare a poll (the chair or the office)",
        request=InputSerializer,
        responses={201: PollDetailSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request) -> Response:
        data = validated_body(self.InputSerializer, request)
        poll = services.create_poll(
            meeting_id=data["meeting"], actor=request.user, kind=data["kind"], **_settings(data)
        )
        return Response(poll_detail(request, poll), status=201)


class PollDetailApi(VotingApi):
    class InputSerializer(PollSettingsSerializer):
        expected_version = serializers.IntegerField(min_value=1, max_value=MAX_VERSION)

        class Meta:
            ref_name = "PollEdit"

    class DeleteSerializer(serializers.Serializer[Any]):
        expected_version = serializers.IntegerField(min_value=1, max_value=MAX_VERSION)

    @extend_schema(
        operation_id="polls_read",
        tags=TAGS,
        summary="A poll with its state, result, roll call (named polls) and seal",
        parameters=[POLL],
        responses={200: PollDetailSerializer, **READ_ERRORS},
    )
    def get(self, request: Request, poll_id: str) -> Response:
        return Response(poll_detail(request, _poll(request, poll_id)))

    @extend_schema(
        operation_id="polls_update",
        tags=TAGS,
        summary="Change a poll not yet opened",
        parameters=[POLL],
        request=InputSerializer,
        responses={200: PollDetailSerializer, **ACTION_ERRORS},
    )
    def put(self, request: Request, poll_id: str) -> Response:
        poll = _poll(request, poll_id)
        data = validated_body(self.InputSerializer, request)
        poll = services.edit_poll(
            poll_id=poll.pk,
            actor=request.user,
            expected_version=data["expected_version"],
            **_settings(data),
        )
        return Response(poll_detail(request, poll))

    @extend_schema(
        operation_id="polls_delete",
        tags=TAGS,
        summary="Delete a poll not yet opened",
        parameters=[
            POLL,
            OpenApiParameter(
                "expected_version",
                OpenApiTypes.INT,
                OpenApiParameter.QUERY,
                required=True,
                description="The poll's version as loaded.",
            ),
        ],
        responses={204: None, **ACTION_ERRORS},
    )
    def delete(self, request: Request, poll_id: str) -> Response:
        poll = _poll(request, poll_id)
        filters = self.DeleteSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        services.delete_poll(
            poll_id=poll.pk,
            actor=request.user,
            expected_version=filters.validated_data["expected_version"],
        )
        return Response(status=204)


class VersionSerializer(serializers.Serializer[Any]):
    expected_version = serializers.IntegerField(
        min_value=1, max_value=MAX_VERSION, required=False, allow_null=True, default=None
    )

    class Meta:
        ref_name = "PollVersion"


class _PollActionApi(VotingApi):
    def act(self, request: Request, poll: Poll, expected_version: int | None) -> Poll:
        raise NotImplementedError

    def post(self, request: Request, poll_id: str) -> Response:
        poll = _poll(request, poll_id)
        data = validated_body(VersionSerializer, request)
        poll = self.act(request, poll, data["expected_version"])
        return Response(poll_detail(request, poll))


def _action_schema(operation_id: str, summary: str) -> Any:
    return extend_schema(
        operation_id=operation_id,
        tags=TAGS,
        summary=summary,
        parameters=[POLL],
        request=VersionSerializer,
        responses={200: PollDetailSerializer, **ACTION_ERRORS},
    )


class PollOpenApi(_PollActionApi):
    def act(self, request: Request, poll: Poll, expected_version: int | None) -> Poll:
        return services.open_poll(
            poll_id=poll.pk, actor=request.user, expected_version=expected_version
        )

    @_action_schema("polls_open", "Open voting in the current sitting (the chair or the office)")
    def post(self, request: Request, poll_id: str) -> Response:
        return super().post(request, poll_id)


class PollCloseApi(_PollActionApi):
    def act(self, request: Request, poll: Poll, expected_version: int | None) -> Poll:
        return services.close_poll(
            poll_id=poll.pk, actor=request.user, expected_version=expected_version
        )

    @_action_schema("polls_close", "Close voting: freeze and seal the result")
    def post(self, request: Request, poll_id: str) -> Response:
        return super().post(request, poll_id)


class PollRevoteApi(_PollActionApi):
    def act(self, request: Request, poll: Poll, expected_version: int | None) -> Poll:
        return services.revote(poll_id=poll.pk, actor=request.user)

    @extend_schema(
        operation_id="polls_revote",
        tags=TAGS,
        summary="Prepare a re-vote of a closed poll (a new poll linked to it)",
        parameters=[POLL],
        request=VersionSerializer,
        responses={201: PollDetailSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, poll_id: str) -> Response:
        response = super().post(request, poll_id)
        response.status_code = 201
        return response


class BallotApi(VotingApi):
    class InputSerializer(serializers.Serializer[Any]):
        choices = serializers.DictField(
            child=serializers.CharField(max_length=12),
            allow_empty=False,
            help_text=(
                "Subject id → choice: yes, no or abstain (a motion, each candidate); high, "
                "confident or low (each person rated). Every subject once."
            ),
        )

        class Meta:
            ref_name = "BallotCast"

    @extend_schema(
        operation_id="polls_ballot_cast",
        tags=TAGS,
        summary="Cast your own ballot (a delegate present at the poll's sitting)",
        description=(
            "A repeat of the same ballot answers already_recorded=true. Refusals: "
            "poll_not_open, not_present, not_entitled, already_voted, invalid_choice."
        ),
        parameters=[POLL],
        request=InputSerializer,
        responses={200: CastResultSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, poll_id: str) -> Response:
        poll = _poll(request, poll_id)
        data = validated_body(self.InputSerializer, request)
        try:
            choices = {int(key): value for key, value in data["choices"].items()}
        except ValueError:
            raise services.InvalidChoice(
                _("The ballot is not valid: answer every question once.")
            ) from None
        result = services.cast_ballot(
            poll_id=poll.pk, user=request.user, choices=choices, channel="api"
        )
        return Response(CastResultSerializer(result).data)


class VerificationSerializer(serializers.Serializer[Any]):
    poll_id = serializers.IntegerField()
    sealed = serializers.BooleanField()
    verified = serializers.BooleanField()
    problems = serializers.ListField(child=serializers.CharField())

    class Meta:
        ref_name = "PollVerification"


class PollVerificationApi(VotingApi):
    @extend_schema(
        operation_id="polls_verification",
        tags=TAGS,
        summary="Check a closed poll's seal against the stored rows and its council's chain",
        parameters=[POLL],
        responses={200: VerificationSerializer, **READ_ERRORS},
    )
    def get(self, request: Request, poll_id: str) -> Response:
        poll = _poll(request, poll_id)
        sealed = poll.status == PollStatus.CLOSED
        problems = verify_poll(poll) if sealed else []
        body = {
            "poll_id": poll.pk,
            "sealed": sealed and hasattr(poll, "seal"),
            "verified": sealed and not problems,
            "problems": problems,
        }
        return Response(VerificationSerializer(body).data)


urlpatterns: list[URLPattern] = [
    path("polls/", PollListApi.as_view(), name="voting-api-polls"),
    path("polls/<str:poll_id>/", PollDetailApi.as_view(), name="voting-api-poll"),
    path("polls/<str:poll_id>/open/", PollOpenApi.as_view(), name="voting-api-open"),
    path("polls/<str:poll_id>/close/", PollCloseApi.as_view(), name="voting-api-close"),
    path("polls/<str:poll_id>/revote/", PollRevoteApi.as_view(), name="voting-api-revote"),
    path("polls/<str:poll_id>/ballot/", BallotApi.as_view(), name="voting-api-ballot"),
    path(
        "polls/<str:poll_id>/verification/",
        PollVerificationApi.as_view(),
        name="voting-api-verification",
    ),
]
