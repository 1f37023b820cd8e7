"""The directory API: read-only, public data, one view per operation.

Each view validates its query parameters with a FilterSerializer (bad values answer 400
in the JSON error shape), reads through hdnd/councils/queries_api.py and writes the
response with its own OutputSerializer. Signed-in people and API tokens with the scope
"directory:read" may call it; a person's email and phone appear only to signed-in people
that `can_view_person_contact` allows, never to tokens.
"""

from typing import TYPE_CHECKING, Any

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import exceptions, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hdnd.accounts.api_auth import TokenUser
from hdnd.accounts.api_permissions import HasScope
from hdnd.accounts.models import ApiScope
from hdnd.core.api import Pagination
from hdnd.core.errors import NotFound
from hdnd.councils import queries_api
from hdnd.councils.access import can_view_person_contact
from hdnd.councils.models import (
    AgencyKind,
    CommitteeRole,
    Council,
    CouncilLevel,
    Gender,
    Person,
    Position,
    Term,
    UnitKind,
    UnitLevel,
)
from hdnd.councils.search import MAX_QUERY_LENGTH

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The JSON error shape of hdnd/core/api.py, for the schema.

ErrorSerializer = inline_serializer(
    name="Error",
    fields={
        "error": inline_serializer(
            name="ErrorDetail",
            fields={
                "code": serializers.CharField(help_text="A stable, machine-readable code."),
                "message": serializers.CharField(
                    help_text="A message for people, in the request's language."
                ),
                "fields": serializers.DictField(
                    child=serializers.ListField(child=serializers.CharField()),
                    help_text="What is wrong with each parameter or field, if anything.",
                ),
            },
        )
    },
)


_ERROR_DESCRIPTIONS = {
    400: "A parameter is not valid.",
    401: "No valid session or API token.",
    403: "The caller may not do this (for a token: a scope is missing).",
    404: "Nothing was found.",
}


def error_responses(*statuses: int) -> dict[int, OpenApiResponse]:
    return {
        status: OpenApiResponse(ErrorSerializer, description=_ERROR_DESCRIPTIONS[status])
        for status in statuses
    }


LIST_ERRORS = error_responses(400, 401, 403, 404)
DETAIL_ERRORS = error_responses(401, 403, 404)


def paginated_response(
    *, request: Request, view: APIView, queryset: QuerySet[Any], serializer_class: type[Any]
) -> Response:
    paginator = Pagination()
    try:
        page = paginator.paginate_queryset(queryset, request, view=view)
    except exceptions.NotFound as exc:
        raise NotFound(
            _("This page does not exist."), fields={"page": [_("There is no such page.")]}
        ) from exc
    serializer = serializer_class(page, many=True, context={"request": request})
    return paginator.get_paginated_response(serializer.data)


MAX_ID = 2**63 - 1


def path_id(value: str, *, message: str) -> int:
    """A numeric id from the path; anything else is simply not found."""
    if not value.isascii() or not value.isdigit() or int(value) > MAX_ID:
        raise NotFound(message)
    return int(value)


def _id_parameter(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.INT, OpenApiParameter.PATH, description=description)


# Query parameters shared by the list endpoints.


class ExistingIdField(serializers.IntegerField):
    """The id of an existing row, e.g. `?council=12`; unknown ids are a 400."""

    def __init__(self, *, model: type[Model], not_found: "StrOrPromise", **kwargs: Any) -> None:
        self.model = model
        kwargs.setdefault("min_value", 1)
        # Beyond a 64-bit key the database would raise, not answer "not found".
        kwargs.setdefault("max_value", MAX_ID)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.error_messages["not_found"] = not_found

    def to_internal_value(self, data: Any) -> int:
        value = int(super().to_internal_value(data))
        if not self.model._default_manager.filter(pk=value).exists():
            self.fail("not_found")
        return value


class PageFilterSerializer(serializers.Serializer[Any]):
    page = serializers.IntegerField(min_value=1, required=False, help_text="Page number, from 1.")
    page_size = serializers.IntegerField(
        min_value=1,
        max_value=Pagination.max_page_size,
        required=False,
        help_text=f"Results per page (default {Pagination.page_size}).",
    )


def _search_field(help_text: str) -> serializers.CharField:
    return serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_QUERY_LENGTH, help_text=help_text
    )


def _council_filter(help_text: str = "Only this council (id).") -> ExistingIdField:
    return ExistingIdField(
        model=Council,
        not_found=gettext_lazy("No council has this id."),
        help_text=help_text,
    )


def validated_filters(serializer_class: type[serializers.Serializer[Any]], request: Request) -> Any:
    filters = serializer_class(data=request.query_params)
    filters.is_valid(raise_exception=True)
    return filters.validated_data


class DirectoryApi(APIView):
    """Base of the directory endpoints: signed-in people, or tokens with "directory:read"."""

    permission_classes = [IsAuthenticated, HasScope]
    required_scope = ApiScope.DIRECTORY_READ
    pagination_class = Pagination  # read by the schema generator of list views


# Reference shapes nested in many responses.


class UnitRefSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.ChoiceField(choices=UnitLevel.choices)

    class Meta:
        ref_name = "UnitRef"


class CouncilRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()

    class Meta:
        ref_name = "CouncilRef"


class TermRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    number = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField()

    class Meta:
        ref_name = "TermRef"


class PersonRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    full_name = serializers.CharField()

    class Meta:
        ref_name = "PersonRef"


class NamedRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()

    class Meta:
        ref_name = "NamedRef"


class ConstituencyRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    name = serializers.CharField()

    class Meta:
        ref_name = "ConstituencyRef"


# Administrative units


class UnitListApi(DirectoryApi):
    class FilterSerializer(PageFilterSerializer):
        level = serializers.ChoiceField(choices=UnitLevel.choices, required=False)
        kind = serializers.ChoiceField(choices=UnitKind.choices, required=False)
        # DRF pops declared fields off the class, so "parent" shadows nothing at run time.
        parent = serializers.CharField(  # type: ignore[assignment]
            required=False, max_length=10, help_text="Official code of the parent unit."
        )
        include_former = serializers.BooleanField(
            required=False,
            default=False,
            help_text="Also list units that no longer exist (merged on 1 July 2025 and before).",
        )
        q = _search_field("Words of the name, with or without diacritics.")

        def validate_parent(self, value: str) -> str:
            if not queries_api.unit_code_exists(code=value):
                raise serializers.ValidationError(_("No administrative unit has this code."))
            return value

    class OutputSerializer(serializers.Serializer[Any]):
        code = serializers.CharField()
        name = serializers.CharField()
        codename = serializers.CharField()
        kind = serializers.ChoiceField(choices=UnitKind.choices)
        kind_label = serializers.CharField(source="get_kind_display")
        level = serializers.ChoiceField(choices=UnitLevel.choices)
        parent = UnitRefSerializer(allow_null=True)
        valid_from = serializers.DateField(allow_null=True)
        valid_until = serializers.DateField(allow_null=True)
        is_current = serializers.BooleanField()

        class Meta:
            ref_name = "Unit"

    @extend_schema(
        operation_id="units_list",
        tags=["units"],
        summary="Administrative units",
        parameters=[FilterSerializer],
        responses={200: OutputSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request) -> Response:
        filters = validated_filters(self.FilterSerializer, request)
        units = queries_api.unit_list(
            level=filters.get("level"),
            kind=filters.get("kind"),
            parent_code=filters.get("parent"),
            include_former=filters["include_former"],
            query=filters.get("q", ""),
        )
        return paginated_response(
            request=request, view=self, queryset=units, serializer_class=self.OutputSerializer
        )


class UnitDetailApi(DirectoryApi):
    class OutputSerializer(UnitListApi.OutputSerializer):
        council = CouncilRefSerializer(allow_null=True)
        predecessors = UnitRefSerializer(many=True)
        successors = UnitRefSerializer(many=True)

        class Meta:
            ref_name = "UnitDetail"

    @extend_schema(
        operation_id="units_retrieve",
        tags=["units"],
        summary="One administrative unit, by its official code",
        description="A code reused after a merger names the current unit.",
        parameters=[
            OpenApiParameter(
                "code", OpenApiTypes.STR, OpenApiParameter.PATH, description="Official code."
            )
        ],
        responses={200: OutputSerializer, **DETAIL_ERRORS},
    )
    def get(self, request: Request, code: str) -> Response:
        unit = queries_api.unit_by_code(code=code)
        return Response(self.OutputSerializer(unit).data)


# Councils and terms


class CouncilListApi(DirectoryApi):
    class FilterSerializer(PageFilterSerializer):
        level = serializers.ChoiceField(choices=CouncilLevel.choices, required=False)
        # DRF pops declared fields off the class, so "parent" shadows nothing at run time.
        parent = _council_filter(  # type: ignore[assignment]
            "Only the councils under this council (id)."
        )
        q = _search_field("Words of the name, with or without diacritics.")

    class OutputSerializer(serializers.Serializer[Any]):
        id = serializers.IntegerField()
        name = serializers.CharField()
        level = serializers.ChoiceField(choices=CouncilLevel.choices)
        level_label = serializers.CharField(source="get_level_display")
        unit = UnitRefSerializer()
        parent = CouncilRefSerializer(allow_null=True)
        address = serializers.CharField()
        email = serializers.CharField(help_text="The council office's public address.")
        phone = serializers.CharField(help_text="The council office's public number.")

        class Meta:
            ref_name = "Council"

    @extend_schema(
        operation_id="councils_list",
        tags=["councils"],
        summary="People's Councils",
        parameters=[FilterSerializer],
        responses={200: OutputSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request) -> Response:
        filters = validated_filters(self.FilterSerializer, request)
        councils = queries_api.council_list(
            level=filters.get("level"), parent_id=filters.get("parent"), query=filters.get("q", "")
        )
        return paginated_response(
            request=request, view=self, queryset=councils, serializer_class=self.OutputSerializer
        )


class CouncilDetailApi(DirectoryApi):
    class OutputSerializer(CouncilListApi.OutputSerializer):
        terms = TermRefSerializer(many=True)

        class Meta:
            ref_name = "CouncilDetail"

    @extend_schema(
        operation_id="councils_retrieve",
        tags=["councils"],
        summary="One council, with its terms",
        parameters=[_id_parameter("council_id", "The council's id.")],
        responses={200: OutputSerializer, **DETAIL_ERRORS},
    )
    def get(self, request: Request, council_id: str) -> Response:
        council = queries_api.council_detail(
            council_id=path_id(council_id, message=_("No council has this id."))
        )
        return Response(self.OutputSerializer(council).data)


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
        council = _council_filter()

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
        terms = queries_api.term_list(council_id=filters.get("council"))
        return paginated_response(
            request=request, view=self, queryset=terms, serializer_class=self.OutputSerializer
        )


class CouncilTermListApi(DirectoryApi):
    OutputSerializer = TermOutputSerializer

    @extend_schema(
        operation_id="councils_terms_list",
        tags=["terms"],
        summary="The terms of office of one council",
        parameters=[_id_parameter("council_id", "The council's id."), PageFilterSerializer],
        responses={200: TermOutputSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request, council_id: str) -> Response:
        validated_filters(PageFilterSerializer, request)
        council_pk = path_id(council_id, message=_("No council has this id."))
        if not queries_api.council_exists(council_id=council_pk):
            raise NotFound(_("No council has this id."))
        terms = queries_api.term_list(council_id=council_pk)
        return paginated_response(
            request=request, view=self, queryset=terms, serializer_class=self.OutputSerializer
        )


# People


class ContactSerializer(serializers.Serializer[Any]):
    email = serializers.CharField()
    phone = serializers.CharField()

    class Meta:
        ref_name = "Contact"


DELEGATE_ONLY_FIELDS: dict[str, Any] = {"gender": "", "birth_year": None, "occupation": ""}


class PersonListApi(DirectoryApi):
    class FilterSerializer(PageFilterSerializer):
        council = _council_filter("Only people who hold or held a seat in this council (id).")
        q = _search_field("Words of the full name, with or without diacritics.")

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
        people = queries_api.person_list(
            council_id=filters.get("council"), query=filters.get("q", "")
        )
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
        parameters=[_id_parameter("person_id", "The person's id.")],
        responses={200: OutputSerializer, **DETAIL_ERRORS},
    )
    def get(self, request: Request, person_id: str) -> Response:
        person = queries_api.person_detail(
            person_id=path_id(person_id, message=_("No person in the directory has this id."))
        )
        # Tokens act for a system, never for a person: they never see contact details.
        show_contact = not isinstance(request.user, TokenUser) and can_view_person_contact(
            user=request.user, person=person
        )
        serializer = self.OutputSerializer(person, context={"show_contact": show_contact})
        return Response(serializer.data)


# Memberships


class MembershipListApi(DirectoryApi):
    class FilterSerializer(PageFilterSerializer):
        council = _council_filter()
        term = ExistingIdField(
            model=Term,
            not_found=gettext_lazy("No term has this id."),
            help_text="Only this term of office (id).",
        )
        person = ExistingIdField(
            model=Person,
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
        q = _search_field("Words of the person's name, with or without diacritics.")

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
        memberships = queries_api.membership_list(
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
        council = _council_filter()
        include_inactive = serializers.BooleanField(required=False, default=False)
        q = _search_field("Words of the name, with or without diacritics.")

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
        committees = queries_api.committee_list(
            council_id=filters.get("council"),
            include_inactive=filters["include_inactive"],
            query=filters.get("q", ""),
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
        parameters=[_id_parameter("committee_id", "The committee's id.")],
        responses={200: CommitteeOutputSerializer, **DETAIL_ERRORS},
    )
    def get(self, request: Request, committee_id: str) -> Response:
        committee = queries_api.committee_detail(
            committee_id=path_id(committee_id, message=_("No committee has this id."))
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
        council = _council_filter()
        kind = serializers.ChoiceField(choices=AgencyKind.choices, required=False)
        include_inactive = serializers.BooleanField(required=False, default=False)
        q = _search_field("Words of the name, with or without diacritics.")

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
        agencies = queries_api.agency_list(
            council_id=filters.get("council"),
            kind=filters.get("kind"),
            include_inactive=filters["include_inactive"],
            query=filters.get("q", ""),
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
        parameters=[_id_parameter("agency_id", "The agency's id.")],
        responses={200: AgencyOutputSerializer, **DETAIL_ERRORS},
    )
    def get(self, request: Request, agency_id: str) -> Response:
        agency = queries_api.agency_detail(
            agency_id=path_id(agency_id, message=_("No agency has this id."))
        )
        return Response(self.OutputSerializer(agency).data)
