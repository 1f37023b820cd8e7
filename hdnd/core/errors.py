"""The one error hierarchy of the domain.

Services raise these; views turn them into messages and the API into the JSON error
shape. A DomainError is always the user's to fix, never a 500.
"""

from typing import Any

from django.utils.functional import Promise


class DomainError(Exception):
    code = "invalid"
    status = 400

    def __init__(
        self, message: str | Promise, *, fields: dict[str, list[str]] | None = None, **extra: Any
    ) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.fields = fields or {}
        self.extra = extra


class NotFound(DomainError):
    code = "not_found"
    status = 404


class PermissionDenied(DomainError):
    code = "permission_denied"
    status = 403


class Conflict(DomainError):
    code = "conflict"
    status = 409
