"""Pages of petition imports: the council's imports with the upload form, the check of an
uploaded file (in the background: htmx polls its progress every second), the preview of
the file (what will be imported, every row refused and why), the confirmation, the
import's progress bar (polled the same way until the import ends) and the error report
as a workbook. Only the council's office works here."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hdnd.core.errors import DomainError, NotFound, PermissionDenied
from hdnd.core.paging import page_of
from hdnd.lib.xlsx import XLSX_CONTENT_TYPE
from hdnd.petitions import access
from hdnd.petitions.forms.imports import DEFAULT_SOURCE_SYSTEM, ImportUploadForm
from hdnd.petitions.importing.columns import COLUMNS
from hdnd.petitions.models import ImportBatch, ImportStatus, Petition
from hdnd.petitions.queries import imports as queries
from hdnd.petitions.services import imports as services

BATCHES_PER_PAGE = 20
ERRORS_PER_PAGE = 100


def _batch_for(request: HttpRequest, batch_id: int) -> ImportBatch:
    """A batch the user may work on; to anyone else it does not exist."""
    if not request.user.is_authenticated:
        raise PermissionDenied(_("Please sign in to see this page."))
    batch = queries.import_batch(batch_id=batch_id)
    if batch is None or not access.is_manager(request.user, batch.council_id):
        raise NotFound(_("This import does not exist."))
    return batch


@require_http_methods(["GET", "POST"])
def imports(request: HttpRequest, council_id: int) -> HttpResponse:
    council = access.access_council_manage(user=request.user, council_id=council_id)
    batches = queries.council_batches(council_id=council.pk)
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                batch = services.upload_import(
                    actor=request.user,
                    council=council,
                    upload=form.cleaned_data["file"],
                    source_system=form.cleaned_data["source_system"],
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                return redirect("petitions:import_detail", batch_id=batch.pk)
    else:
        last = queries.last_source_system(council_id=council.pk)
        form = ImportUploadForm(initial={"source_system": last or DEFAULT_SOURCE_SYSTEM})
    context = {
        "council": council,
        "form": form,
        "columns": COLUMNS,
        "page": page_of(request, batches, per_page=BATCHES_PER_PAGE),
        "is_manager": True,
        "is_reader": True,
    }
    return render(request, "petitions/imports/list.html", context)


@require_GET
def import_detail(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = _batch_for(request, batch_id)
    context: dict[str, Any] = {
        "batch": batch,
        "council": batch.council,
        "is_manager": True,
        "is_reader": True,
        "new_rows": queries.new_rows(batch),
        "errors_page": page_of(request, batch.errors, per_page=ERRORS_PER_PAGE),
        "errors_truncated": len(batch.errors) >= services.MAX_STORED_ERRORS,
    }
    if batch.status == ImportStatus.PREVIEWED:
        context["preview"] = queries.batch_preview(batch=batch)
        context["earlier"] = queries.earlier_imports_of_file(batch)
    return render(request, "petitions/imports/detail.html", context)


@require_POST
def import_run(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = _batch_for(request, batch_id)
    try:
        services.start_import(actor=request.user, batch_id=batch.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("petitions:import_detail", batch_id=batch.pk)


# Statuses whose progress the batch page polls.
IN_PROGRESS = frozenset({ImportStatus.CHECKING, ImportStatus.RUNNING})


@require_GET
def import_progress(request: HttpRequest, batch_id: int) -> HttpResponse:
    """The progress of the file's check or of the import alone, for htmx to swap in; once
    it has ended, the whole page reloads to show the preview or the result."""
    batch = _batch_for(request, batch_id)
    template = (
        "petitions/imports/_checking.html"
        if batch.status == ImportStatus.CHECKING
        else "petitions/imports/_progress.html"
    )
    response = render(request, template, {"batch": batch})
    if getattr(request, "htmx", False) and batch.status not in IN_PROGRESS:
        response["HX-Refresh"] = "true"
    return response


@require_GET
def import_errors(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = _batch_for(request, batch_id)
    response = HttpResponse(queries.errors_workbook(batch=batch), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="import-{batch.pk}-errors.xlsx"'
    return response


@require_GET
def import_template(request: HttpRequest, council_id: int) -> HttpResponse:
    council = access.access_council_manage(user=request.user, council_id=council_id)
    content = queries.template_workbook(council_id=council.pk)
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-kien-nghi.xlsx"'
    return response


urlpatterns: list[URLPattern] = [
    path("<int:council_id>/imports/", imports, name="imports"),
    path("<int:council_id>/imports/template.xlsx", import_template, name="import_template"),
    path("imports/<int:batch_id>/", import_detail, name="import_detail"),
    path("imports/<int:batch_id>/run/", import_run, name="import_run"),
    path("imports/<int:batch_id>/progress/", import_progress, name="import_progress"),
    path("imports/<int:batch_id>/errors.xlsx", import_errors, name="import_errors"),
]


def panel(request: HttpRequest, petition: Petition) -> dict[str, Any]:
    """Context for this topic's panel on the petition page (templates/petitions/panels/imports.html)."""
    return {}
