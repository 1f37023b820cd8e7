"""Reading a user's roles. Every access_* function builds on these."""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from hdnd.accounts.models import SECOND_FACTOR_ROLES, Role, RoleAssignment
from hdnd.lib.periods import in_force_on


def active_roles(user: Any) -> QuerySet[RoleAssignment]:
    """The user's role assignments in force today."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "pk", None) is None:
        return RoleAssignment.objects.none()
    return RoleAssignment.objects.filter(user_id=user.pk).filter(in_force_on(timezone.localdate()))


def has_role(user: Any, *, council_id: int, roles: set[str] | None = None) -> bool:
    assignments = active_roles(user).filter(council_id=council_id)
    if roles is not None:
        assignments = assignments.filter(role__in=roles)
    return assignments.exists()


def staff_council_ids(user: Any) -> set[int]:
    """Councils where the user holds a staff role (one that requires the second factor)."""
    return set(
        active_roles(user).filter(role__in=SECOND_FACTOR_ROLES).values_list("council_id", flat=True)
    )


# A council's office (its secretariat): manages what the council's modules hold.
COUNCIL_OFFICE_ROLES = frozenset({Role.OFFICE_STAFF, Role.COMMUNE_OFFICER})
# Those who read a council's work: its office, standing committee, committees and delegates.
COUNCIL_READER_ROLES = COUNCIL_OFFICE_ROLES | {
    Role.STANDING_COMMITTEE,
    Role.COMMITTEE_MEMBER,
    Role.DELEGATE,
}


def council_roles(user: Any, council_id: int) -> set[str]:
    """The user's roles in force today in one council (cached on the user object, for
    every module's access rules at once)."""
    cache: dict[int, set[str]] = user.__dict__.setdefault("_council_roles", {})
    if council_id not in cache:
        cache[council_id] = set(
            active_roles(user).filter(council_id=council_id).values_list("role", flat=True)
        )
    return cache[council_id]


def holds_council_role(user: Any, council_id: int, roles: frozenset[str]) -> bool:
    """One of `roles` in force in the council, or a platform administrator."""
    if is_platform_admin(user):
        return True
    return bool(council_roles(user, council_id) & roles)


def is_platform_admin(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_superuser", False))
