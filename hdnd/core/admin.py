"""Admin for the calendar overrides and a read-only view of the audit trail."""

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from hdnd.core.models import AuditEvent, CalendarOverride

# ModelAdmin is generic only in django-stubs; settings do not call django_stubs_ext.monkeypatch().
if TYPE_CHECKING:
    CalendarOverrideAdminBase = admin.ModelAdmin[CalendarOverride]
    AuditEventAdminBase = admin.ModelAdmin[AuditEvent]
else:
    CalendarOverrideAdminBase = AuditEventAdminBase = admin.ModelAdmin


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(CalendarOverrideAdminBase):
    list_display = ["date", "kind", "note"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["note"]


@admin.register(AuditEvent)
class AuditEventAdmin(AuditEventAdminBase):
    """Read only: services write the trail, and `verify_audit` would flag any edit."""

    list_display = ["seq", "occurred_at", "actor_label", "council", "action", "object_repr"]
    list_select_related = ["council"]
    search_fields = ["action", "object_repr", "request_id"]
    date_hierarchy = "occurred_at"
    fieldsets = [
        (_("Who and when"), {"fields": ["seq", "occurred_at", "actor", "actor_label", "council"]}),
        (
            _("What"),
            {"fields": ["action", "object_type", "object_id", "object_repr", "summary", "changes"]},
        ),
        (_("Trace"), {"fields": ["request_id", "prev_hash", "hash"]}),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
