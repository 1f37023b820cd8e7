"""Forms of consolidation: suggestions while typing, consolidating items, deciding on a
suggestion, merging, splitting and editing a petition. They only parse; the rules are in
services/consolidation.py."""

from typing import Any, cast

from django import forms
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from hdnd.councils.models import AdministrativeUnit, Council
from hdnd.petitions.models import CompetenceLevel, Field, Petition, VoterItem
from hdnd.petitions.queries.consolidation import free_items, petition_items
from hdnd.petitions.queries.intake import council_units
from hdnd.petitions.services.consolidation import MAX_TEXT_LENGTH, TITLE_LENGTH

# Longer text is cut: suggestions compare the opening of what is being typed.
SUGGEST_TEXT_LENGTH = 4000


class SuggestForm(forms.Form):
    text = forms.CharField(required=False)

    def text_to_compare(self) -> str:
        if not self.is_valid():
            return ""
        return str(self.cleaned_data["text"])[:SUGGEST_TEXT_LENGTH]


class _PetitionTextFields(forms.Form):
    title = forms.CharField(label=_("Petition title"), max_length=TITLE_LENGTH, required=False)
    text = forms.CharField(
        label=_("Consolidated text"),
        max_length=MAX_TEXT_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class ConsolidateForm(_PetitionTextFields):
    """Several items into one new petition ("together"), or each into its own ("each")."""

    TOGETHER = "together"
    EACH = "each"

    items = forms.ModelMultipleChoiceField(
        label=_("Voter items"),
        queryset=VoterItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose the voter items to consolidate.")},
    )
    mode = forms.ChoiceField(
        choices=[(TOGETHER, _("Consolidate selected")), (EACH, _("Each as its own petition"))],
        initial=TOGETHER,
    )
    field = forms.ModelChoiceField(
        label=_("Field"), queryset=Field.objects.filter(is_active=True), required=False
    )
    level = forms.ChoiceField(
        label=_("Competence level"),
        choices=[("", "—"), *CompetenceLevel.choices],
        required=False,
    )
    unit = forms.ModelChoiceField(
        label=_("Place (unit)"), queryset=AdministrativeUnit.objects.none(), required=False
    )

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        items_field = cast("forms.ModelMultipleChoiceField[VoterItem]", self.fields["items"])
        items_field.queryset = free_items(council_id=council.pk)
        unit_field = cast("forms.ModelChoiceField[AdministrativeUnit]", self.fields["unit"])
        unit_field.queryset = council_units(council=council)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("mode") == self.TOGETHER:
            if not (cleaned.get("title") or "").strip():
                self.add_error("title", _("Give the petition a title."))
            if not (cleaned.get("text") or "").strip():
                self.add_error("text", _("Write the consolidated text."))
        return cleaned


class DecideSuggestionForm(forms.Form):
    """The version of the petition the person saw when confirming a suggestion."""

    version = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)


class MergeForm(forms.Form):
    """Other petitions to merge into this one; each checkbox carries the version shown."""

    sources = forms.ModelMultipleChoiceField(
        label=_("Petitions to merge into this one"),
        queryset=Petition.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one petition to merge into this one.")},
    )
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, petition: Petition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sources = cast("forms.ModelMultipleChoiceField[Petition]", self.fields["sources"])
        sources.queryset = Petition.objects.filter(council_id=petition.council_id).exclude(
            id=petition.pk
        )
        self.petition = petition

    def expected_versions(self) -> dict[int, int]:
        """The versions the person saw: this petition's, and each chosen one's."""
        versions = {self.petition.pk: int(self.cleaned_data["version"])}
        for source in self.cleaned_data["sources"]:
            raw = str(self.data.get(f"version_{source.pk}", ""))
            if raw.isdecimal() and len(raw) < 10:
                versions[source.pk] = int(raw)
        return versions


class _ItemChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]  # generic
    """Items shown by code, opening words and number of voters."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} — {Truncator(obj.text).words(30)} ({obj.voter_count})"


class SplitForm(_PetitionTextFields):
    items = _ItemChoiceField(
        label=_("Voter items to split off"),
        queryset=VoterItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose the voter items to split off.")},
    )
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, petition: Petition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        items = cast("forms.ModelMultipleChoiceField[VoterItem]", self.fields["items"])
        items.queryset = petition_items(petition=petition)
        self.fields["title"].required = True
        self.fields["text"].required = True


class PetitionEditForm(_PetitionTextFields):
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=2000,
        help_text=_("Separated by commas."),
    )
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].required = True
        self.fields["text"].required = True
