"""The admin for meetings: read-mostly. Meetings, sittings, participants, the agenda and
attendance change through the meeting pages and services (which check the state, lock
and tell the room); the admin shows them, and the few corrections it allows (a title, a
venue, a seat label) are audited like every admin save."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hdnd.core.admin_audit import AuditedModelAdmin
from hdnd.meetings.models import AgendaItem, Attendance, Meeting, Participant, Sitting


class ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SittingInline(ReadOnlyInline):
    model = Sitting
    fields = ["number", "date", "part", "title", "status", "opened_at", "closed_at"]
    readonly_fields = ["number", "date", "part", "title", "status", "opened_at", "closed_at"]


class MeetingsAdmin(AuditedModelAdmin):
    """No adding or deleting here: the services seed participants and keep the rules."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


MEETING_READONLY = [
    "council",
    "term",
    "kind",
    "number",
    "committee",
    "starts_on",
    "ends_on",
    "is_closed",
    "status",
    "quorum_numerator",
    "quorum_denominator",
    "current_sitting",
    "version",
    "created_by",
    "created_at",
]


@admin.register(Meeting)
class MeetingAdmin(MeetingsAdmin):
    list_display = ["title", "council", "kind", "number", "starts_on", "status", "is_closed"]
    list_select_related = ["council"]
    list_filter = ["kind", "status", "is_closed"]
    search_fields = ["title", "council__name"]
    date_hierarchy = "starts_on"
    fields = [
        "council",
        "term",
        "kind",
        "number",
        "committee",
        "title",
        "venue",
        "starts_on",
        "ends_on",
        "is_closed",
        "status",
        "quorum_numerator",
        "quorum_denominator",
        "current_sitting",
        "version",
        "created_by",
        "created_at",
    ]
    # Only the wording may be corrected here.
    readonly_fields = MEETING_READONLY
    inlines = [SittingInline]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # Someone editing through the pages expects their version to notice this change.
        if change and form.changed_data:
            obj.version += 1
            form.changed_data.append("version")
        super().save_model(request, obj, form, change)


@admin.register(Participant)
class ParticipantAdmin(MeetingsAdmin):
    list_display = ["person", "meeting", "role", "title", "agency", "seat"]
    list_select_related = ["person", "meeting", "agency"]
    list_filter = ["role"]
    search_fields = ["person__full_name", "meeting__title", "title"]
    fields = ["meeting", "person", "role", "membership", "title", "agency", "seat"]
    readonly_fields = ["meeting", "person", "role", "membership", "agency"]

    def council_of(self, obj: Any) -> Any:
        return obj.meeting.council


@admin.register(AgendaItem)
class AgendaItemAdmin(MeetingsAdmin):
    list_display = ["title", "meeting", "parent", "position", "status"]
    list_select_related = ["meeting", "parent"]
    list_filter = ["status"]
    search_fields = ["title", "meeting__title"]
    fields = [
        "meeting",
        "parent",
        "position",
        "title",
        "description",
        "presenter",
        "presenter_text",
        "sitting",
        "status",
        "started_at",
        "ended_at",
    ]
    readonly_fields = [
        "meeting",
        "parent",
        "position",
        "presenter",
        "sitting",
        "status",
        "started_at",
        "ended_at",
    ]

    def council_of(self, obj: Any) -> Any:
        return obj.meeting.council


@admin.register(Attendance)
class AttendanceAdmin(MeetingsAdmin):
    list_display = ["participant", "sitting", "status", "ready_to_vote", "method", "recorded_at"]
    list_select_related = ["participant__person", "sitting"]
    list_filter = ["status", "method"]
    search_fields = ["participant__person__full_name"]
    readonly_fields = [
        "sitting",
        "participant",
        "status",
        "reason",
        "method",
        "ready_to_vote",
        "recorded_at",
        "recorded_by",
    ]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Viewing stays possible (has_view_permission); attendance is the record.
        return False

    def council_of(self, obj: Any) -> Any:
        return obj.sitting.meeting.council
