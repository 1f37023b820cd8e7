"""A meeting's row reached by its own id in the path (a sitting, an agenda item, a
question…): its id, and the access check run on its meeting. An unknown id and a row of a
meeting hidden from the caller answer with the same 404, so that an id reveals nothing."""

from collections.abc import Callable
from typing import Any

from django.db.models import Model

from hdnd.core.errors import NotFound
from hdnd.councils.api.common import path_id
from hdnd.meetings import access


def meeting_row(
    model: type[Model],
    row_id: str,
    *,
    user: Any,
    check: Callable[..., Any],
    message: str,
    meeting_field: str = "meeting_id",
) -> tuple[int, Any]:
    """(row id, what `check` gives on the row's meeting); `meeting_field` is the path to
    the meeting's id from the row ("agenda_item__meeting_id" for a request to speak)."""
    pk = path_id(row_id, message=message)
    meeting_id = model._default_manager.filter(id=pk).values_list(meeting_field, flat=True).first()
    if meeting_id is None:
        raise NotFound(message)
    return pk, access.access_row(check, user=user, meeting_id=int(meeting_id), message=message)
