from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from hdnd.councils.models import AdministrativeUnit, Agency
from hdnd.petitions.models import (
    CompetenceLevel,
    Field,
    PetitionStatus,
    ResultCategory,
    SessionCycle,
    Verdict,
)

DUE_CHOICES = [
    ("", _("Any deadline")),
    ("overdue", _("Overdue")),
    ("due_soon", _("Due within 7 days")),
]


class PetitionFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *PetitionStatus.choices]
    )
    field = forms.ModelChoiceField(
        label=_("Field"), required=False, queryset=Field.objects.all(), empty_label=_("Any field")
    )
    level = forms.ChoiceField(
        label=_("Competence level"),
        required=False,
        choices=[("", _("Any level")), *CompetenceLevel.choices],
    )
    agency = forms.ModelChoiceField(
        label=_("Lead agency"),
        required=False,
        queryset=Agency.objects.none(),
        empty_label=_("Any agency"),
    )
    cycle = forms.ModelChoiceField(
        label=_("Session cycle"),
        required=False,
        queryset=SessionCycle.objects.none(),
        empty_label=_("Any session"),
    )
    due = forms.ChoiceField(label=_("Deadline"), required=False, choices=DUE_CHOICES)
    # Narrowing used by the dashboard's drill-down links; carried as hidden fields.
    unit = forms.ModelChoiceField(
        required=False, queryset=AdministrativeUnit.objects.all(), widget=forms.HiddenInput
    )
    state = forms.ChoiceField(
        required=False,
        choices=[("", ""), ("answered", _("Answered")), ("awaiting", _("Awaiting an answer"))],
        widget=forms.HiddenInput,
    )
    timing = forms.ChoiceField(
        required=False,
        choices=[("", ""), ("on_time", _("On time")), ("late", _("Late"))],
        widget=forms.HiddenInput,
    )
    result = forms.ChoiceField(
        required=False, choices=[("", ""), *ResultCategory.choices], widget=forms.HiddenInput
    )
    verdict = forms.ChoiceField(
        required=False, choices=[("", ""), *Verdict.choices], widget=forms.HiddenInput
    )
    questioning = forms.BooleanField(required=False, widget=forms.HiddenInput)
    carried_over = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, data: Any, *, council_id: int) -> None:
        super().__init__(data, label_suffix="")
        agency_field = cast("forms.ModelChoiceField[Agency]", self.fields["agency"])
        agency_field.queryset = Agency.objects.filter(council_id=council_id, is_active=True)
        cycle_field = cast("forms.ModelChoiceField[SessionCycle]", self.fields["cycle"])
        cycle_field.queryset = SessionCycle.objects.filter(council_id=council_id)
