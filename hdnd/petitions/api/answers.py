"""API: answer documents (registered with their PDF's digital signature checked), the
answer recorded for a petition, its revision, and publishing — one petition's answer or
every evaluated answer of a session cycle.

An agency's document system may register documents and record or revise answers with the
council's API token (petitions:write); publishing is the office's decision."""

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
from hdnd.core.errors import NotFound
from hdnd.councils.api.common import PageFilterSerializer, id_parameter, path_id
from hdnd.councils.models import Agency, Council
from hdnd.petitions import access
from hdnd.petitions.api.common import (
    ACTION_ERRORS,
    DETAIL_ERRORS,
    LIST_ERRORS,
    TAGS,
    CouncilRowField,
    PetitionsApi,
    actor_of,
    manage_council,
    open_to_tokens,
    petition_for,
    read_council,
    token_of,
    validated_query,
)
from hdnd.petitions.api.petitions import petition_detail
from hdnd.petitions.api.serializers.answers import AnswerDocumentOutputSerializer
from hdnd.petitions.api.serializers.petitions import PetitionDetailOutputSerializer
from hdnd.petitions.models import AnswerDocument, Petition, ResultCategory, SessionCycle
from hdnd.petitions.queries import answers as queries
from hdnd.petitions.services import answers as services

COUNCIL = id_parameter("council_id", "The council's id.")
PETITION = id_parameter("petition_id", "The petition's id.")
DOCUMENT = id_parameter("document_id", "The answer document's id.")
CYCLE = id_parameter("cycle_id", "The session cycle's id.")


def council_agencies(council: Council) -> QuerySet[Agency]:
    return Agency.objects.filter(council_id=council.pk, is_active=True)


def council_documents(council: Council) -> QuerySet[AnswerDocument]:
    return AnswerDocument.objects.filter(council_id=council.pk)


def read_document(request: Request, document_id: str) -> AnswerDocument:
    pk = path_id(document_id, message=_("This answer document does not exist."))
    token = token_of(request)
    if token is None:
        return access.access_answer_document(user=request.user, document_id=pk)
    document = AnswerDocument.objects.filter(id=pk, council_id=token.council_id).first()
    if document is None:
        raise NotFound(_("This answer document does not exist."))
    return document


def document_data(document_id: int) -> dict[str, Any]:
    document = AnswerDocument.objects.select_related("agency").get(id=document_id)
    return dict(AnswerDocumentOutputSerializer(document).data)


def check_citable(request: Request, petition: Petition, document: AnswerDocument | None) -> None:
    """A person cites only the documents they may use (the office: the council's; a
    responder: their agency's)."""
    if document is None or token_of(request) is not None:
        return
    if (
        not queries.answer_choices(user=request.user, petition=petition)
        .filter(id=document.pk)
        .exists()
    ):
        raise serializers.ValidationError(
            {"document": [_("Choose a document of your agency registered with this council.")]}
        )


# Answer documents


class CouncilAnswerDocumentListApi(PetitionsApi):
    @extend_schema(
        operation_id="petition_answer_documents_list",
        tags=TAGS,
        summary="A council's answer documents (a responder sees their agency's), newest first",
        parameters=[COUNCIL, PageFilterSerializer],
        responses={200: AnswerDocumentOutputSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request, council_id: str) -> Response:
        council = read_council(request, council_id)
        validated_query(PageFilterSerializer, request)
        if token_of(request) is None:
            documents = queries.visible_documents(user=request.user, council_id=council.pk)
        else:
            documents = AnswerDocument.objects.filter(council_id=council.pk)
        return paginated(
            request=request,
            view=self,
            queryset=documents.select_related("agency").order_by("-issued_on", "-id"),
            serializer_class=AnswerDocumentOutputSerializer,
        )


class CouncilAnswerDocumentCreateApi(PetitionsApi):
    parser_classes = [MultiPartParser]

    class InputSerializer(serializers.Serializer[Any]):
        agency = CouncilRowField(
            rows=council_agencies,
            not_found=gettext_lazy("No agency of this council has this id."),
            required=False,
            allow_null=True,
            help_text="The issuing agency (id); a responder must give their own.",
        )
        number = serializers.CharField(max_length=80, help_text="Number and symbol.")
        issued_on = serializers.DateField()
        signer_name = serializers.CharField(max_length=150)
        signer_title = serializers.CharField(required=False, allow_blank=True, max_length=150)
        file = serializers.FileField(
            required=False, help_text="The signed PDF; its digital signature is checked."
        )

        class Meta:
            ref_name = "AnswerDocumentCreate"

    @extend_schema(
        operation_id="petition_answer_documents_create",
        tags=TAGS,
        summary="Register an answer document (multipart/form-data, with its signed PDF)",
        parameters=[COUNCIL],
        request={"multipart/form-data": InputSerializer},
        responses={201: AnswerDocumentOutputSerializer, **ACTION_ERRORS},
    )
    @open_to_tokens
    def post(self, request: Request, council_id: str) -> Response:
        if token_of(request) is None:
            council_pk = path_id(council_id, message=_("This council does not exist."))
            council = access.access_register_answer_document(
                user=request.user, council_id=council_pk
            )
        else:
            council = manage_council(request, council_id)
        data = validated_body(self.InputSerializer, request, council=council)
        agency = data.get("agency")
        if token_of(request) is None and not access.is_manager(request.user, council.pk):
            mine = queries.document_agencies(user=request.user, council_id=council.pk)
            if agency is None or not mine.filter(id=agency.pk).exists():
                raise serializers.ValidationError(
                    {"agency": [_("Choose the agency you answer for.")]}
                )
        document = services.register_answer_document(
            council_id=council.pk,
            agency_id=agency.pk if agency is not None else None,
            number=data["number"],
            issued_on=data["issued_on"],
            signer_name=data["signer_name"],
            signer_title=data.get("signer_title", ""),
            file=data.get("file"),
            actor=actor_of(request),
        )
        return Response(document_data(document.pk), status=201)


class AnswerDocumentDetailApi(PetitionsApi):
    @extend_schema(
        operation_id="petition_answer_documents_retrieve",
        tags=TAGS,
        summary="One answer document, with the result of its signature check",
        parameters=[DOCUMENT],
        responses={200: AnswerDocumentOutputSerializer, **DETAIL_ERRORS},
    )
    def get(self, request: Request, document_id: str) -> Response:
        document = read_document(request, document_id)
        return Response(document_data(document.pk))


class AnswerDocumentVerifyApi(PetitionsApi):
    @extend_schema(
        operation_id="petition_answer_documents_verify",
        tags=TAGS,
        summary="Check the stored PDF's digital signature again",
        parameters=[DOCUMENT],
        request=None,
        responses={200: AnswerDocumentOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, document_id: str) -> Response:
        pk = path_id(document_id, message=_("This answer document does not exist."))
        access.access_answer_document_verify(user=request.user, document_id=pk)
        services.verify_document_again(document_id=pk, actor=actor_of(request))
        return Response(document_data(pk))


# Answers


class AnswerFieldsSerializer(serializers.Serializer[Any]):
    expected_version = expected_version_field()
    text = serializers.CharField(max_length=20_000)
    result = EnumField(ResultCategory)
    roadmap = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=10_000,
        help_text="Required when the result is in_progress.",
    )
    planned_completion = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Required when the result is in_progress.",
    )
    answered_on = serializers.DateField()
    document = CouncilRowField(
        rows=council_documents,
        not_found=gettext_lazy("No answer document of this council has this id."),
        required=False,
        allow_null=True,
        default=None,
        help_text="The answer document (id) the answer comes from.",
    )


class PetitionAnswerCreateApi(PetitionsApi):
    class InputSerializer(AnswerFieldsSerializer):
        agency = CouncilRowField(
            rows=council_agencies,
            not_found=gettext_lazy("No agency of this council has this id."),
            required=False,
            allow_null=True,
            default=None,
            help_text="The answering agency (id); by default the lead agency.",
        )

        class Meta:
            ref_name = "AnswerCreate"

    @extend_schema(
        operation_id="petitions_answers_create",
        tags=TAGS,
        summary="Record the agency's answer: it becomes current and waits for evaluation",
        description=(
            "The council's office, a responder of the lead agency, or the council's API "
            "token (an agency's document system)."
        ),
        parameters=[PETITION],
        request=InputSerializer,
        responses={201: PetitionDetailOutputSerializer, **ACTION_ERRORS},
    )
    @open_to_tokens
    def post(self, request: Request, petition_id: str) -> Response:
        petition = petition_for(request, petition_id, access.access_petition_answer)
        data = validated_body(self.InputSerializer, request, council=petition.council)
        check_citable(request, petition, data["document"])
        services.record_answer(
            petition_id=petition.pk,
            expected_version=data["expected_version"],
            text=data["text"],
            result=data["result"],
            roadmap=data["roadmap"],
            planned_completion=data["planned_completion"],
            answered_on=data["answered_on"],
            document_id=data["document"].pk if data["document"] else None,
            agency_id=data["agency"].pk if data["agency"] else None,
            actor=actor_of(request),
        )
        return Response(petition_detail(request, petition), status=201)


class PetitionAnswerReviseApi(PetitionsApi):
    class InputSerializer(AnswerFieldsSerializer):
        class Meta:
            ref_name = "AnswerRevise"

    @extend_schema(
        operation_id="petitions_answers_current_update",
        tags=TAGS,
        summary="Revise the current answer before it is evaluated or published",
        parameters=[PETITION],
        request=InputSerializer,
        responses={200: PetitionDetailOutputSerializer, **ACTION_ERRORS},
    )
    @open_to_tokens
    def put(self, request: Request, petition_id: str) -> Response:
        petition = petition_for(request, petition_id, access.access_petition_answer)
        data = validated_body(self.InputSerializer, request, council=petition.council)
        check_citable(request, petition, data["document"])
        services.revise_answer(
            petition_id=petition.pk,
            expected_version=data["expected_version"],
            text=data["text"],
            result=data["result"],
            roadmap=data["roadmap"],
            planned_completion=data["planned_completion"],
            answered_on=data["answered_on"],
            document_id=data["document"].pk if data["document"] else None,
            actor=actor_of(request),
        )
        return Response(petition_detail(request, petition))


class PetitionPublishAnswerApi(PetitionsApi):
    class InputSerializer(serializers.Serializer[Any]):
        expected_version = expected_version_field()

        class Meta:
            ref_name = "PublishAnswer"

    @extend_schema(
        operation_id="petitions_publish_answer",
        tags=TAGS,
        summary="Publish the current answer: voters see it on the lookup page",
        parameters=[PETITION],
        request=InputSerializer,
        responses={200: PetitionDetailOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, petition_id: str) -> Response:
        petition = petition_for(request, petition_id, access.access_petition_manage)
        data = validated_body(self.InputSerializer, request)
        services.publish_answer(
            petition_id=petition.pk,
            expected_version=data["expected_version"],
            actor=actor_of(request),
        )
        return Response(petition_detail(request, petition))


class PublishedCountSerializer(serializers.Serializer[Any]):
    published = serializers.IntegerField(help_text="How many answers were published.")

    class Meta:
        ref_name = "PublishedCount"


class CyclePublishAnswersApi(PetitionsApi):
    @extend_schema(
        operation_id="petition_cycles_publish_answers",
        tags=TAGS,
        summary="Publish every evaluated, unpublished current answer of a session cycle",
        parameters=[COUNCIL, CYCLE],
        request=None,
        responses={200: PublishedCountSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, council_id: str, cycle_id: str) -> Response:
        council = manage_council(request, council_id)
        cycle_pk = path_id(cycle_id, message=_("This session cycle does not exist."))
        if not SessionCycle.objects.filter(id=cycle_pk, council_id=council.pk).exists():
            raise NotFound(_("This session cycle does not exist."))
        count = services.publish_cycle_answers(
            council_id=council.pk, cycle_id=cycle_pk, actor=actor_of(request)
        )
        return Response({"published": count})


# One address, two operations.


class CouncilAnswerDocumentsApi(CouncilAnswerDocumentListApi, CouncilAnswerDocumentCreateApi):
    pass


urlpatterns: list[URLPattern] = [
    path(
        "councils/<str:council_id>/answer-documents/",
        CouncilAnswerDocumentsApi.as_view(),
        name="answer-documents-api-list",
    ),
    path(
        "answer-documents/<str:document_id>/",
        AnswerDocumentDetailApi.as_view(),
        name="answer-documents-api-detail",
    ),
    path(
        "answer-documents/<str:document_id>/verify/",
        AnswerDocumentVerifyApi.as_view(),
        name="answer-documents-api-verify",
    ),
    path(
        "petitions/<str:petition_id>/answers/",
        PetitionAnswerCreateApi.as_view(),
        name="petitions-api-answers",
    ),
    path(
        "petitions/<str:petition_id>/answers/current/",
        PetitionAnswerReviseApi.as_view(),
        name="petitions-api-answer-current",
    ),
    path(
        "petitions/<str:petition_id>/publish-answer/",
        PetitionPublishAnswerApi.as_view(),
        name="petitions-api-publish-answer",
    ),
    path(
        "councils/<str:council_id>/cycles/<str:cycle_id>/publish-answers/",
        CyclePublishAnswersApi.as_view(),
        name="cycles-api-publish-answers",
    ),
]
