"""The filters of the directory pages, as forms: they parse the query string, and a value
that is not one of the choices becomes a 400 page that says which filter is wrong."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from hdnd.core.errors import DomainError
from hdnd.councils.models import Committee, Constituency, Council, Position, Term, UnitKind
from hdnd.councils.queries import DelegateStatus, SearchKind


def cleaned(form: forms.Form) -> dict[str, Any]:
    """The form's values, or a DomainError naming each filter that is not valid."""
    if form.is_valid():
        return form.cleaned_data
    fields = {name: [str(error) for error in errors] for name, errors in form.errors.items()}
    labels = ", ".join(
        str(form.fields[name].label or name) for name in fields if name in form.fields
    )
    raise DomainError(
        _("These filters are not valid: %(names)s.") % {"names": labels}, fields=fields
    )


class SearchForm(forms.Form):
    # Longer queries are cut by the search itself rather than refused.
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All")), *SearchKind.CHOICES]
    )


# The kinds of commune-level unit since 1 July 2025.
COMMUNE_KIND_CHOICES = [
    (UnitKind.WARD.value, UnitKind.WARD.label),
    (UnitKind.COMMUNE.value, UnitKind.COMMUNE.label),
    (UnitKind.SPECIAL_ZONE.value, UnitKind.SPECIAL_ZONE.label),
]


class CommuneFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *COMMUNE_KIND_CHOICES]
    )


class DelegateFilterForm(forms.Form):
    term = forms.TypedChoiceField(label=_("Term"), coerce=int, required=False)
    position = forms.ChoiceField(
        label=_("Position"), required=False, choices=[("", _("All")), *Position.choices]
    )
    committee = forms.ModelChoiceField(
        label=_("Committee"),
        queryset=Committee.objects.none(),
        required=False,
        empty_label=_("All"),
    )
    constituency = forms.ModelChoiceField(
        label=_("Constituency"),
        queryset=Constituency.objects.none(),
        required=False,
        empty_label=_("All"),
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=DelegateStatus.CHOICES)

    def __init__(
        self, data: Any, *, council: Council, terms: list[Term], default_term: Term
    ) -> None:
        # Unset filters show their defaults: the current term, delegates in office.
        values = data.copy()
        if not values.get("term"):
            values["term"] = str(default_term.pk)
        if not values.get("status"):
            values["status"] = DelegateStatus.ACTIVE
        super().__init__(values, label_suffix="")
        # The term chosen decides which constituencies can be picked.
        chosen = str(values["term"])
        self.chosen_term = next((term for term in terms if str(term.pk) == chosen), default_term)
        term_field = cast(forms.TypedChoiceField, self.fields["term"])
        term_field.choices = [(term.pk, str(term)) for term in terms]
        committee_field = cast("forms.ModelChoiceField[Committee]", self.fields["committee"])
        committee_field.queryset = council.committees.order_by("search_text", "id")
        constituency_field = cast(
            "forms.ModelChoiceField[Constituency]", self.fields["constituency"]
        )
        constituency_field.queryset = Constituency.objects.filter(
            council=council, term=self.chosen_term
        ).order_by("number", "id")
