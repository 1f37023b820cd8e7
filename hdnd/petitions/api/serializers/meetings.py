"""Voter-contact meetings and session cycles as the API shows them."""

from typing import Any

from rest_framework import serializers

from hdnd.core.api import EnumField
from hdnd.councils.api.common import NamedRefSerializer, TermRefSerializer, UnitRefSerializer
from hdnd.petitions.api.serializers.items import ItemSummarySerializer
from hdnd.petitions.api.serializers.refs import CycleRefSerializer
from hdnd.petitions.models import (
    ContactMeeting,
    MeetingFormat,
    MeetingStatus,
    MeetingTiming,
    Organiser,
)


class CycleOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    council_id = serializers.IntegerField()
    term = TermRefSerializer()
    number = serializers.IntegerField()
    name = serializers.CharField()
    is_thematic = serializers.BooleanField()
    session_date = serializers.DateField()

    class Meta:
        ref_name = "SessionCycle"


class MeetingListOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    council_id = serializers.IntegerField()
    cycle = CycleRefSerializer()
    timing = EnumField(MeetingTiming)
    topic = serializers.CharField()
    starts_at = serializers.DateTimeField()
    unit = UnitRefSerializer()
    venue = serializers.CharField()
    format = EnumField(MeetingFormat)
    organisers = serializers.ListField(child=EnumField(Organiser))
    delegate_group = NamedRefSerializer(allow_null=True)
    voters_attending = serializers.IntegerField(allow_null=True)
    status = EnumField(MeetingStatus)
    has_minutes = serializers.SerializerMethodField()
    item_count = serializers.SerializerMethodField()
    version = serializers.IntegerField(
        help_text="Send it back as `expected_version` with any change to this meeting."
    )

    class Meta:
        ref_name = "ContactMeetingListItem"

    def get_has_minutes(self, meeting: ContactMeeting) -> bool:
        return bool(meeting.minutes_file)

    def get_item_count(self, meeting: ContactMeeting) -> int:
        # The list annotates the count; the page has the items prefetched.
        total = getattr(meeting, "item_total", None)
        return int(total) if total is not None else len(meeting.items.all())


class DelegatePresentSerializer(serializers.Serializer[Any]):
    membership_id = serializers.IntegerField(source="id")
    person_id = serializers.IntegerField()
    full_name = serializers.CharField(source="person.full_name")
    council = NamedRefSerializer()

    class Meta:
        ref_name = "DelegatePresent"


class SpotAnswerOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    item_id = serializers.IntegerField(allow_null=True)
    official_name = serializers.CharField()
    official_title = serializers.CharField()
    agency = NamedRefSerializer(allow_null=True)
    text = serializers.CharField()
    settles_item = serializers.BooleanField()

    class Meta:
        ref_name = "SpotAnswer"


class MeetingDetailOutputSerializer(MeetingListOutputSerializer):
    term = TermRefSerializer()
    notes = serializers.CharField()
    created_at = serializers.DateTimeField()
    delegates_present = DelegatePresentSerializer(many=True)
    items = ItemSummarySerializer(many=True)
    spot_answers = SpotAnswerOutputSerializer(many=True)

    class Meta:
        ref_name = "ContactMeeting"
