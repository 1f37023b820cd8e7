"""The statistics of a session cycle (.xlsx): the results report's numbers, sheet by sheet."""

import datetime as dt
import io
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from hdnd.accounts.models import User
from hdnd.councils.models import Agency, Council
from hdnd.lib.docx import place_and_date
from hdnd.petitions.models import SessionCycle
from hdnd.petitions.reports.common import file_name, number, percent_text
from hdnd.petitions.tests.test_dashboard_figures import CityDataset, make_city_dataset

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


def _rows(sheet: Any) -> list[tuple[Any, ...]]:
    # A heading line, a blank line, then the header row.
    return list(sheet.iter_rows(min_row=4, values_only=True))


def test_the_statistics_have_the_results_reports_numbers(
    client: Client, login: Login, city_staff: User, dataset: CityDataset
) -> None:
    login(client, city_staff)
    response = client.get(
        reverse("petitions:report_statistics", args=[dataset.city.pk]),
        {"cycle": dataset.cycle.pk},
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="thong_ke_ket_qua_giai_quyet_kien_nghi_ky_hop_thu_ba.xlsx"'
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Tổng hợp",
        "Theo lĩnh vực",
        "Theo cơ quan",
        "Quá hạn",
        "Chất vấn",
    ]

    summary = {row[0]: row[1:] for row in _rows(workbook["Tổng hợp"])}
    assert summary["Tổng số kiến nghị"] == (12, None)
    assert summary["Đã chuyển cơ quan có thẩm quyền"] == (11, None)
    assert summary["Đã trả lời"] == (6, 54.5)
    assert summary["Trả lời đúng hạn"] == (3, 50.0)
    assert summary["Trả lời quá hạn"] == (2, None)
    assert summary["Quá hạn chưa trả lời"] == (3, None)
    assert summary["Đã giải quyết xong"] == (3, 50.0)
    assert summary["Đánh giá: Chưa thỏa đáng"] == (1, 25.0)
    assert summary["Vấn đề đề xuất chất vấn"] == (1, None)
    assert summary["Kiến nghị từ kỳ họp trước chuyển sang"] == (1, None)

    fields = _rows(workbook["Theo lĩnh vực"])
    assert fields[0] == (1, "Quy hoạch, xây dựng", 5, 4, 2, 2, 1, 0, 1, 0)
    assert fields[-1] == (None, "Tổng số", 12, 6, 3, 3, 1, 1, 1, 1)
    agencies = _rows(workbook["Theo cơ quan"])
    assert agencies[1] == (2, "Sở Xây dựng", 7, 4, 2, 2, 1, 0, 1, 1)

    overdue = _rows(workbook["Quá hạn"])
    assert [row[1] for row in overdue] == ["01-2026-0004", "01-2026-0006", "01-2026-0010"]
    assert overdue[1][4].date() == dt.date(2026, 8, 1)
    assert overdue[1][5] == 31
    assert workbook["Quá hạn"].cell(row=5, column=5).number_format == "dd/mm/yyyy"
    questioning = _rows(workbook["Chất vấn"])
    assert questioning == [
        (
            1,
            "01-2026-0004",
            "Ùn tắc nút giao Ngã Tư Sở",
            "Giao thông",
            "Sở Xây dựng",
            "Chưa thỏa đáng",
        )
    ]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 11, 21), "Hà Nội, ngày 21 tháng 11 năm 2026"),
        (dt.date(2026, 2, 5), "Hà Nội, ngày 05 tháng 02 năm 2026"),
        (dt.date(2026, 3, 9), "Hà Nội, ngày 09 tháng 3 năm 2026"),
        (dt.date(2026, 1, 10), "Hà Nội, ngày 10 tháng 01 năm 2026"),
    ],
)
def test_the_date_line_pads_small_days_and_months_as_the_decree_asks(
    day: dt.date, expected: str
) -> None:
    assert place_and_date("Hà Nội", day) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, "-"), (50.0, "50%"), (16.7, "16,7%"), (100.0, "100%"), (0.0, "0%")],
)
def test_percentages_are_written_the_vietnamese_way(value: float | None, expected: str) -> None:
    assert percent_text(value) == expected


def test_numbers_and_file_names_are_written_for_offices() -> None:
    assert number(1234567) == "1.234.567"
    assert file_name("Báo cáo", "Kỳ họp thứ ba", extension="docx") == "bao_cao_ky_hop_thu_ba.docx"
    assert file_name("", extension="xlsx") == "bao_cao.xlsx"
