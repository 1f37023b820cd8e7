"""Who the audit trail names when a council's system acts through the API with a token:
"token:<name> [<prefix>] (<council>)", never an empty name and never a person (the token
has no user row); a person is named by their username as before. The chain still
verifies."""

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from hdnd.accounts.models import ApiScope, ApiToken, User
from hdnd.core.audit import actor_label, verify_chain
from hdnd.core.models import AuditEvent
from hdnd.councils.models import Agency, Council
from hdnd.petitions.models import Petition, PetitionStatus, SessionCycle
from hdnd.petitions.tests.api_support import Api, token_api
from hdnd.testing import petition_factories as pf

pytestmark = pytest.mark.django_db

SCOPES = [ApiScope.PETITIONS_READ, ApiScope.PETITIONS_WRITE]


@pytest.fixture(autouse=True)
def _today(time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def system(city_council: Council, city_staff: User) -> Api:
    return token_api(Client(), city_council, city_staff, SCOPES)


def token_label(council: Council) -> str:
    token = ApiToken.objects.get(council=council)
    return f"token:Hệ thống [{token.prefix}] ({council.name})"


def test_an_item_a_system_sends_is_audited_under_its_token(
    system: Api, city_council: Council, cycle: SessionCycle
) -> None:
    response = system.post(
        f"councils/{city_council.pk}/items/",
        {"text": "Đề nghị lắp đèn ngõ 15 phố Kim Mã", "source_system": "dvc", "source_id": "1"},
    )
    assert response.status_code == 201, response.content

    event = AuditEvent.objects.get(action="petitions.item.receive")
    assert event.actor is None
    assert event.actor_label == token_label(city_council)
    assert verify_chain()[1] == []


def test_a_petition_change_by_a_token_names_it_in_the_audit_but_not_on_the_timeline(
    system: Api, city_council: Council, cycle: SessionCycle, agency_a: Agency
) -> None:
    petition = pf.PetitionFactory(
        raised_in=cycle,
        status=PetitionStatus.ASSIGNED,
        lead_agency=agency_a,
        assigned_on=dt.date(2026, 10, 21),
        due_on=dt.date(2026, 11, 20),
    )
    response = system.post(
        f"petitions/{petition.pk}/answers/",
        {
            "expected_version": 1,
            "text": "Sở Xây dựng đã sửa chữa mặt đường.",
            "result": "resolved",
            "answered_on": "2026-11-18",
        },
    )
    assert response.status_code == 201, response.content

    event = AuditEvent.objects.get(action="petition.answered")
    assert (event.actor, event.actor_label) == (None, token_label(city_council))
    # The timeline names people only.
    assert Petition.objects.get(pk=petition.pk).events.get(kind="answered").actor is None


def test_a_json_import_by_a_token_names_it(system: Api, city_council: Council) -> None:
    response = system.post(
        f"councils/{city_council.pk}/petitions/import/",
        {"source_system": "ihanoi", "items": [{"source_id": "A-1", "text": "Đề nghị"}]},
    )
    assert response.status_code == 200, response.content
    event = AuditEvent.objects.get(action="petitions.import.api")
    assert event.actor_label == token_label(city_council)


def test_a_person_is_still_named_by_their_username(
    client: Client, login: Any, city_staff: User, city_council: Council, cycle: SessionCycle
) -> None:
    office = Api(login(client, city_staff))
    response = office.post(
        f"councils/{city_council.pk}/items/",
        {"text": "Đề nghị nạo vét mương", "channel": "hotline"},
    )
    assert response.status_code == 201, response.content
    event = AuditEvent.objects.get(action="petitions.item.receive")
    assert (event.actor, event.actor_label) == (city_staff, city_staff.username)


def test_the_chain_written_by_people_and_tokens_verifies(
    system: Api,
    client: Client,
    login: Any,
    city_staff: User,
    city_council: Council,
    cycle: SessionCycle,
) -> None:
    office = Api(login(client, city_staff))
    for n, api in enumerate([system, office, system]):
        response = api.post(
            f"councils/{city_council.pk}/items/",
            {"text": f"Kiến nghị số {n}", "channel": "api" if api is system else "letter"},
        )
        assert response.status_code == 201, response.content
    received = AuditEvent.objects.filter(action="petitions.item.receive").order_by("seq")
    labels = list(received.values_list("actor_label", flat=True))
    assert labels == [token_label(city_council), city_staff.username, token_label(city_council)]
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "Audit trail intact" in out.getvalue()
    assert verify_chain()[1] == []


def test_a_long_token_name_is_cut_to_fit_and_keeps_the_prefix() -> None:
    council = Council(name="Hội đồng nhân dân Thành phố Hà Nội")
    token = ApiToken(council=council, name="Hệ thống " * 30, prefix="abcd1234")

    class Caller:
        pk = None

        def __init__(self) -> None:
            self.token = token

    label = actor_label(Caller())
    assert len(label) <= 150
    assert label.startswith("token:Hệ thống Hệ thống")
    assert "[abcd1234] (Hội đồng nhân dân Thành phố Hà Nội)" in label
    assert actor_label(None) == ""
