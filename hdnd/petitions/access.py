"""Who may see and do what with voter petitions.

- Office staff of a council (and a commune's officers, who run their council's office)
  manage everything of that council: meetings, items, consolidation, routing, answers
  received, publishing.
- The standing committee reads everything, sees escalations, may rate answers and take
  a questioning topic off the list (as may the committee in charge of its field).
- A committee (Ban) member reads the council's petitions and rates those of the fields
  the committee is in charge of.
- Delegates read their council's petitions; a delegate group's leader also records the
  group's voter-contact meetings and the items raised there.
- An agency responder sees only the petitions assigned to their agency (as lead or
  coordinating agency) and prepares its answers.
- The public sees published answers, never a voter's identity.

Every refusal raises NotFound or PermissionDenied; one condition per line.
"""

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hdnd.accounts.models import Role
from hdnd.accounts.roles import (
    COUNCIL_OFFICE_ROLES,
    COUNCIL_READER_ROLES,
    active_roles,
    council_roles,
    holds_council_role,
    is_platform_admin,
)
from hdnd.core.errors import NotFound, PermissionDenied
from hdnd.councils.access import access_council
from hdnd.councils.models import Agency, Council, DelegateGroup, GroupMember, GroupRole
from hdnd.lib.periods import in_force_on
from hdnd.petitions.models import AnswerDocument, ContactMeeting, Petition, VoterItem
from hdnd.petitions.queries.intake import item_for_edit
from hdnd.petitions.queries.meetings import led_groups

# Roles that run a council's petition work.
# Roles that see who asked (they hold personal data and use a second factor).
IDENTITY_ROLES = COUNCIL_OFFICE_ROLES | {Role.STANDING_COMMITTEE}


def responder_agency_ids(user: Any) -> set[int]:
    """The agencies the user answers for."""
    return set(
        active_roles(user).filter(role=Role.AGENCY_RESPONDER).values_list("agency_id", flat=True)
    )


def committee_ids(user: Any) -> set[int]:
    return set(
        active_roles(user).filter(role=Role.COMMITTEE_MEMBER).values_list("committee_id", flat=True)
    )


def is_manager(user: Any, council_id: int) -> bool:
    """The council's office."""
    return holds_council_role(user, council_id, COUNCIL_OFFICE_ROLES)


def is_reader(user: Any, council_id: int) -> bool:
    return holds_council_role(user, council_id, COUNCIL_READER_ROLES)


def can_see_voter_identity(user: Any, council_id: int) -> bool:
    """A voter's name and contact details: only the receiving council's office and
    standing committee."""
    return holds_council_role(user, council_id, IDENTITY_ROLES)


def _require_login(user: Any) -> None:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Please sign in to see this page."))


def visible_petitions(*, user: Any, council_id: int) -> QuerySet[Petition]:
    """The council's petitions this user may see (all of them, or only their agency's)."""
    _require_login(user)
    petitions = Petition.objects.filter(council_id=council_id)
    if is_reader(user, council_id):
        return petitions
    agencies = responder_agency_ids(user)
    if agencies:
        return petitions.filter(
            Q(lead_agency_id__in=agencies) | Q(coordinating_agencies__in=agencies)
        ).distinct()
    raise PermissionDenied(_("You have no role in this council's petition work."))


def access_council_petitions(*, user: Any, council_id: int) -> Council:
    """A council's petition lists: its readers and the agencies that answer to it."""
    council = access_council(user=user, council_id=council_id)
    _require_login(user)
    if is_reader(user, council.pk):
        return council
    if responder_agency_ids(user) and council_roles(user, council.pk) & {Role.AGENCY_RESPONDER}:
        return council
    raise PermissionDenied(_("You have no role in this council's petition work."))


def access_council_manage(*, user: Any, council_id: int) -> Council:
    """Creating and configuring: meetings, items, imports, routing table, deadline rules."""
    council = access_council(user=user, council_id=council_id)
    _require_login(user)
    if is_manager(user, council.pk):
        return council
    raise PermissionDenied(_("Only the council's office staff may do this."))


def access_petition(*, user: Any, petition_id: int) -> Petition:
    """Reading one petition."""
    _require_login(user)
    petition = Petition.objects.select_related("council").filter(id=petition_id).first()
    if petition is None:
        raise NotFound(_("This petition does not exist."))
    if is_reader(user, petition.council_id):
        return petition
    agencies = responder_agency_ids(user)
    if petition.lead_agency_id in agencies:
        return petition
    if agencies and petition.coordinating_agencies.filter(id__in=agencies).exists():
        return petition
    # Not telling an outsider whether the petition exists.
    raise NotFound(_("This petition does not exist."))


def access_petition_manage(*, user: Any, petition_id: int) -> Petition:
    """Editing, consolidating, routing, recording answers, publishing."""
    petition = access_petition(user=user, petition_id=petition_id)
    if is_manager(user, petition.council_id):
        return petition
    raise PermissionDenied(_("Only the council's office staff may change this petition."))


def access_petition_answer(*, user: Any, petition_id: int) -> Petition:
    """Preparing the answer: the office, or a responder of the lead agency."""
    petition = access_petition(user=user, petition_id=petition_id)
    if is_manager(user, petition.council_id):
        return petition
    if petition.lead_agency_id is not None and petition.lead_agency_id in responder_agency_ids(
        user
    ):
        return petition
    raise PermissionDenied(_("Only the lead agency or the council's office may answer."))


def access_petition_rate(*, user: Any, petition_id: int) -> Petition:
    """Evaluating the answer: the committee in charge of the field, or the standing
    committee."""
    petition = access_petition(user=user, petition_id=petition_id)
    if is_platform_admin(user):
        return petition
    if Role.STANDING_COMMITTEE in council_roles(user, petition.council_id):
        return petition
    if petition.committee_id is not None and petition.committee_id in committee_ids(user):
        return petition
    raise PermissionDenied(
        _("Only the committee in charge of this field or the standing committee may evaluate.")
    )


def access_petition_unflag_questioning(*, user: Any, petition_id: int) -> Petition:
    """Taking a petition off the questioning topics: the committee in charge of its field,
    or the standing committee (the office flags, but does not withdraw, a topic)."""
    petition = access_petition(user=user, petition_id=petition_id)
    if is_platform_admin(user):
        return petition
    if Role.STANDING_COMMITTEE in council_roles(user, petition.council_id):
        return petition
    if petition.committee_id is not None and petition.committee_id in committee_ids(user):
        return petition
    raise PermissionDenied(
        _(
            "Only the committee in charge of this field or the standing committee may take a "
            "questioning topic off the list."
        )
    )


def access_petition_supervise(*, user: Any, petition_id: int) -> Petition:
    """Escalations and questioning topics: the standing committee and the office."""
    petition = access_petition(user=user, petition_id=petition_id)
    if is_manager(user, petition.council_id):
        return petition
    if Role.STANDING_COMMITTEE in council_roles(user, petition.council_id):
        return petition
    raise PermissionDenied(_("Only the standing committee or the office may do this."))


def leads_group(user: Any, group_id: int | None) -> bool:
    """Whether the user leads (or deputises for) the delegate group today."""
    person_id = getattr(user, "person_id", None)
    if group_id is None or person_id is None:
        return False
    return (
        GroupMember.objects.filter(
            group_id=group_id,
            membership__person_id=person_id,
            role__in=[GroupRole.LEADER, GroupRole.DEPUTY],
        )
        .filter(in_force_on(timezone.localdate(), prefix="membership__"))
        .exists()
    )


def access_meeting(*, user: Any, meeting_id: int) -> ContactMeeting:
    _require_login(user)
    meeting = ContactMeeting.objects.select_related("council").filter(id=meeting_id).first()
    if meeting is None:
        raise NotFound(_("This meeting does not exist."))
    if is_reader(user, meeting.council_id):
        return meeting
    raise NotFound(_("This meeting does not exist."))


def access_meeting_manage(*, user: Any, meeting_id: int) -> ContactMeeting:
    """Recording a meeting and its items: the office, or the leader of the delegate group
    that held it."""
    meeting = access_meeting(user=user, meeting_id=meeting_id)
    if is_manager(user, meeting.council_id):
        return meeting
    if leads_group(user, meeting.delegate_group_id):
        return meeting
    raise PermissionDenied(
        _("Only the office or the delegate group's leader may record this meeting.")
    )


def access_council_dashboard(*, user: Any, council_id: int) -> Council:
    """Statistics: the council's readers; the city's also see their communes' totals."""
    council = access_council(user=user, council_id=council_id)
    _require_login(user)
    if is_reader(user, council.pk):
        return council
    raise PermissionDenied(_("You have no role in this council's petition work."))


def access_council_meetings(*, user: Any, council_id: int) -> Council:
    """The meeting list: the council's readers (agency responders see only petitions)."""
    council = access_council_petitions(user=user, council_id=council_id)
    if is_reader(user, council.pk):
        return council
    raise PermissionDenied(_("Only the council's delegates and staff see its meetings."))


def access_meeting_record(
    *, user: Any, council_id: int
) -> tuple[Council, QuerySet[DelegateGroup] | None]:
    """Planning a meeting: the office (any group), or a delegate group's leader (their
    groups only, returned)."""
    council = access_council_meetings(user=user, council_id=council_id)
    if is_manager(user, council.pk):
        return council, None
    groups = led_groups(user=user, council_id=council.pk)
    if groups.exists():
        return council, groups
    raise PermissionDenied(
        _("Only the office or a delegate group's leader may record voter-contact meetings.")
    )


def access_council_consolidation(*, user: Any, council_id: int) -> Council:
    """The council's readers (office, standing committee, committees, delegates): not
    agency responders, who see only their own agency's petitions."""
    council = access_council_petitions(user=user, council_id=council_id)
    if not is_reader(user, council.pk):
        raise PermissionDenied(_("You have no role in this council's petition work."))
    return council


def access_item(*, user: Any, item_id: int) -> VoterItem:
    """One voter item: the council's readers; to anyone else it does not exist."""
    _require_login(user)
    item = item_for_edit(item_id=item_id)
    if item is None or not is_reader(user, item.council_id):
        raise NotFound(_("This voter item does not exist."))
    return item


def access_item_triage(*, user: Any, item_id: int) -> VoterItem:
    """Accepting or redirecting an item: the council's office (refused as the council's
    other management pages are)."""
    item = item_for_edit(item_id=item_id)
    if item is None:
        raise NotFound(_("This voter item does not exist."))
    access_council_manage(user=user, council_id=item.council_id)
    return item


def access_item_manage(*, user: Any, item_id: int) -> VoterItem:
    """Correcting an item: the office, or the leader of the delegate group whose
    meeting it was raised at."""
    item = access_item(user=user, item_id=item_id)
    if is_manager(user, item.council_id):
        return item
    if item.meeting is not None and leads_group(user, item.meeting.delegate_group_id):
        return item
    raise PermissionDenied(_("Only the council's office staff may change this item."))


def access_council_answer_documents(*, user: Any, council_id: int) -> Council:
    """The council's answer documents: its readers, and responders (their agency's)."""
    return access_council_petitions(user=user, council_id=council_id)


def access_register_answer_document(*, user: Any, council_id: int) -> Council:
    """Registering a document: the office (any agency), a responder (their agency's)."""
    council = access_council_petitions(user=user, council_id=council_id)
    if is_manager(user, council.pk):
        return council
    if Agency.objects.filter(
        council_id=council.pk, is_active=True, id__in=responder_agency_ids(user)
    ).exists():
        return council
    raise PermissionDenied(_("Only the council's office or an answering agency may do this."))


def access_answer_document_verify(*, user: Any, document_id: int) -> AnswerDocument:
    document = access_answer_document(user=user, document_id=document_id)
    if is_manager(user, document.council_id):
        return document
    if document.agency_id is not None and document.agency_id in responder_agency_ids(user):
        return document
    raise PermissionDenied(_("Only the council's office or the issuing agency may do this."))


def access_answer_document(*, user: Any, document_id: int) -> AnswerDocument:
    document = (
        AnswerDocument.objects.select_related("council", "agency", "created_by")
        .filter(id=document_id)
        .first()
    )
    if document is None:
        raise NotFound(_("This answer document does not exist."))
    if is_reader(user, document.council_id):
        return document
    if document.agency_id is not None and document.agency_id in responder_agency_ids(user):
        return document
    raise NotFound(_("This answer document does not exist."))
