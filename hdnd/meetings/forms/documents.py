"""Forms: uploading a meeting's documents and their versions, publishing, searching,
and one's private note."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from hdnd.meetings.models import AgendaItem, DocumentKind, Meeting

FILE_HELP = _("A PDF (a signed PDF has its digital signature checked), .docx or .xlsx file.")


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    title = forms.CharField(label=_("Title"), max_length=500)
    number = forms.CharField(
        label=_("Number and symbol"),
        max_length=80,
        required=False,
        help_text=_("As printed on the document, for example 125/TTr-UBND."),
    )
    agenda_item = forms.ModelChoiceField(
        label=_("Agenda item"), queryset=AgendaItem.objects.none(), required=False
    )
    file = forms.FileField(label=_("File"), help_text=FILE_HELP)

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelChoiceField[AgendaItem]", self.fields["agenda_item"])
        field.queryset = AgendaItem.objects.filter(meeting=meeting).order_by("position", "id")
        field.empty_label = str(_("The whole meeting"))


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    note = forms.CharField(label=_("What changed"), max_length=500)
    file = forms.FileField(label=_("File"), help_text=FILE_HELP)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class PublishForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class UnpublishForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(
        label=_("Reason for withdrawing it"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the document's history."),
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search documents"), max_length=200, required=False)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("My private note"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Only you can read your notes and highlights."),
    )


class HighlightForm(forms.Form):
    page = forms.IntegerField(label=_("Page"), min_value=1, max_value=100_000)
    quote = forms.CharField(
        label=_("Quoted text"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    color = forms.ChoiceField(
        label=_("Colour"),
        choices=[
            ("yellow", _("Yellow")),
            ("green", _("Green")),
            ("blue", _("Blue")),
            ("pink", _("Pink")),
        ],
    )
    comment = forms.CharField(label=_("Comment"), max_length=2000, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
