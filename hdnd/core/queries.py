"""Reads of the audit trail for the audit page."""

from django.db.models import QuerySet

from hdnd.core.models import AuditEvent


def council_audit_events(*, council_id: int, action: str = "") -> QuerySet[AuditEvent]:
    """A council's audit events, newest first."""
    events = AuditEvent.objects.filter(council_id=council_id)
    if action:
        events = events.filter(action=action)
    return events.order_by("-seq")


def council_audit_actions(*, council_id: int) -> list[str]:
    """The actions recorded for a council, for the filter."""
    actions = (
        AuditEvent.objects.filter(council_id=council_id)
        .order_by("action")
        .values_list("action", flat=True)
        .distinct()
    )
    return list(actions)
