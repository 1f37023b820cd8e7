"""Forms for receiving voter items (at a meeting, from other channels, from the public
web form), triaging and correcting them. The rules live in services/intake.py."""

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hdnd.councils.models import AdministrativeUnit, Council
from hdnd.petitions.models import Channel, CompetenceLevel, Field, ItemKind, VoterItem
from hdnd.petitions.queries.intake import council_units, tag_text
from hdnd.petitions.services.intake import MAX_TEXT_LENGTH, REDIRECT_KINDS

# What a voter may type in the public form: a petition, not a document.
PUBLIC_TEXT_LENGTH = 4000
# Channels an office clerk enters by hand on the "new item" page.
STAFF_CHANNELS = [
    (value, label)
    for value, label in Channel.choices
    if value not in {Channel.MEETING, Channel.IMPORT, Channel.API}
]
# Where redirected items usually go (offered as suggestions, any text is allowed).
REDIRECT_DESTINATIONS = [
    "Ban Tiếp công dân",
    "Thanh tra thành phố",
    "iHanoi",
    "Ủy ban nhân dân xã, phường",
]
ITEM_FIELDS = (
    "text",
    "voter_count",
    "voter_name",
    "voter_phone",
    "voter_email",
    "voter_address",
    "unit",
    "place",
    "field",
    "level",
    "tags",
)
IDENTITY_FIELDS = ("voter_name", "voter_phone", "voter_email", "voter_address")
REDIRECT_KIND_CHOICES = [
    (value, label) for value, label in ItemKind.choices if value in REDIRECT_KINDS
]
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def tag_names(text: str) -> list[str]:
    return [name for name in (part.strip() for part in text.split(",")) if name]


class ItemDetailsForm(forms.Form):
    """What every way of entering an item asks."""

    text = forms.CharField(
        label=_("What the voter asked"),
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    voter_count = forms.IntegerField(
        label=_("Number of voters"), min_value=1, max_value=1_000_000, initial=1
    )
    voter_name = forms.CharField(label=_("Voter's name"), required=False, max_length=150)
    voter_phone = forms.CharField(label=_("Voter's phone"), required=False, max_length=40)
    voter_email = forms.EmailField(label=_("Voter's email"), required=False)
    voter_address = forms.CharField(label=_("Voter's address"), required=False, max_length=300)
    unit = forms.ModelChoiceField(
        label=_("Place (unit)"),
        required=False,
        queryset=AdministrativeUnit.objects.none(),
        empty_label=_("Not given"),
    )
    place = forms.CharField(
        label=_("Place details"),
        required=False,
        max_length=300,
        help_text=_("Street, residential group, project…"),
    )
    field = forms.ModelChoiceField(
        label=_("Field"),
        required=False,
        queryset=Field.objects.filter(is_active=True),
        empty_label=_("Not classified yet"),
    )
    level = forms.ChoiceField(
        label=_("Competence level"),
        required=False,
        choices=[("", _("Not classified yet")), *CompetenceLevel.choices],
    )
    tags = forms.CharField(
        label=_("Tags"), required=False, max_length=500, help_text=_("Separate tags with commas.")
    )

    def __init__(self, data: Any = None, *, council: Council, **kwargs: Any) -> None:
        super().__init__(data, label_suffix="", **kwargs)
        unit_field = cast("forms.ModelChoiceField[AdministrativeUnit]", self.fields["unit"])
        unit_field.queryset = council_units(council=council)

    def item_arguments(self) -> dict[str, Any]:
        """The item's details as the services take them (only the fields this form has)."""
        arguments = {
            name: self.cleaned_data[name]
            for name in ITEM_FIELDS
            if name in self.fields and not self.fields[name].disabled
        }
        if "tags" in arguments:
            arguments["tags"] = tag_names(arguments["tags"])
        return arguments


class MeetingItemForm(ItemDetailsForm):
    """One item heard at a meeting, entered by the office one after another."""

    needs_triage = forms.BooleanField(
        label=_("Send to triage: it may be a complaint, a denunciation or a field report"),
        required=False,
    )

    def __init__(self, data: Any = None, *, council: Council) -> None:
        super().__init__(data, council=council, prefix="item")


class ItemForm(ItemDetailsForm):
    """An item from another channel: hotline, letter, Zalo, email, citizen reception."""

    channel = forms.ChoiceField(label=_("Channel"), choices=STAFF_CHANNELS)
    received_on = forms.DateField(label=_("Received on"), widget=DATE_WIDGET)
    accept_now = forms.BooleanField(
        label=_("Accept as a petition now (skip the triage queue)"), required=False
    )
    field_order = ["channel", "received_on", "text"]

    def __init__(self, data: Any = None, *, council: Council) -> None:
        super().__init__(data, council=council, initial={"received_on": timezone.localdate()})


class ItemEditForm(ItemDetailsForm):
    """Correcting an item. Without the right to see who asked, the voter's details are
    neither shown nor changed."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, data: Any = None, *, item: VoterItem, with_identity: bool) -> None:
        initial = {
            "text": item.text,
            "voter_count": item.voter_count,
            "voter_name": item.voter_name,
            "voter_phone": item.voter_phone,
            "voter_email": item.voter_email,
            "voter_address": item.voter_address,
            "unit": item.unit_id,
            "place": item.place,
            "field": item.field_id,
            "level": item.level,
            "tags": tag_text(item),
            "version": item.version,
        }
        super().__init__(data, council=item.council, initial=initial)
        if not with_identity:
            for name in IDENTITY_FIELDS:
                del self.fields[name]
        if item.petition_id is not None:
            # Consolidated: the petition owns the text and the count now.
            for name in ("text", "voter_count"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Fixed: the item is part of a petition.")


class PublicSubmissionForm(forms.Form):
    """What a voter sends through the council's public page. `website` is a trap for
    robots: people never see it, so anything in it means the sender is not a person."""

    text = forms.CharField(
        label=_("Your petition"),
        max_length=PUBLIC_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the problem is, where, and what you propose."),
    )
    unit = forms.ModelChoiceField(
        label=_("Commune or ward concerned"),
        required=False,
        queryset=AdministrativeUnit.objects.none(),
        empty_label=_("Not sure"),
    )
    voter_name = forms.CharField(label=_("Your name"), required=False, max_length=150)
    voter_phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    voter_email = forms.EmailField(label=_("Email"), required=False)
    voter_address = forms.CharField(label=_("Address"), required=False, max_length=300)
    consent = forms.BooleanField(
        label=_(
            "I agree that the council's office keeps my contact details to handle this "
            "petition. They are never published."
        )
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, data: Any = None, *, council: Council) -> None:
        super().__init__(data, label_suffix="")
        unit_field = cast("forms.ModelChoiceField[AdministrativeUnit]", self.fields["unit"])
        unit_field.queryset = council_units(council=council)

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get("website"))


class AcceptForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=1000,
        help_text=_("Required when the item had been redirected."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class RedirectForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What it really is"),
        choices=REDIRECT_KIND_CHOICES,
    )
    redirected_to = forms.CharField(
        label=_("Sent to"),
        max_length=300,
        widget=forms.TextInput(attrs={"list": "redirect-destinations"}),
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


TRIAGE_TABS = [
    ("new", _("Waiting for triage")),
    ("redirected", _("Redirected")),
    ("accepted", _("Accepted, not yet consolidated")),
]


class TriageFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Show"), required=False, choices=TRIAGE_TABS)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *ItemKind.choices]
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("Any channel")), *Channel.choices]
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=200)

    def __init__(self, data: Any) -> None:
        super().__init__(data, label_suffix="")
