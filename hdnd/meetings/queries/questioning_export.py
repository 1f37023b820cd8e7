"""The questioning summary of a meeting as files: a spreadsheet (.xlsx) and a report in
the state document format (.docx). Per topic, each question — follow-ups and debate
under the question they follow — with its asker, respondent, status, answer and times.

Both are Vietnamese whatever the reader's language, like the council's other reports
(see hdnd/lib/docx.py)."""

import datetime as dt

from django.utils import timezone

from hdnd.lib import docx as nd30
from hdnd.lib import xlsx
from hdnd.lib.vietnamese import slugify_vi
from hdnd.meetings.models import Meeting, Participant, Question
from hdnd.meetings.queries.questioning import TopicBlock, flat_rows, questioning_blocks

KIND_LABELS = {"question": "Chất vấn", "follow_up": "Tái chất vấn", "debate": "Tranh luận"}
STATUS_LABELS = {
    "registered": "Đã đăng ký",
    "asked": "Đang trả lời",
    "answered": "Đã trả lời",
    "withdrawn": "Đã rút",
}
NO_TOPIC = "Câu hỏi ngoài các nhóm vấn đề"
HEADERS = [
    "STT",
    "Nhóm vấn đề",
    "Loại",
    "Người chất vấn",
    "Người trả lời",
    "Nội dung chất vấn",
    "Đăng ký",
    "Trạng thái",
    "Bắt đầu",
    "Kết thúc",
    "Thời gian trả lời",
    "Nội dung trả lời",
    "Kiến nghị cử tri liên quan",
]


def file_name(meeting: Meeting, extension: str) -> str:
    stem = slugify_vi(f"tong hop chat van {meeting.title}") or "tong_hop_chat_van"
    return f"{stem[:120]}.{extension}"


def _time(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y")


def duration_text(seconds: int | None) -> str:
    """125 → "2 phút 05 giây"."""
    if seconds is None:
        return ""
    minutes, rest = divmod(seconds, 60)
    return f"{minutes} phút {rest:02d} giây" if minutes else f"{rest} giây"


def _topic_title(block: TopicBlock) -> str:
    return block.topic.title if block.topic is not None else NO_TOPIC


def _petitions(block: TopicBlock) -> str:
    """The voter petitions the topic takes up: "01-2026-0097 (title); …"."""
    if block.topic is None:
        return ""
    return "; ".join(f"{one.code} ({one.title})" for one in block.topic.petitions.all())


def _rows(blocks: list[TopicBlock]) -> list[list[object]]:
    """One row per question, numbered 1, 2 … with what follows numbered under it: 1.1,
    1.2, 1.1.1 …"""
    rows: list[list[object]] = []
    counters: list[int] = []
    for block, depth, question in flat_rows(blocks):
        del counters[depth + 1 :]
        while len(counters) <= depth:
            counters.append(0)
        counters[depth] += 1
        rows.append(
            [
                ".".join(str(one) for one in counters[: depth + 1]),
                _topic_title(block),
                KIND_LABELS.get(question.kind, question.kind),
                str(question.asker.person),
                _respondent(question),
                question.text,
                "Tại kỳ họp" if question.registered_live else "Trước kỳ họp",
                STATUS_LABELS.get(question.status, question.status),
                _time(question.asked_at),
                _time(question.answered_at),
                duration_text(question.answer_seconds),
                question.answer,
                _petitions(block) if depth == 0 else "",
            ]
        )
    return rows


def _respondent(question: Question) -> str:
    return _participant_label(question.respondent)


def _participant_label(participant: Participant) -> str:
    if participant.title:
        return f"{participant.person} ({participant.title})"
    return str(participant.person)


def questioning_xlsx(meeting: Meeting) -> bytes:
    workbook = xlsx.new_workbook()
    xlsx.add_sheet(
        workbook,
        "Chất vấn",
        headers=HEADERS,
        rows=_rows(questioning_blocks(meeting)),
        widths=[6, 30, 14, 24, 30, 60, 14, 14, 18, 18, 16, 60, 40],
        heading=f"Tổng hợp chất vấn và trả lời chất vấn — {meeting.title}",
    )
    return xlsx.workbook_bytes(workbook)


def questioning_docx(meeting: Meeting) -> bytes:
    council = meeting.council
    document = nd30.new_document()
    nd30.add_heading_block(
        document,
        parent_body=f"HĐND {council.unit.name}",
        issuing_body="THƯỜNG TRỰC",
        number="Số:        /BC-HĐND",
        place_date=nd30.place_and_date(council.unit.name, timezone.localdate()),
    )
    nd30.add_title(
        document, "Báo cáo", f"Tổng hợp hoạt động chất vấn và trả lời chất vấn tại {meeting.title}"
    )
    blocks = questioning_blocks(meeting)
    rows = flat_rows(blocks)
    asked = sum(1 for _block, depth, one in rows if depth == 0 and one.status != "withdrawn")
    answered = sum(1 for _block, _depth, one in rows if one.status == "answered")
    nd30.add_paragraph(
        document,
        f"Tại {meeting.title}, các đại biểu HĐND đã đăng ký {asked} câu hỏi chất vấn thuộc "
        f"{sum(1 for block in blocks if block.topic is not None)} nhóm vấn đề; "
        f"{answered} lượt chất vấn, tái chất vấn và tranh luận đã được trả lời.",
    )
    if not rows:
        nd30.add_paragraph(document, "Không có câu hỏi chất vấn nào.", italic=True)
    for number, block in enumerate(blocks, start=1):
        nd30.add_paragraph(document, f"{number}. {_topic_title(block)}", bold=True)
        if block.topic is not None:
            names = ", ".join(_participant_label(one) for one in block.topic.respondents.all())
            if names:
                nd30.add_paragraph(document, f"Người trả lời: {names}.", italic=True)
            petitions = _petitions(block)
            if petitions:
                nd30.add_paragraph(
                    document, f"Kiến nghị cử tri liên quan: {petitions}.", italic=True
                )
        if not block.questions:
            nd30.add_paragraph(document, "Chưa có câu hỏi.", italic=True)
            continue
        table_rows = [
            [row[0], row[2], row[3], row[4], row[5], row[7], row[10], row[11]]
            for row in _rows([block])
        ]
        nd30.add_table(
            document,
            headers=[
                "STT",
                "Loại",
                "Người chất vấn",
                "Người trả lời",
                "Nội dung",
                "Trạng thái",
                "Thời gian",
                "Trả lời",
            ],
            rows=table_rows,
            widths_mm=[10, 18, 22, 24, 38, 16, 16, 21],
            font_size=10,
        )
    nd30.add_closing(
        document,
        recipients=[f"Thường trực HĐND {council.unit.name}", "Các đại biểu HĐND", "Lưu: VT"],
        authority=f"TM. THƯỜNG TRỰC HĐND {council.unit.name}",
        position="Chủ tịch",
    )
    return nd30.document_bytes(document)
