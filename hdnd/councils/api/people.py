"""People of the directory: delegates and agency officials, with their seats and posts."""

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from hdnd.accounts.api_auth import TokenUser
from hdnd.councils.access import can_view_person_contact
from hdnd.councils.api.common import (
    DETAIL_ERRORS,
    LIST_ERRORS,
    ConstituencyRefSerializer,
    CouncilRefSerializer,
    DirectoryApi,
    NamedRefSerializer,
    PageFilterSerializer,
    TermRefSerializer,
    council_filter,
    id_parameter,
    paginated_response,
    path_id,
    search_field,
    validated_filters,
)
from hdnd.councils.models import CommitteeRole, Gender, Person, Position
from hdnd.councils.queries.people import person_list, person_profile


class ContactSerializer(serializers.Serializer[Any]):
    email = serializers.CharField()
    phone = serializers.CharField()

    class Meta:
        ref_name = "Contact"


DELEGATE_ONLY_FIELDS: dict[str, Any] = {"gender": "", "birth_year": None, "occupation": ""}


class PersonListApi(DirectoryApi):
    class FilterSerializer(PageFilterSerializer):
        council = council_filter("Only people who hold or held a seat in this council (id).")
        q = search_field("Words of the full name, with or without diacritics.")

    class OutputSerializer(serializers.Serializer[Any]):
        id = serializers.IntegerField()
        full_name = serializers.CharField()
        gender = serializers.ChoiceField(choices=Gender.choices, allow_blank=True)
        birth_year = serializers.IntegerField(source="birth_date.year", allow_null=True)

        class Meta:
            ref_name = "Person"

        def to_representation(self, instance: Person) -> dict[str, Any]:
            data = dict(super().to_representation(instance))
            # Gender, birth year and occupation are public for delegates only (models.Person);
            # an agency official is in the directory for their post, not their person.
            if not getattr(instance, "has_seat", False):
                for field, blank in DELEGATE_ONLY_FIELDS.items():
                    if field in data:
                        data[field] = blank
            return data

    @extend_schema(
        operation_id="people_list",
        tags=["people"],
        summary="People of the directory: delegates and agency officials",
        description="Contact details are given only by the detail endpoint.",
        parameters=[FilterSerializer],
        responses={200: OutputSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request) -> Response:
        filters = validated_filters(self.FilterSerializer, request)
        people = person_list(council_id=filters.get("council"), query=filters.get("q", ""))
        return paginated_response(
            request=request, view=self, queryset=people, serializer_class=self.OutputSerializer
        )


class PersonCommitteeSeatSerializer(serializers.Serializer[Any]):
    committee = NamedRefSerializer()
    role = serializers.ChoiceField(choices=CommitteeRole.choices)
    role_label = serializers.CharField(source="get_role_display")
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)

    class Meta:
        ref_name = "PersonCommitteeSeat"


class PersonMembershipSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    council = CouncilRefSerializer()
    term = TermRefSerializer()
    constituency = ConstituencyRefSerializer(allow_null=True)
    position = serializers.ChoiceField(choices=Position.choices)
    position_label = serializers.CharField(source="get_position_display")
    is_full_time = serializers.BooleanField()
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)
    committee_seats = PersonCommitteeSeatSerializer(many=True)

    class Meta:
        ref_name = "PersonMembership"


class PersonOfficialPostSerializer(serializers.Serializer[Any]):
    agency = NamedRefSerializer()
    title = serializers.CharField()
    is_head = serializers.BooleanField()
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)

    class Meta:
        ref_name = "PersonOfficialPost"


class PersonDetailApi(DirectoryApi):
    class OutputSerializer(PersonListApi.OutputSerializer):
        occupation = serializers.CharField()
        contact = serializers.SerializerMethodField(
            help_text="Email and phone, only for signed-in people allowed to see them."
        )
        memberships = PersonMembershipSerializer(many=True, help_text="Newest first.")
        official_posts = PersonOfficialPostSerializer(many=True, help_text="Newest first.")

        class Meta:
            ref_name = "PersonDetail"

        @extend_schema_field(ContactSerializer(allow_null=True))
        def get_contact(self, person: Person) -> dict[str, str] | None:
            if not self.context.get("show_contact", False):
                return None
            return {"email": person.email, "phone": person.phone}

    @extend_schema(
        operation_id="people_retrieve",
        tags=["people"],
        summary="One person, with their seats and agency posts",
        parameters=[id_parameter("person_id", "The person's id.")],
        responses={200: OutputSerializer, **DETAIL_ERRORS},
    )
    def get(self, request: Request, person_id: str) -> Response:
        person = person_profile(
            person_id=path_id(person_id, message=_("No person in the directory has this id."))
        )
        # Tokens act for a system, never for a person: they never see contact details.
        show_contact = not isinstance(request.user, TokenUser) and can_view_person_contact(
            user=request.user, person=person
        )
        serializer = self.OutputSerializer(person, context={"show_contact": show_contact})
        return Response(serializer.data)
