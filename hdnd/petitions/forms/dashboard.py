from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hdnd.councils.models import AdministrativeUnit, Agency, Council
from hdnd.councils.queries.ordering import vietnamese
from hdnd.petitions.models import CompetenceLevel, Field, SessionCycle


class DashboardFilterForm(forms.Form):
    """The dashboard's filters (GET). The same names as the petition list's filters, so a
    figure links to the list of its petitions."""

    cycle = forms.ModelChoiceField(
        label=_("Session cycle"),
        required=False,
        queryset=SessionCycle.objects.none(),
        empty_label=_("All sessions"),
    )
    field = forms.ModelChoiceField(
        label=_("Field"), required=False, queryset=Field.objects.all(), empty_label=_("Any field")
    )
    agency = forms.ModelChoiceField(
        label=_("Lead agency"),
        required=False,
        queryset=Agency.objects.none(),
        empty_label=_("Any agency"),
    )
    unit = forms.ModelChoiceField(
        label=_("Commune or ward"),
        required=False,
        queryset=AdministrativeUnit.objects.none(),
        empty_label=_("Any place"),
    )
    level = forms.ChoiceField(
        label=_("Competence level"),
        required=False,
        choices=[("", _("Any level")), *CompetenceLevel.choices],
    )

    def __init__(self, data: Any, *, council: Council) -> None:
        super().__init__(data, label_suffix="")
        cycle_field = cast("forms.ModelChoiceField[SessionCycle]", self.fields["cycle"])
        cycle_field.queryset = SessionCycle.objects.filter(council_id=council.pk).order_by(
            "-session_date", "-number"
        )
        agency_field = cast("forms.ModelChoiceField[Agency]", self.fields["agency"])
        agency_field.queryset = Agency.objects.filter(council_id=council.pk).order_by(
            vietnamese("name")
        )
        # The council's own unit and the units under it (a city's communes and wards).
        unit_field = cast("forms.ModelChoiceField[AdministrativeUnit]", self.fields["unit"])
        unit_field.queryset = AdministrativeUnit.objects.filter(
            Q(pk=council.unit_id) | Q(parent_id=council.unit_id), valid_until__isnull=True
        ).order_by(vietnamese("name"))


class ReportForm(forms.Form):
    """Which session cycle a statutory report is about."""

    cycle = forms.ModelChoiceField(
        label=_("Session cycle"), queryset=SessionCycle.objects.none(), empty_label=None
    )

    def __init__(self, data: Any, *, council: Council) -> None:
        super().__init__(data, label_suffix="")
        cycle_field = cast("forms.ModelChoiceField[SessionCycle]", self.fields["cycle"])
        cycle_field.queryset = SessionCycle.objects.filter(council_id=council.pk).order_by(
            "-session_date", "-number"
        )
