"""The councils and terms endpoints."""

from types import SimpleNamespace

import pytest

from hdnd.councils.tests.api.api_client import Api, assert_error, names

pytestmark = pytest.mark.django_db


def test_councils_are_filtered_by_level_parent_and_search(
    token_api: Api, directory: SimpleNamespace
) -> None:
    city, commune_a, commune_b = directory.city_council, directory.commune_a, directory.commune_b
    assert names(token_api.get("councils/", level="province")) == [city.name]
    assert names(token_api.get("councils/", parent=city.pk)) == [commune_a.name, commune_b.name]
    assert names(token_api.get("councils/", q="soc son")) == [commune_b.name]
    row = token_api.get("councils/", q="soc son").json()["results"][0]
    assert row["parent"] == {"id": city.pk, "name": city.name}
    assert row["unit"]["code"] == commune_b.unit.code


def test_a_council_shows_its_terms(token_api: Api, directory: SimpleNamespace) -> None:
    body = token_api.get(f"councils/{directory.city_council.pk}/").json()
    assert body["level"] == "province"
    assert body["parent"] is None
    assert [term["name"] for term in body["terms"]] == ["Khóa XVII"]
    assert body["terms"][0]["start_date"] == "2026-03-15"


@pytest.mark.parametrize("council_id", ["999999", "abc", "-1", "1.5", "99999999999999999999", "٣"])
def test_an_unknown_council_is_a_json_404(token_api: Api, council_id: str) -> None:
    assert_error(token_api.get(f"councils/{council_id}/"), 404, "not_found")
    assert_error(token_api.get(f"councils/{council_id}/terms/"), 404, "not_found")


def test_terms_are_listed_per_council(token_api: Api, directory: SimpleNamespace) -> None:
    commune_a = directory.commune_a
    nested = token_api.get(f"councils/{commune_a.pk}/terms/")
    assert names(nested) == ["Khóa I"]
    assert nested.json()["results"][0]["council"] == {"id": commune_a.pk, "name": commune_a.name}
    assert names(token_api.get("terms/", council=commune_a.pk)) == ["Khóa I"]
    assert sorted(names(token_api.get("terms/"))) == ["Khóa I", "Khóa XVII"]
