"""Statutory reports of a session cycle: the synthesis of voters' petitions and the
results of their resolution (.docx in the state document format), and the statistics
(.xlsx). Every number is computed from the data (queries/reports.py)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from hdnd.core.errors import DomainError
from hdnd.councils.models import Council
from hdnd.lib.docx import DOCX_CONTENT_TYPE
from hdnd.lib.xlsx import XLSX_CONTENT_TYPE
from hdnd.petitions import access
from hdnd.petitions.forms.dashboard import ReportForm
from hdnd.petitions.models import Petition
from hdnd.petitions.queries import reports as queries
from hdnd.petitions.reports import results, statistics_xlsx, synthesis


def reports(request: HttpRequest, council_id: int) -> HttpResponse:
    council = access.access_council_dashboard(user=request.user, council_id=council_id)
    form = ReportForm(request.GET or None, council=council)
    context = {
        "council": council,
        "form": form,
        "is_manager": access.is_manager(request.user, council.pk),
        "is_reader": True,
    }
    return render(request, "petitions/reports/reports.html", context)


def synthesis_report(request: HttpRequest, council_id: int) -> HttpResponse:
    council, cycle_id = _council_and_cycle(request, council_id)
    report = queries.synthesis_report(council_id=council.pk, cycle_id=cycle_id)
    issuer = queries.report_issuer(council=council)
    content = synthesis.synthesis_docx(report, issuer)
    return _download(content, DOCX_CONTENT_TYPE, synthesis.synthesis_file_name(report))


def results_report(request: HttpRequest, council_id: int) -> HttpResponse:
    council, cycle_id = _council_and_cycle(request, council_id)
    report = queries.results_report(council_id=council.pk, cycle_id=cycle_id)
    issuer = queries.report_issuer(council=council)
    content = results.results_docx(report, issuer)
    return _download(content, DOCX_CONTENT_TYPE, results.results_file_name(report))


def statistics_report(request: HttpRequest, council_id: int) -> HttpResponse:
    council, cycle_id = _council_and_cycle(request, council_id)
    report = queries.results_report(council_id=council.pk, cycle_id=cycle_id)
    issuer = queries.report_issuer(council=council)
    content = statistics_xlsx.statistics_workbook(report, issuer)
    return _download(content, XLSX_CONTENT_TYPE, statistics_xlsx.statistics_file_name(report))


def _council_and_cycle(request: HttpRequest, council_id: int) -> tuple[Council, int]:
    council = access.access_council_dashboard(user=request.user, council_id=council_id)
    form = ReportForm(request.GET, council=council)
    if not form.is_valid():
        raise DomainError(_("Choose one of this council's session cycles for the report."))
    return council, form.cleaned_data["cycle"].pk


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    return response


def panel(request: HttpRequest, petition: Petition) -> dict[str, Any]:
    """Context for this topic's panel on the petition page (templates/petitions/panels/reports.html)."""
    return {}


urlpatterns = [
    path("<int:council_id>/reports/", reports, name="reports"),
    path("<int:council_id>/reports/synthesis.docx", synthesis_report, name="report_synthesis"),
    path("<int:council_id>/reports/results.docx", results_report, name="report_results"),
    path(
        "<int:council_id>/reports/statistics.xlsx",
        statistics_report,
        name="report_statistics",
    ),
]
