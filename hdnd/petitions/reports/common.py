"""What the statutory reports share: Vietnamese names of the categories, number formats,
the heading and the closing of the document.

The documents are state documents: their text is Vietnamese whatever the reader's
language (see hdnd/lib/docx.py), so it is written here directly.
"""

import datetime as dt

from docx.document import Document

from hdnd.lib import docx as nd30
from hdnd.lib.vietnamese import slugify_vi
from hdnd.petitions.queries.reports import ReportIssuer

RESULT_LABELS = {
    "resolved": "Đã giải quyết xong",
    "in_progress": "Đang giải quyết",
    "will_resolve": "Sẽ giải quyết",
    "explained": "Giải trình, cung cấp thông tin",
}
VERDICT_LABELS = {
    "satisfactory": "Thỏa đáng",
    "unsatisfactory": "Chưa thỏa đáng",
    "wrong_competence": "Sai thẩm quyền",
    "off_topic": "Trả lời không đúng nội dung",
}
CHANNEL_LABELS = {
    "meeting": "qua hội nghị tiếp xúc cử tri",
    "web": "qua Cổng thông tin điện tử",
    "hotline": "qua đường dây nóng",
    "letter": "qua thư, đơn gửi đến",
    "zalo": "qua Zalo",
    "email": "qua thư điện tử",
    "reception": "qua tiếp công dân",
    "import": "từ cơ sở dữ liệu nhập vào",
    "api": "từ hệ thống thông tin khác",
}


def level_labels(issuer: ReportIssuer) -> dict[str, str]:
    """Who has competence, as the report names it."""
    return {
        "central": "Trung ương",
        "city": "Thành phố" if issuer.is_city else "cấp tỉnh",
        "commune": "cấp xã" if issuer.is_city else issuer.unit_name,
    }


def number(value: int) -> str:
    """1234 → "1.234", as Vietnamese documents write numbers."""
    return f"{value:,}".replace(",", ".")


def percent_text(value: float | None) -> str:
    """85.7 → "85,7%"; nothing to divide by → "-"."""
    if value is None:
        return "-"
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{text.replace('.', ',')}%"


def date_text(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def new_report(issuer: ReportIssuer, *, kind: str, summary: str) -> Document:
    """A report of the council's standing committee with the decree's heading."""
    document = nd30.new_document()
    nd30.add_heading_block(
        document,
        parent_body=f"HĐND {issuer.unit_name}",
        issuing_body="THƯỜNG TRỰC",
        number="Số:        /BC-HĐND",
        place_date=nd30.place_and_date(issuer.place, issuer.issued_on),
    )
    nd30.add_title(document, kind, summary)
    return document


def add_closing(document: Document, issuer: ReportIssuer) -> None:
    nd30.add_closing(
        document,
        recipients=[
            f"Thường trực HĐND {issuer.unit_name}",
            f"Ủy ban MTTQ Việt Nam {issuer.unit_name}",
            f"UBND {issuer.unit_name}",
            "Các Ban của HĐND",
            "Các Tổ đại biểu HĐND",
            "Lưu: VT",
        ],
        authority=issuer.authority,
        position=issuer.position,
        signer_name=issuer.signer_name,
    )


def file_name(*parts: str, extension: str) -> str:
    """An ASCII file name: "bao_cao_ket_qua_ky_hop_thu_ba.docx"."""
    stem = "_".join(slugify_vi(part) for part in parts if slugify_vi(part))
    return f"{stem or 'bao_cao'}.{extension}"
