"""The modules shown in the main navigation. Each module adds its entry here when it lands."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hdnd.core.errors import DomainError


@dataclass(frozen=True)
class Module:
    key: str
    label: str | Promise
    url_name: str
    needs_login: bool
    # One line on the home page about what the module is for.
    description: str | Promise = ""

    @property
    def url(self) -> str:
        return reverse(self.url_name)

    def is_current(self, path: str) -> bool:
        """Whether `path` is a page of this module (the home page only for itself)."""
        url = self.url
        return path == url if url == "/" else path.startswith(url)


MODULES = [
    Module("home", _("Home"), "core:home", needs_login=True),
    Module(
        "directory",
        _("Council directory"),
        "councils:directory",
        needs_login=False,
        description=_("Units, councils, delegates, committees, groups and agencies."),
    ),
    Module(
        "petitions",
        _("Voter petitions"),
        "petitions:home",
        needs_login=True,
        description=_("Voter-contact meetings, petitions, answers, evaluation and reports."),
    ),
    Module(
        "meetings",
        _("Meetings"),
        "meetings:home",
        needs_login=True,
        description=_(
            "Sessions and meetings of your councils: the room on your tablet, the chair's "
            "console, agenda and attendance."
        ),
    ),
    Module(
        "public_petitions",
        _("Answers to voters"),
        "petitions_public:home",
        needs_login=False,
        description=_("Look up a petition by its code; the answers each council has published."),
    ),
    Module(
        "api",
        _("API"),
        "api-docs",
        needs_login=False,
        description=_("The open API of the directory, for other systems."),
    ),
]


def modules_for(user: Any) -> list[Module]:
    signed_in = bool(getattr(user, "is_authenticated", False))
    return [module for module in MODULES if signed_in or not module.needs_login]


def may_open(access: Callable[..., object], *, user: Any, **ids: int) -> bool:
    """Whether the `access_*` function that guards a page lets `user` in: links to a
    page show only to those it would not refuse."""
    if not getattr(user, "is_authenticated", False):
        return False
    try:
        access(user=user, **ids)
    except DomainError:
        return False
    return True
