"""The forms of the public pages: the code lookup and the filters of the published-answer
lists. They only parse the query string; nothing here writes."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from hdnd.councils.models import AdministrativeUnit, Council
from hdnd.petitions.models import Field, SessionCycle
from hdnd.petitions.queries.public import (
    MAX_CODE_LENGTH,
    answered_units,
    code_candidates,
    cycles_of,
)


class LookupForm(forms.Form):
    code = forms.CharField(
        label=_("Your code"),
        max_length=MAX_CODE_LENGTH,
        help_text=_(
            "The code on your receipt (such as KN-7Q4M-X2PA) or a petition's number (such as "
            "01-2026-0042). Capital letters, spaces and dashes do not matter."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )

    def __init__(self, data: Any = None) -> None:
        super().__init__(data, label_suffix="")

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"])
        if not code_candidates(code):
            raise forms.ValidationError(_("Type the code as it is written on your receipt."))
        return code


class CouncilSearchForm(forms.Form):
    q = forms.CharField(label=_("Find your commune or ward"), required=False, max_length=200)

    def __init__(self, data: Any = None) -> None:
        super().__init__(data, label_suffix="")


class PublicFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    cycle = forms.ModelChoiceField(
        label=_("Session"),
        required=False,
        queryset=SessionCycle.objects.none(),
        empty_label=_("Any session"),
    )
    field = forms.ModelChoiceField(
        label=_("Field"),
        required=False,
        queryset=Field.objects.order_by("sort_order", "name"),
        empty_label=_("Any field"),
    )

    def __init__(self, data: Any, *, council: Council) -> None:
        super().__init__(data, label_suffix="")
        cycle_field = cast("forms.ModelChoiceField[SessionCycle]", self.fields["cycle"])
        cycle_field.queryset = cycles_of(council)


class SheetForm(forms.Form):
    cycle = forms.ModelChoiceField(
        label=_("Session"),
        required=False,
        queryset=SessionCycle.objects.none(),
        empty_label=_("The latest session with answers"),
    )
    unit = forms.ModelChoiceField(
        label=_("Commune or place"),
        required=False,
        queryset=AdministrativeUnit.objects.none(),
        empty_label=_("All places"),
    )

    def __init__(self, data: Any, *, council: Council) -> None:
        super().__init__(data, label_suffix="")
        cycle_field = cast("forms.ModelChoiceField[SessionCycle]", self.fields["cycle"])
        cycle_field.queryset = cycles_of(council)
        unit_field = cast("forms.ModelChoiceField[AdministrativeUnit]", self.fields["unit"])
        unit_field.queryset = answered_units(council)
