"""The statutory reports (.docx): opened with python-docx, their numbers checked against
the data set by hand, and their form against Nghị định 30/2020."""

import datetime as dt
import io
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from docx import Document
from docx.document import Document as DocumentObject
from docx.shared import Length, Pt
from docx.table import Table

from hdnd.accounts.models import User
from hdnd.councils.models import Agency, Council, Position
from hdnd.petitions.models import SessionCycle
from hdnd.petitions.tests.test_dashboard_figures import CityDataset, make_city_dataset
from hdnd.testing import factories
from hdnd.testing import petition_factories as pf

pytestmark = pytest.mark.django_db

Login = Callable[[Client, User], Client]


@pytest.fixture(autouse=True)
def _on_the_first_of_september() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 9, 1, 3, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def dataset(
    city_council: Council,
    commune_a: Council,
    commune_b: Council,
    cycle: SessionCycle,
    next_cycle: SessionCycle,
    agency_a: Agency,
    agency_b: Agency,
) -> CityDataset:
    return make_city_dataset(
        city=city_council,
        commune_a=commune_a,
        commune_b=commune_b,
        cycle=cycle,
        next_cycle=next_cycle,
        agency_a=agency_a,
        agency_b=agency_b,
    )


def _download(client: Client, name: str, council: Council, cycle: SessionCycle) -> Any:
    return client.get(reverse(name, args=[council.pk]), {"cycle": cycle.pk})


def _open(response: Any) -> DocumentObject:
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    return Document(io.BytesIO(response.content))


def _mm(length: Length | None) -> float:
    assert length is not None
    return float(length.mm)


def _paragraphs(document: DocumentObject) -> list[str]:
    return [paragraph.text for paragraph in document.paragraphs]


def _cells(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def _all_text(document: DocumentObject) -> str:
    parts = _paragraphs(document)
    for table in document.tables:
        parts.extend(cell for row in _cells(table) for cell in row)
    return "\n".join(parts)


def test_the_reports_follow_the_state_document_format(
    client: Client, login: Login, city_staff: User, dataset: CityDataset
) -> None:
    login(client, city_staff)
    for name in ("petitions:report_synthesis", "petitions:report_results"):
        document = _open(_download(client, name, dataset.city, dataset.cycle))
        section = document.sections[0]
        # Word stores twentieths of a point: A4 within a hair.
        assert round(_mm(section.page_width)) == 210
        assert round(_mm(section.page_height)) == 297
        assert 20 <= _mm(section.top_margin) <= 25
        assert 20 <= _mm(section.bottom_margin) <= 25
        assert 30 <= _mm(section.left_margin) <= 35
        assert 15 <= _mm(section.right_margin) <= 20
        normal = document.styles["Normal"]
        assert normal.font.name == "Times New Roman"
        assert Pt(13) <= normal.font.size <= Pt(14)
        for paragraph in document.paragraphs:
            for run in paragraph.runs:
                assert run.font.name in (None, "Times New Roman")

        heading = _cells(document.tables[0])[0]
        issuer, motto = heading
        assert issuer.splitlines()[:2] == ["HĐND THÀNH PHỐ HÀ NỘI", "THƯỜNG TRỰC"]
        assert "Số:" in issuer and "/BC-HĐND" in issuer
        assert motto.splitlines()[:2] == [
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
        ]
        assert "Hà Nội, ngày 01 tháng 9 năm 2026" in motto
        date_runs = [
            run
            for cell in document.tables[0].rows[0].cells
            for paragraph in cell.paragraphs
            for run in paragraph.runs
            if "ngày 01 tháng 9" in run.text
        ]
        assert date_runs and all(run.font.italic for run in date_runs)
        # The heading table has no borders.
        assert 'w:val="nil"' in document.tables[0]._tbl.xml

        title = next(p for p in document.paragraphs if p.text == "BÁO CÁO")
        assert title.runs[0].font.bold
        assert title.alignment == 1  # centred

        closing = _cells(document.tables[-1])[0]
        recipients, signature = closing
        assert recipients.startswith("Nơi nhận:")
        assert recipients.rstrip().endswith("- Lưu: VT.")
        assert signature.splitlines()[:2] == ["TM. THƯỜNG TRỰC HĐND", "CHỦ TỊCH"]


def test_the_synthesis_report_counts_meetings_items_and_petitions(
    client: Client, login: Login, city_staff: User, dataset: CityDataset
) -> None:
    login(client, city_staff)
    response = _download(client, "petitions:report_synthesis", dataset.city, dataset.cycle)
    document = _open(response)
    text = "\n".join(_paragraphs(document))
    assert "Tổng hợp ý kiến, kiến nghị của cử tri gửi tới Kỳ họp thứ ba" in text
    # Two meetings held in the cycle (one only planned, one in the next cycle).
    assert "đã tham dự 2 hội nghị tiếp xúc cử tri với 205 lượt cử tri tham dự" in text
    assert "tiếp nhận tổng số 6 ý kiến, kiến nghị của cử tri" in text
    assert "qua hội nghị tiếp xúc cử tri: 3" in text
    assert "qua đường dây nóng: 2" in text
    assert "qua Cổng thông tin điện tử: 1" in text
    assert "Trong đó có 1 ý kiến là khiếu nại, tố cáo" in text
    # Raised in the cycle: nos. 1–11 and 14 (moved to a commune); not the merged no. 13,
    # not no. 12 (raised in an earlier session).
    assert "tổng hợp thành 12 kiến nghị" in text
    paragraphs = _paragraphs(document)
    headings = [p for p in paragraphs if p.startswith(("1. Lĩnh vực", "2. Lĩnh vực", "3. Các"))]
    assert headings == [
        "1. Lĩnh vực quy hoạch, xây dựng (4 kiến nghị)",
        "2. Lĩnh vực giao thông (6 kiến nghị)",
        "3. Các lĩnh vực khác (2 kiến nghị)",
    ]
    building = paragraphs.index(headings[0])
    assert paragraphs[building + 1] == (
        "1. Cấp giấy chứng nhận quyền sử dụng đất: Cử tri đề nghị cấp giấy chứng nhận quyền "
        "sử dụng đất. (10 cử tri, 2 hội nghị)"
    )
    transport = paragraphs.index(headings[1])
    assert paragraphs[transport + 1].startswith("1. Sửa cầu Long Biên:")
    assert paragraphs[transport + 1].endswith("(20 cử tri, 3 hội nghị)")
    assert "Chiếu sáng ngõ 12" in text
    assert "- Thuộc thẩm quyền của Trung ương: 1 kiến nghị;" in paragraphs
    assert "- Thuộc thẩm quyền của Thành phố: 9 kiến nghị;" in paragraphs
    assert "- Thuộc thẩm quyền của cấp xã: 2 kiến nghị." in paragraphs
    # Nothing personal, nothing of the communes' own petitions.
    everything = _all_text(document)
    assert "Bí Mật" not in everything
    assert "0912345678" not in everything
    assert "Bí mật của xã A" not in everything

    disposition = response["Content-Disposition"]
    assert disposition == (
        'attachment; filename="bao_cao_tong_hop_kien_nghi_cu_tri_ky_hop_thu_ba.docx"'
    )


def test_the_results_report_counts_answers_by_field_and_agency(
    client: Client, login: Login, city_staff: User, dataset: CityDataset
) -> None:
    login(client, city_staff)
    response = _download(client, "petitions:report_results", dataset.city, dataset.cycle)
    document = _open(response)
    paragraphs = _paragraphs(document)
    text = "\n".join(paragraphs)
    assert "- Tổng số kiến nghị: 12 (của 45 lượt cử tri, tổng hợp từ 18 ý kiến);" in paragraphs
    assert "đã chuyển cơ quan có thẩm quyền giải quyết: 11" in text
    assert "Số kiến nghị đã được trả lời: 6 (54,5% số kiến nghị đã chuyển)" in text
    assert "Trả lời đúng hạn: 3 (50% số kiến nghị đã trả lời); trả lời quá hạn: 2" in text
    assert "Số kiến nghị đang chờ trả lời: 5, trong đó đã quá hạn: 3" in text
    assert "- Đã giải quyết xong: 3 kiến nghị (50%);" in paragraphs
    assert "- Đang giải quyết: 1 kiến nghị (16,7%);" in paragraphs
    assert "- Sẽ giải quyết: 1 kiến nghị (16,7%);" in paragraphs
    assert "- Giải trình, cung cấp thông tin: 1 kiến nghị (16,7%);" in paragraphs
    assert "- Thỏa đáng: 3 (75%);" in paragraphs
    assert "- Chưa thỏa đáng: 1 (25%);" in paragraphs
    assert "- Đã trả lời, chưa đánh giá: 3." in paragraphs

    by_field, by_agency, overdue, questioning = document.tables[1:5]
    header = _cells(by_field)[0]
    assert header == [
        "TT",
        "Lĩnh vực",
        "Tiếp nhận",
        "Đã trả lời",
        "Đúng hạn",
        "Đã giải quyết xong",
        "Đang giải quyết",
        "Sẽ giải quyết",
        "Giải trình, cung cấp thông tin",
        "Chưa thỏa đáng",
    ]
    assert _cells(by_field)[1:] == [
        ["1", "Quy hoạch, xây dựng", "5", "4", "2", "2", "1", "0", "1", "0"],
        ["2", "Giao thông", "5", "2", "1", "1", "0", "1", "0", "1"],
        ["3", "Chưa xác định lĩnh vực", "2", "0", "0", "0", "0", "0", "0", "0"],
        ["", "Tổng số", "12", "6", "3", "3", "1", "1", "1", "1"],
    ]
    assert _cells(by_agency)[0][1] == "Cơ quan chủ trì"
    assert _cells(by_agency)[1:3] == [
        ["1", "Sở Giao thông vận tải", "3", "2", "1", "1", "0", "1", "0", "0"],
        ["2", "Sở Xây dựng", "7", "4", "2", "2", "1", "0", "1", "1"],
    ]
    assert _cells(by_agency)[3][1] == "Chưa xác định cơ quan chủ trì"
    assert _cells(by_agency)[-1] == ["", "Tổng số", "12", "6", "3", "3", "1", "1", "1", "1"]
    total_row = by_agency.rows[-1]
    assert all(run.font.bold for run in total_row.cells[1].paragraphs[0].runs)

    assert [row[1] for row in _cells(overdue)[1:]] == [
        "01-2026-0004",
        "01-2026-0006",
        "01-2026-0010",
    ]
    assert _cells(overdue)[2] == [
        "2",
        "01-2026-0006",
        "Sửa cầu Long Biên",
        "Sở Giao thông vận tải",
        "01/08/2026",
        "31",
    ]
    assert _cells(questioning)[1] == [
        "1",
        "01-2026-0004",
        "Ùn tắc nút giao Ngã Tư Sở",
        "Giao thông",
        "Sở Xây dựng",
        "Chưa thỏa đáng",
    ]
    assert response["Content-Disposition"] == (
        'attachment; filename="bao_cao_ket_qua_giai_quyet_kien_nghi_ky_hop_thu_ba.docx"'
    )


def test_the_chair_signs_when_known(
    client: Client, login: Login, city_staff: User, dataset: CityDataset
) -> None:
    factories.MembershipFactory(
        council=dataset.city,
        term=dataset.cycle.term,
        position=Position.CHAIR,
        person=factories.PersonFactory(full_name="Nguyễn Ngọc Tuấn"),
        start_date=dt.date(2026, 3, 15),
    )
    login(client, city_staff)
    document = _open(_download(client, "petitions:report_results", dataset.city, dataset.cycle))
    signature = _cells(document.tables[-1])[0][1]
    assert signature.splitlines()[0] == "TM. THƯỜNG TRỰC HĐND"
    assert signature.splitlines()[-1] == "Nguyễn Ngọc Tuấn"


def test_without_a_known_chair_the_name_is_left_for_the_signer(
    client: Client, login: Login, city_staff: User, dataset: CityDataset
) -> None:
    login(client, city_staff)
    document = _open(_download(client, "petitions:report_results", dataset.city, dataset.cycle))
    signature = _cells(document.tables[-1])[0][1]
    assert signature.splitlines()[-1] == ""


def test_a_cycle_with_nothing_in_it_still_makes_both_reports(
    client: Client, login: Login, city_staff: User, cycle: SessionCycle
) -> None:
    login(client, city_staff)
    synthesis = _open(_download(client, "petitions:report_synthesis", cycle.council, cycle))
    assert "Không có kiến nghị nào trong kỳ." in _paragraphs(synthesis)
    results = _open(_download(client, "petitions:report_results", cycle.council, cycle))
    text = "\n".join(_paragraphs(results))
    assert "- Tổng số kiến nghị: 0" in text
    assert "Không có kiến nghị quá hạn trả lời." in text


def test_a_commune_report_is_issued_by_the_commune(
    client: Client, login: Login, commune_officer: User, commune_a: Council
) -> None:
    term = factories.TermFactory(council=commune_a)
    cycle = pf.SessionCycleFactory(term=term, number=1, name="Kỳ họp thứ nhất")
    pf.PetitionFactory(raised_in=cycle, level="commune", field=pf.field("y-te"))
    login(client, commune_officer)
    document = _open(_download(client, "petitions:report_synthesis", commune_a, cycle))
    issuer, motto = _cells(document.tables[0])[0]
    assert issuer.splitlines()[0] == "HĐND PHƯỜNG HOÀN KIẾM A"
    assert "Hoàn Kiếm A, ngày 01 tháng 9 năm 2026" in motto
    assert "- Thuộc thẩm quyền của Phường Hoàn Kiếm A: 1 kiến nghị." in _paragraphs(document)


@pytest.mark.parametrize(
    "name",
    [
        "petitions:reports",
        "petitions:report_synthesis",
        "petitions:report_results",
        "petitions:report_statistics",
    ],
)
def test_outsiders_and_agency_responders_get_no_report(
    client: Client,
    login: Login,
    outsider: User,
    responder_b: User,
    commune_officer: User,
    cycle: SessionCycle,
    name: str,
) -> None:
    for user in (outsider, responder_b, commune_officer):
        login(client, user)
        assert (
            client.get(reverse(name, args=[cycle.council_id]), {"cycle": cycle.pk}).status_code
            == 403
        )


def test_a_cycle_of_another_council_is_refused(
    client: Client, login: Login, city_staff: User, cycle: SessionCycle, commune_a: Council
) -> None:
    other = pf.SessionCycleFactory(term=factories.TermFactory(council=commune_a), number=1)
    login(client, city_staff)
    for name in (
        "petitions:report_synthesis",
        "petitions:report_results",
        "petitions:report_statistics",
    ):
        response = client.get(reverse(name, args=[cycle.council_id]), {"cycle": other.pk})
        assert response.status_code == 400
        response = client.get(reverse(name, args=[cycle.council_id]), {"cycle": "x"})
        assert response.status_code == 400


def test_the_reports_page_offers_the_councils_cycles(
    client: Client, login: Login, city_staff: User, cycle: SessionCycle, next_cycle: SessionCycle
) -> None:
    login(client, city_staff)
    response = client.get(reverse("petitions:reports", args=[cycle.council_id]))
    assert response.status_code == 200
    body = response.content.decode()
    # The latest cycle first.
    assert body.index("Kỳ họp thứ tư") < body.index("Kỳ họp thứ ba")
    for name in (
        "petitions:report_synthesis",
        "petitions:report_results",
        "petitions:report_statistics",
    ):
        assert reverse(name, args=[cycle.council_id]) in body
