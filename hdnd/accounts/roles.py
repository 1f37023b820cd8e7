"""Reading a user's roles. Every access_* function builds on these."""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from hdnd.accounts.models import SECOND_FACTOR_ROLES, RoleAssignment
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


def is_platform_admin(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_superuser", False))
