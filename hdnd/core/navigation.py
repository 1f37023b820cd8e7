"""The modules shown in the main navigation. Each module adds its entry here when it lands."""

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Module:
    key: str
    label: str | Promise
    url_name: str
    needs_login: bool

    @property
    def url(self) -> str:
        return reverse(self.url_name)


MODULES = [
    Module("home", _("Home"), "core:home", needs_login=True),
    Module("directory", _("Council directory"), "councils:directory", needs_login=False),
    Module("api", _("API"), "api-docs", needs_login=False),
]


def modules_for(user: Any) -> list[Module]:
    signed_in = bool(getattr(user, "is_authenticated", False))
    return [module for module in MODULES if signed_in or not module.needs_login]
