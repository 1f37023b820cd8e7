"""Answer documents, answers and their evaluations as the API shows them."""

from typing import Any

from rest_framework import serializers

from hdnd.core.api import EnumField
from hdnd.councils.api.common import NamedRefSerializer
from hdnd.petitions.models import Decision, ResultCategory, SignatureStatus, Verdict


class AnswerDocumentOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    council_id = serializers.IntegerField()
    agency = NamedRefSerializer(allow_null=True)
    number = serializers.CharField()
    issued_on = serializers.DateField()
    signer_name = serializers.CharField()
    signer_title = serializers.CharField()
    has_file = serializers.SerializerMethodField()
    signature_status = EnumField(SignatureStatus)
    signature_checked_at = serializers.DateTimeField(allow_null=True)

    class Meta:
        ref_name = "AnswerDocument"

    def get_has_file(self, document: Any) -> bool:
        return bool(document.file)


class AnswerOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    petition_id = serializers.IntegerField()
    agency = NamedRefSerializer(allow_null=True)
    document = AnswerDocumentOutputSerializer(allow_null=True)
    text = serializers.CharField()
    result = EnumField(ResultCategory)
    roadmap = serializers.CharField()
    planned_completion = serializers.DateField(allow_null=True)
    answered_on = serializers.DateField()
    on_time = serializers.BooleanField(allow_null=True)
    is_current = serializers.BooleanField()
    published_at = serializers.DateTimeField(allow_null=True)
    prepared_at = serializers.DateTimeField()

    class Meta:
        ref_name = "Answer"


class RatingOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    answer_id = serializers.IntegerField()
    committee = NamedRefSerializer(allow_null=True)
    verdict = EnumField(Verdict)
    decision = EnumField(Decision)
    comment = serializers.CharField()
    rated_at = serializers.DateTimeField()

    class Meta:
        ref_name = "Rating"
