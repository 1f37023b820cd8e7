"""Spreadsheets of the supervision figures.

- `dashboard_workbook`: the dashboard as the reader filtered it (sheets Summary, By
  agency, By field, By commune, for a city its commune councils, and the petitions behind
  the figures), in the reader's language;
- `statistics_workbook`: the statistics of a session cycle, the same numbers as the
  results report (queries/reports.py), in Vietnamese like the report.

No voter's personal data is written: petitions carry none, and voter items are not listed.
"""

from collections.abc import Iterable, Sequence

from django.utils.translation import gettext as _

from hdnd.lib import xlsx
from hdnd.petitions.models import CompetenceLevel, PetitionStatus, ResultCategory, Verdict
from hdnd.petitions.queries.dashboard import (
    LEVEL_NAMES,
    RESULT_NAMES,
    VERDICT_NAMES,
    BreakdownRow,
    Counts,
    DashboardFigures,
    PetitionLine,
)
from hdnd.petitions.queries.reports import ReportIssuer, ResultsReport
from hdnd.petitions.reports.common import (
    RESULT_LABELS,
    VERDICT_LABELS,
    date_text,
    file_name,
)
from hdnd.petitions.reports.results import NO_AGENCY, NO_FIELD, TABLE_COLUMNS, table_rows


def dashboard_file_name(council_name: str) -> str:
    return file_name("thong ke kien nghi cu tri", council_name, extension="xlsx")


def statistics_file_name(report: ResultsReport) -> str:
    return file_name("thong ke ket qua giai quyet kien nghi", report.cycle.name, extension="xlsx")


def _breakdown_headers(first: str) -> list[str]:
    return [
        first,
        _("Petitions"),
        _("Voter items"),
        _("Voters"),
        _("Answered"),
        _("On time"),
        _("Late"),
        _("On time (%)"),
        _("Awaiting answer"),
        _("Overdue"),
        _("Resolved"),
        _("Being resolved"),
        _("Will be resolved"),
        _("Explained"),
        _("Satisfactory"),
        _("Not satisfactory"),
        _("Questioning topics"),
        _("Carried over"),
    ]


def _breakdown_values(label: str, counts: Counts) -> list[object]:
    return [
        label,
        counts.petitions,
        counts.items,
        counts.voters,
        counts.answered,
        counts.on_time,
        counts.late,
        counts.on_time_percent,
        counts.awaiting,
        counts.overdue,
        counts.resolved,
        counts.in_progress,
        counts.will_resolve,
        counts.explained,
        counts.satisfactory,
        counts.not_satisfactory,
        counts.questioning,
        counts.carried_over,
    ]


def _breakdown_rows(rows: Sequence[BreakdownRow], total: Counts) -> list[list[object]]:
    lines = [_breakdown_values(row.label, row.counts) for row in rows]
    lines.append(_breakdown_values(_("Total"), total))
    return lines


def summary_lines(counts: Counts) -> list[tuple[str, object]]:
    """The dashboard's totals, one per line, in the reader's language."""
    return [
        (_("Petitions received (consolidated)"), counts.petitions),
        (_("Voter items consolidated"), counts.items),
        (_("Voters"), counts.voters),
        (_("Being consolidated"), counts.consolidating),
        (_("Sent to agencies"), counts.sent),
        (_("Answered"), counts.answered),
        (_("Answered on time"), counts.on_time),
        (_("Answered late"), counts.late),
        (_("% answered on time"), counts.on_time_percent),
        (_("Awaiting answer"), counts.awaiting),
        (_("Overdue"), counts.overdue),
        *(
            (str(label), getattr(counts, RESULT_NAMES[value]))
            for value, label in ResultCategory.choices
        ),
        *((str(label), getattr(counts, VERDICT_NAMES[value])) for value, label in Verdict.choices),
        (_("Answered, not yet evaluated"), counts.unrated),
        (_("Questioning topics"), counts.questioning),
        (_("Carried over from an earlier session"), counts.carried_over),
        *(
            (str(label), getattr(counts, LEVEL_NAMES[value]))
            for value, label in CompetenceLevel.choices
        ),
    ]


def dashboard_workbook(
    *,
    council_name: str,
    filters_text: str,
    figures: DashboardFigures,
    lines: Iterable[PetitionLine],
    with_communes: bool,
) -> bytes:
    workbook = xlsx.new_workbook()
    heading = f"{council_name} — {filters_text}" if filters_text else council_name
    xlsx.add_sheet(
        workbook,
        _("Summary"),
        headers=[_("Figure"), _("Value")],
        rows=summary_lines(figures.summary),
        widths=[52, 14],
        heading=heading,
    )
    breakdowns = [
        (_("By agency"), _("Lead agency"), figures.by_agency),
        (_("By field"), _("Field"), figures.by_field),
        (_("By commune"), _("Commune or ward"), figures.by_unit),
    ]
    for title, first, rows in breakdowns:
        xlsx.add_sheet(
            workbook,
            title,
            headers=_breakdown_headers(first),
            rows=_breakdown_rows(rows, figures.summary),
            widths=[44, *([12] * 17)],
            heading=heading,
        )
    if with_communes:
        xlsx.add_sheet(
            workbook,
            _("Commune councils"),
            headers=_breakdown_headers(_("Commune council")),
            rows=_breakdown_rows(figures.communes, figures.communes_total),
            widths=[44, *([12] * 17)],
            heading=_("All session cycles of each commune council"),
        )

    levels = {value: str(label) for value, label in CompetenceLevel.choices}
    statuses = {value: str(label) for value, label in PetitionStatus.choices}
    results = {value: str(label) for value, label in ResultCategory.choices}
    verdicts = {value: str(label) for value, label in Verdict.choices}
    yes, no = _("Yes"), _("No")
    xlsx.add_sheet(
        workbook,
        _("Petitions"),
        headers=[
            _("Code"),
            _("Title"),
            _("Field"),
            _("Competence level"),
            _("Lead agency"),
            _("Session cycle"),
            _("Answer due on"),
            _("Answered on"),
            _("On time"),
            _("Result"),
            _("Evaluation"),
            _("Status"),
            _("Voter items"),
            _("Voters"),
        ],
        rows=(
            [
                line.code,
                line.title,
                line.field,
                levels.get(line.level, line.level),
                line.agency,
                line.cycle,
                line.due_on,
                line.answered_on,
                "" if line.answered_on_time is None else (yes if line.answered_on_time else no),
                results.get(line.result, line.result),
                verdicts.get(line.verdict, line.verdict),
                statuses.get(line.status, line.status),
                line.item_count,
                line.voter_count,
            ]
            for line in lines
        ),
        widths=[16, 60, 24, 16, 32, 22, 12, 12, 9, 24, 24, 24, 10, 10],
    )
    return xlsx.workbook_bytes(workbook)


def statistics_workbook(report: ResultsReport, issuer: ReportIssuer) -> bytes:
    """The statistics of a session cycle: the results report's numbers, sheet by sheet."""
    totals = report.totals
    heading = (
        f"Thống kê kết quả giải quyết, trả lời kiến nghị của cử tri gửi tới "
        f"{report.cycle.name} — HĐND {issuer.unit_name} (số liệu đến ngày "
        f"{date_text(report.today)})"
    )
    workbook = xlsx.new_workbook()
    summary: list[list[object]] = [
        ["Tổng số kiến nghị", totals.petitions, None],
        ["Số ý kiến của cử tri đã tổng hợp", totals.items, None],
        ["Số lượt cử tri", totals.voters, None],
        ["Đã chuyển cơ quan có thẩm quyền", totals.sent, None],
        ["Đã trả lời", totals.answered, totals.answered_percent],
        ["Trả lời đúng hạn", totals.on_time, totals.on_time_percent],
        ["Trả lời quá hạn", totals.late, None],
        ["Đang chờ trả lời", totals.awaiting, None],
        ["Quá hạn chưa trả lời", totals.overdue, None],
        *(
            [label, getattr(totals, name), totals.result_percent(name)]
            for name, label in RESULT_LABELS.items()
        ),
        *(
            [f"Đánh giá: {label}", getattr(totals, name), totals.verdict_percent(name)]
            for name, label in VERDICT_LABELS.items()
        ),
        ["Đã trả lời, chưa đánh giá", totals.unrated, None],
        ["Vấn đề đề xuất chất vấn", totals.questioning, None],
        ["Kiến nghị từ kỳ họp trước chuyển sang", totals.carried_over, None],
    ]
    xlsx.add_sheet(
        workbook,
        "Tổng hợp",
        headers=["Chỉ tiêu", "Số lượng", "Tỷ lệ (%)"],
        rows=summary,
        widths=[48, 12, 12],
        heading=heading,
    )
    numbers = [label for label, _name in TABLE_COLUMNS]
    xlsx.add_sheet(
        workbook,
        "Theo lĩnh vực",
        headers=["TT", "Lĩnh vực", *numbers],
        rows=table_rows(report.by_field, none_label=NO_FIELD),
        widths=[6, 40, *([14] * len(numbers))],
        heading=heading,
    )
    xlsx.add_sheet(
        workbook,
        "Theo cơ quan",
        headers=["TT", "Cơ quan chủ trì", *numbers],
        rows=table_rows(report.by_agency, none_label=NO_AGENCY),
        widths=[6, 40, *([14] * len(numbers))],
        heading=heading,
    )
    xlsx.add_sheet(
        workbook,
        "Quá hạn",
        headers=[
            "TT",
            "Mã",
            "Nội dung kiến nghị",
            "Cơ quan chủ trì",
            "Hạn trả lời",
            "Số ngày quá hạn",
        ],
        rows=[
            [index, line.code, line.title, line.agency, line.due_on, line.days_overdue]
            for index, line in enumerate(report.overdue, start=1)
        ],
        widths=[6, 16, 60, 36, 14, 14],
        heading=heading,
    )
    xlsx.add_sheet(
        workbook,
        "Chất vấn",
        headers=["TT", "Mã", "Nội dung kiến nghị", "Lĩnh vực", "Cơ quan chủ trì", "Đánh giá"],
        rows=[
            [
                index,
                line.code,
                line.title,
                line.field,
                line.agency,
                VERDICT_LABELS.get(line.verdict, ""),
            ]
            for index, line in enumerate(report.questioning, start=1)
        ],
        widths=[6, 16, 60, 24, 36, 24],
        heading=heading,
    )
    return xlsx.workbook_bytes(workbook)
