"""What the petitions API's endpoints share: the base view, who the caller is (a person
or a council's system with an API token), access for both, and the fields input
serializers use.

Callers
- A person signed in with a session: every check goes through hdnd/petitions/access.py,
  exactly as on the pages. Writes from a session need the CSRF token, as on the pages.
- An API token: a system acting for ONE council, never a person. With "petitions:read"
  it reads that council's petition work, never a voter's identity. With
  "petitions:write" it may do what another system feeds in — the handlers marked
  `open_to_tokens`: receive voter items and ask for their duplicate suggestions; record
  voter-contact meetings (plan, correct, upload minutes, mark held, cancel, spot answers);
  register answer documents and record or revise an agency's answer. Every human
  decision — triage, consolidation, merging and splitting, rejecting a suggestion,
  routing and classification, the routing table and deadline rules, escalation to the
  standing committee, publishing, evaluation, questioning topics, carrying over — needs a
  person: those endpoints answer a token 403 "person_required". Anything of another
  council answers 403 on council paths and 404 for a petition, item or meeting by id
  (which reveals nothing).

Every action on an existing petition, item or meeting carries the `expected_version`
the caller loaded; a stale one is refused with 409 "stale_version".
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from hdnd.accounts.api_auth import TokenUser
from hdnd.accounts.api_permissions import HasScope
from hdnd.accounts.models import ApiScope
from hdnd.core.api import ErrorSerializer, Pagination, error_responses
from hdnd.core.errors import NotFound, PermissionDenied
from hdnd.councils.api.common import MAX_ID, path_id
from hdnd.councils.models import Council
from hdnd.petitions import access
from hdnd.petitions.models import ContactMeeting, Field, Petition, VoterItem

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

TAGS = ["petitions"]

# Error responses of the schema, by kind of operation.
_CONFLICT = {
    409: OpenApiResponse(
        ErrorSerializer,
        description=(
            "Refused in the current state: code transition_not_allowed, stale_version (the "
            "record changed since it was loaded) or conflict."
        ),
    )
}
LIST_ERRORS = error_responses(400, 401, 403, 404)
DETAIL_ERRORS = error_responses(401, 403, 404)
ACTION_ERRORS = {**error_responses(400, 401, 403, 404), **_CONFLICT}


# Base view and token policy. Comments, not docstrings, on the base: drf-spectacular would
# show its docstring as the description of every endpoint without one.


F = TypeVar("F", bound=Callable[..., Any])


def open_to_tokens(handler: F) -> F:
    """Mark a write handler (post, patch, put) as one the council's API token may call."""
    handler.open_to_tokens = True  # type: ignore[attr-defined]  # read by TokensMayAct
    return handler


PERSON_REQUIRED = gettext_lazy(
    "Only a person signed in may do this: an API token acts for a system, and this is "
    "a decision people make and answer for."
)


class PersonRequired(PermissionDenied):
    code = "person_required"


class TokensMayAct(BasePermission):
    """Tokens act for a system: they read, and write only through handlers marked with
    `open_to_tokens`; everything else is a person's decision."""

    code = "person_required"
    message = PERSON_REQUIRED

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not isinstance(request.user, TokenUser) or request.method in SAFE_METHODS:
            return True
        handler = getattr(view, (request.method or "").lower(), None)
        return bool(getattr(handler, "open_to_tokens", False))


# The base of every petitions endpoint: signed-in people, or tokens with "petitions:read"
# (reads) or "petitions:write" (writes). One class per operation; where a read and a write
# share an address, a class combining the two serves it.
class PetitionsApi(APIView):
    permission_classes = [IsAuthenticated, HasScope, TokensMayAct]
    pagination_class = Pagination  # read by the schema generator of list views

    @property
    def required_scope(self) -> str:
        if self.request.method in SAFE_METHODS:
            return ApiScope.PETITIONS_READ
        return ApiScope.PETITIONS_WRITE


# Who is calling.


def token_of(request: Request) -> Any:
    """The API token behind the request, or None for a person."""
    user = request.user
    return user.token if isinstance(user, TokenUser) else None


def _council(council_id: str) -> Council:
    pk = path_id(council_id, message=_("This council does not exist."))
    council = Council.objects.select_related("unit").filter(id=pk).first()
    if council is None:
        raise NotFound(_("This council does not exist."))
    return council


def _check_token_council(token: Any, council: Council) -> None:
    if token.council_id != council.pk:
        raise PermissionDenied(_("This API token belongs to another council."))


def read_council(request: Request, council_id: str) -> Council:
    """A council's petition lists: its readers, the agencies that answer to it, and its
    own tokens."""
    token = token_of(request)
    if token is None:
        pk = path_id(council_id, message=_("This council does not exist."))
        return access.access_council_petitions(user=request.user, council_id=pk)
    council = _council(council_id)
    _check_token_council(token, council)
    return council


def read_council_work(request: Request, council_id: str) -> Council:
    """A council's voter items, meetings and duplicate suggestions: its readers and its
    own tokens (agency responders see only the petitions sent to them)."""
    council = read_council(request, council_id)
    if token_of(request) is not None or access.is_reader(request.user, council.pk):
        return council
    raise PermissionDenied(_("Only the council's delegates and staff see this."))


def manage_council(request: Request, council_id: str) -> Council:
    """Creating and configuring a council's petition work: its office, or its own token
    on the endpoints open to tokens."""
    token = token_of(request)
    if token is None:
        pk = path_id(council_id, message=_("This council does not exist."))
        return access.access_council_manage(user=request.user, council_id=pk)
    council = _council(council_id)
    _check_token_council(token, council)
    return council


def visible_petitions(request: Request, council: Council) -> QuerySet[Petition]:
    token = token_of(request)
    if token is None:
        return access.visible_petitions(user=request.user, council_id=council.pk)
    return Petition.objects.filter(council_id=council.pk)


def _petition_pk(petition_id: str) -> int:
    return path_id(petition_id, message=_("This petition does not exist."))


def read_petition(request: Request, petition_id: str) -> Petition:
    token = token_of(request)
    pk = _petition_pk(petition_id)
    if token is None:
        return access.access_petition(user=request.user, petition_id=pk)
    petition = Petition.objects.filter(id=pk, council_id=token.council_id).first()
    if petition is None:
        raise NotFound(_("This petition does not exist."))
    return petition


def petition_for(request: Request, petition_id: str, check: Callable[..., Petition]) -> Petition:
    """A petition a person may act on, as `check` (an access_petition_* function) decides;
    for a token (on endpoints open to tokens), any petition of its council."""
    token = token_of(request)
    pk = _petition_pk(petition_id)
    if token is None:
        return check(user=request.user, petition_id=pk)
    return read_petition(request, petition_id)


def read_item(request: Request, item_id: str) -> VoterItem:
    """One voter item: as access.py decides for a person; any item of its council for a
    token. To others it does not exist."""
    pk = path_id(item_id, message=_("This voter item does not exist."))
    token = token_of(request)
    if token is None:
        return access.access_item(user=request.user, item_id=pk)
    item = VoterItem.objects.filter(id=pk, council_id=token.council_id).first()
    if item is None:
        raise NotFound(_("This voter item does not exist."))
    return item


def manage_item(request: Request, item_id: str, *, group_leader_may: bool = False) -> VoterItem:
    """Triage: the office of the item's council. Corrections (`group_leader_may`): also
    the leader of the delegate group whose meeting the item was raised at."""
    token = token_of(request)
    if token is not None:
        return read_item(request, item_id)
    pk = path_id(item_id, message=_("This voter item does not exist."))
    check = access.access_item_manage if group_leader_may else access.access_item_triage
    return check(user=request.user, item_id=pk)


def _meeting_pk(meeting_id: str) -> int:
    return path_id(meeting_id, message=_("This meeting does not exist."))


def read_meeting(request: Request, meeting_id: str) -> ContactMeeting:
    token = token_of(request)
    pk = _meeting_pk(meeting_id)
    if token is None:
        return access.access_meeting(user=request.user, meeting_id=pk)
    meeting = ContactMeeting.objects.filter(id=pk, council_id=token.council_id).first()
    if meeting is None:
        raise NotFound(_("This meeting does not exist."))
    return meeting


def manage_meeting(request: Request, meeting_id: str) -> ContactMeeting:
    if token_of(request) is None:
        return access.access_meeting_manage(user=request.user, meeting_id=_meeting_pk(meeting_id))
    return read_meeting(request, meeting_id)


def sees_identity(request: Request, council_id: int) -> bool:
    """Voters' names and contacts: never for a token, else as access.py says."""
    if token_of(request) is not None:
        return False
    return access.can_see_voter_identity(request.user, council_id)


def actor_of(request: Request) -> Any:
    """Who the services record as the actor: the person, or the API token's TokenUser,
    which the audit trail names "token:<name> [<prefix>] (<council>)" (timelines and
    `created_by` columns name people only)."""
    return request.user


# Input fields.


class CouncilRowField(serializers.IntegerField):
    """The id of a row belonging to the council the request is about (the serializer's
    context["council"]); an id of anything else is a 400, as if it did not exist."""

    def __init__(
        self,
        *,
        rows: Callable[[Council], QuerySet[Any]],
        not_found: "StrOrPromise",
        **kwargs: Any,
    ) -> None:
        self.rows = rows
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)
        self.error_messages["not_found"] = not_found

    def run_validation(self, data: Any = serializers.empty) -> Any:
        # After the range checks, which the id must pass, not the row.
        value = super().run_validation(data)
        if value is None:
            return None
        council: Council = self.context["council"]
        row = self.rows(council).filter(pk=value).first()
        if row is None:
            self.fail("not_found")
        return row


class CouncilRowsField(serializers.ListField):
    """Ids of rows belonging to the request's council, looked up in one query; the rows
    come back in the order given, each once."""

    def __init__(
        self,
        *,
        rows: Callable[[Council], QuerySet[Any]],
        not_found: "StrOrPromise",
        **kwargs: Any,
    ) -> None:
        self.rows = rows
        kwargs.setdefault("max_length", 100)
        super().__init__(child=serializers.IntegerField(min_value=1, max_value=MAX_ID), **kwargs)
        self.error_messages["not_found"] = not_found

    def run_validation(self, data: Any = serializers.empty) -> Any:
        ids = super().run_validation(data)
        if ids is None:
            return None
        wanted = list(dict.fromkeys(ids))
        council: Council = self.context["council"]
        found = {row.pk: row for row in self.rows(council).filter(pk__in=wanted)}
        if len(found) != len(wanted):
            self.fail("not_found")
        return [found[pk] for pk in wanted]


class FieldCodeField(serializers.CharField):
    """A field of work (lĩnh vực) by its code, e.g. "giao-thong"."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("help_text", "The field's code (see /api/v1/fields/).")
        super().__init__(**kwargs)
        self.error_messages["not_found"] = gettext_lazy("No field has this code.")

    def run_validation(self, data: Any = serializers.empty) -> Any:
        # After the length checks, which the code string must pass, not the Field row.
        code = super().run_validation(data)
        if code is None:
            return None
        field = Field.objects.filter(code=code).first()
        if field is None:
            self.fail("not_found")
        return field


# Query parameters and paging.


def validated_query(
    serializer_class: type[serializers.Serializer[Any]],
    request: Request,
    council: Council | None = None,
) -> Any:
    """The query parameters, validated (400 naming each bad one)."""
    filters = serializer_class(data=request.query_params, context={"council": council})
    filters.is_valid(raise_exception=True)
    return filters.validated_data
