import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from hdnd.accounts.access import access_council_tokens
from hdnd.accounts.admin import can_use_admin_site
from hdnd.accounts.models import Role, RoleAssignment
from hdnd.accounts.roles import active_roles, is_platform_admin
from hdnd.core.audit import verify_chain
from hdnd.core.errors import DomainError, PermissionDenied
from hdnd.core.models import AuditEvent
from hdnd.core.navigation import may_open, modules_for
from hdnd.core.paging import page_of
from hdnd.core.queries import council_audit_actions, council_audit_events
from hdnd.councils.access import access_council_audit
from hdnd.councils.models import CouncilLevel
from hdnd.councils.queries.people import person_memberships
from hdnd.councils.queries.summaries import city_summary, commune_summary


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    roles = list(
        active_roles(user)
        .select_related("council__unit", "council__parent", "committee", "agency")
        .order_by("council__level", "council__unit__code", "role", "id")
    )
    # Staff see a summary of the councils they work for; delegates see their own seats.
    councils = {role.council_id: role.council for role in roles if role.role != Role.DELEGATE}
    person_id = getattr(user, "person_id", None)
    context = {
        "roles": roles,
        "modules": [module for module in modules_for(user) if module.key != "home"],
        "city_summaries": [
            city_summary(council=council)
            for council in councils.values()
            if council.level == CouncilLevel.PROVINCE
        ],
        "commune_summaries": [
            commune_summary(council=council)
            for council in councils.values()
            if council.level == CouncilLevel.COMMUNE
        ],
        "is_delegate": any(role.role == Role.DELEGATE for role in roles),
        "memberships": list(person_memberships(person_id=person_id)) if person_id else [],
        "can_use_admin_site": can_use_admin_site(request),
        "administered": _administered_councils(user, roles),
    }
    return render(request, "core/home.html", context)


def _administered_councils(user: Any, roles: list[RoleAssignment]) -> list[dict[str, Any]]:
    """The user's councils whose audit trail or API tokens they may open, with which."""
    links = []
    for council in {role.council_id: role.council for role in roles}.values():
        audit = may_open(access_council_audit, user=user, council_id=council.pk)
        tokens = may_open(access_council_tokens, user=user, council_id=council.pk)
        if audit or tokens:
            links.append({"council": council, "audit": audit, "tokens": tokens})
    return links


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def council_audit(request: HttpRequest, council_id: int) -> HttpResponse:
    council = access_council_audit(user=request.user, council_id=council_id)
    actions = council_audit_actions(council_id=council.pk)
    action = request.GET.get("action", "")
    if action and action not in actions:
        raise DomainError(_("No event of this council has that action."), fields={"action": []})
    page = page_of(request, council_audit_events(council_id=council.pk, action=action), per_page=50)
    verification = None
    if request.method == "POST":
        # The chain spans every council: only platform administrators check it.
        if not is_platform_admin(request.user):
            raise PermissionDenied(_("Only platform administrators may check the whole chain."))
        checked, problems = verify_chain()
        verification = {"checked": checked, "problems": problems}
    context = {
        "council": council,
        "actions": actions,
        "action_choices": [(code, action_label(code)) for code in actions],
        "action": action,
        "page": page,
        "rows": [AuditRow.of(event) for event in page.object_list],
        "verification": verification,
        "can_verify": is_platform_admin(request.user),
    }
    return render(request, "core/council_audit.html", context)


# The audit page in words

# What the services record, in words; other codes (admin edits, say) show as they are.
ACTION_LABELS: dict[str, Promise] = {
    "accounts.api_token.create": gettext_lazy("API token created"),
    "accounts.api_token.revoke": gettext_lazy("API token revoked"),
    "accounts.password.change": gettext_lazy("Password changed"),
    "accounts.role.assign": gettext_lazy("Role given"),
    "accounts.role.end": gettext_lazy("Role ended"),
    "accounts.totp.confirm": gettext_lazy("Authenticator app set up"),
    "accounts.totp.remove": gettext_lazy("Authenticator app removed"),
    "accounts.user.create": gettext_lazy("Account created"),
    "councils.agency.create": gettext_lazy("Agency added"),
    "councils.agency_official.create": gettext_lazy("Agency official added"),
    "councils.committee.create": gettext_lazy("Committee added"),
    "councils.committee_seat.create": gettext_lazy("Committee seat added"),
    "councils.demo.load": gettext_lazy("Demo data loaded"),
    "councils.group.create": gettext_lazy("Delegate group added"),
    "councils.group_member.create": gettext_lazy("Delegate group member added"),
    "councils.membership.create": gettext_lazy("Membership added"),
    "councils.membership.end": gettext_lazy("Membership ended"),
    "councils.person.create": gettext_lazy("Person added"),
    "councils.person.update": gettext_lazy("Person updated"),
    "councils.term.create": gettext_lazy("Term added"),
    "councils.units.load": gettext_lazy("Administrative units loaded"),
}


def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))


# Dates are recorded as JSON text, 2026-03-15; pages show them day first.
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _plain(value: Any) -> str:
    """A recorded value as a person reads it: ids and lists without Python's brackets."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(_plain(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {_plain(item)}" for key, item in value.items())
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:  # digits in a date's shape, but no date
            return value
    return str(value)


@dataclass(frozen=True)
class AuditChange:
    field: str
    # A change is [old, new] (see audit.changes_between); a count or a note has one value.
    is_pair: bool
    before: str
    after: str

    @classmethod
    def of(cls, field: str, value: Any) -> "AuditChange":
        if isinstance(value, list) and len(value) == 2:
            return cls(field, is_pair=True, before=_plain(value[0]), after=_plain(value[1]))
        return cls(field, is_pair=False, before="", after=_plain(value))


@dataclass(frozen=True)
class AuditRow:
    event: AuditEvent
    label: str
    changes: list[AuditChange]

    @classmethod
    def of(cls, event: AuditEvent) -> "AuditRow":
        recorded = event.changes if isinstance(event.changes, dict) else {}
        changes = [AuditChange.of(field, value) for field, value in recorded.items()]
        return cls(
            event,
            label=action_label(event.action),
            # None → "" is a change to the database, not to anyone reading: "— → —".
            changes=[c for c in changes if not (c.is_pair and c.before == c.after)],
        )
