"""The supervision dashboard of a council's petitions and its spreadsheet export.

Figures come from queries/dashboard.py (a fixed number of aggregate queries); each one
links to the petition list filtered to the petitions behind it, where the list has the
filter. Charts are SVG drawn on the server by pygal, with no script; the tables beside
them hold the same numbers.
"""

import re
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

import pygal  # type: ignore[import-untyped]  # pygal ships no type hints
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import escape
from django.utils.http import content_disposition_header
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from pygal.style import Style  # type: ignore[import-untyped]

from hdnd.councils.models import CouncilLevel
from hdnd.lib.xlsx import XLSX_CONTENT_TYPE
from hdnd.petitions import access
from hdnd.petitions.forms.dashboard import DashboardFilterForm
from hdnd.petitions.forms.petitions import PetitionFilterForm
from hdnd.petitions.models import CompetenceLevel, Petition, ResultCategory, Verdict
from hdnd.petitions.queries import dashboard as queries
from hdnd.petitions.queries.dashboard import (
    RESULT_NAMES,
    VERDICT_NAMES,
    BreakdownRow,
    DashboardFigures,
    DashboardFilters,
)
from hdnd.petitions.reports import statistics_xlsx

# The petition list's filters: a figure links to the list only when the list can show
# exactly its petitions.
LIST_FILTERS = frozenset(PetitionFilterForm.base_fields)

# Colours with enough contrast on white, in the order of the series.
CHART_STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#1f2933",
    foreground_strong="#1f2933",
    foreground_subtle="#52606d",
    font_family="system-ui, 'Segoe UI', Roboto, Arial, sans-serif",
    colors=("#2f6f3e", "#b7791f", "#b42318", "#1d4f91", "#6b4c9a", "#52606d"),
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=13,
    title_font_size=15,
    value_font_size=12,
)
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.DOTALL)


@dataclass(frozen=True)
class Row:
    """A breakdown row as the page shows it: the figures and where they lead."""

    label: str
    counts: queries.Counts
    url: str | None
    overdue_url: str | None


def dashboard(request: HttpRequest, council_id: int) -> HttpResponse:
    council = access.access_council_dashboard(user=request.user, council_id=council_id)
    form = DashboardFilterForm(request.GET or None, council=council)
    filters = _filters(form)
    figures = queries.dashboard_figures(council_id=council.pk, filters=filters)
    is_city = council.level == CouncilLevel.PROVINCE
    context = {
        "council": council,
        "form": form,
        "figures": figures,
        "summary": figures.summary,
        "links": _summary_links(council.pk, filters),
        "results": _result_lines(figures),
        "verdicts": _verdict_lines(figures),
        "by_agency": _rows(council.pk, filters, figures.by_agency, "agency"),
        "by_field": _rows(council.pk, filters, figures.by_field, "field"),
        "by_unit": _rows(council.pk, filters, figures.by_unit, "unit"),
        "is_city": is_city,
        "communes": figures.communes if is_city else [],
        "communes_total": figures.communes_total,
        "charts": _charts(figures),
        "export_query": request.GET.urlencode(),
        "is_manager": access.is_manager(request.user, council.pk),
        "is_reader": True,
    }
    return render(request, "petitions/dashboard/dashboard.html", context)


def dashboard_xlsx(request: HttpRequest, council_id: int) -> HttpResponse:
    council = access.access_council_dashboard(user=request.user, council_id=council_id)
    form = DashboardFilterForm(request.GET or None, council=council)
    filters = _filters(form)
    figures = queries.dashboard_figures(council_id=council.pk, filters=filters)
    content = statistics_xlsx.dashboard_workbook(
        council_name=council.name,
        filters_text=_filters_text(form),
        figures=figures,
        lines=queries.petition_lines(council_id=council.pk, filters=filters),
        with_communes=council.level == CouncilLevel.PROVINCE,
    )
    return _download(content, statistics_xlsx.dashboard_file_name(council.name))


def _filters(form: DashboardFilterForm) -> DashboardFilters:
    # Filters that do not validate (an agency of another council…) are dropped, and the
    # form shows why.
    if form.is_bound and form.is_valid():
        return DashboardFilters.from_cleaned(form.cleaned_data)
    return DashboardFilters()


def _filters_text(form: DashboardFilterForm) -> str:
    """The filters in force, in words, for the export's heading."""
    if not (form.is_bound and form.is_valid()):
        return ""
    levels = dict(CompetenceLevel.choices)
    parts = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value:
            shown = levels.get(value, value) if name == "level" else value
            parts.append(f"{field.label}: {shown}")
    return "; ".join(parts)


def _download(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    return response


def list_url(council_id: int, filters: DashboardFilters, **extra: Any) -> str | None:
    """The petition list narrowed like the dashboard and by `extra`; None when the list
    has no filter for one of them (a link must not show more than the figure counts)."""
    return _list_url(_list_base(council_id), filters, **extra)


def _list_base(council_id: int) -> str:
    # Reversed once per page: the page links to the list from a few hundred figures.
    return reverse("petitions:council", args=[council_id])


def _list_url(base: str, filters: DashboardFilters, **extra: Any) -> str | None:
    params: dict[str, Any] = {
        "cycle": filters.cycle_id,
        "field": filters.field_id,
        "agency": filters.agency_id,
        "unit": filters.unit_id,
        "level": filters.level,
        **extra,
    }
    given = {name: value for name, value in params.items() if value not in (None, "")}
    if any(name not in LIST_FILTERS for name in given):
        return None
    return f"{base}?{urlencode(given)}" if given else base


def _summary_links(council_id: int, filters: DashboardFilters) -> dict[str, str | None]:
    # `state`, `timing`, `questioning` and `carried_over` are the list filters these
    # figures need; until the list has them, the figures show without a link.
    base = _list_base(council_id)
    return {
        "petitions": _list_url(base, filters),
        "consolidating": _list_url(base, filters, status="consolidating"),
        "overdue": _list_url(base, filters, due="overdue"),
        "awaiting": _list_url(base, filters, state="awaiting"),
        "answered": _list_url(base, filters, state="answered"),
        "on_time": _list_url(base, filters, state="answered", timing="on_time"),
        "late": _list_url(base, filters, state="answered", timing="late"),
        "questioning": _list_url(base, filters, questioning="1"),
        "carried_over": _list_url(base, filters, carried_over="1"),
    }


@dataclass(frozen=True)
class Line:
    label: str
    count: int
    percent: float | None
    url: str | None


def _result_lines(figures: DashboardFigures) -> list[Line]:
    summary = figures.summary
    return [
        Line(
            label=str(label),
            count=int(getattr(summary, RESULT_NAMES[value])),
            percent=summary.result_percent(RESULT_NAMES[value]),
            url=list_url(figures.council_id, figures.filters, state="answered", result=value),
        )
        for value, label in ResultCategory.choices
    ]


def _verdict_lines(figures: DashboardFigures) -> list[Line]:
    summary = figures.summary
    return [
        Line(
            label=str(label),
            count=int(getattr(summary, VERDICT_NAMES[value])),
            percent=summary.verdict_percent(VERDICT_NAMES[value]),
            url=list_url(figures.council_id, figures.filters, verdict=value),
        )
        for value, label in Verdict.choices
    ]


def _rows(
    council_id: int, filters: DashboardFilters, rows: list[BreakdownRow], by: str
) -> list[Row]:
    base = _list_base(council_id)
    shown = []
    for row in rows:
        url = overdue_url = None
        if row.key is not None:
            narrowed = _narrowed(filters, by, row.key)
            url = _list_url(base, narrowed)
            overdue_url = _list_url(base, narrowed, due="overdue")
        shown.append(Row(label=row.label, counts=row.counts, url=url, overdue_url=overdue_url))
    return shown


def _narrowed(filters: DashboardFilters, by: str, key: int) -> DashboardFilters:
    """The filters narrowed to a row's agency, field or place."""
    if by == "agency":
        return replace(filters, agency_id=key)
    if by == "field":
        return replace(filters, field_id=key)
    return replace(filters, unit_id=key)


def _charts(figures: DashboardFigures) -> dict[str, SafeString]:
    charts: dict[str, SafeString] = {}
    summary = figures.summary
    if summary.answered:
        pie = pygal.Pie(
            _config(),
            inner_radius=0.5,
            height=380,
            legend_at_bottom=True,
            legend_at_bottom_columns=1,
            truncate_legend=-1,
            title=_("Answers by result"),
        )
        for line in _result_lines(figures):
            pie.add(line.label, line.count)
        if summary.no_result:
            pie.add(_("No result recorded"), summary.no_result)
        charts["results"] = _svg(pie, _("Answers by result"))
    for key, title, rows in (
        ("agencies", _("On time and late answers by lead agency"), figures.by_agency),
        ("fields", _("On time and late answers by field"), figures.by_field),
    ):
        shown = [row for row in rows if row.counts.answered or row.counts.overdue]
        if not shown:
            continue
        bar = pygal.HorizontalStackedBar(
            _config(),
            height=max(220, 90 + 28 * len(shown)),
            legend_at_bottom=True,
            title=title,
            truncate_label=40,
        )
        # Horizontal bars draw bottom-up: reverse so the first row is on top.
        ordered = list(reversed(shown))
        bar.x_labels = [row.label for row in ordered]
        bar.add(_("Answered on time"), [row.counts.on_time for row in ordered])
        bar.add(_("Answered late"), [row.counts.late for row in ordered])
        bar.add(_("Overdue, not answered"), [row.counts.overdue for row in ordered])
        charts[key] = _svg(bar, title)
    return charts


def _config() -> Any:
    config = pygal.Config()
    config.style = CHART_STYLE
    config.width = 720
    config.js = []  # no script: the page works without JavaScript
    config.disable_xml_declaration = True
    config.explicit_size = False
    config.print_values = False
    config.show_legend = True
    return config


def _svg(chart: Any, label: str) -> SafeString:
    """The chart as inline SVG: pygal's configuration script removed, and named for
    screen readers (the tables on the page carry the same numbers)."""
    svg = _SCRIPT.sub("", chart.render(is_unicode=True))
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
    # pygal escapes every text it draws (labels are written as XML text nodes).
    return mark_safe(svg)  # noqa: S308


def panel(request: HttpRequest, petition: Petition) -> dict[str, Any]:
    """Context for this topic's panel on the petition page (templates/petitions/panels/dashboard.html)."""
    return {}


urlpatterns = [
    path("<int:council_id>/dashboard/", dashboard, name="dashboard"),
    path("<int:council_id>/dashboard.xlsx", dashboard_xlsx, name="dashboard_xlsx"),
]
