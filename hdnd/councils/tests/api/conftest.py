"""Fixtures of the directory API tests: a fixed day, callers with a token or a session,
and a small directory to read."""

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

from hdnd.accounts.models import ApiScope
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
from hdnd.councils.tests.api.api_client import Api, api_token
from hdnd.testing import factories


@pytest.fixture(autouse=True)
def _today(time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def token_api(client: Client, city_council: Any, city_staff: Any) -> Api:
    raw = api_token(city_council, city_staff, [ApiScope.DIRECTORY_READ])
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
