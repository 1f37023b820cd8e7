"""The units endpoints: filters, former units, search and lookup by official code."""

import datetime as dt
from types import SimpleNamespace

import pytest

from hdnd.councils.models import AdministrativeUnit, UnitKind, UnitLevel
from hdnd.councils.tests.api.api_client import Api, assert_error, names

pytestmark = pytest.mark.django_db


def test_units_are_filtered_by_level_kind_and_parent(
    token_api: Api, directory: SimpleNamespace
) -> None:
    communes = token_api.get("units/", level="commune")
    assert names(communes) == [directory.commune_a.unit.name, directory.commune_b.unit.name]
    assert names(token_api.get("units/", kind="thanh_pho_trung_uong")) == ["Thành phố Hà Nội"]
    children = token_api.get("units/", parent="01")
    assert set(names(children)) == {directory.commune_a.unit.name, directory.commune_b.unit.name}
    first = children.json()["results"][0]
    assert first["parent"] == {"code": "01", "name": "Thành phố Hà Nội", "level": "province"}
    assert first["kind"] == "phuong"
    assert first["is_current"] is True


def test_former_units_are_listed_only_when_asked(
    token_api: Api, directory: SimpleNamespace
) -> None:
    assert "Quận Ba Đình" not in names(token_api.get("units/"))
    former = token_api.get("units/", include_former="true", level="district")
    assert names(former) == ["Quận Ba Đình"]
    assert former.json()["results"][0]["valid_until"] == "2025-06-30"


def test_unit_search_ignores_diacritics(token_api: Api, directory: SimpleNamespace) -> None:
    assert names(token_api.get("units/", q="ha noi")) == ["Thành phố Hà Nội"]
    assert names(token_api.get("units/", q="HÀ NỘI")) == ["Thành phố Hà Nội"]
    assert names(token_api.get("units/", q="hoan kiem")) == [directory.commune_a.unit.name]


def test_a_unit_is_found_by_its_official_code(token_api: Api, directory: SimpleNamespace) -> None:
    unit = directory.commune_a.unit
    body = token_api.get(f"units/{unit.code}/").json()
    assert body["name"] == unit.name
    assert body["council"] == {"id": directory.commune_a.pk, "name": directory.commune_a.name}
    assert body["predecessors"] == [{"code": "001", "name": "Quận Ba Đình", "level": "district"}]
    assert body["successors"] == []
    ba_dinh = token_api.get("units/001/").json()
    assert ba_dinh["council"] is None
    assert ba_dinh["successors"][0]["code"] == unit.code


def test_a_reused_code_names_the_current_unit(token_api: Api, directory: SimpleNamespace) -> None:
    unit = directory.commune_a.unit
    AdministrativeUnit.objects.create(
        code=unit.code,
        name="Phường Đã Sáp Nhập",
        kind=UnitKind.WARD,
        level=UnitLevel.COMMUNE,
        valid_until=dt.date(2025, 6, 30),
    )
    assert token_api.get(f"units/{unit.code}/").json()["name"] == unit.name


def test_an_unknown_unit_code_is_a_404_that_says_so(token_api: Api) -> None:
    error = assert_error(token_api.get("units/99999/"), 404, "not_found")
    assert error["message"] == "No administrative unit has the code “99999”."
    for code in ["%00", "x" * 11, "0%2001", "%F0%9F%98%80"]:
        assert_error(token_api.get(f"units/{code}/"), 404, "not_found")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"level": "foo"}, "level"),
        ({"kind": "x"}, "kind"),
        ({"parent": "nope"}, "parent"),
        ({"include_former": "perhaps"}, "include_former"),
    ],
)
def test_bad_unit_filters_are_400s(
    token_api: Api, directory: SimpleNamespace, params: dict[str, str], field: str
) -> None:
    error = assert_error(token_api.get("units/", **params), 400, "invalid")
    assert list(error["fields"]) == [field]
    assert error["message"] == "The data sent is not valid."
