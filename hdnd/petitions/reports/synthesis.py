"""Báo cáo tổng hợp ý kiến, kiến nghị của cử tri: what voters raised in a session cycle."""

from hdnd.lib import docx as nd30
from hdnd.petitions.queries.reports import ReportIssuer, SynthesisReport
from hdnd.petitions.reports.common import (
    CHANNEL_LABELS,
    add_closing,
    file_name,
    level_labels,
    new_report,
    number,
)


def synthesis_file_name(report: SynthesisReport) -> str:
    return file_name("bao cao tong hop kien nghi cu tri", report.cycle.name, extension="docx")


def synthesis_docx(report: SynthesisReport, issuer: ReportIssuer) -> bytes:
    cycle = report.cycle
    document = new_report(
        issuer,
        kind="Báo cáo",
        summary=f"Tổng hợp ý kiến, kiến nghị của cử tri gửi tới {cycle.name}",
    )

    nd30.add_paragraph(
        document,
        f"Thực hiện quy định về tiếp xúc cử tri của đại biểu Hội đồng nhân dân, trong đợt "
        f"tiếp xúc cử tri {cycle.name} ({cycle.term.name}), các đại biểu HĐND "
        f"{issuer.unit_name} đã tham dự {number(report.meetings_held)} hội nghị tiếp xúc cử "
        f"tri với {number(report.voters_attending)} lượt cử tri tham dự.",
    )
    channels = "; ".join(
        f"{CHANNEL_LABELS.get(channel.channel, channel.channel)}: {number(channel.received)}"
        for channel in report.channels
    )
    nd30.add_paragraph(
        document,
        f"Thường trực HĐND đã tiếp nhận tổng số {number(report.items_received)} ý kiến, "
        f"kiến nghị của cử tri" + (f" ({channels})." if channels else "."),
    )
    if report.items_redirected:
        nd30.add_paragraph(
            document,
            f"Trong đó có {number(report.items_redirected)} ý kiến là khiếu nại, tố cáo hoặc "
            f"phản ánh hiện trường, đã được chuyển đến cơ quan có thẩm quyền xử lý theo quy "
            f"định.",
        )
    nd30.add_paragraph(
        document,
        f"Sau khi tổng hợp, phân loại, Thường trực HĐND tổng hợp thành "
        f"{number(report.petitions)} kiến nghị của {number(report.voters)} lượt cử tri, cụ "
        f"thể như sau:",
    )

    nd30.add_paragraph(
        document, "I. Ý KIẾN, KIẾN NGHỊ CỦA CỬ TRI THEO LĨNH VỰC", bold=True, indent=True
    )
    if not report.sections:
        nd30.add_paragraph(document, "Không có kiến nghị nào trong kỳ.", italic=True)
    for section_number, section in enumerate(report.sections, start=1):
        name = _field_heading(section.name)
        nd30.add_paragraph(
            document,
            f"{section_number}. {name} ({number(len(section.items))} kiến nghị)",
            bold=True,
        )
        for item_number, item in enumerate(section.items, start=1):
            text = item.text.strip()
            nd30.add_paragraph(
                document,
                f"{item_number}. {item.title}: {text} ({number(item.voter_count)} cử tri, "
                f"{number(item.meeting_count)} hội nghị)",
            )

    nd30.add_paragraph(document, "II. PHÂN LOẠI THEO THẨM QUYỀN GIẢI QUYẾT", bold=True)
    labels = level_labels(issuer)
    lines = [
        f"- Thuộc thẩm quyền của {labels[level]}: {number(report.levels.get(level, 0))} kiến nghị"
        for level in ("central", "city", "commune")
    ]
    if report.unclassified:
        lines.append(f"- Chưa xác định thẩm quyền: {number(report.unclassified)} kiến nghị")
    for index, line in enumerate(lines):
        nd30.add_paragraph(document, line + ("." if index == len(lines) - 1 else ";"))

    nd30.add_paragraph(
        document,
        f"Trên đây là báo cáo tổng hợp ý kiến, kiến nghị của cử tri gửi tới {cycle.name}. "
        f"Thường trực HĐND {issuer.unit_name} đề nghị các cơ quan có thẩm quyền xem xét, giải "
        f"quyết và trả lời cử tri theo quy định./.",
    )
    add_closing(document, issuer)
    return nd30.document_bytes(document)


def _field_heading(name: str) -> str:
    """ "Giao thông" → "Lĩnh vực giao thông"; a name that says it already stays."""
    if not name:
        return "Các lĩnh vực khác"
    if name.lower().startswith("lĩnh vực"):
        return name
    return f"Lĩnh vực {name[0].lower()}{name[1:]}"
