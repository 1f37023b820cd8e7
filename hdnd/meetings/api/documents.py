"""API: a meeting's documents and their versions (reading, uploading a new version,
publishing and withdrawing from publication, stamped downloads) and the council's written consultations (reading,
answering).

A meeting's documents are under `council-meetings/<id>/documents/` (`meetings/` is the
petitions' voter-contact meetings), one document under `meeting-documents/<id>/` and a
version's file under `meeting-files/<id>/`.

Callers are people signed in (a session): who reads what is decided exactly as on the
pages (hdnd/meetings/access.py). API tokens act for a system,
not a person, and are refused here (403 person_required). Every PDF downloaded through
the API is stamped with the caller's name and the time, as on the pages.
"""

from typing import Any

from django.http import HttpResponse
from django.urls import URLPattern, path, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hdnd.accounts.api_auth import TokenUser
from hdnd.core.api import (
    EnumField,
    ErrorSerializer,
    error_responses,
    expected_version_field,
    validated_body,
)
from hdnd.councils.api.common import id_parameter, path_id
from hdnd.meetings import access
from hdnd.meetings import access as meeting_access
from hdnd.meetings.models import (
    Consultation,
    ConsultationChoice,
    ConsultationStatus,
    Document,
    DocumentKind,
    DocumentVersion,
    Visibility,
)
from hdnd.meetings.queries import consultations as consultation_queries
from hdnd.meetings.queries import documents as queries
from hdnd.meetings.services import consultations as consultation_services
from hdnd.meetings.services import documents as services

TAGS = ["meetings"]
LIST_ERRORS = error_responses(401, 403, 404)
DETAIL_ERRORS = error_responses(401, 403, 404)
ACTION_ERRORS = {
    **error_responses(400, 401, 403, 404),
    409: OpenApiResponse(
        ErrorSerializer,
        description="Refused in the current state: not_allowed_now, stale_version or conflict.",
    ),
}
MEETING = id_parameter("meeting_id", "The meeting's id.")
DOCUMENT = id_parameter("document_id", "The document's id.")
VERSION = id_parameter("version_id", "The document version's id.")
COUNCIL = id_parameter("council_id", "The council's id.")
CONSULTATION = id_parameter("consultation_id", "The written consultation's id.")

PERSON_REQUIRED = gettext_lazy(
    "Only a person signed in may do this: meeting documents are read by people, not by API tokens."
)


class PeopleOnly(BasePermission):
    code = "person_required"
    message = PERSON_REQUIRED

    def has_permission(self, request: Request, view: APIView) -> bool:
        return not isinstance(request.user, TokenUser)


class AnyFileRenderer(BaseRenderer):
    """Lets a download be asked for with any Accept header (the body is a file)."""

    media_type = "*/*"
    format = "file"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Any = None,
    ) -> bytes:
        return data if isinstance(data, bytes) else b""


# Comments, not docstrings, on the base: drf-spectacular would show its docstring on every
# endpoint without one.
class MeetingDocumentsApi(APIView):
    permission_classes = [IsAuthenticated, PeopleOnly]


# Output -------------------------------------------------------------------------------


class VersionOutputSerializer(serializers.ModelSerializer[DocumentVersion]):
    signature_status = serializers.CharField(
        help_text="not_checked, unsigned, valid, untrusted, invalid or error."
    )
    signature_details = serializers.DictField(
        help_text="What the check found: signer, issuer, serial, signing time, coverage."
    )
    download_url = serializers.SerializerMethodField(
        help_text="Where to download the file (a PDF is stamped with your name and the time)."
    )

    class Meta:
        model = DocumentVersion
        ref_name = "MeetingDocumentVersion"
        fields = [
            "id",
            "number",
            "filename",
            "content_type",
            "size",
            "sha256",
            "note",
            "signature_status",
            "signature_details",
            "uploaded_at",
            "download_url",
        ]

    def get_download_url(self, version: DocumentVersion) -> str:
        return reverse("meeting_document_download", args=[version.pk])


class DocumentOutputSerializer(serializers.ModelSerializer[Document]):
    kind = EnumField(DocumentKind)
    visibility = EnumField(Visibility)
    versions = VersionOutputSerializer(many=True, read_only=True)

    class Meta:
        model = Document
        ref_name = "MeetingDocument"
        fields = [
            "id",
            "meeting",
            "agenda_item",
            "kind",
            "title",
            "number",
            "visibility",
            "published_at",
            "version",
            "created_at",
            "versions",
        ]


class TallyChoiceSerializer(serializers.Serializer[Any]):
    choice = EnumField(ConsultationChoice)
    count = serializers.IntegerField()
    percent = serializers.DecimalField(max_digits=5, decimal_places=2)


class TallySerializer(serializers.Serializer[Any]):
    total_members = serializers.IntegerField(help_text="Members asked (frozen at the opening).")
    answered = serializers.IntegerField()
    not_answered = serializers.IntegerField()
    not_answered_percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    choices = TallyChoiceSerializer(many=True)


class MyAnswerSerializer(serializers.Serializer[Any]):
    choice = EnumField(ConsultationChoice)
    comment = serializers.CharField()
    responded_at = serializers.DateTimeField()


class ConsultationOutputSerializer(serializers.ModelSerializer[Consultation]):
    status = EnumField(ConsultationStatus)
    accepts_answers = serializers.SerializerMethodField()
    has_document = serializers.SerializerMethodField()

    class Meta:
        model = Consultation
        ref_name = "WrittenConsultation"
        fields = [
            "id",
            "council",
            "title",
            "question",
            "deadline",
            "status",
            "total_members",
            "opened_at",
            "closed_at",
            "version",
            "accepts_answers",
            "has_document",
        ]

    def get_accepts_answers(self, consultation: Consultation) -> bool:
        return consultation_queries.accepts_answers(consultation)

    def get_has_document(self, consultation: Consultation) -> bool:
        return bool(consultation.document)


class ConsultationDetailSerializer(serializers.Serializer[Any]):
    consultation = ConsultationOutputSerializer()
    my_answer = MyAnswerSerializer(allow_null=True)
    tally = TallySerializer(
        allow_null=True, help_text="The office at any time; the members once closed."
    )


# Helpers ------------------------------------------------------------------------------


def _document(request: Request, document_id: str) -> Document:
    pk = path_id(document_id, message=_("This document does not exist."))
    return meeting_access.access_document(user=request.user, document_id=pk)


def _document_data(document: Document) -> dict[str, Any]:
    fresh = queries.with_versions(Document.objects.filter(pk=document.pk)).get()
    return dict(DocumentOutputSerializer(fresh).data)


def _consultation_data(request: Request, consultation: Consultation) -> dict[str, Any]:
    mine = consultation_queries.my_response(consultation=consultation, user=request.user)
    tally = None
    if consultation.status != ConsultationStatus.DRAFT and meeting_access.may_see_results(
        request.user, consultation
    ):
        tally = consultation_queries.tally(consultation)
    return dict(
        ConsultationDetailSerializer(
            {"consultation": consultation, "my_answer": mine, "tally": tally}
        ).data
    )


# Documents ----------------------------------------------------------------------------


class MeetingDocumentListApi(MeetingDocumentsApi):
    class QuerySerializer(serializers.Serializer[Any]):
        q = serializers.CharField(
            required=False,
            allow_blank=True,
            max_length=200,
            help_text="Words to find in the title, number or text (diacritics ignored).",
        )

    @extend_schema(
        operation_id="meeting_documents_list",
        tags=TAGS,
        summary="A meeting's documents you may read (participants-only ones if you take part)",
        parameters=[MEETING, QuerySerializer],
        responses={200: DocumentOutputSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request, meeting_id: str) -> Response:
        pk = path_id(meeting_id, message=_("This meeting does not exist."))
        meeting = access.access_meeting(user=request.user, meeting_id=pk)
        filters = self.QuerySerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        query = filters.validated_data.get("q", "")
        if query:
            documents = queries.search_meeting_documents(
                user=request.user, meeting=meeting, query=query
            )
        else:
            documents = queries.with_versions(
                queries.visible_documents(user=request.user, meeting=meeting)
            )
        return Response(DocumentOutputSerializer(documents, many=True).data)


class DocumentDetailApi(MeetingDocumentsApi):
    @extend_schema(
        operation_id="meeting_documents_retrieve",
        tags=TAGS,
        summary="One document with its versions and their signature checks",
        parameters=[DOCUMENT],
        responses={200: DocumentOutputSerializer, **DETAIL_ERRORS},
    )
    def get(self, request: Request, document_id: str) -> Response:
        return Response(_document_data(_document(request, document_id)))


class DocumentVersionCreateApi(MeetingDocumentsApi):
    parser_classes = [MultiPartParser]

    class InputSerializer(serializers.Serializer[Any]):
        expected_version = expected_version_field()
        note = serializers.CharField(max_length=500, help_text="What changed in this version.")
        file = serializers.FileField(help_text="A PDF, .docx or .xlsx file.")

        class Meta:
            ref_name = "MeetingDocumentVersionCreate"

    @extend_schema(
        operation_id="meeting_documents_versions_create",
        tags=TAGS,
        summary="Upload a new version of a document (multipart/form-data; the office)",
        parameters=[DOCUMENT],
        request={"multipart/form-data": InputSerializer},
        responses={201: DocumentOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, document_id: str) -> Response:
        pk = path_id(document_id, message=_("This document does not exist."))
        document = meeting_access.access_document_manage(user=request.user, document_id=pk)
        data = validated_body(self.InputSerializer, request)
        services.add_version(
            document_id=document.pk,
            expected_version=data["expected_version"],
            file=data["file"],
            note=data["note"],
            actor=request.user,
        )
        return Response(_document_data(document), status=201)


class DocumentPublishApi(MeetingDocumentsApi):
    parser_classes = [JSONParser]

    class InputSerializer(serializers.Serializer[Any]):
        expected_version = expected_version_field()

        class Meta:
            ref_name = "MeetingDocumentPublish"

    @extend_schema(
        operation_id="meeting_documents_publish",
        tags=TAGS,
        summary="Publish a document: it becomes public (the office)",
        parameters=[DOCUMENT],
        request=InputSerializer,
        responses={200: DocumentOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, document_id: str) -> Response:
        pk = path_id(document_id, message=_("This document does not exist."))
        document = meeting_access.access_document_manage(user=request.user, document_id=pk)
        data = validated_body(self.InputSerializer, request)
        services.publish_document(
            document_id=document.pk, expected_version=data["expected_version"], actor=request.user
        )
        return Response(_document_data(document))


class DocumentUnpublishApi(MeetingDocumentsApi):
    parser_classes = [JSONParser]

    class InputSerializer(serializers.Serializer[Any]):
        expected_version = expected_version_field()
        reason = serializers.CharField(
            max_length=500, help_text="Why it leaves the public page (kept in the history)."
        )

        class Meta:
            ref_name = "MeetingDocumentUnpublish"

    @extend_schema(
        operation_id="meeting_documents_unpublish",
        tags=TAGS,
        summary="Withdraw a published document: participants only again (the office)",
        parameters=[DOCUMENT],
        request=InputSerializer,
        responses={200: DocumentOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, document_id: str) -> Response:
        pk = path_id(document_id, message=_("This document does not exist."))
        document = meeting_access.access_document_manage(user=request.user, document_id=pk)
        data = validated_body(self.InputSerializer, request)
        services.unpublish_document(
            document_id=document.pk,
            expected_version=data["expected_version"],
            actor=request.user,
            reason=data["reason"],
        )
        return Response(_document_data(document))


class DocumentDownloadApi(MeetingDocumentsApi):
    renderer_classes = [JSONRenderer, AnyFileRenderer]

    @extend_schema(
        operation_id="meeting_documents_download",
        tags=TAGS,
        summary="Download a version's file (a PDF is stamped with your name and the time)",
        parameters=[VERSION],
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            **DETAIL_ERRORS,
            409: OpenApiResponse(ErrorSerializer, description="The PDF cannot be stamped."),
        },
    )
    def get(self, request: Request, version_id: str) -> HttpResponse:
        pk = path_id(version_id, message=_("This file does not exist."))
        version = meeting_access.access_version(user=request.user, version_id=pk)
        result = queries.download_of(version=version, user=request.user)
        response = HttpResponse(result.content, content_type=result.content_type)
        response["Content-Disposition"] = (
            content_disposition_header(as_attachment=True, filename=result.filename) or "attachment"
        )
        response["Cache-Control"] = "private, no-store"
        return response


# Written consultations ----------------------------------------------------------------


class ConsultationListApi(MeetingDocumentsApi):
    @extend_schema(
        operation_id="consultations_list",
        tags=TAGS,
        summary="A council's written consultations (drafts only for the office)",
        parameters=[COUNCIL],
        responses={200: ConsultationOutputSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request, council_id: str) -> Response:
        pk = path_id(council_id, message=_("This council does not exist."))
        council = access.access_council_meetings(user=request.user, council_id=pk)
        consultations = consultation_queries.council_consultations(
            user=request.user, council_id=council.pk
        )
        return Response(ConsultationOutputSerializer(consultations, many=True).data)


class ConsultationDetailApi(MeetingDocumentsApi):
    @extend_schema(
        operation_id="consultations_retrieve",
        tags=TAGS,
        summary="One written consultation, your answer, and the tally when you may see it",
        parameters=[CONSULTATION],
        responses={200: ConsultationDetailSerializer, **DETAIL_ERRORS},
    )
    def get(self, request: Request, consultation_id: str) -> Response:
        pk = path_id(consultation_id, message=_("This consultation does not exist."))
        consultation = meeting_access.access_consultation(user=request.user, consultation_id=pk)
        return Response(_consultation_data(request, consultation))


class ConsultationAnswerApi(MeetingDocumentsApi):
    parser_classes = [JSONParser]

    class InputSerializer(serializers.Serializer[Any]):
        choice = EnumField(ConsultationChoice)
        comment = serializers.CharField(
            required=False,
            allow_blank=True,
            max_length=5000,
            help_text="Required with `other`.",
        )

        class Meta:
            ref_name = "ConsultationAnswer"

    @extend_schema(
        operation_id="consultations_answer",
        tags=TAGS,
        summary="Answer (or change your answer) while the consultation is open (a member)",
        parameters=[CONSULTATION],
        request=InputSerializer,
        responses={200: ConsultationDetailSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, consultation_id: str) -> Response:
        pk = path_id(consultation_id, message=_("This consultation does not exist."))
        consultation = meeting_access.access_consultation(user=request.user, consultation_id=pk)
        data = validated_body(self.InputSerializer, request)
        consultation_services.answer_consultation(
            consultation_id=consultation.pk,
            user=request.user,
            choice=data["choice"],
            comment=data.get("comment", ""),
        )
        consultation.refresh_from_db()
        return Response(_consultation_data(request, consultation))


urlpatterns: list[URLPattern] = [
    path(
        "council-meetings/<str:meeting_id>/documents/",
        MeetingDocumentListApi.as_view(),
        name="meeting_documents",
    ),
    path(
        "meeting-documents/<str:document_id>/",
        DocumentDetailApi.as_view(),
        name="meeting_document",
    ),
    path(
        "meeting-documents/<str:document_id>/versions/",
        DocumentVersionCreateApi.as_view(),
        name="meeting_document_versions",
    ),
    path(
        "meeting-documents/<str:document_id>/publish/",
        DocumentPublishApi.as_view(),
        name="meeting_document_publish",
    ),
    path(
        "meeting-documents/<str:document_id>/unpublish/",
        DocumentUnpublishApi.as_view(),
        name="meeting_document_unpublish",
    ),
    path(
        "meeting-files/<str:version_id>/",
        DocumentDownloadApi.as_view(),
        name="meeting_document_download",
    ),
    path(
        "councils/<str:council_id>/consultations/",
        ConsultationListApi.as_view(),
        name="meeting_consultations",
    ),
    path(
        "consultations/<str:consultation_id>/",
        ConsultationDetailApi.as_view(),
        name="meeting_consultation",
    ),
    path(
        "consultations/<str:consultation_id>/answer/",
        ConsultationAnswerApi.as_view(),
        name="meeting_consultation_answer",
    ),
]
