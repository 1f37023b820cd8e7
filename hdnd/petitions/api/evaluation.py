"""API: evaluation and supervision — the committee in charge rates the current answer,
the standing committee or the office flags a questioning topic (the committee in charge
or the standing committee takes it off), and the office carries a session's open
petitions over to a later one. All are people's decisions: API tokens are refused."""

from typing import Any

from django.db.models import QuerySet
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from hdnd.core.api import EnumField, expected_version_field, validated_body
from hdnd.councils.api.common import id_parameter
from hdnd.councils.models import Council
from hdnd.petitions import access
from hdnd.petitions.api.common import (
    ACTION_ERRORS,
    TAGS,
    CouncilRowField,
    PetitionsApi,
    actor_of,
    manage_council,
    petition_for,
)
from hdnd.petitions.api.petitions import petition_detail
from hdnd.petitions.api.serializers.petitions import PetitionDetailOutputSerializer
from hdnd.petitions.models import Decision, SessionCycle, Verdict
from hdnd.petitions.services import evaluation as services

COUNCIL = id_parameter("council_id", "The council's id.")
PETITION = id_parameter("petition_id", "The petition's id.")


def council_cycles(council: Council) -> QuerySet[SessionCycle]:
    return SessionCycle.objects.filter(council_id=council.pk)


class PetitionRateApi(PetitionsApi):
    class InputSerializer(serializers.Serializer[Any]):
        expected_version = expected_version_field()
        verdict = EnumField(Verdict)
        decision = EnumField(
            Decision,
            help_text=(
                "satisfactory: close (resolved, explained) or monitor (in progress, will "
                "resolve); otherwise resupervise or questioning, with a comment."
            ),
        )
        comment = serializers.CharField(
            required=False, allow_blank=True, default="", max_length=5000
        )

        class Meta:
            ref_name = "RatingCreate"

    @extend_schema(
        operation_id="petitions_rating_create",
        tags=TAGS,
        summary="Evaluate the current answer (the committee in charge or the standing committee)",
        parameters=[PETITION],
        request=InputSerializer,
        responses={201: PetitionDetailOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, petition_id: str) -> Response:
        petition = petition_for(request, petition_id, access.access_petition_rate)
        data = validated_body(self.InputSerializer, request)
        services.rate_answer(
            petition_id=petition.pk,
            expected_version=data["expected_version"],
            verdict=data["verdict"],
            decision=data["decision"],
            comment=data["comment"],
            actor=actor_of(request),
        )
        return Response(petition_detail(request, petition), status=201)


class PetitionQuestioningApi(PetitionsApi):
    class InputSerializer(serializers.Serializer[Any]):
        expected_version = expected_version_field()
        note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)

        class Meta:
            ref_name = "QuestioningFlag"

    @extend_schema(
        operation_id="petitions_questioning_create",
        tags=TAGS,
        summary="Flag the petition as a questioning topic for the next session",
        parameters=[PETITION],
        request=InputSerializer,
        responses={200: PetitionDetailOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, petition_id: str) -> Response:
        petition = petition_for(request, petition_id, access.access_petition_supervise)
        data = validated_body(self.InputSerializer, request)
        services.flag_questioning_topic(
            petition_id=petition.pk,
            expected_version=data["expected_version"],
            actor=actor_of(request),
            note=data["note"],
        )
        return Response(petition_detail(request, petition))


class PetitionQuestioningWithdrawApi(PetitionsApi):
    class InputSerializer(serializers.Serializer[Any]):
        expected_version = expected_version_field()
        reason = serializers.CharField(
            max_length=2000, help_text="Why the petition is no longer a questioning topic."
        )

        class Meta:
            ref_name = "QuestioningWithdraw"

    @extend_schema(
        operation_id="petitions_questioning_withdraw",
        tags=TAGS,
        summary=(
            "Take the petition off the questioning topics (the committee in charge or the "
            "standing committee)"
        ),
        parameters=[PETITION],
        request=InputSerializer,
        responses={200: PetitionDetailOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, petition_id: str) -> Response:
        petition = petition_for(request, petition_id, access.access_petition_unflag_questioning)
        data = validated_body(self.InputSerializer, request)
        services.unflag_questioning_topic(
            petition_id=petition.pk,
            expected_version=data["expected_version"],
            reason=data["reason"],
            actor=actor_of(request),
        )
        return Response(petition_detail(request, petition))


class CarryOverCountSerializer(serializers.Serializer[Any]):
    moved = serializers.IntegerField(help_text="How many petitions were carried over.")

    class Meta:
        ref_name = "CarryOverCount"


class CouncilCarryOverApi(PetitionsApi):
    class InputSerializer(serializers.Serializer[Any]):
        from_cycle = CouncilRowField(
            rows=council_cycles,
            not_found=gettext_lazy("No session cycle of this council has this id."),
        )
        to_cycle = CouncilRowField(
            rows=council_cycles,
            not_found=gettext_lazy("No session cycle of this council has this id."),
            help_text="A later session cycle of the council (possibly in a later term).",
        )

        class Meta:
            ref_name = "CarryOver"

    @extend_schema(
        operation_id="petition_carry_over_create",
        tags=TAGS,
        summary="Carry every open petition of a session cycle over to a later one",
        parameters=[COUNCIL],
        request=InputSerializer,
        responses={200: CarryOverCountSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, council_id: str) -> Response:
        council = manage_council(request, council_id)
        data = validated_body(self.InputSerializer, request, council=council)
        moved = services.carry_over(
            council_id=council.pk,
            from_cycle_id=data["from_cycle"].pk,
            to_cycle_id=data["to_cycle"].pk,
            actor=actor_of(request),
        )
        return Response({"moved": moved})


urlpatterns: list[URLPattern] = [
    path(
        "petitions/<str:petition_id>/rating/",
        PetitionRateApi.as_view(),
        name="petitions-api-rating",
    ),
    path(
        "petitions/<str:petition_id>/questioning/",
        PetitionQuestioningApi.as_view(),
        name="petitions-api-questioning",
    ),
    path(
        "petitions/<str:petition_id>/questioning/withdraw/",
        PetitionQuestioningWithdrawApi.as_view(),
        name="petitions-api-questioning-withdraw",
    ),
    path(
        "councils/<str:council_id>/carry-over/",
        CouncilCarryOverApi.as_view(),
        name="petitions-api-carry-over",
    ),
]
