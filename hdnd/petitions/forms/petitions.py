from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from hdnd.councils.models import Agency
from hdnd.petitions.models import CompetenceLevel, Field, PetitionStatus, SessionCycle

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

    def __init__(self, data: Any, *, council_id: int) -> None:
        super().__init__(data, label_suffix="")
        agency_field = cast("forms.ModelChoiceField[Agency]", self.fields["agency"])
        agency_field.queryset = Agency.objects.filter(council_id=council_id, is_active=True)
        cycle_field = cast("forms.ModelChoiceField[SessionCycle]", self.fields["cycle"])
        cycle_field.queryset = SessionCycle.objects.filter(council_id=council_id)
