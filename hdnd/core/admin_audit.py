"""A ModelAdmin base whose saves and deletions are written to the audit trail."""

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.forms import ModelForm
from django.http import HttpRequest

from hdnd.core.audit import record_event
from hdnd.lib.vietnamese import fold


class AuditedModelAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # generic over models
    # The fields whose folded form fills `search_text`, when the model has one.
    search_text_from: tuple[str, ...] = ()

    def council_of(self, obj: Any) -> Any:
        return getattr(obj, "council", None)

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:  # type: ignore[type-arg]
        if self.search_text_from:
            obj.search_text = fold(
                " ".join(str(getattr(obj, f) or "") for f in self.search_text_from)
            )
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            changed = {name: [None, str(form.cleaned_data.get(name))] for name in form.changed_data}
            record_event(
                actor=request.user,
                action=f"{obj._meta.label_lower}.{'change' if change else 'add'}.admin",
                obj=obj,
                council=self.council_of(obj),
                summary=f"admin: {'change' if change else 'add'}",
                changes=changed,
            )

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        with transaction.atomic():
            record_event(
                actor=request.user,
                action=f"{obj._meta.label_lower}.delete.admin",
                obj=obj,
                council=self.council_of(obj),
                summary="admin: delete",
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)
