"""The draft minutes (dự thảo biên bản) of a meeting as .docx in the state document
layout (Nghị định 30/2020): attendance per sitting, the agenda, speakers, questions,
every poll's counts and result, the resolutions. A state document, so its text is
Vietnamese whatever the reader's language (see hdnd/lib/docx.py)."""

from django.utils import timezone

from hdnd.lib import docx as nd30
from hdnd.lib.vietnamese import slugify_vi
from hdnd.meetings.queries.minutes import CHOICE_LABELS_VI, Minutes, PollLine

KIND_TITLES = {
    "regular": "kỳ họp thường lệ",
    "thematic": "kỳ họp chuyên đề",
    "extraordinary": "kỳ họp giải quyết công việc phát sinh đột xuất",
    "standing_committee": "phiên họp Thường trực",
    "committee": "cuộc họp",
    "conference": "hội nghị",
}


def number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def percent_text(value: float | None) -> str:
    if value is None:
        return "-"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{text.replace('.', ',')}%"


def duration_text(seconds: int | None) -> str:
    if seconds is None:
        return "-"
    minutes, rest = divmod(seconds, 60)
    return f"{minutes} phút {rest:02d} giây"


def minutes_file_name(minutes: Minutes) -> str:
    return f"{slugify_vi('bien ban ' + minutes.meeting.title)}.docx"


def _poll_outcome(line: PollLine) -> str:
    poll = line.poll
    if poll.kind == "motion":
        return "Thông qua" if poll.passed else "Không thông qua"
    if poll.kind == "election":
        return "Có người trúng cử" if poll.passed else "Không có người trúng cử"
    return "Đã lấy phiếu"


def minutes_docx(minutes: Minutes) -> bytes:
    meeting = minutes.meeting
    council = meeting.council
    document = nd30.new_document()
    nd30.add_heading_block(
        document,
        parent_body="",
        issuing_body=council.name,
        number="Số:        /BB-HĐND",
        place_date=nd30.place_and_date(
            council.unit.name.removeprefix("Thành phố ").removeprefix("Tỉnh "), meeting.ends_on
        ),
    )
    nd30.add_title(document, "Biên bản", meeting.title)

    first, last = meeting.starts_on, meeting.ends_on
    days = (
        f"ngày {first:%d/%m/%Y}"
        if first == last
        else f"từ ngày {first:%d/%m/%Y} đến ngày {last:%d/%m/%Y}"
    )
    nd30.add_paragraph(
        document,
        f"Thời gian: {days}. Địa điểm: {meeting.venue or '…'}. Hình thức: "
        f"{KIND_TITLES.get(meeting.kind, '')}"
        + (", họp kín." if meeting.is_closed else ", họp công khai."),
    )
    nd30.add_paragraph(
        document,
        "Chủ tọa: "
        + (", ".join(minutes.chairs) or "…")
        + ". Thư ký: "
        + (", ".join(minutes.secretaries) or "…")
        + ".",
    )

    nd30.add_paragraph(document, "I. THÀNH PHẦN THAM DỰ", bold=True)
    nd30.add_paragraph(
        document,
        f"Tổng số đại biểu Hội đồng nhân dân: {number(minutes.total_members)} đại biểu.",
    )
    if minutes.sittings:
        rows: list[list[object]] = [
            [
                str(line.sitting),
                line.present,
                len(line.excused),
                len(line.absent),
                percent_text(100.0 * line.present / line.total if line.total else None),
            ]
            for line in minutes.sittings
        ]
        nd30.add_table(
            document,
            headers=["Phiên họp", "Có mặt", "Vắng có lý do", "Vắng", "Tỷ lệ có mặt"],
            rows=rows,
            widths_mm=[55, 25, 30, 25, 30],
        )
        for line in minutes.sittings:
            if line.excused:
                nd30.add_paragraph(
                    document,
                    f"{line.sitting} — vắng có lý do: "
                    + "; ".join(
                        f"{name} ({reason})" if reason else name for name, reason in line.excused
                    )
                    + ".",
                )
            if line.absent:
                nd30.add_paragraph(
                    document, f"{line.sitting} — vắng: " + "; ".join(line.absent) + "."
                )

    nd30.add_paragraph(document, "II. CHƯƠNG TRÌNH VÀ DIỄN BIẾN", bold=True)
    if not minutes.items:
        nd30.add_paragraph(document, "Chưa có chương trình.")
    for item_line in minutes.items:
        title = f"{item_line.number}. {item_line.item.title}"
        if item_line.presenter:
            title += f" (trình bày: {item_line.presenter})"
        nd30.add_paragraph(document, title, bold=True)
        for speech in item_line.speeches:
            nd30.add_paragraph(
                document,
                f"- Đại biểu {speech.name} ({speech.kind.lower()}), thời gian: "
                f"{duration_text(speech.seconds)}.",
            )
        for question in item_line.questions:
            nd30.add_paragraph(
                document,
                f"- {question.kind}: {question.asker} hỏi {question.respondent}: "
                f"{question.text} ({question.status.lower()}).",
            )
        for poll_line in item_line.polls:
            nd30.add_paragraph(document, _poll_sentence(poll_line))
    if minutes.unplaced_questions:
        nd30.add_paragraph(document, "Chất vấn và trả lời chất vấn", bold=True)
        for question in minutes.unplaced_questions:
            nd30.add_paragraph(
                document,
                f"- {question.kind}: {question.asker} hỏi {question.respondent}: "
                f"{question.text} ({question.status.lower()}).",
            )

    nd30.add_paragraph(document, "III. KẾT QUẢ BIỂU QUYẾT", bold=True)
    if not minutes.polls:
        nd30.add_paragraph(document, "Không có nội dung biểu quyết.")
    else:
        poll_rows: list[list[object]] = []
        for index, poll_line in enumerate(minutes.polls, start=1):
            for subject in poll_line.subjects:
                counts = "; ".join(
                    f"{CHOICE_LABELS_VI.get(choice, choice)}: {value} "
                    f"({percent_text(poll_line.percent_of_all(value))})"
                    for choice, value in subject.counts.items()
                )
                label = (
                    poll_line.poll.title
                    if len(poll_line.subjects) == 1
                    else (f"{poll_line.poll.title} — {subject.label}")
                )
                poll_rows.append([index, label, counts, _poll_outcome(poll_line)])
        nd30.add_table(
            document,
            headers=["TT", "Nội dung", "Kết quả (tỷ lệ trên tổng số đại biểu)", "Kết luận"],
            rows=poll_rows,
            widths_mm=[10, 60, 70, 25],
            font_size=11,
        )

    nd30.add_paragraph(document, "IV. NGHỊ QUYẾT ĐƯỢC THÔNG QUA", bold=True)
    if not minutes.resolutions:
        nd30.add_paragraph(document, "Chưa ghi nhận nghị quyết.")
    for resolution in minutes.resolutions:
        nd30.add_paragraph(
            document,
            f"- Nghị quyết số {resolution.number} ngày {resolution.adopted_on:%d/%m/%Y} "
            f"{resolution.title}.",
        )

    nd30.add_paragraph(
        document,
        f"Biên bản được lập lúc {timezone.localtime():%H giờ %M} ngày "
        f"{timezone.localdate():%d/%m/%Y} (dự thảo do hệ thống lập từ dữ liệu phiên họp).",
        italic=True,
    )
    nd30.add_signatures(
        document,
        left=("THƯ KÝ", ", ".join(minutes.secretaries)),
        right=("CHỦ TỌA", ", ".join(minutes.chairs)),
    )
    return nd30.document_bytes(document)


def _poll_sentence(line: PollLine) -> str:
    poll = line.poll
    parts = []
    for subject in line.subjects:
        counts = ", ".join(
            f"{CHOICE_LABELS_VI.get(choice, choice).lower()} {value} đại biểu "
            f"({percent_text(line.percent_of_all(value))})"
            for choice, value in subject.counts.items()
        )
        parts.append(counts if len(line.subjects) == 1 else f"{subject.label}: {counts}")
    form = "bỏ phiếu kín" if poll.is_secret else "biểu quyết công khai"
    return (
        f"- Biểu quyết ({form}) “{poll.title}”: "
        + "; ".join(parts)
        + f" trên tổng số {number(poll.total_members or 0)} đại biểu; cần {line.required} "
        f"phiếu tán thành. Kết quả: {_poll_outcome(line).lower()}."
    )
