"""Open data: what the public pages show of a council's meetings, as JSON, for anyone
(no sign-in, no token needed; a token of any scope may call it too): the council's
public meetings, and one meeting with its numbered agenda, published documents,
published resolutions and the counts of its closed polls with each seal's hash.

Nothing here is more than the public pages show: closed meetings, cancelled ones and
participants-only documents are not found, and how a delegate voted stays in the roll
call for the council (the seal's hash lets anyone check later that a published result
was not changed: `manage.py verify_polls` recomputes it). Files are links to the public
pages' downloads.
"""

from typing import Any

from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hdnd.core.api import EnumField, Pagination, error_responses, paginated, validated
from hdnd.councils.access import access_council
from hdnd.councils.api.common import PageFilterSerializer, id_parameter, path_id
from hdnd.meetings.models import (
    AgendaItem,
    DocumentKind,
    ItemStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from hdnd.meetings.queries import public
from hdnd.meetings.queries.documents import current_version
from hdnd.meetings.queries.minutes import PollLine, closed_polls
from hdnd.voting.models import PollKind

TAGS = ["open data"]
COUNCIL = id_parameter("council_id", "The council's id.")
MEETING = id_parameter("meeting_id", "The council meeting's id.")


class OpenDataApi(APIView):
    permission_classes = [AllowAny]
    pagination_class = Pagination  # read by the schema generator of list views


# Output.


class OpenMeetingSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    council = serializers.IntegerField(source="council_id")
    kind = EnumField(MeetingKind, schema_name="CouncilMeetingKindEnum")
    number = serializers.IntegerField(
        allow_null=True, help_text="Sessions only: kỳ họp thứ N of the term."
    )
    title = serializers.CharField()
    venue = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    status = EnumField(MeetingStatus, schema_name="CouncilMeetingStatusEnum")
    url = serializers.SerializerMethodField(help_text="The meeting's public page.")

    class Meta:
        ref_name = "OpenMeeting"

    def get_url(self, meeting: Meeting) -> str:
        return _absolute(self.context, reverse("meetings_public:meeting", args=[meeting.pk]))


class OpenAgendaItemSerializer(serializers.Serializer[Any]):
    number = serializers.CharField(help_text="1, 1.1, 2 …")
    title = serializers.CharField()
    status = EnumField(ItemStatus)

    class Meta:
        ref_name = "OpenAgendaItem"


class OpenDocumentSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    kind = EnumField(DocumentKind)
    title = serializers.CharField()
    number = serializers.CharField(help_text="Số ký hiệu, when it has one.")
    published_at = serializers.DateTimeField()
    version = serializers.IntegerField(help_text="The current version's number.")
    sha256 = serializers.CharField(help_text="Of the current version's file, as stored.")
    size = serializers.IntegerField(help_text="Bytes.")
    file_url = serializers.CharField()

    class Meta:
        ref_name = "OpenDocument"


class OpenResolutionSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    number = serializers.CharField()
    title = serializers.CharField()
    adopted_on = serializers.DateField()
    published_at = serializers.DateTimeField()
    poll = serializers.IntegerField(allow_null=True, help_text="The poll that adopted it.")
    file_url = serializers.CharField(allow_null=True)

    class Meta:
        ref_name = "OpenResolution"


class OpenSubjectSerializer(serializers.Serializer[Any]):
    label = serializers.CharField()  # type: ignore[assignment]  # DRF pops declared fields
    counts = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="Votes per choice: yes, no, abstain (motions and elections); high, "
        "confident, low (confidence votes).",
    )
    elected = serializers.BooleanField(
        allow_null=True, help_text="Elections: whether this candidate was elected."
    )
    low_over_half = serializers.BooleanField(
        allow_null=True,
        help_text="Confidence votes: rated low by more than half of all delegates.",
    )
    low_two_thirds = serializers.BooleanField(
        allow_null=True,
        help_text="Confidence votes: rated low by at least two-thirds of all delegates.",
    )

    class Meta:
        ref_name = "OpenPollSubject"


class OpenSealSerializer(serializers.Serializer[Any]):
    seq = serializers.IntegerField(help_text="The seal's place in the council's chain.")
    hash = serializers.CharField()
    prev_hash = serializers.CharField()
    sealed_at = serializers.DateTimeField()

    class Meta:
        ref_name = "OpenPollSeal"


class OpenPollSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = EnumField(PollKind)
    secret = serializers.BooleanField()
    closed_at = serializers.DateTimeField()
    total_members = serializers.IntegerField(
        help_text="All delegates of the council when it opened: the base of every share."
    )
    required_votes = serializers.IntegerField(help_text="Votes in favour needed to pass.")
    passed = serializers.BooleanField(allow_null=True)
    subjects = OpenSubjectSerializer(many=True)
    seal = OpenSealSerializer(allow_null=True)

    class Meta:
        ref_name = "OpenPoll"


class OpenMeetingDetailSerializer(OpenMeetingSerializer):
    agenda = OpenAgendaItemSerializer(many=True)
    documents = OpenDocumentSerializer(many=True)
    resolutions = OpenResolutionSerializer(many=True)
    polls = OpenPollSerializer(many=True)

    class Meta:
        ref_name = "OpenMeetingDetail"


def _absolute(context: dict[str, Any], url: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(url) if request is not None else url


def _agenda(meeting: Meeting) -> list[dict[str, Any]]:
    rows: list[tuple[str, AgendaItem]] = public.public_agenda(meeting)
    return [{"number": number, "title": item.title, "status": item.status} for number, item in rows]


def _documents(request: Request, meeting: Meeting) -> list[dict[str, Any]]:
    rows = []
    for document in public.published_documents(meeting):
        version = current_version(document)
        if version is None:
            continue
        url = reverse("meetings_public:document_file", args=[meeting.pk, document.pk])
        rows.append(
            {
                "id": document.pk,
                "kind": document.kind,
                "title": document.title,
                "number": document.number,
                "published_at": document.published_at,
                "version": version.number,
                "sha256": version.sha256,
                "size": version.size,
                "file_url": request.build_absolute_uri(url),
            }
        )
    return rows


def _resolutions(request: Request, meeting: Meeting) -> list[dict[str, Any]]:
    rows = []
    for resolution in public.published_resolutions(meeting):
        url = reverse("meetings_public:resolution_file", args=[meeting.pk, resolution.pk])
        rows.append(
            {
                "id": resolution.pk,
                "number": resolution.number,
                "title": resolution.title,
                "adopted_on": resolution.adopted_on,
                "published_at": resolution.published_at,
                "poll": resolution.poll_id,
                "file_url": request.build_absolute_uri(url) if resolution.file else None,
            }
        )
    return rows


def _poll(line: PollLine) -> dict[str, Any]:
    poll = line.poll
    seal = getattr(poll, "seal", None)
    return {
        "id": poll.pk,
        "title": poll.title,
        "kind": poll.kind,
        "secret": poll.is_secret,
        "closed_at": poll.closed_at,
        "total_members": poll.total_members,
        "required_votes": line.required,
        "passed": poll.passed,
        "subjects": [
            {
                "label": one.label,
                "counts": one.counts,
                "elected": one.elected,
                "low_over_half": one.low_over_half,
                "low_two_thirds": one.low_two_thirds,
            }
            for one in line.subjects
        ],
        "seal": (
            {
                "seq": seal.seq,
                "hash": seal.hash,
                "prev_hash": seal.prev_hash,
                "sealed_at": seal.sealed_at,
            }
            if seal is not None
            else None
        ),
    }


class OpenCouncilMeetingsApi(OpenDataApi):
    @extend_schema(
        operation_id="open_council_meetings_list",
        tags=TAGS,
        summary="A council's public meetings, newest first (open data: no sign-in)",
        parameters=[COUNCIL, PageFilterSerializer],
        responses={200: OpenMeetingSerializer(many=True), **error_responses(400, 404)},
    )
    def get(self, request: Request, council_id: str) -> Response:
        validated(PageFilterSerializer, request.query_params)
        pk = path_id(council_id, message=_("This council does not exist."))
        council = access_council(user=request.user, council_id=pk)
        return paginated(
            request=request,
            view=self,
            queryset=public.public_meetings(council),
            serializer_class=OpenMeetingSerializer,
        )


class OpenMeetingApi(OpenDataApi):
    @extend_schema(
        operation_id="open_council_meetings_retrieve",
        tags=TAGS,
        summary=(
            "One public meeting: its agenda, published documents and resolutions, and the "
            "counts and seals of its closed polls (open data: no sign-in)"
        ),
        parameters=[MEETING],
        responses={200: OpenMeetingDetailSerializer, **error_responses(404)},
    )
    def get(self, request: Request, meeting_id: str) -> Response:
        pk = path_id(
            meeting_id, message=pgettext("council meeting", "This meeting does not exist.")
        )
        meeting = public.public_meeting(pk)
        polls = closed_polls(meeting)
        data = {
            **OpenMeetingSerializer(meeting, context={"request": request}).data,
            "agenda": _agenda(meeting),
            "documents": _documents(request, meeting),
            "resolutions": _resolutions(request, meeting),
            "polls": [_poll(line) for line in polls],
        }
        return Response(data)


urlpatterns: list[URLPattern] = [
    path(
        "open/councils/<str:council_id>/council-meetings/",
        OpenCouncilMeetingsApi.as_view(),
        name="open-council-meetings",
    ),
    path(
        "open/council-meetings/<str:meeting_id>/",
        OpenMeetingApi.as_view(),
        name="open-council-meeting",
    ),
]
