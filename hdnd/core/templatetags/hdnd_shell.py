"""Tags of the page shell (templates/base.html)."""

from typing import Any

from django import template

from hdnd.accounts.models import RoleAssignment
from hdnd.accounts.roles import active_roles
from hdnd.core.navigation import Module

register = template.Library()


@register.simple_tag
def signed_in_roles(user: Any) -> list[RoleAssignment]:
    """The roles in force of the signed-in user, for the header."""
    return list(
        active_roles(user)
        .select_related("council__unit")
        .order_by("council__level", "council__unit__code", "role", "id")
    )


@register.filter
def is_current_module(module: Module, path: str) -> bool:
    return module.is_current(path)
