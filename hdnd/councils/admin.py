"""The admin for reference data. Registry rules still hold: membership and term forms
run the same checks as the services, and every save is audited."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from hdnd.core.admin_audit import AuditedModelAdmin
from hdnd.core.errors import DomainError
from hdnd.councils.models import (
    AdministrativeUnit,
    Agency,
    AgencyOfficial,
    Committee,
    CommitteeSeat,
    Constituency,
    Council,
    DelegateGroup,
    GroupMember,
    Membership,
    Person,
    Term,
    UnitSuccession,
)
from hdnd.councils.services.agencies import check_agency_official
from hdnd.councils.services.committees import check_committee_seat, check_group_member
from hdnd.councils.services.memberships import check_membership, close_committee_seats
from hdnd.councils.services.people import list_in_directory
from hdnd.councils.services.terms import check_term


def _checked(check: Callable[..., None], **arguments: Any) -> None:
    """Run a service's check_* rule; its refusal becomes the form's error."""
    try:
        check(**arguments)
    except DomainError as error:
        raise ValidationError(error.message) from error


class UnitSuccessionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = UnitSuccession
    fk_name = "predecessor"
    autocomplete_fields = ["successor"]
    extra = 0


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "kind", "level", "parent", "valid_until"]
    list_select_related = ["parent"]
    list_filter = ["level", "kind"]
    search_fields = ["code", "name", "search_text"]
    autocomplete_fields = ["parent"]
    inlines = [UnitSuccessionInline]
    search_text_from = ("name",)

    def council_of(self, obj: Any) -> Any:
        return None


@admin.register(Council)
class CouncilAdmin(AuditedModelAdmin):
    list_display = ["name", "level", "unit", "parent"]
    list_select_related = ["unit", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "search_text", "unit__code"]
    autocomplete_fields = ["unit", "parent"]
    search_text_from = ("name",)

    def council_of(self, obj: Any) -> Any:
        return obj if obj.pk else None


class TermForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Term
        fields = "__all__"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("council") and data.get("start_date") and data.get("end_date"):
            _checked(
                check_term,
                council=data["council"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                exclude_id=self.instance.pk,
            )
        return data


@admin.register(Term)
class TermAdmin(AuditedModelAdmin):
    form = TermForm
    list_display = ["name", "council", "start_date", "end_date"]
    list_select_related = ["council"]
    search_fields = ["name", "council__name"]
    autocomplete_fields = ["council"]


@admin.register(Person)
class PersonAdmin(AuditedModelAdmin):
    list_display = ["full_name", "gender", "birth_date"]
    search_fields = ["full_name", "search_text"]
    search_text_from = ("full_name",)
    normalized_fields = ("occupation", "ethnicity")

    def council_of(self, obj: Any) -> Any:
        return None


@admin.register(Constituency)
class ConstituencyAdmin(AuditedModelAdmin):
    list_display = ["name", "council", "term", "seats"]
    list_select_related = ["council", "term"]
    search_fields = ["name"]
    autocomplete_fields = ["council", "term", "units"]


class MembershipForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Membership
        fields = "__all__"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        needed = ["person", "council", "term", "position", "start_date"]
        if all(data.get(name) for name in needed):
            _checked(
                check_membership,
                person=data["person"],
                council=data["council"],
                term=data["term"],
                position=data["position"],
                start_date=data["start_date"],
                end_date=data.get("end_date"),
                constituency=data.get("constituency"),
                exclude_id=self.instance.pk,
            )
        return data


@admin.register(Membership)
class MembershipAdmin(AuditedModelAdmin):
    form = MembershipForm
    list_display = ["person", "council", "term", "position", "start_date", "end_date"]
    list_filter = ["position", "is_full_time"]
    search_fields = ["person__full_name", "person__search_text", "council__name"]
    autocomplete_fields = ["person", "council", "term", "constituency"]
    list_select_related = ["person", "council", "term"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        list_in_directory(obj.person_id)
        if obj.end_date is not None and "end_date" in form.changed_data:
            close_committee_seats(membership=obj, end_date=obj.end_date)


class CommitteeSeatForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = CommitteeSeat
        fields = "__all__"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        committee = getattr(self.instance, "committee", None)
        if committee is not None and data.get("membership") and data.get("start_date"):
            _checked(
                check_committee_seat,
                committee=committee,
                membership=data["membership"],
                role=data.get("role", ""),
                start_date=data["start_date"],
                exclude_id=self.instance.pk,
            )
        return data


class CommitteeSeatInline(admin.TabularInline):  # type: ignore[type-arg]
    model = CommitteeSeat
    form = CommitteeSeatForm
    autocomplete_fields = ["membership"]
    extra = 0


@admin.register(Committee)
class CommitteeAdmin(AuditedModelAdmin):
    list_display = ["name", "council", "is_active"]
    list_select_related = ["council"]
    search_fields = ["name", "search_text", "council__name"]
    autocomplete_fields = ["council"]
    inlines = [CommitteeSeatInline]
    search_text_from = ("name",)


class GroupMemberForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = GroupMember
        fields = "__all__"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        group = getattr(self.instance, "group", None)
        if group is not None and group.pk and data.get("membership"):
            _checked(
                check_group_member,
                group=group,
                membership=data["membership"],
                exclude_id=self.instance.pk,
            )
        return data


class GroupMemberInline(admin.TabularInline):  # type: ignore[type-arg]
    model = GroupMember
    form = GroupMemberForm
    autocomplete_fields = ["membership"]
    extra = 0


@admin.register(DelegateGroup)
class DelegateGroupAdmin(AuditedModelAdmin):
    list_display = ["name", "council", "term"]
    list_select_related = ["council", "term"]
    search_fields = ["name", "council__name"]
    autocomplete_fields = ["council", "term", "constituency"]
    inlines = [GroupMemberInline]


class AgencyOfficialForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = AgencyOfficial
        fields = "__all__"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        agency = getattr(self.instance, "agency", None)
        if agency is not None and data.get("person") and not data.get("end_date"):
            _checked(
                check_agency_official,
                agency=agency,
                person=data["person"],
                is_head=bool(data.get("is_head")),
                exclude_id=self.instance.pk,
            )
        return data


class AgencyOfficialInline(admin.TabularInline):  # type: ignore[type-arg]
    model = AgencyOfficial
    form = AgencyOfficialForm
    autocomplete_fields = ["person"]
    extra = 0


@admin.register(Agency)
class AgencyAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "council", "parent", "is_active"]
    list_select_related = ["council", "parent"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name", "search_text", "code"]
    autocomplete_fields = ["council", "parent"]
    inlines = [AgencyOfficialInline]
    search_text_from = ("name", "short_name")

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        for official in formset.new_objects:
            list_in_directory(official.person_id)
