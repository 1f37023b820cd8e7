"""List pages cost the same number of queries for 1 row as for 20 (no N+1)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from hdnd.councils.models import AgencyKind, CommitteeRole, GroupRole, UnitKind
from hdnd.councils.tests import directory_data as data
from hdnd.testing import factories

pytestmark = pytest.mark.django_db

ROWS = [1, 20]


@pytest.mark.parametrize("rows", ROWS)
def test_the_province_list_costs_a_fixed_number_of_queries(client, django_assert_num_queries, rows):
    for index in range(rows):
        province = factories.ProvinceUnitFactory(code=f"{index + 1:02d}", name=f"Tỉnh {index}")
        factories.CityCouncilFactory(unit=province)
        data.commune_unit(province, f"Xã Một {index}", UnitKind.COMMUNE)
    with django_assert_num_queries(1):
        assert client.get(reverse("councils:directory")).status_code == 200


@pytest.mark.parametrize("rows", ROWS)
def test_a_province_page_costs_a_fixed_number_of_queries(
    client, city_council, django_assert_num_queries, rows
):
    for index in range(rows):
        factories.CommuneCouncilFactory(
            parent=city_council, unit__parent=city_council.unit, unit__name=f"Phường {index}"
        )
    url = reverse("councils:unit", args=[city_council.unit.code])
    # The unit with its successors and predecessors, kind counts, the count, the page.
    with django_assert_num_queries(6):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("rows", ROWS)
def test_the_former_units_page_costs_a_fixed_number_of_queries(
    client, city_council, django_assert_num_queries, rows
):
    province = city_council.unit
    for index in range(rows):
        ward = data.commune_unit(province, f"Phường Mới {index}")
        data.former_district(province, f"Quận Cũ {index}", f"{900 - index}", ward)
    url = reverse("councils:unit_former", args=[province.code])
    with django_assert_num_queries(6):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("rows", ROWS)
def test_the_delegate_list_costs_a_fixed_number_of_queries(
    client, city_council, django_assert_num_queries, rows
):
    term = data.term_in_force(city_council)
    committee = data.committee(city_council, "Ban Pháp chế")
    group = data.group(term, "Tổ số 1")
    constituency = factories.ConstituencyFactory(term=term)
    for index in range(rows):
        membership = data.seat(term, f"Đại Biểu {index}", constituency=constituency)
        data.committee_seat(committee, membership)
        data.group_member(group, membership)
    url = reverse("councils:delegates", args=[city_council.pk])
    # Council, terms, the count, the page, committee seats, group seats, and the
    # committee and constituency choices of the filter form.
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("rows", ROWS)
def test_the_search_costs_a_fixed_number_of_queries(
    client, city_council, django_assert_num_queries, rows
):
    term = data.term_in_force(city_council)
    for index in range(rows):
        data.seat(term, f"Nguyễn Văn Tìm {index}")
    url = reverse("councils:search")
    # One count per kind of record, the page of the united search, and where the people
    # on the page serve (their agency posts and their seats).
    with django_assert_num_queries(8):
        response = client.get(url, {"q": "tim"})
    assert response.context["page"].paginator.count == rows


@pytest.mark.parametrize("rows", ROWS)
def test_the_council_page_costs_a_fixed_number_of_queries(
    client, city_council, django_assert_num_queries, rows
):
    term = data.term_in_force(city_council)
    for index in range(rows):
        committee = data.committee(city_council, f"Ban {index}")
        membership = data.seat(term, f"Thường Trực {index}", position="standing_member")
        data.committee_seat(committee, membership, CommitteeRole.HEAD)
        data.group_member(data.group(term, f"Tổ {index}"), membership, GroupRole.LEADER)
        data.agency(city_council, f"Sở {index}", kind=AgencyKind.DEPARTMENT)
    url = reverse("councils:council", args=[city_council.pk])
    with django_assert_num_queries(9):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("rows", ROWS)
def test_the_agency_tree_costs_a_fixed_number_of_queries(
    client, city_council, django_assert_num_queries, rows
):
    root = data.agency(city_council, "Ủy ban nhân dân", kind=AgencyKind.PEOPLES_COMMITTEE)
    for index in range(rows):
        department = data.agency(city_council, f"Sở {index}", parent=root)
        data.official(department, f"Giám Đốc {index}", "Giám đốc", is_head=True)
    url = reverse("councils:agencies", args=[city_council.pk])
    with django_assert_num_queries(3):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("rows", ROWS)
def test_committee_and_group_pages_cost_a_fixed_number_of_queries(
    client, city_council, django_assert_num_queries, rows
):
    term = data.term_in_force(city_council)
    committee = data.committee(city_council, "Ban Đô thị")
    group = data.group(term, "Tổ số 1")
    for index in range(rows):
        membership = data.seat(term, f"Thành Viên {index}")
        data.committee_seat(committee, membership)
        data.group_member(group, membership)
    ended = data.seat(term, "Đã Nghỉ", end_date=timezone.localdate() - dt.timedelta(days=1))
    seat = data.committee_seat(committee, ended)
    seat.end_date = ended.end_date
    seat.save(update_fields=["end_date"])
    with django_assert_num_queries(3):
        client.get(reverse("councils:committee", args=[committee.pk]))
    with django_assert_num_queries(2):
        client.get(reverse("councils:group", args=[group.pk]))
