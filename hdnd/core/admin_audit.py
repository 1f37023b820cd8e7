"""A ModelAdmin base whose saves and deletions, inline rows included, are written to the
audit trail, with names normalised and personal data kept out of the trail."""

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest

from hdnd.core.audit import record_event
from hdnd.lib.vietnamese import fold, normalize

# Values of these fields never enter the audit trail; only the fact that they changed.
PERSONAL_FIELDS = frozenset({"email", "phone", "birth_date", "password"})


def _plain(value: Any) -> Any:
    """A value the audit trail can store: records become their ids."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, models.QuerySet | list | tuple):
        return [_plain(item) for item in value]
    return value


def _changes(form: ModelForm) -> dict[str, list[Any]]:  # type: ignore[type-arg]
    changes: dict[str, list[Any]] = {}
    for name in form.changed_data:
        if name in PERSONAL_FIELDS:
            changes[name] = ["…", "…"]
        else:
            changes[name] = [_plain(form.initial.get(name)), _plain(form.cleaned_data.get(name))]
    return changes


class AuditedModelAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # generic over models
    # Fields normalised with lib/vietnamese.normalize before saving.
    normalized_fields: tuple[str, ...] = ()
    # The fields whose folded form fills `search_text`, when the model has one.
    search_text_from: tuple[str, ...] = ()

    def council_of(self, obj: Any) -> Any:
        return getattr(obj, "council", None)

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:  # type: ignore[type-arg]
        for name in {*self.normalized_fields, *self.search_text_from}:
            value = getattr(obj, name)
            if isinstance(value, str):
                setattr(obj, name, normalize(value))
        if self.search_text_from:
            obj.search_text = fold(
                " ".join(str(getattr(obj, f) or "") for f in self.search_text_from)
            )
        with transaction.atomic():
            if change:
                # Write only what the form changed (and what follows from it), so a stale
                # form cannot put back fields someone else has changed since.
                concrete = {field.name for field in obj._meta.concrete_fields}
                derived = {*self.normalized_fields, *self.search_text_from}
                if self.search_text_from:
                    derived.add("search_text")
                fields = sorted(concrete & {*form.changed_data, *derived})
                obj.save(update_fields=fields)
            else:
                super().save_model(request, obj, form, change)
            record_event(
                actor=request.user,
                action=f"{obj._meta.label_lower}.{'change' if change else 'add'}.admin",
                obj=obj,
                council=self.council_of(obj),
                summary="admin",
                changes=_changes(form),
            )

    def save_formset(
        self,
        request: HttpRequest,
        form: ModelForm,  # type: ignore[type-arg]
        formset: BaseInlineFormSet,  # type: ignore[type-arg]
        change: bool,
    ) -> None:
        with transaction.atomic():
            super().save_formset(request, form, formset, change)
            council = self.council_of(form.instance)
            for inline_form in formset.forms:
                if not inline_form.has_changed() or inline_form.instance.pk is None:
                    continue
                record_event(
                    actor=request.user,
                    action=f"{inline_form.instance._meta.label_lower}.save.admin",
                    obj=inline_form.instance,
                    council=council,
                    summary="admin",
                    changes=_changes(inline_form),
                )
            for deleted in formset.deleted_objects:
                record_event(
                    actor=request.user,
                    action=f"{deleted._meta.label_lower}.delete.admin",
                    obj=deleted,
                    council=council,
                    summary="admin",
                )

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        with transaction.atomic():
            record_event(
                actor=request.user,
                action=f"{obj._meta.label_lower}.delete.admin",
                obj=obj,
                council=self.council_of(obj),
                summary="admin",
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)
