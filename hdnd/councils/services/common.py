"""What the council registry's services share.

Every write to the registry is a service in this package, one module per topic (terms,
people, memberships, committees, agencies). Each service locks what it changes, checks the
rules, writes, and records an AuditEvent in the same transaction. The rules are also exposed
as `check_*` functions so that admin forms refuse the same input with the same message.
"""

from typing import Any, TypeVar

from django.db import IntegrityError, models, transaction

from hdnd.core.errors import Conflict


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}


M = TypeVar("M", bound=models.Model)


def create_or_conflict(model: type[M], message: str, **values: Any) -> M:
    """Insert a row; a unique constraint broken by a concurrent insert becomes a Conflict."""
    try:
        with transaction.atomic():
            return model._default_manager.create(**values)
    except IntegrityError as exc:
        raise Conflict(message) from exc
