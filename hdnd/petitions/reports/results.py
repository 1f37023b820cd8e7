"""Báo cáo kết quả giải quyết, trả lời kiến nghị của cử tri: how the petitions of a session
cycle were answered, by field and by agency."""

from collections.abc import Sequence

from hdnd.lib import docx as nd30
from hdnd.petitions.queries.dashboard import BreakdownRow, Counts, sum_counts
from hdnd.petitions.queries.reports import ReportIssuer, ResultsReport
from hdnd.petitions.reports.common import (
    RESULT_LABELS,
    VERDICT_LABELS,
    add_closing,
    date_text,
    file_name,
    new_report,
    number,
    percent_text,
)

# The columns of the tables by field and by agency, after the row's number and name.
TABLE_COLUMNS = [
    ("Tiếp nhận", "petitions"),
    ("Đã trả lời", "answered"),
    ("Đúng hạn", "on_time"),
    ("Đã giải quyết xong", "resolved"),
    ("Đang giải quyết", "in_progress"),
    ("Sẽ giải quyết", "will_resolve"),
    ("Giải trình, cung cấp thông tin", "explained"),
    ("Chưa thỏa đáng", "not_satisfactory"),
]
TOTAL_LABEL = "Tổng số"
NO_FIELD = "Chưa xác định lĩnh vực"
NO_AGENCY = "Chưa xác định cơ quan chủ trì"
# TT, name, then the eight numbers: 165 mm of text width.
_WIDTHS = [9.0, 40.0, *([14.5] * 8)]


def results_file_name(report: ResultsReport) -> str:
    return file_name("bao cao ket qua giai quyet kien nghi", report.cycle.name, extension="docx")


def table_rows(rows: Sequence[BreakdownRow], *, none_label: str) -> list[list[object]]:
    """The rows of a table by field or agency, numbered, with the total row last.
    `none_label` names the row of the petitions with no field or agency recorded."""
    lines: list[list[object]] = []
    for index, row in enumerate(rows, start=1):
        label = none_label if row.key is None else row.label
        lines.append([index, label, *_figures(row.counts)])
    total = sum_counts([row.counts for row in rows])
    lines.append([None, TOTAL_LABEL, *_figures(total)])
    return lines


def _figures(counts: Counts) -> list[int]:
    return [int(getattr(counts, name)) for _label, name in TABLE_COLUMNS]


def results_docx(report: ResultsReport, issuer: ReportIssuer) -> bytes:
    cycle = report.cycle
    totals = report.totals
    document = new_report(
        issuer,
        kind="Báo cáo",
        summary=f"Kết quả giải quyết, trả lời kiến nghị của cử tri gửi tới {cycle.name}",
    )
    nd30.add_paragraph(
        document,
        f"Thường trực HĐND {issuer.unit_name} báo cáo kết quả giải quyết, trả lời kiến nghị "
        f"của cử tri gửi tới {cycle.name} ({cycle.term.name}), số liệu tính đến ngày "
        f"{date_text(report.today)}, như sau:",
    )

    nd30.add_paragraph(document, "I. TÌNH HÌNH CHUNG", bold=True)
    general = [
        f"Tổng số kiến nghị: {number(totals.petitions)} (của {number(totals.voters)} lượt cử "
        f"tri, tổng hợp từ {number(totals.items)} ý kiến)",
        f"Số kiến nghị đã chuyển cơ quan có thẩm quyền giải quyết: {number(totals.sent)}",
        f"Số kiến nghị đã được trả lời: {number(totals.answered)} "
        f"({percent_text(totals.answered_percent)} số kiến nghị đã chuyển)",
        f"Trả lời đúng hạn: {number(totals.on_time)} "
        f"({percent_text(totals.on_time_percent)} số kiến nghị đã trả lời); trả lời quá "
        f"hạn: {number(totals.late)}",
        f"Số kiến nghị đang chờ trả lời: {number(totals.awaiting)}, trong đó đã quá hạn: "
        f"{number(totals.overdue)}",
        f"Số kiến nghị từ kỳ họp trước chuyển sang: {number(totals.carried_over)}",
    ]
    for index, line in enumerate(general):
        nd30.add_paragraph(document, f"- {line}" + ("." if index == len(general) - 1 else ";"))

    nd30.add_paragraph(document, "II. KẾT QUẢ GIẢI QUYẾT", bold=True)
    nd30.add_paragraph(document, f"Trong {number(totals.answered)} kiến nghị đã được trả lời:")
    for name, label in RESULT_LABELS.items():
        count = int(getattr(totals, name))
        nd30.add_paragraph(
            document,
            f"- {label}: {number(count)} kiến nghị ({percent_text(totals.result_percent(name))});",
        )
    nd30.add_paragraph(
        document, f"- Chưa xác định kết quả: {number(max(0, totals.no_result))} kiến nghị."
    )

    nd30.add_paragraph(document, "III. KẾT QUẢ ĐÁNH GIÁ VIỆC TRẢ LỜI", bold=True)
    nd30.add_paragraph(
        document,
        f"Các Ban của HĐND đã đánh giá {number(totals.rated)} nội dung trả lời, trong đó:",
    )
    for name, label in VERDICT_LABELS.items():
        count = int(getattr(totals, name))
        nd30.add_paragraph(
            document,
            f"- {label}: {number(count)} ({percent_text(totals.verdict_percent(name))});",
        )
    nd30.add_paragraph(document, f"- Đã trả lời, chưa đánh giá: {number(totals.unrated)}.")

    headers_by = ["TT", "Lĩnh vực", *(label for label, _name in TABLE_COLUMNS)]
    nd30.add_paragraph(document, "IV. KẾT QUẢ THEO LĨNH VỰC", bold=True)
    nd30.add_table(
        document,
        headers=headers_by,
        rows=table_rows(report.by_field, none_label=NO_FIELD),
        widths_mm=_WIDTHS,
        font_size=11,
        bold_last_row=True,
    )
    nd30.add_paragraph(document, "V. KẾT QUẢ THEO CƠ QUAN CHỦ TRÌ", bold=True)
    nd30.add_table(
        document,
        headers=["TT", "Cơ quan chủ trì", *(label for label, _name in TABLE_COLUMNS)],
        rows=table_rows(report.by_agency, none_label=NO_AGENCY),
        widths_mm=_WIDTHS,
        font_size=11,
        bold_last_row=True,
    )

    nd30.add_paragraph(document, "VI. KIẾN NGHỊ QUÁ HẠN TRẢ LỜI", bold=True)
    if report.overdue:
        nd30.add_table(
            document,
            headers=[
                "TT",
                "Mã",
                "Nội dung kiến nghị",
                "Cơ quan chủ trì",
                "Hạn trả lời",
                "Số ngày quá hạn",
            ],
            rows=[
                [
                    index,
                    line.code,
                    line.title,
                    line.agency,
                    date_text(line.due_on),
                    line.days_overdue,
                ]
                for index, line in enumerate(report.overdue, start=1)
            ],
            widths_mm=[9, 26, 55, 34, 23, 18],
            font_size=11,
        )
    else:
        nd30.add_paragraph(document, "Không có kiến nghị quá hạn trả lời.")

    nd30.add_paragraph(document, "VII. VẤN ĐỀ ĐỀ XUẤT CHẤT VẤN", bold=True)
    if report.questioning:
        nd30.add_table(
            document,
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
            widths_mm=[9, 28, 50, 25, 30, 23],
            font_size=11,
        )
    else:
        nd30.add_paragraph(document, "Không có vấn đề đề xuất chất vấn.")

    nd30.add_paragraph(
        document,
        f"Trên đây là báo cáo kết quả giải quyết, trả lời kiến nghị của cử tri gửi tới "
        f"{cycle.name}. Thường trực HĐND {issuer.unit_name} đề nghị các cơ quan tiếp tục "
        f"giải quyết dứt điểm các kiến nghị chưa được giải quyết và trả lời cử tri theo quy "
        f"định./.",
    )
    add_closing(document, issuer)
    return nd30.document_bytes(document)
