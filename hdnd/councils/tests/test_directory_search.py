"""The directory search: one query over units, councils, people, committees and agencies
that ignores diacritics and tone-mark variants."""

import pytest
from django.urls import reverse

from hdnd.councils.models import UnitKind
from hdnd.councils.tests import directory_data as data

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(city_council):
    province = city_council.unit
    term = data.term_in_force(city_council)
    return {
        "ward": data.commune_unit(province, "Phường Hòa Bình"),
        "other_ward": data.commune_unit(province, "Phường Hoàng Liệt"),
        "commune": data.commune_unit(province, "Xã Thủy Xuân Tiên", UnitKind.COMMUNE),
        "delegate": data.seat(term, "Nguyễn Thị Hoà").person,
        "committee": data.committee(city_council, "Ban Kinh tế – Ngân sách"),
        "agency": data.agency(city_council, "Sở Tài chính"),
        "staff": data.person("Trần Hòa Nội Bộ"),
    }


def _titles(client, **params):
    response = client.get(reverse("councils:search"), params)
    assert response.status_code == 200
    return [hit.title for hit in response.context["page"].object_list]


@pytest.mark.smoke
@pytest.mark.parametrize("query", ["Ha Noi", "hà nội", "HÀ NỘI", "ha   noi", "Hà Nội,"])
def test_it_finds_ha_noi_with_or_without_diacritics(client, records, query):
    titles = _titles(client, q=query)
    assert "Thành phố Hà Nội" in titles
    assert "Hội đồng nhân dân Thành phố Hà Nội" in titles


@pytest.mark.parametrize("query", ["hoà", "hòa", "HOA", "hoa binh", "Hoà Bình"])
def test_it_matches_tone_mark_variants(client, records, query):
    assert "Phường Hòa Bình" in _titles(client, q=query)


def test_it_matches_tone_marks_on_either_vowel(client, records):
    assert "Xã Thủy Xuân Tiên" in _titles(client, q="thuỷ xuân")


def test_it_finds_people_committees_and_agencies(client, records):
    assert _titles(client, q="nguyen thi hoa") == ["Nguyễn Thị Hoà"]
    assert _titles(client, q="ngan sach") == ["Ban Kinh tế – Ngân sách"]
    assert _titles(client, q="so tai chinh") == ["Sở Tài chính"]


def test_it_understands_the_usual_abbreviations(client, records):
    assert _titles(client, q="HĐND Hà Nội") == ["Hội đồng nhân dân Thành phố Hà Nội"]


def test_it_puts_whole_word_matches_first(client, records):
    titles = _titles(client, q="hoa", kind="unit")
    assert titles.index("Phường Hòa Bình") < titles.index("Phường Hoàng Liệt")


def test_it_leaves_out_people_who_hold_no_seat_or_post(client, records):
    assert "Trần Hòa Nội Bộ" not in _titles(client, q="hoa")


def test_it_filters_by_type_and_counts_each_type(client, records):
    response = client.get(reverse("councils:search"), {"q": "hoa", "kind": "person"})
    assert [hit.kind for hit in response.context["page"].object_list] == ["person"]
    counts = {kind: count for kind, _label, count in response.context["kinds"]}
    assert counts["person"] == 1
    assert counts["unit"] == 2


def test_it_pages_through_many_results(client, city_council):
    term = data.term_in_force(city_council)
    for index in range(25):
        data.seat(term, f"Trần Văn Kiểm {index:02d}")

    first = client.get(reverse("councils:search"), {"q": "kiem"}).context["page"]
    second = client.get(reverse("councils:search"), {"q": "kiem", "page": 2}).context["page"]

    assert first.paginator.count == 25
    assert len(first.object_list) == 20
    assert len(second.object_list) == 5
    assert {hit.title for hit in first.object_list}.isdisjoint(
        {hit.title for hit in second.object_list}
    )


def test_htmx_gets_only_the_results_with_the_status_line(client, records):
    response = client.get(
        reverse("councils:search"), {"q": "hoa binh"}, headers={"HX-Request": "true"}
    )
    page = response.content.decode()
    assert "<html" not in page
    assert "Phường Hòa Bình" in page
    assert 'hx-swap-oob="true"' in page
    assert "HX-Request" in response["Vary"]


def test_without_javascript_the_search_is_a_normal_form(client, records):
    page = client.get(reverse("councils:search"), {"q": "hoa binh"}).content.decode()
    assert '<form class="search-box" role="search" method="get"' in page
    assert 'hx-get="' in page
    assert "Phường Hòa Bình" in page


def test_an_empty_or_one_letter_query_searches_nothing(client, records):
    for query in ["", " ", "h", "!!"]:
        response = client.get(reverse("councils:search"), {"q": query})
        assert response.status_code == 200
        assert response.context["searched"] is False


def test_a_bad_page_in_a_live_search_shows_a_message_instead_of_the_results(client, records):
    response = client.get(
        reverse("councils:search"), {"q": "hoa", "page": "abc"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#messages"
    assert 'role="alert"' in response.content.decode()
