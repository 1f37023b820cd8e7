"""Import files for the tests, generated at run time: a workbook shaped like the ones
offices really keep (a merged title above the header, headers typed without diacritics,
Excel date cells next to dates typed as text, stray spaces, empty formatted rows at the
end) and CSV files as Excel writes them."""

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from openpyxl.styles import Font

NBSP = "\u00a0"


def excel_day(year: int, month: int, day: int) -> dt.datetime:
    """A date cell as Excel stores it: a day at midnight, with no time zone."""
    return dt.datetime.combine(dt.date(year, month, day), dt.time())


# The header row of the messy workbook: some headers without diacritics, some in capitals,
# one with a note, and two columns the import does not use.
MESSY_HEADER = [
    "STT",
    "Ma",
    "Ngay tiep nhan",
    "Kỳ họp",
    "NỘI DUNG KIẾN NGHỊ",
    "Linh vuc",
    "Cap tham quyen",
    "Địa bàn",
    "Số cử tri (người)",
    "Cơ quan chủ trì",
    "Hạn trả lời",
    "Ngày trả lời",
    "Kết quả",
    "Nội dung trả lời",
    "Đánh giá",
    "Nhận xét đánh giá",
    "Ghi chú",
]

# (row in the sheet, values by header). The header is on row 3.
MESSY_ROWS: list[tuple[int, dict[str, Any]]] = [
    (
        4,
        {
            "STT": 1,
            "Ma": "HN-2026-001",
            "Ngay tiep nhan": excel_day(2026, 6, 20),
            "Kỳ họp": 3,
            "NỘI DUNG KIẾN NGHỊ": f"  Đề nghị{NBSP}sửa chữa mặt đường  ngõ 12 phố Hàng Bông,\nthường xuyên ngập úng khi mưa ",
            "Linh vuc": "giao thong",
            "Cap tham quyen": "Thành phố",
            "Địa bàn": "Hoàn Kiếm",
            "Số cử tri (người)": 12.0,
            "Cơ quan chủ trì": "SO XAY DUNG",
            "Hạn trả lời": "20/08/2026",
        },
    ),
    (
        5,
        {
            "STT": 2,
            "Ma": 1002.0,
            "Ngay tiep nhan": "18/06/2026",
            "Kỳ họp": "Kỳ họp thứ ba",
            "NỘI DUNG KIẾN NGHỊ": "Đề nghị lắp đèn chiếu sáng đường ven hồ",
            "Linh vuc": "Điện, nước sạch",
            "Cap tham quyen": "thanh pho",
            "Địa bàn": "00070",
            "Cơ quan chủ trì": "Sở Xây dựng",
            "Hạn trả lời": excel_day(2026, 8, 15),
            "Ngày trả lời": "2026-08-10",
            "Kết quả": "Đã giải quyết xong",
            "Nội dung trả lời": "Sở đã lắp 20 cột đèn.\nHoàn thành tháng 8/2026.",
            "Đánh giá": "Thỏa đáng",
        },
    ),
    (
        6,
        {
            "Ma": "HN-2026-003",
            "Ngay tiep nhan": "19/06/2026",
            "NỘI DUNG KIẾN NGHỊ": "Đề nghị xây trạm phóng tên lửa",
            "Linh vuc": "Vũ trụ",
        },
    ),
    (
        7,
        {
            "Ma": "HN-2026-004",
            "Ngay tiep nhan": "31/02/2026",
            "NỘI DUNG KIẾN NGHỊ": "Đề nghị nạo vét mương thoát nước",
        },
    ),
    (8, {"Ma": "HN-2026-005", "Ngay tiep nhan": "19/06/2026", "NỘI DUNG KIẾN NGHỊ": f" {NBSP} "}),
    (
        9,
        {
            "Ma": "HN-2026-001",
            "Ngay tiep nhan": "19/06/2026",
            "NỘI DUNG KIẾN NGHỊ": "Kiến nghị trùng mã với dòng 4",
        },
    ),
    (
        10,
        {
            "Ma": "HN-2026-007",
            "Ngay tiep nhan": "19/06/2026",
            "NỘI DUNG KIẾN NGHỊ": "Đề nghị thêm tuyến xe buýt",
            "Số cử tri (người)": "2 người",
        },
    ),
    (
        11,
        {
            "Ma": "HN-2026-008",
            "Ngay tiep nhan": excel_day(2026, 6, 21),
            "NỘI DUNG KIẾN NGHỊ": "Đề nghị sửa Luật Đất đai về cấp giấy chứng nhận",
            "Linh vuc": "dat-dai",
            "Cap tham quyen": "Trung ương",
            "Ghi chú": "Chuyển Đoàn ĐBQH",
        },
    ),
    (
        12,
        {
            "Ma": "HN-2026-009",
            "Ngay tiep nhan": "22/06/2026",
            "Kỳ họp": 3,
            "NỘI DUNG KIẾN NGHỊ": "Đề nghị xử lý công trình xây dựng trái phép",
            "Linh vuc": "Quy hoạch, xây dựng",
            "Cap tham quyen": "Thành phố",
            "Cơ quan chủ trì": "Sở Xây dựng",
            "Ngày trả lời": "05/08/2026",
            "Kết quả": "Giải trình, cung cấp thông tin",
            "Nội dung trả lời": "Đã kiểm tra, công trình có giấy phép.",
            "Đánh giá": "Chưa thỏa đáng",
            "Nhận xét đánh giá": "Chưa trả lời về phần diện tích vượt phép.",
        },
    ),
]
# Errors expected from MESSY_ROWS, as (row, column as written in the file, English reason).
MESSY_ERRORS = [
    (6, "Linh vuc", "Unknown field “Vũ trụ”: use a field's name or code from the list."),
    (7, "Ngay tiep nhan", "“31/02/2026” is not a valid date: there is no such day."),
    (8, "NỘI DUNG KIẾN NGHỊ", "The text of the petition (Nội dung) is required."),
    (9, "Ma", "The id “HN-2026-001” is already used in row 4 of this file."),
    (
        10,
        "Số cử tri (người)",
        "“2 người” is not a whole number: write only the digits, e.g. 12.",
    ),
]
MESSY_VALID_IDS = ["HN-2026-001", "1002", "HN-2026-008", "HN-2026-009"]


def messy_workbook() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "KNCT 2021-2026"
    last_column = len(MESSY_HEADER)
    sheet.cell(row=1, column=1, value="DANH SÁCH KIẾN NGHỊ CỬ TRI GỬI KỲ HỌP").font = Font(
        bold=True
    )
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last_column)
    sheet.cell(row=2, column=1, value="(Kèm theo Báo cáo số 125/BC-HĐND ngày 01/07/2026)")
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last_column)
    for column, header in enumerate(MESSY_HEADER, start=1):
        sheet.cell(row=3, column=column, value=header)
    for row_number, values in MESSY_ROWS:
        for column, header in enumerate(MESSY_HEADER, start=1):
            if header in values:
                cell = sheet.cell(row=row_number, column=column, value=values[header])
                if isinstance(values[header], dt.datetime):
                    cell.number_format = "DD/MM/YYYY"
    # Trailing rows Excel keeps: formatted but empty, blank text, a row number only.
    sheet.cell(row=13, column=2).font = Font(italic=True)
    sheet.cell(row=14, column=2, value="   ")
    sheet.cell(row=15, column=1, value=13)
    sheet.cell(row=20, column=5, value=NBSP)
    return _save(workbook)


def workbook(header: Sequence[str], rows: Sequence[Sequence[Any]], *, title_rows: int = 0) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for index in range(title_rows):
        sheet.append([f"Tiêu đề {index + 1}"])
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    return _save(book)


def csv_bytes(
    header: Sequence[str], rows: Sequence[Sequence[Any]], *, separator: str = ";", bom: bool = True
) -> bytes:
    lines = [separator.join(header)]
    for row in rows:
        cells = []
        for value in row:
            text = "" if value is None else str(value)
            if separator in text or '"' in text or "\n" in text:
                text = '"' + text.replace('"', '""') + '"'
            cells.append(text)
        lines.append(separator.join(cells))
    data = "\r\n".join(lines).encode("utf-8")
    return (b"\xef\xbb\xbf" if bom else b"") + data


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def _save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
