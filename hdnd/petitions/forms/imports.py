"""The upload form of a petition import. The file is checked here for quick feedback
(size, type by content) and again by the service, which also serves the API and the
command line."""

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from hdnd.core.errors import DomainError
from hdnd.petitions.importing.files import check_upload
from hdnd.petitions.services.imports import clean_source_system

DEFAULT_SOURCE_SYSTEM = "knct"


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "An Excel workbook (.xlsx) or a CSV file in UTF-8 (commas or semicolons). The "
            "header row needs at least the columns “Mã” and “Nội dung”."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    source_system = forms.CharField(
        label=_("Source system"),
        max_length=40,
        initial=DEFAULT_SOURCE_SYSTEM,
        help_text=_(
            "Where the rows come from, e.g. “knct-2021-2026”. A row whose “Mã” was already "
            "imported from the same source is not imported again: keep the same name when "
            "you import a corrected file."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        try:
            check_upload(upload)
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from exc
        return upload

    def clean_source_system(self) -> str:
        try:
            return clean_source_system(self.cleaned_data["source_system"])
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from exc
