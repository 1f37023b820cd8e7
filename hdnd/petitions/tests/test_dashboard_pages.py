"""The supervision dashboard page and its spreadsheet: who sees it, what it shows, the
drill-down links, the charts and the number of queries."""

import datetime as dt
import io
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from hdnd.accounts.models import Role, User
from hdnd.councils.models import Agency, Council
from hdnd.petitions.models import SessionCycle
from hdnd.petitions.tests.test_dashboard_figures import (
    CYCLE_TOTALS,
    CityDataset,
    make_city_dataset,
)
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


def _url(council: Council) -> str:
    return reverse("petitions:dashboard", args=[council.pk])


def test_office_staff_see_the_cycles_figures(
    client: Client, login: Login, city_staff: User, dataset: CityDataset
) -> None:
    login(client, city_staff)
    response = client.get(_url(dataset.city), {"cycle": dataset.cycle.pk})
    assert response.status_code == 200
    assert response.context["summary"] == CYCLE_TOTALS
    body = response.content.decode()
    assert "Sở Xây dựng" in body
    assert "Quy hoạch, xây dựng" in body


@pytest.mark.parametrize("persona", ["standing_member", "committee_member", "delegate_user"])
def test_every_reader_of_the_council_may_see_it(
    client: Client, login: Login, dataset: CityDataset, persona: str, request: Any
) -> None:
    login(client, request.getfixturevalue(persona))
    assert client.get(_url(dataset.city)).status_code == 200


@pytest.mark.parametrize("url_name", ["petitions:dashboard", "petitions:dashboard_xlsx"])
def test_an_agency_responder_and_another_communes_officer_are_refused(
    client: Client,
    login: Login,
    responder_b: User,
    outsider: User,
    dataset: CityDataset,
    url_name: str,
) -> None:
    for user in (responder_b, outsider):
        login(client, user)
        assert client.get(reverse(url_name, args=[dataset.city.pk])).status_code == 403
    client.logout()
    response = client.get(reverse(url_name, args=[dataset.city.pk]))
    assert response.status_code in (302, 403)


def test_the_city_sees_its_communes_totals_but_not_their_petitions(
    client: Client, login: Login, city_staff: User, dataset: CityDataset
) -> None:
    login(client, city_staff)
    response = client.get(_url(dataset.city))
    body = response.content.decode()
    assert 'id="commune-table"' in body
    assert "Phường Hoàn Kiếm A" in body
    assert "Xã Sóc Sơn B" in body
    assert "Bí mật của xã A" not in body
    communes = {row.key: row.counts for row in response.context["communes"]}
    assert communes[dataset.commune_a.pk].petitions == 2
    assert communes[dataset.commune_a.pk].overdue == 1


def test_a_commune_officer_sees_their_commune_only(
    client: Client, login: Login, commune_officer: User, dataset: CityDataset
) -> None:
    login(client, commune_officer)
    assert client.get(_url(dataset.city)).status_code == 403
    assert client.get(_url(dataset.commune_b)).status_code == 403
    response = client.get(_url(dataset.commune_a))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="commune-table"' not in body
    assert "Xã Sóc Sơn B" not in body
    assert response.context["summary"].petitions == 2


def test_figures_link_to_the_petitions_behind_them(
    client: Client, login: Login, city_staff: User, dataset: CityDataset
) -> None:
    login(client, city_staff)
    response = client.get(_url(dataset.city), {"cycle": dataset.cycle.pk})
    rows = {row.label: row for row in response.context["by_agency"]}
    link = urlsplit(rows["Sở Xây dựng"].url)
    assert link.path == reverse("petitions:council", args=[dataset.city.pk])
    assert parse_qs(link.query) == {
        "cycle": [str(dataset.cycle.pk)],
        "agency": [str(dataset.agency_a.pk)],
    }
    overdue = parse_qs(urlsplit(rows["Sở Xây dựng"].overdue_url).query)
    assert overdue["due"] == ["overdue"]
    assert response.context["links"]["overdue"].endswith("due=overdue")
    # No list filter selects "no agency": that row has no link rather than a wrong one.
    assert response.context["by_agency"][-1].url is None
    # The linked list shows exactly the agency's petitions.
    listing = client.get(rows["Sở Xây dựng"].url)
    assert listing.context["page"].paginator.count == rows["Sở Xây dựng"].counts.petitions
    overdue_listing = client.get(rows["Sở Xây dựng"].overdue_url)
    assert overdue_listing.context["page"].paginator.count == rows["Sở Xây dựng"].counts.overdue


def test_figures_the_list_cannot_filter_have_no_link(
    client: Client, login: Login, city_staff: User, dataset: CityDataset
) -> None:
    login(client, city_staff)
    response = client.get(_url(dataset.city), {"unit": dataset.commune_a.unit_id})
    assert response.context["summary"].petitions == 2
    for url in response.context["links"].values():
        assert url is None or "unit=" in url


def test_the_charts_are_inline_svg_without_script(
    client: Client, login: Login, city_staff: User, dataset: CityDataset
) -> None:
    login(client, city_staff)
    response = client.get(_url(dataset.city), {"cycle": dataset.cycle.pk})
    charts = response.context["charts"]
    assert set(charts) == {"results", "agencies", "fields"}
    for svg in charts.values():
        assert svg.startswith("<svg")
        assert 'role="img"' in svg
        assert "<script" not in svg
        assert "<?xml" not in svg
        assert "http://kozea" not in svg
    assert response.content.decode().count("<svg") >= 3


def test_chart_labels_are_escaped(
    client: Client, login: Login, city_staff: User, cycle: SessionCycle, city_council: Council
) -> None:
    agency = factories.AgencyFactory(council=city_council, name="<script>alert(1)</script>")
    pf.PetitionFactory(
        raised_in=cycle,
        lead_agency=agency,
        status="resolved",
        answered_on=dt.date(2026, 8, 1),
        answered_on_time=True,
        result="resolved",
    )
    login(client, city_staff)
    body = client.get(_url(city_council)).content.decode()
    assert "<script>alert(1)" not in body
    assert "&lt;script&gt;alert(1)" in body


def test_a_filter_from_another_council_is_refused_without_error(
    client: Client, login: Login, city_staff: User, dataset: CityDataset
) -> None:
    other = factories.AgencyFactory(council=dataset.commune_a, name="UBND phường khác")
    login(client, city_staff)
    response = client.get(_url(dataset.city), {"agency": other.pk, "cycle": "abc"})
    assert response.status_code == 200
    assert response.context["form"].errors
    # The figures fall back to the whole council.
    assert response.context["summary"].petitions == 13


def test_the_dashboard_makes_a_fixed_number_of_queries(
    client: Client,
    login: Login,
    city_staff: User,
    dataset: CityDataset,
    django_assert_max_num_queries: Any,
) -> None:
    login(client, city_staff)
    url = f"{_url(dataset.city)}?cycle={dataset.cycle.pk}"
    client.get(url)
    # The session, user and device; the council and the roles; the cycle filter; seven
    # for the figures; the roles shown in the header; the four filter menus.
    with django_assert_max_num_queries(18) as few:
        client.get(url)
    # More petitions, agencies, fields and places: not one query more.
    for number in range(5):
        pf.PetitionFactory(
            raised_in=dataset.cycle,
            lead_agency=factories.AgencyFactory(council=dataset.city),
            field=pf.field("y-te"),
            unit=factories.CommuneCouncilFactory(parent=dataset.city).unit,
            code=f"01-2026-9{number:03d}",
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_export_has_the_dashboards_sheets_and_numbers(
    client: Client, login: Login, city_staff: User, dataset: CityDataset, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "en"
    login(client, city_staff)
    response = client.get(
        reverse("petitions:dashboard_xlsx", args=[dataset.city.pk]), {"cycle": dataset.cycle.pk}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert disposition.isascii()
    assert ".xlsx" in disposition
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Summary",
        "By agency",
        "By field",
        "By commune",
        "Commune councils",
        "Petitions",
    ]
    heading = workbook["Summary"]["A1"].value
    assert heading == "Hội đồng nhân dân Thành phố Hà Nội — Session cycle: Kỳ họp thứ ba"
    summary = {row[0]: row[1] for row in workbook["Summary"].iter_rows(min_row=4, values_only=True)}
    assert summary["Petitions received (consolidated)"] == 12
    assert summary["Answered on time"] == 3
    assert summary["Overdue"] == 3
    assert summary["% answered on time"] == 50.0
    agencies = {row[0]: row for row in workbook["By agency"].iter_rows(min_row=4, values_only=True)}
    a = agencies["Sở Xây dựng"]
    assert (a[1], a[4], a[5], a[6], a[7], a[9]) == (7, 4, 2, 1, 50.0, 1)
    assert agencies["Total"][1] == 12
    communes = {
        row[0]: row for row in workbook["Commune councils"].iter_rows(min_row=4, values_only=True)
    }
    assert communes["Phường Hoàn Kiếm A"][1] == 2
    petitions = list(workbook["Petitions"].iter_rows(values_only=True))
    assert petitions[0][:3] == ("Code", "Title", "Field")
    assert [row[0] for row in petitions[1:]] == [f"01-2026-{n:04d}" for n in range(1, 13)]
    first = petitions[1]
    assert first[1] == "Cấp giấy chứng nhận quyền sử dụng đất"
    assert first[8] == "Yes"
    all_text = repr([list(sheet.values) for sheet in workbook.worksheets])
    assert "Bí Mật" not in all_text
    assert "0912345678" not in all_text
    assert "Bí mật của xã A" not in all_text


def test_a_commune_export_has_no_commune_councils_sheet(
    client: Client, login: Login, commune_officer: User, dataset: CityDataset, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "en"
    login(client, commune_officer)
    response = client.get(reverse("petitions:dashboard_xlsx", args=[dataset.commune_a.pk]))
    workbook = load_workbook(io.BytesIO(response.content))
    assert "Commune councils" not in workbook.sheetnames
    assert workbook["Petitions"].max_row == 3


def test_titles_that_look_like_formulas_stay_text(
    client: Client, login: Login, city_staff: User, cycle: SessionCycle, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "en"
    pf.PetitionFactory(raised_in=cycle, title='=HYPERLINK("http://example.com")')
    login(client, city_staff)
    response = client.get(reverse("petitions:dashboard_xlsx", args=[cycle.council_id]))
    sheet = load_workbook(io.BytesIO(response.content))["Petitions"]
    assert sheet.cell(row=2, column=2).value == '=HYPERLINK("http://example.com")'
    assert sheet.cell(row=2, column=2).data_type == "s"


def test_the_council_nav_links_to_the_dashboard_and_the_reports(
    client: Client, login: Login, dataset: CityDataset
) -> None:
    user = factories.RoleAssignmentFactory(council=dataset.city, role=Role.DELEGATE).user
    login(client, user)
    body = client.get(reverse("petitions:council", args=[dataset.city.pk])).content.decode()
    assert reverse("petitions:dashboard", args=[dataset.city.pk]) in body
    assert reverse("petitions:reports", args=[dataset.city.pk]) in body
