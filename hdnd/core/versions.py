"""Optimistic locking, shared by every module: a record carries a `version` that each
change bumps; a change made on an older version than the stored one is refused."""

from typing import Any

from django.utils.translation import gettext as _

from hdnd.core.errors import Conflict


class StaleVersion(Conflict):
    code = "stale_version"


def check_version(current: int, expected: int | None) -> None:
    """Refuse the change when the caller loaded an older version (None: not checked)."""
    if expected is not None and current != expected:
        raise StaleVersion(
            _(
                "Someone else changed this record after you opened it. Reload the page to see "
                "their changes, then make yours again."
            )
        )


def save_versioned(obj: Any, fields: Any) -> None:
    """Save the named fields and bump the object's version."""
    obj.version += 1
    obj.save(update_fields=[*fields, "version"])
