"""The directory API: every endpoint, its filters, paging, query counts and privacy."""

import datetime as dt
import os
import re
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import drf_spectacular_sidecar
import pytest
import yaml
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from drf_spectacular.validation import validate_schema

from hdnd.accounts.models import ApiScope, ApiToken
from hdnd.accounts.tokens import create_api_token
from hdnd.councils.models import (
    AdministrativeUnit,
    AgencyKind,
    CommitteeRole,
    CommitteeSeat,
    Position,
    UnitKind,
    UnitLevel,
    UnitSuccession,
)
from hdnd.testing import factories

pytestmark = pytest.mark.django_db


class Api:
    """A client of /api/v1/ that asks for English, the msgid language of our messages."""

    def __init__(self, client: Client, headers: dict[str, str] | None = None) -> None:
        self.client = client
        self.headers = {"Accept-Language": "en", **(headers or {})}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1/{path}", params, headers=self.headers)


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["message"]
    if code is not None:
        assert body["error"]["code"] == code
    return body["error"]


def names(response: Any, key: str = "name") -> list[str]:
    assert response.status_code == 200, response.content
    return [row[key] for row in response.json()["results"]]


@pytest.fixture(autouse=True)
def _today(time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC), tick=False)


def _token(council: Any, actor: Any, scopes: list[str]) -> str:
    token, raw = create_api_token(
        actor=actor, council=council, name="Cổng thông tin", scopes=scopes
    )
    # Used a moment ago: no last-use write in the requests under test.
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return raw


@pytest.fixture
def token_api(client: Client, city_council: Any, city_staff: Any) -> Api:
    raw = _token(city_council, city_staff, [ApiScope.DIRECTORY_READ])
    return Api(client, {"Authorization": f"Bearer {raw}"})


@pytest.fixture
def session_api(client: Client, login: Callable[..., Client]) -> Callable[[Any], Api]:
    def _as(user: Any) -> Api:
        return Api(login(client, user))

    return _as


@pytest.fixture
def directory(city_council: Any, commune_a: Any, commune_b: Any) -> SimpleNamespace:
    province = city_council.unit
    term = factories.TermFactory(council=city_council)
    commune_term = factories.TermFactory(council=commune_a, number=1, name="Khóa I")

    chair = factories.PersonFactory(
        full_name="Trần Thị Hà",
        gender="female",
        birth_date=dt.date(1970, 5, 1),
        email="tran.thi.ha@hanoi.gov.vn",
        phone="0241234567",
    )
    chair_seat = factories.MembershipFactory(
        person=chair, term=term, position=Position.CHAIR, is_full_time=True
    )
    former = factories.PersonFactory(full_name="Phạm Minh Khôi")
    factories.MembershipFactory(
        person=former, term=term, end_date=dt.date(2026, 6, 30), end_reason="Chuyển công tác"
    )
    commune_delegate = factories.PersonFactory(
        full_name="Lê Văn Đức", email="le.van.duc@example.vn", phone="0912000111"
    )
    factories.MembershipFactory(person=commune_delegate, term=commune_term)
    staff_only = factories.PersonFactory(full_name="Nhân Viên Văn Phòng")

    committee = factories.CommitteeFactory(
        council=city_council, name="Ban Pháp chế", field_of_work="Pháp luật"
    )
    CommitteeSeat.objects.create(
        committee=committee,
        membership=chair_seat,
        role=CommitteeRole.HEAD,
        start_date=term.start_date,
    )
    CommitteeSeat.objects.create(
        committee=committee,
        membership=factories.MembershipFactory(term=term),
        role=CommitteeRole.MEMBER,
        start_date=term.start_date,
        end_date=dt.date(2026, 9, 1),
    )
    inactive_committee = factories.CommitteeFactory(
        council=city_council, name="Ban Đã Giải Thể", is_active=False
    )

    justice = factories.AgencyFactory(
        council=city_council,
        kind=AgencyKind.DEPARTMENT,
        name="Sở Tư pháp",
        email="stp@hanoi.gov.vn",
        phone="0243000000",
    )
    director = factories.PersonFactory(
        full_name="Hoàng Văn Giám",
        email="giam@hanoi.gov.vn",
        birth_date=dt.date(1968, 2, 3),
        occupation="Giám đốc Sở Tư pháp",
    )
    factories.AgencyOfficialFactory(
        agency=justice,
        person=director,
        title="Giám đốc",
        is_head=True,
        start_date=dt.date(2025, 1, 1),
    )
    factories.AgencyOfficialFactory(
        agency=justice,
        person=factories.PersonFactory(full_name="Đỗ Văn Cũ"),
        title="Phó Giám đốc",
        start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2024, 12, 31),
    )
    commune_committee = factories.AgencyFactory(
        council=commune_a, kind=AgencyKind.PEOPLES_COMMITTEE, name="Ủy ban nhân dân Phường A"
    )
    closed_agency = factories.AgencyFactory(council=city_council, name="Sở Cũ", is_active=False)

    ba_dinh = AdministrativeUnit.objects.create(
        code="001",
        name="Quận Ba Đình",
        kind=UnitKind.URBAN_DISTRICT,
        level=UnitLevel.DISTRICT,
        parent=province,
        valid_until=dt.date(2025, 6, 30),
        search_text="quan ba dinh",
    )
    UnitSuccession.objects.create(
        predecessor=ba_dinh, successor=commune_a.unit, effective_date=dt.date(2025, 7, 1)
    )
    return SimpleNamespace(**locals())


# Who may call


ENDPOINTS = [
    "units/",
    "units/01/",
    "councils/",
    "terms/",
    "people/",
    "memberships/",
    "committees/",
    "agencies/",
]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_anonymous_callers_get_a_401_in_the_error_shape(client: Client, path: str) -> None:
    response = Api(client).get(path)
    error = assert_error(response, 401, "not_authenticated")
    assert error["message"] == "Sign in or send a valid API token."
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


@pytest.mark.parametrize("path", ENDPOINTS)
def test_a_token_without_the_directory_scope_is_refused(
    client: Client, city_council: Any, city_staff: Any, path: str
) -> None:
    raw = _token(city_council, city_staff, [])
    response = Api(client, {"Authorization": f"Bearer {raw}"}).get(path)
    error = assert_error(response, 403, "missing_scope")
    assert "directory:read" in error["message"]


def test_a_signed_in_person_reads_the_directory_without_a_token(
    session_api: Callable[[Any], Api], outsider: Any, directory: SimpleNamespace
) -> None:
    assert "Sở Tư pháp" in names(session_api(outsider).get("agencies/"))


# Units


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


@pytest.mark.parametrize("path", ["units/", "councils/", "people/", "memberships/", "agencies/"])
def test_a_nul_byte_in_a_search_is_a_400(token_api: Api, path: str) -> None:
    error = assert_error(token_api.get(path, q="ha\x00noi"), 400, "invalid")
    assert list(error["fields"]) == ["q"]


# Councils and terms


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


@pytest.mark.parametrize("value", ["abc", "0", "999999", "99999999999999999999", "1e3"])
def test_a_bad_council_filter_is_a_400_naming_the_parameter(
    token_api: Api, directory: SimpleNamespace, value: str
) -> None:
    for path in ["terms/", "people/", "memberships/", "committees/", "agencies/"]:
        error = assert_error(token_api.get(path, council=value), 400, "invalid")
        assert list(error["fields"]) == ["council"]
    error = assert_error(token_api.get("councils/", parent=value), 400, "invalid")
    assert list(error["fields"]) == ["parent"]


# People


def test_people_are_the_directory_not_everyone(token_api: Api, directory: SimpleNamespace) -> None:
    listed = names(token_api.get("people/", page_size=100), key="full_name")
    assert "Trần Thị Hà" in listed
    assert "Hoàng Văn Giám" in listed
    assert "Nhân Viên Văn Phòng" not in listed
    assert_error(token_api.get(f"people/{directory.staff_only.pk}/"), 404, "not_found")


def test_people_search_ignores_diacritics_and_filters_by_council(
    token_api: Api, directory: SimpleNamespace
) -> None:
    assert names(token_api.get("people/", q="tran thi ha"), key="full_name") == ["Trần Thị Hà"]
    assert names(token_api.get("people/", q="duc"), key="full_name") == ["Lê Văn Đức"]
    in_commune = token_api.get("people/", council=directory.commune_a.pk)
    assert names(in_commune, key="full_name") == ["Lê Văn Đức"]
    row = token_api.get("people/", q="tran thi ha").json()["results"][0]
    assert row == {
        "id": directory.chair.pk,
        "full_name": "Trần Thị Hà",
        "gender": "female",
        "birth_year": 1970,
    }


def test_a_person_shows_their_seats_and_posts(token_api: Api, directory: SimpleNamespace) -> None:
    body = token_api.get(f"people/{directory.chair.pk}/").json()
    assert body["full_name"] == "Trần Thị Hà"
    [seat] = body["memberships"]
    assert seat["council"]["id"] == directory.city_council.pk
    assert seat["term"]["name"] == "Khóa XVII"
    assert seat["position"] == "chair"
    assert seat["committee_seats"][0]["committee"]["name"] == "Ban Pháp chế"
    assert seat["committee_seats"][0]["role"] == "head"
    assert body["official_posts"] == []
    director = token_api.get(f"people/{directory.director.pk}/").json()
    assert director["official_posts"][0]["agency"]["name"] == "Sở Tư pháp"
    assert director["official_posts"][0]["title"] == "Giám đốc"


def test_an_official_who_is_not_a_delegate_shows_only_name_and_posts(
    token_api: Api, directory: SimpleNamespace
) -> None:
    detail = token_api.get(f"people/{directory.director.pk}/").json()
    assert detail["gender"] == ""
    assert detail["birth_year"] is None
    assert detail["occupation"] == ""
    [row] = token_api.get("people/", q="hoang van giam").json()["results"]
    assert row == {
        "id": directory.director.pk,
        "full_name": "Hoàng Văn Giám",
        "gender": "",
        "birth_year": None,
    }


# Contact details


def test_tokens_never_see_contact_details(token_api: Api, directory: SimpleNamespace) -> None:
    body = token_api.get(f"people/{directory.chair.pk}/").json()
    assert body["contact"] is None
    assert "tran.thi.ha@hanoi.gov.vn" not in str(body)


def test_a_superusers_token_still_sees_no_contact(
    client: Client, city_council: Any, directory: SimpleNamespace
) -> None:
    admin = factories.UserFactory(is_superuser=True, is_staff=True)
    raw = _token(city_council, admin, [ApiScope.DIRECTORY_READ])
    body = Api(client, {"Authorization": f"Bearer {raw}"}).get(f"people/{directory.chair.pk}/")
    assert body.json()["contact"] is None


def test_the_outsider_sees_no_contact_of_another_commune(
    session_api: Callable[[Any], Api], outsider: Any, directory: SimpleNamespace
) -> None:
    body = session_api(outsider).get(f"people/{directory.commune_delegate.pk}/").json()
    assert body["full_name"] == "Lê Văn Đức"
    assert body["contact"] is None
    assert "0912000111" not in str(body)


def test_an_officer_of_the_commune_sees_its_delegates_contact(
    session_api: Callable[[Any], Api], commune_officer: Any, directory: SimpleNamespace
) -> None:
    body = session_api(commune_officer).get(f"people/{directory.commune_delegate.pk}/").json()
    assert body["contact"] == {"email": "le.van.duc@example.vn", "phone": "0912000111"}


def test_lists_never_carry_contact_details(
    session_api: Callable[[Any], Api], commune_officer: Any, directory: SimpleNamespace
) -> None:
    api = session_api(commune_officer)
    for path in ["people/", "memberships/", "committees/"]:
        text = api.get(path, page_size=100).content.decode()
        assert "le.van.duc@example.vn" not in text
        assert "tran.thi.ha@hanoi.gov.vn" not in text


# Memberships


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


# Paging


def test_lists_are_paged(token_api: Api, directory: SimpleNamespace) -> None:
    factories.CommuneCouncilFactory.create_batch(3, parent=directory.city_council)
    body = token_api.get("councils/", page_size=2, page=2).json()
    assert set(body) == {"count", "page", "pages", "next", "previous", "results"}
    assert body["count"] == 6
    assert body["page"] == 2
    assert body["pages"] == 3
    assert "page=3" in body["next"]
    assert body["previous"].startswith("http://testserver/api/v1/councils/")
    assert len(body["results"]) == 2


@pytest.mark.parametrize(
    ("params", "status", "field"),
    [
        ({"page": "999"}, 404, "page"),
        ({"page": "0"}, 400, "page"),
        ({"page": "abc"}, 400, "page"),
        ({"page_size": "0"}, 400, "page_size"),
        ({"page_size": "-5"}, 400, "page_size"),
        ({"page_size": "501"}, 400, "page_size"),
        ({"level": "foo"}, 400, "level"),
        ({"q": "x" * 201}, 400, "q"),
    ],
)
def test_bad_paging_and_filters_answer_in_the_error_shape(
    token_api: Api, directory: SimpleNamespace, params: dict[str, str], status: int, field: str
) -> None:
    error = assert_error(token_api.get("councils/", **params), status)
    assert list(error["fields"]) == [field]


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


# Query counts: a page costs the same whatever its size.


def _add_units(n: int, ctx: SimpleNamespace) -> None:
    factories.CommuneUnitFactory.create_batch(n)


def _add_councils(n: int, ctx: SimpleNamespace) -> None:
    factories.CommuneCouncilFactory.create_batch(n, parent=ctx.city)


def _add_terms(n: int, ctx: SimpleNamespace) -> None:
    for council in factories.CommuneCouncilFactory.create_batch(n, parent=ctx.city):
        factories.TermFactory(council=council)


def _add_memberships(n: int, ctx: SimpleNamespace) -> None:
    factories.MembershipFactory.create_batch(n, term=ctx.term)


def _add_committees(n: int, ctx: SimpleNamespace) -> None:
    for committee in factories.CommitteeFactory.create_batch(n, council=ctx.city):
        for role in (CommitteeRole.HEAD, CommitteeRole.MEMBER):
            CommitteeSeat.objects.create(
                committee=committee,
                membership=factories.MembershipFactory(term=ctx.term),
                role=role,
                start_date=ctx.term.start_date,
            )


def _add_agencies(n: int, ctx: SimpleNamespace) -> None:
    for agency in factories.AgencyFactory.create_batch(n, council=ctx.city):
        for is_head in (True, False):
            factories.AgencyOfficialFactory(
                agency=agency,
                person=factories.PersonFactory(),
                title="Giám đốc" if is_head else "Phó Giám đốc",
                is_head=is_head,
                start_date=dt.date(2025, 1, 1),
            )


# (path, how to add rows, queries: token check + count + page + one per prefetch)
LISTS = [
    ("units/", _add_units, 3),
    ("councils/", _add_councils, 3),
    ("terms/", _add_terms, 3),
    ("people/", _add_memberships, 3),
    ("memberships/", _add_memberships, 3),
    ("committees/", _add_committees, 4),
    ("agencies/", _add_agencies, 4),
]


@pytest.mark.parametrize(("path", "add_rows", "queries"), LISTS)
def test_list_pages_run_a_fixed_number_of_queries(
    token_api: Api,
    city_council: Any,
    django_assert_num_queries: Any,
    path: str,
    add_rows: Callable[[int, SimpleNamespace], None],
    queries: int,
) -> None:
    ctx = SimpleNamespace(city=city_council, term=factories.TermFactory(council=city_council))
    add_rows(1, ctx)
    with django_assert_num_queries(queries):
        small = token_api.get(path, page_size=100)
    add_rows(19, ctx)
    with django_assert_num_queries(queries):
        large = token_api.get(path, page_size=100)
    assert small.status_code == large.status_code == 200
    assert large.json()["count"] - small.json()["count"] == 19


def test_the_person_page_runs_a_fixed_number_of_queries(
    token_api: Api, directory: SimpleNamespace, django_assert_num_queries: Any
) -> None:
    # Token, person, memberships, their committee seats, agency posts.
    with django_assert_num_queries(5):
        token_api.get(f"people/{directory.chair.pk}/")
    for _ in range(5):
        seat = factories.MembershipFactory(
            person=directory.chair,
            term=factories.TermFactory(
                council=factories.CommuneCouncilFactory(parent=directory.city_council)
            ),
        )
        CommitteeSeat.objects.create(
            committee=directory.committee,
            membership=seat,
            role=CommitteeRole.MEMBER,
            start_date=seat.start_date,
        )
    with django_assert_num_queries(5):
        body = token_api.get(f"people/{directory.chair.pk}/").json()
    assert len(body["memberships"]) == 6


# The schema and its documentation page


DIRECTORY_PATHS = {
    "/api/v1/units/",
    "/api/v1/units/{code}/",
    "/api/v1/councils/",
    "/api/v1/councils/{council_id}/",
    "/api/v1/councils/{council_id}/terms/",
    "/api/v1/terms/",
    "/api/v1/people/",
    "/api/v1/people/{person_id}/",
    "/api/v1/memberships/",
    "/api/v1/committees/",
    "/api/v1/committees/{committee_id}/",
    "/api/v1/agencies/",
    "/api/v1/agencies/{agency_id}/",
}


def test_the_schema_is_valid_openapi_3_and_lists_the_directory(client: Client) -> None:
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)
    assert set(schema["paths"]) >= DIRECTORY_PATHS
    units = schema["paths"]["/api/v1/units/"]["get"]
    assert {"level", "kind", "parent", "include_former", "q", "page", "page_size"} <= {
        parameter["name"] for parameter in units["parameters"]
    }
    assert units["responses"]["200"]["content"]["application/json"]["schema"]["$ref"] == (
        "#/components/schemas/PaginatedUnitList"
    )
    assert {"apiToken": []} in units["security"]
    assert schema["components"]["securitySchemes"]["apiToken"]["scheme"] == "bearer"


def test_every_error_response_in_the_schema_is_the_one_error_shape(client: Client) -> None:
    schema = yaml.safe_load(client.get("/api/schema/").content)
    for path in DIRECTORY_PATHS:
        responses = schema["paths"][path]["get"]["responses"]
        assert {"401", "403", "404"} <= set(responses), path
        for status, response in responses.items():
            if status.startswith("4"):
                ref = response["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/Error", (path, status)
    error = schema["components"]["schemas"]["ErrorDetail"]
    assert set(error["properties"]) == {"code", "message", "fields"}


def test_the_schema_generates_without_a_warning() -> None:
    # --fail-on-warn turns every warning (an unresolved type, an enum name collision, a
    # view the generator cannot read) into a failure.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", os.devnull)


def test_the_docs_page_serves_swagger_ui_from_our_own_static_files(client: Client) -> None:
    response = client.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "cdn.jsdelivr.net" not in page
    assets = re.findall(r"/static/(drf_spectacular_sidecar/[\w./-]+)", page)
    assert {
        "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js",
        "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css",
    } <= set(assets)
    # Each one ships in the pip package, found by the app-directories static finder.
    package_static = Path(drf_spectacular_sidecar.__file__).parent / "static"
    for asset in assets:
        assert (package_static / asset).is_file(), asset
