"""The memberships, committees and agencies endpoints."""

from types import SimpleNamespace

import pytest

from hdnd.councils.tests.api.api_client import Api, assert_error, names

pytestmark = pytest.mark.django_db


def test_memberships_are_filtered(token_api: Api, directory: SimpleNamespace) -> None:
    city = directory.city_council
    all_city = token_api.get("memberships/", council=city.pk)
    assert all_city.json()["count"] == 3
    active = token_api.get("memberships/", council=city.pk, active="true")
    active_people = [row["person"]["full_name"] for row in active.json()["results"]]
    assert "Phạm Minh Khôi" not in active_people
    assert "Trần Thị Hà" in active_people
    ended = token_api.get("memberships/", council=city.pk, active="false").json()["results"]
    assert [row["person"]["full_name"] for row in ended] == ["Phạm Minh Khôi"]
    chairs = token_api.get("memberships/", position="chair").json()["results"]
    assert [row["person"]["full_name"] for row in chairs] == ["Trần Thị Hà"]
    assert chairs[0]["term"]["id"] == directory.term.pk
    by_term = token_api.get("memberships/", term=directory.commune_term.pk).json()["results"]
    assert [row["person"]["full_name"] for row in by_term] == ["Lê Văn Đức"]
    by_name = token_api.get("memberships/", q="pham minh").json()["results"]
    assert [row["person"]["full_name"] for row in by_name] == ["Phạm Minh Khôi"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"active": "maybe"}, "active"),
        ({"position": "king"}, "position"),
        ({"term": "999999"}, "term"),
        ({"term": "x"}, "term"),
        ({"person": "-3"}, "person"),
    ],
)
def test_bad_membership_filters_are_400s(
    token_api: Api, directory: SimpleNamespace, params: dict[str, str], field: str
) -> None:
    error = assert_error(token_api.get("memberships/", **params), 400, "invalid")
    assert list(error["fields"]) == [field]


# Committees and agencies


def test_committees_show_their_current_seats(token_api: Api, directory: SimpleNamespace) -> None:
    listed = token_api.get("committees/", council=directory.city_council.pk)
    assert names(listed) == ["Ban Pháp chế"]
    [seat] = listed.json()["results"][0]["seats"]
    assert seat["person"] == {"id": directory.chair.pk, "full_name": "Trần Thị Hà"}
    assert seat["role"] == "head"
    with_inactive = token_api.get("committees/", include_inactive="true")
    assert set(names(with_inactive)) == {"Ban Pháp chế", "Ban Đã Giải Thể"}
    assert names(token_api.get("committees/", q="phap che")) == ["Ban Pháp chế"]
    detail = token_api.get(f"committees/{directory.committee.pk}/").json()
    assert detail["field_of_work"] == "Pháp luật"
    assert len(detail["seats"]) == 1
    assert_error(token_api.get("committees/0/"), 404, "not_found")


def test_agencies_show_their_current_officials(token_api: Api, directory: SimpleNamespace) -> None:
    assert names(token_api.get("agencies/", q="tu phap")) == ["Sở Tư pháp"]
    assert names(token_api.get("agencies/", kind="ubnd")) == ["Ủy ban nhân dân Phường A"]
    city_agencies = names(token_api.get("agencies/", council=directory.city_council.pk))
    assert city_agencies == ["Sở Tư pháp"]
    assert "Sở Cũ" in names(token_api.get("agencies/", include_inactive="true"))
    detail = token_api.get(f"agencies/{directory.justice.pk}/").json()
    assert detail["officials"] == [
        {
            "person": {"id": directory.director.pk, "full_name": "Hoàng Văn Giám"},
            "title": "Giám đốc",
            "is_head": True,
            "start_date": "2025-01-01",
            "end_date": None,
        }
    ]
    # The agency's office contacts are public; its officials' are not.
    assert detail["email"] == "stp@hanoi.gov.vn"
    assert "giam@hanoi.gov.vn" not in str(detail)
    error = assert_error(token_api.get("agencies/", kind="ministry"), 400, "invalid")
    assert list(error["fields"]) == ["kind"]
