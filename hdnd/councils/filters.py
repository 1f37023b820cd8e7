"""The filters of the directory pages, as forms: they parse the query string, and a value
that is not one of the choices becomes a 400 page that says which filter is wrong."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from hdnd.core.errors import DomainError
from hdnd.councils.models import Committee, Constituency, Council, Position, Term, UnitKind
from hdnd.councils.queries.people import DelegateStatus
from hdnd.councils.queries.search import SearchKind


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

    # The term the page showed, sent back with the form: see _status_or_default.
    shown_term = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, data: Any, *, council: Council, terms: list[Term], default_term: Term
    ) -> None:
        # Unset filters show their defaults: the current term, and for it the delegates in
        # office; an earlier term has none in office today, so all of its delegates.
        values = data.copy()
        if not values.get("term"):
            values["term"] = str(default_term.pk)
        chosen = str(values["term"])
        values["status"] = _status_or_default(values, default_term=default_term)
        values["shown_term"] = chosen
        super().__init__(values, label_suffix="")
        # The term chosen decides which constituencies can be picked.
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


def _default_status(term_id: str, *, default_term: Term) -> str:
    return DelegateStatus.ACTIVE if term_id == str(default_term.pk) else DelegateStatus.ALL


def _status_or_default(values: Any, *, default_term: Term) -> str:
    """The status asked for, or the default of the chosen term.

    The form sends its status select back with every change of term: a status still at
    the default of the term shown before was not chosen, so it follows the new term."""
    status = str(values.get("status") or "")
    shown = str(values.get("shown_term") or "")
    term_changed = bool(shown) and shown != values["term"]
    if term_changed and status == _default_status(shown, default_term=default_term):
        status = ""
    return status or _default_status(str(values["term"]), default_term=default_term)
