"""The admin for accounts, and who may open the admin at all.

Only administrators open /admin/: staff status, plus superuser or an active
system_admin role, plus the second factor. Roles and API tokens are written through
the services, so the admin keeps the same rules and the audit trail.
"""

import datetime as dt
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from hdnd.accounts import services
from hdnd.accounts.models import ApiScope, ApiToken, Role, RoleAssignment, User
from hdnd.accounts.roles import active_roles
from hdnd.accounts.tokens import create_api_token, revoke_api_token
from hdnd.core.audit import record_event
from hdnd.core.errors import DomainError

# Who opens the admin


def can_use_admin_site(request: HttpRequest) -> bool:
    user: Any = request.user
    if not user.is_active:
        return False
    if not user.is_staff:
        return False
    if not getattr(user, "is_verified", lambda: False)():
        return False
    if user.is_superuser:
        return True
    return active_roles(user).filter(role=Role.SYSTEM_ADMIN).exists()


def admin_login(request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
    """Everyone signs in through the one sign-in page, which asks for the second factor;
    a signed-in user who is not an administrator is refused."""
    if request.user.is_authenticated:
        if can_use_admin_site(request):
            return HttpResponseRedirect(reverse("admin:index"))
        raise PermissionDenied(_("Only system administrators may open the administration."))
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"))


def admin_password_change(
    request: HttpRequest, extra_context: dict[str, Any] | None = None
) -> HttpResponse:
    """One page changes passwords: it applies the policy and writes the audit trail."""
    return HttpResponseRedirect(reverse("accounts:password_change"))


# The default site (config/urls.py mounts admin.site.urls) gets these rules.
admin.site.has_permission = can_use_admin_site  # type: ignore[method-assign]  # per-site rule
admin.site.login = admin_login  # type: ignore[method-assign]  # one sign-in page
admin.site.password_change = admin_password_change  # type: ignore[method-assign, assignment]  # one page
admin.site.site_header = gettext_lazy("HĐND số administration")
admin.site.site_title = gettext_lazy("HĐND số administration")


def _adopt(target: models.Model, saved: models.Model) -> None:
    """Make the admin's unsaved instance the row a service created."""
    for field in saved._meta.concrete_fields:
        setattr(target, field.attname, getattr(saved, field.attname))
    target._state.adding = False
    target._state.db = saved._state.db


def _as_validation_error(error: DomainError, form: forms.BaseForm) -> ValidationError:
    """The service's message above the form, and its field notes next to the fields."""
    errors: dict[str, list[str]] = {NON_FIELD_ERRORS: [error.message]}
    errors |= {name: notes for name, notes in error.fields.items() if name in form.fields}
    return ValidationError(errors)


# Users


class RoleAssignmentInline(admin.TabularInline):  # type: ignore[type-arg]
    """Shown here; given and ended on the role assignment pages, which apply the rules."""

    model = RoleAssignment
    fields = ("council", "role", "committee", "agency", "start_date", "end_date")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):  # type: ignore[type-arg]  # generic in the stubs only
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (gettext_lazy("Person"), {"fields": ("person", "first_name", "last_name", "email")}),
        (
            gettext_lazy("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (gettext_lazy("Roles"), {"fields": ("assign_role_link",)}),
        (gettext_lazy("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ("last_login", "date_joined", "assign_role_link")
    autocomplete_fields = ("person",)
    inlines = [RoleAssignmentInline]
    list_display = ("username", "person", "email", "is_active", "is_staff", "last_login")
    list_select_related = ("person",)
    search_fields = ("username", "first_name", "last_name", "email", "person__full_name")

    @admin.display(description=gettext_lazy("Give a role"))
    def assign_role_link(self, obj: User) -> str:
        if obj.pk is None:
            return ""
        url = reverse("admin:accounts_roleassignment_add")
        return format_html(
            '<a href="{}?user={}">{}</a>', url, obj.pk, _("Give this user a role in a council")
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The audit trail points at accounts: deactivate them instead.
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = tuple(super().get_readonly_fields(request, obj))
        if getattr(request.user, "is_superuser", False):
            return fields
        # A council's administrator cannot hand out platform-wide powers, their own included.
        return (*fields, "is_staff", "is_superuser", "groups", "user_permissions")

    # Every admin change to an account (staff status, superuser, password) is audited.
    # Django's change message names the changed fields, never their values.

    def _audit(self, request: HttpRequest, obj: User, action: str, message: Any) -> None:
        with transaction.atomic():
            record_event(
                actor=request.user,
                action=f"accounts.user.{action}.admin",
                obj=obj,
                summary=_("Account %(username)s changed in the administration")
                % {"username": obj.get_username()},
                changes={"admin": [None, message]},
            )

    def log_addition(self, request: HttpRequest, obj: User, message: Any) -> Any:
        self._audit(request, obj, "add", message)
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: User, message: Any) -> Any:
        self._audit(request, obj, "change", message)
        return super().log_change(request, obj, message)


# Role assignments


class RoleAssignmentForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = RoleAssignment
        fields = ["user", "council", "role", "committee", "agency", "start_date", "end_date"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            if self.instance.pk is None:
                if all(data.get(name) for name in ("user", "council", "role", "start_date")):
                    services.check_role_assignment(
                        user=data["user"],
                        council=data["council"],
                        role=data["role"],
                        start_date=data["start_date"],
                        committee=data.get("committee"),
                        agency=data.get("agency"),
                        end_date=data.get("end_date"),
                    )
            elif "end_date" in self.changed_data:
                end_date: dt.date | None = data.get("end_date")
                if end_date is None:
                    raise ValidationError(
                        {"end_date": _("An ended role cannot be reopened: give the role again.")}
                    )
                services.check_role_end(assignment=self.instance, end_date=end_date)
        except DomainError as error:
            raise _as_validation_error(error, self) from error
        return data


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = RoleAssignmentForm
    list_display = ["user", "role", "council", "committee", "agency", "start_date", "end_date"]
    list_filter = ["role", "council__level"]
    search_fields = ["user__username", "user__person__full_name", "council__name"]
    autocomplete_fields = ["user", "council", "committee", "agency"]
    list_select_related = ["user", "council", "committee", "agency"]
    date_hierarchy = "start_date"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Once given, a role only ends; anything else is a new assignment.
        if obj is None:
            return []
        return ["user", "council", "role", "committee", "agency", "start_date"]

    def save_model(
        self,
        request: HttpRequest,
        obj: RoleAssignment,
        form: forms.ModelForm,  # type: ignore[type-arg]
        change: bool,
    ) -> None:
        if not change:
            data = form.cleaned_data
            assignment = services.assign_role(
                actor=request.user,
                user=data["user"],
                council=data["council"],
                role=data["role"],
                start_date=data["start_date"],
                committee=data.get("committee"),
                agency=data.get("agency"),
                end_date=data.get("end_date"),
            )
            _adopt(obj, assignment)
        elif "end_date" in form.changed_data and obj.end_date is not None:
            _adopt(
                obj, services.end_role(actor=request.user, assignment=obj, end_date=obj.end_date)
            )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Roles are history: end them instead.
        return False


# API tokens


class ApiTokenCreationForm(forms.ModelForm):  # type: ignore[type-arg]
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("Scopes"),
        choices=ApiScope.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ApiToken
        fields = ["council", "name", "scopes", "expires_at"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "council", "prefix", "created_at", "expires_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "council__name"]
    list_select_related = ["council"]
    autocomplete_fields = ["council"]
    actions = ["revoke_tokens"]
    # The secret exists only as a hash, and no field of a token changes after creation.
    readonly_fields = [
        "council",
        "name",
        "prefix",
        "secret_hash",
        "scopes",
        "created_by",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [] if obj is None else list(self.readonly_fields)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = ApiTokenCreationForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return list(ApiTokenCreationForm.Meta.fields)
        return list(self.readonly_fields)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Revoke instead: the trail and the logs refer to tokens.
        return False

    def save_model(
        self,
        request: HttpRequest,
        obj: ApiToken,
        form: forms.ModelForm,  # type: ignore[type-arg]
        change: bool,
    ) -> None:
        if change:
            return
        data = form.cleaned_data
        token, full_text = create_api_token(
            actor=request.user,  # type: ignore[arg-type]  # admin_view ensures a real user
            council=data["council"],
            name=data["name"],
            scopes=list(data["scopes"]),
            expires_at=data.get("expires_at"),
        )
        _adopt(obj, token)
        # Kept on the request only: the one page that shows it is the response to this POST.
        request.new_api_token = full_text  # type: ignore[attr-defined]

    def response_add(
        self, request: HttpRequest, obj: ApiToken, post_url_continue: str | None = None
    ) -> HttpResponse:
        full_text = getattr(request, "new_api_token", None)
        if full_text is None:
            return super().response_add(request, obj, post_url_continue)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("API token created"),
            "token": obj,
            "full_text": full_text,
        }
        response = TemplateResponse(request, "accounts/admin/api_token_created.html", context)
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description=gettext_lazy("Revoke the selected tokens"))
    def revoke_tokens(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        count = 0
        for token in queryset:
            if token.revoked_at is None:
                revoke_api_token(actor=request.user, token=token)  # type: ignore[arg-type]
                count += 1
        message = ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)


# Authenticator apps. django-otp's own admin shows each device's key and QR code, which
# would let an administrator copy someone's second factor: here a device is only listed,
# and removed when its owner has lost it.

if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    search_fields = ["user__username", "user__person__full_name"]
    list_select_related = ["user"]
    fields = ("user", "name", "confirmed", "created_at", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A device is enrolled by its owner, on the setup page.
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: TOTPDevice) -> None:
        services.remove_totp_device(actor=request.user, device=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[TOTPDevice]) -> None:
        for device in queryset:
            services.remove_totp_device(actor=request.user, device=device)
