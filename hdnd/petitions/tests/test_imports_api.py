"""The JSON import for other systems: idempotent on the source id, refusing each bad
item on its own, for the council's own tokens with petitions:write and its office."""

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hdnd.accounts.models import ApiScope, User
from hdnd.core.models import AuditEvent
from hdnd.councils.models import Agency, Council
from hdnd.petitions.importing.columns import COLUMNS_BY_KEY
from hdnd.petitions.models import (
    Answer,
    Channel,
    Petition,
    PetitionStatus,
    SessionCycle,
    VoterItem,
)
from hdnd.petitions.services import imports
from hdnd.petitions.tests.api_support import Api, assert_error, token_api

pytestmark = pytest.mark.django_db

WRITE = [ApiScope.PETITIONS_WRITE]


@pytest.fixture(autouse=True)
def _files_in_a_temporary_directory(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _today(time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 11, 20, 3, 0, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def catalogue(cycle: SessionCycle, agency_a: Agency, deadline_rules: Any) -> SessionCycle:
    return cycle


@pytest.fixture
def api(client: Client, city_council: Council, city_staff: User) -> Api:
    return token_api(client, city_council, city_staff, WRITE)


def path(council: Council) -> str:
    return f"councils/{council.pk}/petitions/import/"


ITEMS: list[dict[str, Any]] = [
    {
        "source_id": "QH-001",
        "text": "Đề nghị sửa đường Láng",
        "received_on": "2026-06-20",
        "field": "giao-thong",
        "level": "city",
        "voter_count": 3,
        "agency": "Sở Xây dựng",
        "channel": "hotline",
    },
    {
        "source_id": "QH-002",
        "text": "Đề nghị lắp đèn",
        "received_on": "2026-06-21",
        "agency": "Sở Xây dựng",
        "answered_on": "2026-08-01",
        "result": "resolved",
        "answer_text": "Đã lắp.",
        "verdict": "satisfactory",
    },
    {"source_id": "QH-003", "text": "Đề nghị", "received_on": "2026-02-30", "field": "vu-tru"},
]


def test_items_are_created_and_the_bad_one_reported(
    api: Api, city_council: Council, catalogue: SessionCycle, agency_a: Agency
) -> None:
    response = api.post(path(city_council), {"source_system": "Hanoi-Platform", "items": ITEMS})

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["source_system"], body["created"], body["unchanged"], body["refused"]) == (
        "hanoi-platform",
        2,
        0,
        1,
    )
    first, second, third = body["results"]
    assert first["status"] == "created"
    assert first["item_code"].startswith("KN-")
    assert first["petition_code"].startswith("01-2026-")
    assert first["errors"] == {}
    assert second["status"] == "created"
    assert third == {
        "source_id": "QH-003",
        "status": "error",
        "item_code": None,
        "petition_code": None,
        "errors": {
            "received_on": ["“2026-02-30” is not a valid date: there is no such day."],
            "field": ["Unknown field “vu-tru”: use a field's name or code from the list."],
        },
    }
    petition = Petition.objects.get(source_id="QH-001")
    assert (petition.status, petition.lead_agency, petition.voter_count) == (
        PetitionStatus.ASSIGNED,
        agency_a,
        3,
    )
    assert petition.source_system == "hanoi-platform"
    item = VoterItem.objects.get(source_id="QH-001")
    assert (item.channel, item.import_batch) == (Channel.API, None)
    assert Petition.objects.get(source_id="QH-002").status == PetitionStatus.RESOLVED
    assert Answer.objects.get(petition__source_id="QH-002").on_time is True


def test_sending_the_same_items_again_changes_nothing(
    api: Api, city_council: Council, catalogue: SessionCycle
) -> None:
    first = api.post(path(city_council), {"source_system": "hanoi", "items": ITEMS}).json()
    counts = (Petition.objects.count(), VoterItem.objects.count())

    again = api.post(path(city_council), {"source_system": "hanoi", "items": ITEMS}).json()

    assert (again["created"], again["unchanged"], again["refused"]) == (0, 2, 1)
    for before, after in zip(first["results"][:2], again["results"][:2], strict=True):
        assert after["status"] == "unchanged"
        assert (after["item_code"], after["petition_code"]) == (
            before["item_code"],
            before["petition_code"],
        )
    assert (Petition.objects.count(), VoterItem.objects.count()) == counts


def test_a_source_id_imported_from_a_file_is_unchanged_through_the_api(
    api: Api, city_council: Council, city_staff: User, catalogue: SessionCycle
) -> None:
    from hdnd.petitions.tests.data import import_files as files

    content = files.csv_bytes(["Mã", "Nội dung"], [["QH-001", "Đề nghị sửa đường Láng"]])
    batch = imports.preview_import(
        actor=city_staff,
        council=city_council,
        upload=files.upload("a.csv", content),
        source_system="hanoi",
    )
    imports.start_import(actor=city_staff, batch_id=batch.pk, background=False)
    imports.run_import_batch(batch_id=batch.pk)

    body = api.post(path(city_council), {"source_system": "hanoi", "items": ITEMS[:1]}).json()
    assert body["results"][0]["status"] == "unchanged"
    assert Petition.objects.filter(source_id="QH-001").count() == 1


def test_a_source_id_twice_in_one_call_is_an_error_the_second_time(
    api: Api, city_council: Council, catalogue: SessionCycle
) -> None:
    items = [ITEMS[0], {**ITEMS[0], "text": "Bản sao"}]
    body = api.post(path(city_council), {"source_system": "hanoi", "items": items}).json()

    assert [result["status"] for result in body["results"]] == ["created", "error"]
    assert body["results"][1]["errors"] == {
        "source_id": ["The id “QH-001” is already used by item 1 of this call."]
    }


def test_unknown_fields_and_wrong_types_are_reported_per_item(
    api: Api, city_council: Council, catalogue: SessionCycle
) -> None:
    items = [
        {"source_id": "A", "text": "Đề nghị", "txt": "typo"},
        {"source_id": "B", "text": ["not", "text"]},
        {"source_id": "C", "text": "Đề nghị", "voter_count": True},
        {"text": "Đề nghị"},
        {"source_id": "E", "text": "Đề nghị", "voter_count": "2 người"},
    ]
    body = api.post(path(city_council), {"source_system": "hanoi", "items": items}).json()

    assert [result["errors"] for result in body["results"]] == [
        {"txt": ["Unknown field."]},
        {"text": ["Expected a string or a number."]},
        {"voter_count": ["Expected a string or a number."]},
        {"source_id": ["The id (Mã) is required."]},
        {"voter_count": ["“2 người” is not a whole number: write only the digits, e.g. 12."]},
    ]
    assert not Petition.objects.exists()


def test_one_audit_event_per_call(api: Api, city_council: Council, catalogue: SessionCycle) -> None:
    before = AuditEvent.objects.count()
    api.post(path(city_council), {"source_system": "hanoi", "items": ITEMS})
    events = AuditEvent.objects.order_by("seq")[before:]
    assert [event.action for event in events] == ["petitions.import.api"]
    assert events[0].changes["created"] == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"items": ITEMS}, "source_system"),
        ({"source_system": "hanoi"}, "items"),
        ({"source_system": "hanoi", "items": []}, "items"),
        ({"source_system": "hanoi", "items": "QH-001"}, "items"),
        ({"source_system": "hanoi", "items": ["QH-001"]}, "items"),
        ({"source_system": "Hà Nội!", "items": ITEMS}, "source_system"),
        ({"source_system": "hanoi", "items": [ITEMS[0]] * 1001}, "items"),
    ],
)
def test_a_malformed_body_is_a_400_in_the_one_error_shape(
    api: Api, city_council: Council, catalogue: SessionCycle, body: Any, field: str
) -> None:
    error = assert_error(api.post(path(city_council), body), 400)
    assert field in error["fields"]
    assert not Petition.objects.exists()


@pytest.mark.parametrize(
    "raw", ["{not json", "[1, 2]", '"text"', "null", '{"source_system": "x", "items": NaN}']
)
def test_a_body_that_is_not_a_json_object_is_a_400(
    api: Api, city_council: Council, catalogue: SessionCycle, raw: str
) -> None:
    assert_error(api.post(path(city_council), raw=raw), 400)


def test_a_form_encoded_body_is_refused(
    client: Client, city_council: Council, city_staff: User, catalogue: SessionCycle
) -> None:
    api = token_api(client, city_council, city_staff, WRITE)
    response = client.post(
        f"/api/v1/{path(city_council)}",
        {"source_system": "hanoi"},
        headers=api.headers,
    )
    assert_error(response, 415)


def test_a_token_of_another_council_is_refused(
    client: Client,
    city_council: Council,
    commune_a: Council,
    city_staff: User,
    catalogue: SessionCycle,
) -> None:
    other = token_api(client, commune_a, city_staff, WRITE)
    error = assert_error(
        other.post(path(city_council), {"source_system": "hanoi", "items": ITEMS}), 403
    )
    assert error["message"] == "This API token belongs to another council."
    assert not Petition.objects.exists()


def test_a_token_without_the_write_scope_is_refused(
    client: Client, city_council: Council, city_staff: User, catalogue: SessionCycle
) -> None:
    reader = token_api(client, city_council, city_staff, [ApiScope.PETITIONS_READ])
    error = assert_error(
        reader.post(path(city_council), {"source_system": "hanoi", "items": ITEMS}), 403
    )
    assert "petitions:write" in error["message"]


def test_without_credentials_the_answer_is_401(client: Client, city_council: Council) -> None:
    assert_error(Api(client).post(path(city_council), {"source_system": "x", "items": ITEMS}), 401)


def test_an_unknown_council_is_a_404(api: Api) -> None:
    assert_error(api.post("councils/999999/petitions/import/", {}), 404)
    assert_error(api.post("councils/abc/petitions/import/", {}), 404)


def test_the_councils_office_may_call_it_with_its_session(
    client: Client,
    login: Callable[[Client, User], Client],
    city_council: Council,
    city_staff: User,
    catalogue: SessionCycle,
) -> None:
    api = Api(login(client, city_staff))
    response = api.post(path(city_council), {"source_system": "hanoi", "items": ITEMS[:1]})
    assert response.status_code == 200
    assert Petition.objects.get().created_by == city_staff


@pytest.mark.parametrize("persona", ["outsider", "responder_b", "delegate_user"])
def test_other_people_are_refused(
    client: Client,
    login: Callable[[Client, User], Client],
    city_council: Council,
    catalogue: SessionCycle,
    persona: str,
    request: Any,
) -> None:
    api = Api(login(client, request.getfixturevalue(persona)))
    assert_error(api.post(path(city_council), {"source_system": "hanoi", "items": ITEMS}), 403)
    assert not Petition.objects.exists()


JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
    | st.sampled_from(["2026-06-20", "20/06/2026", "31/02/2026", "3", "thứ ba", "Sở Xây dựng"])
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=5,
)
ITEM_KEYS = st.sampled_from([*COLUMNS_BY_KEY, "txt", ""])


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    items=st.lists(st.dictionaries(ITEM_KEYS, JSON_VALUES, max_size=8), max_size=4) | JSON_VALUES,
    source_system=JSON_SCALARS,
)
def test_random_bodies_never_break_the_import(
    api: Api, city_council: Council, catalogue: SessionCycle, items: Any, source_system: Any
) -> None:
    response = api.post(path(city_council), {"source_system": source_system, "items": items})
    assert response.status_code in (200, 400), response.content
    if response.status_code == 400:
        assert_error(response, 400)
