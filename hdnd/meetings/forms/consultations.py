"""Forms: preparing a written consultation and answering it."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hdnd.meetings.models import ConsultationChoice


class ConsultationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500)
    question = forms.CharField(
        label=_("Question"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20_000
    )
    deadline = forms.DateTimeField(
        label=_("Answer by"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
    )
    document = forms.FileField(
        label=_("Document"),
        required=False,
        help_text=_("A PDF, .docx or .xlsx file the members read before answering."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class AnswerForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("My answer"), choices=ConsultationChoice.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when you give another opinion."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
