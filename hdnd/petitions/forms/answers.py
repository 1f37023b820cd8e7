"""Forms: answer documents, answers and their publication."""

from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from hdnd.core.errors import DomainError
from hdnd.councils.models import Agency
from hdnd.petitions.models import AnswerDocument, ResultCategory, SessionCycle
from hdnd.petitions.services.answers import check_pdf_upload


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def validate_pdf_upload(upload: UploadedFile) -> None:
    """The service's check, as a form error on the file field."""
    try:
        check_pdf_upload(upload)
    except DomainError as error:
        raise forms.ValidationError(error.message, code="invalid") from error


class AnswerDocumentForm(forms.Form):
    number = forms.CharField(
        label=_("Number and symbol"),
        max_length=80,
        help_text=_("As printed on the document, for example 1234/UBND-ĐT."),
    )
    issued_on = forms.DateField(label=_("Issued on"), widget=date_input())
    agency = forms.ModelChoiceField(
        label=_("Issuing agency"), queryset=Agency.objects.none(), required=False
    )
    signer_name = forms.CharField(label=_("Signed by"), max_length=150)
    signer_title = forms.CharField(label=_("Signer's title"), max_length=150, required=False)
    file = forms.FileField(
        label=_("File (PDF)"),
        required=False,
        help_text=_("A digitally signed PDF has its signature checked on upload."),
    )

    def __init__(self, *args: Any, agencies: Any, agency_required: bool, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelChoiceField[Agency]", self.fields["agency"])
        field.queryset = agencies
        field.required = agency_required

    def clean_file(self) -> UploadedFile | None:
        upload = cast("UploadedFile | None", self.cleaned_data.get("file"))
        if upload:
            validate_pdf_upload(upload)
        return upload


class AnswerForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 8}))
    result = forms.ChoiceField(label=_("Result"), choices=ResultCategory.choices)
    roadmap = forms.CharField(
        label=_("Roadmap and resources"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the matter is being resolved."),
    )
    planned_completion = forms.DateField(
        label=_("Planned completion"),
        required=False,
        widget=date_input(),
        help_text=_("Required when the matter is being resolved."),
    )
    answered_on = forms.DateField(label=_("Answered on"), widget=date_input())
    document = forms.ModelChoiceField(
        label=_("Answer document"),
        queryset=AnswerDocument.objects.none(),
        required=False,
        empty_label=_("No document"),
    )

    def __init__(self, *args: Any, documents: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelChoiceField[AnswerDocument]", self.fields["document"])
        field.queryset = documents

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # The database refuses an "in progress" answer without its roadmap and date; say so
        # here, next to the fields, first.
        if cleaned.get("result") == ResultCategory.IN_PROGRESS:
            if not (cleaned.get("roadmap") or "").strip():
                self.add_error(
                    "roadmap",
                    _("An answer “being resolved” must state the roadmap and resources."),
                )
            if not cleaned.get("planned_completion") and "planned_completion" not in self.errors:
                self.add_error(
                    "planned_completion",
                    _("An answer “being resolved” must state when it will be completed."),
                )
        return cleaned


class VersionForm(forms.Form):
    """A one-button action on a petition: carries the version the user saw."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class PublishCycleForm(forms.Form):
    cycle = forms.ModelChoiceField(label=_("Session cycle"), queryset=SessionCycle.objects.none())

    def __init__(self, *args: Any, council_id: int, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelChoiceField[SessionCycle]", self.fields["cycle"])
        field.queryset = SessionCycle.objects.filter(council_id=council_id).order_by(
            "-session_date"
        )
