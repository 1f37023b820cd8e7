"""The people endpoints: who is listed, what a person shows, and who sees contact details."""

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

from hdnd.accounts.models import ApiScope
from hdnd.councils.models import CommitteeRole, CommitteeSeat
from hdnd.councils.tests.api.api_client import Api, api_token, assert_error, names
from hdnd.testing import factories

pytestmark = pytest.mark.django_db


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
    raw = api_token(city_council, admin, [ApiScope.DIRECTORY_READ])
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
