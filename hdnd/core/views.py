from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hdnd.accounts.models import Role
from hdnd.accounts.roles import active_roles, is_platform_admin
from hdnd.core.audit import verify_chain
from hdnd.core.errors import DomainError, PermissionDenied
from hdnd.core.navigation import modules_for
from hdnd.core.paging import page_of
from hdnd.core.queries import council_audit_actions, council_audit_events
from hdnd.councils.access import access_council_audit
from hdnd.councils.models import CouncilLevel
from hdnd.councils.queries import city_summary, commune_summary, person_memberships


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
    }
    return render(request, "core/home.html", context)


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
        "action": action,
        "page": page,
        "verification": verification,
        "can_verify": is_platform_admin(request.user),
    }
    return render(request, "core/council_audit.html", context)
