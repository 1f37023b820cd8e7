"""The bodies of a council and the seats in them: terms of office, delegates' seats
(memberships), committees, and the agencies answering to the council."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from hdnd.core.errors import NotFound
from hdnd.councils.api.common import (
    DETAIL_ERRORS,
    LIST_ERRORS,
    ConstituencyRefSerializer,
    CouncilRefSerializer,
    DirectoryApi,
    ExistingIdField,
    NamedRefSerializer,
    PageFilterSerializer,
    PersonRefSerializer,
    TermRefSerializer,
    council_filter,
    id_parameter,
    paginated_response,
    path_id,
    search_field,
    validated_filters,
)
from hdnd.councils.models import AgencyKind, CommitteeRole, Position, Term
from hdnd.councils.queries.bodies import (
    agency_list,
    agency_with_officials,
    committee_list,
    committee_with_seats,
    council_exists,
    term_list,
)
from hdnd.councils.queries.ordering import BY_FULL_NAME
from hdnd.councils.queries.people import membership_list, public_people

# Terms of office


class TermOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    council = CouncilRefSerializer()
    number = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField()

    class Meta:
        ref_name = "Term"


class TermListApi(DirectoryApi):
    class FilterSerializer(PageFilterSerializer):
        council = council_filter()

    OutputSerializer = TermOutputSerializer

    @extend_schema(
        operation_id="terms_list",
        tags=["terms"],
        summary="Terms of office",
        parameters=[FilterSerializer],
        responses={200: TermOutputSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request) -> Response:
        filters = validated_filters(self.FilterSerializer, request)
        terms = term_list(council_id=filters.get("council"))
        return paginated_response(
            request=request, view=self, queryset=terms, serializer_class=self.OutputSerializer
        )


class CouncilTermListApi(DirectoryApi):
    OutputSerializer = TermOutputSerializer

    @extend_schema(
        operation_id="councils_terms_list",
        tags=["terms"],
        summary="The terms of office of one council",
        parameters=[id_parameter("council_id", "The council's id."), PageFilterSerializer],
        responses={200: TermOutputSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request, council_id: str) -> Response:
        validated_filters(PageFilterSerializer, request)
        council_pk = path_id(council_id, message=_("No council has this id."))
        if not council_exists(council_id=council_pk):
            raise NotFound(_("No council has this id."))
        terms = term_list(council_id=council_pk)
        return paginated_response(
            request=request, view=self, queryset=terms, serializer_class=self.OutputSerializer
        )


# Memberships


class MembershipListApi(DirectoryApi):
    class FilterSerializer(PageFilterSerializer):
        council = council_filter()
        term = ExistingIdField(
            rows=Term.objects.all,
            not_found=gettext_lazy("No term has this id."),
            help_text="Only this term of office (id).",
        )
        person = ExistingIdField(
            rows=public_people,
            not_found=gettext_lazy("No person has this id."),
            help_text="Only this person (id).",
        )
        active = serializers.BooleanField(
            required=False,
            allow_null=True,
            default=None,
            help_text="true: seats held today; false: seats ended or not yet begun.",
        )
        position = serializers.ChoiceField(choices=Position.choices, required=False)
        q = search_field("Words of the person's name, with or without diacritics.")

    class OutputSerializer(serializers.Serializer[Any]):
        id = serializers.IntegerField()
        person = PersonRefSerializer()
        council = CouncilRefSerializer()
        term = TermRefSerializer()
        constituency = ConstituencyRefSerializer(allow_null=True)
        position = serializers.ChoiceField(choices=Position.choices)
        position_label = serializers.CharField(source="get_position_display")
        is_full_time = serializers.BooleanField()
        start_date = serializers.DateField()
        end_date = serializers.DateField(allow_null=True)

        class Meta:
            ref_name = "Membership"

    @extend_schema(
        operation_id="memberships_list",
        tags=["memberships"],
        summary="Seats of delegates in councils",
        parameters=[FilterSerializer],
        responses={200: OutputSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request) -> Response:
        filters = validated_filters(self.FilterSerializer, request)
        memberships = membership_list(
            council_id=filters.get("council"),
            term_id=filters.get("term"),
            person_id=filters.get("person"),
            active=filters.get("active"),
            position=filters.get("position"),
            query=filters.get("q", ""),
        )
        return paginated_response(
            request=request, view=self, queryset=memberships, serializer_class=self.OutputSerializer
        )


# Committees


class CommitteeSeatOutputSerializer(serializers.Serializer[Any]):
    person = PersonRefSerializer(source="membership.person")
    membership_id = serializers.IntegerField()
    role = serializers.ChoiceField(choices=CommitteeRole.choices)
    role_label = serializers.CharField(source="get_role_display")
    is_full_time = serializers.BooleanField()
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)

    class Meta:
        ref_name = "CommitteeSeat"


class CommitteeOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    council = CouncilRefSerializer()
    name = serializers.CharField()
    field_of_work = serializers.CharField()
    is_active = serializers.BooleanField()
    seats = CommitteeSeatOutputSerializer(
        source="current_seats", many=True, help_text="Seats held today."
    )

    class Meta:
        ref_name = "Committee"


class CommitteeListApi(DirectoryApi):
    class FilterSerializer(PageFilterSerializer):
        council = council_filter()
        include_inactive = serializers.BooleanField(required=False, default=False)
        q = search_field("Words of the name, with or without diacritics.")

    OutputSerializer = CommitteeOutputSerializer

    @extend_schema(
        operation_id="committees_list",
        tags=["committees"],
        summary="Committees of councils, with their current seats",
        parameters=[FilterSerializer],
        responses={200: CommitteeOutputSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request) -> Response:
        filters = validated_filters(self.FilterSerializer, request)
        committees = committee_list(
            council_id=filters.get("council"),
            include_inactive=filters["include_inactive"],
            query=filters.get("q", ""),
            people_by=BY_FULL_NAME,
        )
        return paginated_response(
            request=request, view=self, queryset=committees, serializer_class=self.OutputSerializer
        )


class CommitteeDetailApi(DirectoryApi):
    OutputSerializer = CommitteeOutputSerializer

    @extend_schema(
        operation_id="committees_retrieve",
        tags=["committees"],
        summary="One committee, with its current seats",
        parameters=[id_parameter("committee_id", "The committee's id.")],
        responses={200: CommitteeOutputSerializer, **DETAIL_ERRORS},
    )
    def get(self, request: Request, committee_id: str) -> Response:
        committee = committee_with_seats(
            committee_id=path_id(committee_id, message=_("No committee has this id.")),
            people_by=BY_FULL_NAME,
        )
        return Response(self.OutputSerializer(committee).data)


# Agencies


class AgencyOfficialOutputSerializer(serializers.Serializer[Any]):
    person = PersonRefSerializer()
    title = serializers.CharField()
    is_head = serializers.BooleanField()
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)

    class Meta:
        ref_name = "AgencyOfficial"


class AgencyOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    council = CouncilRefSerializer()
    parent = NamedRefSerializer(allow_null=True)
    kind = serializers.ChoiceField(choices=AgencyKind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    code = serializers.CharField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    address = serializers.CharField()
    email = serializers.CharField(help_text="The agency's public address.")
    phone = serializers.CharField(help_text="The agency's public number.")
    is_active = serializers.BooleanField()
    officials = AgencyOfficialOutputSerializer(
        source="current_officials", many=True, help_text="Officials in post today."
    )

    class Meta:
        ref_name = "Agency"


class AgencyListApi(DirectoryApi):
    class FilterSerializer(PageFilterSerializer):
        council = council_filter()
        kind = serializers.ChoiceField(choices=AgencyKind.choices, required=False)
        include_inactive = serializers.BooleanField(required=False, default=False)
        q = search_field("Words of the name, with or without diacritics.")

    OutputSerializer = AgencyOutputSerializer

    @extend_schema(
        operation_id="agencies_list",
        tags=["agencies"],
        summary="Agencies answering to councils, with their current officials",
        parameters=[FilterSerializer],
        responses={200: AgencyOutputSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request) -> Response:
        filters = validated_filters(self.FilterSerializer, request)
        agencies = agency_list(
            council_id=filters.get("council"),
            kind=filters.get("kind"),
            include_inactive=filters["include_inactive"],
            query=filters.get("q", ""),
            people_by=BY_FULL_NAME,
        )
        return paginated_response(
            request=request, view=self, queryset=agencies, serializer_class=self.OutputSerializer
        )


class AgencyDetailApi(DirectoryApi):
    OutputSerializer = AgencyOutputSerializer

    @extend_schema(
        operation_id="agencies_retrieve",
        tags=["agencies"],
        summary="One agency, with its current officials",
        parameters=[id_parameter("agency_id", "The agency's id.")],
        responses={200: AgencyOutputSerializer, **DETAIL_ERRORS},
    )
    def get(self, request: Request, agency_id: str) -> Response:
        agency = agency_with_officials(
            agency_id=path_id(agency_id, message=_("No agency has this id.")),
            people_by=BY_FULL_NAME,
        )
        return Response(self.OutputSerializer(agency).data)
