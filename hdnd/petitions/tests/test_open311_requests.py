"""Open311 GeoReport v2 service requests: published petitions, their filters, JSON and
XML, and the error arrays for bad input and writes."""

import datetime as dt
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hdnd.councils.models import Agency, Council
from hdnd.petitions.models import (
    Answer,
    Petition,
    PetitionStatus,
    ResultCategory,
    SessionCycle,
)
from hdnd.testing import petition_factories as pf

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"


def publish(petition: Petition, agency: Agency | None = None, **fields: Any) -> Answer:
    values: dict[str, Any] = {
        "text": "Đã trả lời.",
        "result": ResultCategory.WILL_RESOLVE,
        "answered_on": dt.date(2026, 8, 1),
        "published_at": timezone.now(),
    }
    values.update(fields)
    return Answer.objects.create(petition=petition, agency=agency, **values)


def published(
    cycle: SessionCycle, *, received_on: dt.date = dt.date(2026, 6, 20), **fields: Any
) -> Petition:
    answer_fields = fields.pop("answer", {})
    fields.setdefault("status", PetitionStatus.ANSWERED)
    petition = pf.PetitionFactory(raised_in=cycle, **fields)
    pf.VoterItemFactory(council=petition.council, petition=petition, received_on=received_on)
    publish(petition, fields.get("lead_agency"), **answer_fields)
    return petition


def parse_xml(content: bytes) -> ET.Element:
    # Our own server's output, in a test: nothing untrusted is parsed.
    return ET.fromstring(content)  # noqa: S314


def get_json(client: Client, path: str, params: dict[str, Any] | None = None) -> Any:
    response = client.get(f"{BASE}/{path}", params or {})
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def ids(client: Client, params: dict[str, Any]) -> set[str]:
    return {row["service_request_id"] for row in get_json(client, "requests.json", params)}


def error_of(response: Any, status: int) -> str:
    assert response.status_code == status, response.content
    errors = json.loads(response.content)
    assert isinstance(errors, list)
    assert errors[0]["code"] == status
    assert errors[0]["description"]
    return str(errors[0]["description"])


def test_requests_are_the_published_petitions(
    client: Client, cycle: SessionCycle, agency_a: Agency, commune_a: Council, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "en"
    petition = published(
        cycle,
        title="Cải tạo vỉa hè phố Tràng Tiền",
        lead_agency=agency_a,
        field=pf.field("giao-thong"),
        unit=commune_a.unit,
        due_on=dt.date(2026, 8, 19),
        received_on=dt.date(2026, 6, 18),
        answer={
            "result": ResultCategory.IN_PROGRESS,
            "roadmap": "2027",
            "planned_completion": dt.date(2027, 1, 1),
        },
    )
    unpublished = pf.PetitionFactory(raised_in=cycle)
    publish(unpublished, published_at=None)
    pf.PetitionFactory(raised_in=cycle)

    rows = get_json(client, "requests.json")
    assert [row["service_request_id"] for row in rows] == [petition.code]
    row = rows[0]
    assert row["status"] == "open"
    assert row["status_notes"] == str(ResultCategory.IN_PROGRESS.label)
    assert row["service_code"] == "giao-thong"
    assert row["service_name"] == "Giao thông"
    assert row["description"] == "Cải tạo vỉa hè phố Tràng Tiền"
    assert row["agency_responsible"] == "Sở Xây dựng"
    assert row["requested_datetime"] == "2026-06-18T00:00:00+07:00"
    assert row["expected_datetime"] == "2026-08-19T00:00:00+07:00"
    assert row["updated_datetime"].endswith("+07:00")
    assert row["address"] == f"{commune_a.unit.name}, Thành phố Hà Nội"
    for omitted in ("zipcode", "lat", "long", "media_url", "address_id"):
        assert omitted not in row


def test_a_resolved_or_merged_petition_is_closed(client: Client, cycle: SessionCycle) -> None:
    resolved = published(cycle, status=PetitionStatus.RESOLVED)
    target = published(cycle)
    merged = published(cycle, status=PetitionStatus.MERGED, merged_into=target)
    rows = {row["service_request_id"]: row for row in get_json(client, "requests.json")}
    assert rows[resolved.code]["status"] == "closed"
    assert rows[merged.code]["status"] == "closed"
    assert target.code in rows[merged.code]["status_notes"]
    assert rows[target.code]["status"] == "open"


def test_the_requests_in_xml_follow_the_spec(
    client: Client, cycle: SessionCycle, agency_a: Agency
) -> None:
    petition = published(cycle, title="Đèn & <chiếu sáng> \x0b ngõ 5", lead_agency=agency_a)
    response = client.get(f"{BASE}/requests.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    root = parse_xml(response.content)
    assert root.tag == "service_requests"
    requests = root.findall("request")
    assert len(requests) == 1
    request = requests[0]
    assert request.findtext("service_request_id") == petition.code
    assert request.findtext("status") == "open"
    assert request.findtext("description") == "Đèn & <chiếu sáng>  ngõ 5"
    assert request.findtext("agency_responsible") == "Sở Xây dựng"
    assert request.find("service_notice") is not None
    assert request.find("lat") is None


def test_requests_filter_by_service_status_dates_and_jurisdiction(
    client: Client, cycle: SessionCycle, commune_a: Council
) -> None:
    roads = published(cycle, field=pf.field("giao-thong"), received_on=dt.date(2026, 5, 2))
    schools = published(
        cycle,
        field=pf.field("giao-duc"),
        status=PetitionStatus.RESOLVED,
        received_on=dt.date(2026, 6, 10),
    )
    commune = published(
        pf.SessionCycleFactory(term__council=commune_a),
        code="90001-2026-0001",
        received_on=dt.date(2026, 7, 1),
    )
    everything = {roads.code, schools.code, commune.code}
    assert ids(client, {}) == everything
    assert ids(client, {"service_code": "giao-thong"}) == {roads.code}
    assert ids(client, {"service_code": "giao-thong,giao-duc"}) == {roads.code, schools.code}
    assert ids(client, {"status": "closed"}) == {schools.code}
    assert ids(client, {"status": "open"}) == {roads.code, commune.code}
    assert ids(client, {"status": "open,closed"}) == everything
    assert ids(client, {"start_date": "2026-06-01T00:00:00+07:00"}) == {
        schools.code,
        commune.code,
    }
    assert ids(client, {"end_date": "2026-06-10T23:59:59Z"}) == {roads.code, schools.code}
    assert ids(
        client, {"start_date": "2026-06-10T00:00:00Z", "end_date": "2026-06-30T00:00:00Z"}
    ) == {schools.code}
    assert ids(client, {"start_date": "2026-06-01"}) == {schools.code, commune.code}
    assert ids(client, {"jurisdiction_id": commune_a.unit.code}) == {commune.code}
    assert ids(client, {"jurisdiction_id": cycle.council.unit.code}) == {
        roads.code,
        schools.code,
    }
    # service_request_id overrides the other filters.
    assert ids(
        client, {"service_request_id": f"{roads.code},{commune.code}", "status": "closed"}
    ) == {
        roads.code,
        commune.code,
    }


def test_an_unencoded_timezone_offset_is_still_understood(
    client: Client, cycle: SessionCycle
) -> None:
    petition = published(cycle, received_on=dt.date(2026, 6, 10))
    # "+07:00" typed into a query string without encoding arrives as " 07:00".
    response = client.get(f"{BASE}/requests.json?start_date=2026-06-10T00:00:00+07:00")
    assert response.status_code == 200
    assert [row["service_request_id"] for row in json.loads(response.content)] == [petition.code]


def test_requests_page_through_with_page_and_page_size(client: Client, cycle: SessionCycle) -> None:
    for day in range(1, 6):
        published(cycle, received_on=dt.date(2026, 6, day))
    first = get_json(client, "requests.json", {"page_size": 2})
    third = get_json(client, "requests.json", {"page_size": 2, "page": 3})
    beyond = get_json(client, "requests.json", {"page_size": 2, "page": 4})
    assert len(first) == 2
    assert len(third) == 1
    assert beyond == []
    assert first[0]["requested_datetime"].startswith("2026-06-05")


@pytest.mark.parametrize(
    "params",
    [
        {"start_date": "yesterday"},
        {"end_date": "2026-13-45T00:00:00Z"},
        {"start_date": "2026-07-01", "end_date": "2026-06-01"},
        {"status": "pending"},
        {"page": "0"},
        {"page": "two"},
        {"page_size": "1001"},
        {"page_size": "-5"},
    ],
)
def test_bad_parameters_are_a_400_error_array(
    client: Client, db: None, params: dict[str, str]
) -> None:
    error_of(client.get(f"{BASE}/requests.json", params), 400)
    xml = client.get(f"{BASE}/requests.xml", params)
    assert xml.status_code == 400
    root = parse_xml(xml.content)
    assert root.tag == "errors"
    assert root.findtext("error/code") == "400"


def test_an_unknown_jurisdiction_is_a_404_error_array(client: Client, db: None) -> None:
    assert "99999" in error_of(
        client.get(f"{BASE}/requests.json", {"jurisdiction_id": "99999"}), 404
    )


def test_one_request_by_its_id(client: Client, cycle: SessionCycle) -> None:
    petition = published(cycle)
    rows = get_json(client, f"requests/{petition.code}.json")
    assert [row["service_request_id"] for row in rows] == [petition.code]
    root = parse_xml(client.get(f"{BASE}/requests/{petition.code}.xml").content)
    assert root.tag == "service_requests"
    assert root.findtext("request/service_request_id") == petition.code


def test_an_unpublished_or_unknown_request_is_a_404_error_array(
    client: Client, cycle: SessionCycle, commune_a: Council
) -> None:
    unpublished = pf.PetitionFactory(raised_in=cycle)
    publish(unpublished, published_at=None)
    error_of(client.get(f"{BASE}/requests/{unpublished.code}.json"), 404)
    error_of(client.get(f"{BASE}/requests/01-2026-9999.json"), 404)
    # Published, but not in the jurisdiction asked for.
    petition = published(cycle)
    error_of(
        client.get(
            f"{BASE}/requests/{petition.code}.json", {"jurisdiction_id": commune_a.unit.code}
        ),
        404,
    )
    xml = client.get(f"{BASE}/requests/01-2026-9999.xml")
    assert xml.status_code == 404
    assert parse_xml(xml.content).findtext("error/code") == "404"


def test_creating_a_request_is_refused_with_an_error_array(client: Client, db: None) -> None:
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post(
        f"{BASE}/requests.json",
        {"service_code": "giao-thong", "description": "Ổ gà", "email": "a@example.com"},
    )
    error_of(response, 403)
    xml = csrf_client.post(f"{BASE}/requests.xml", {"service_code": "giao-thong"})
    assert xml.status_code == 403
    assert parse_xml(xml.content).findtext("error/code") == "403"
    for method in (client.put, client.patch, client.delete):
        refused = method(f"{BASE}/requests.json")
        error_of(refused, 405)
        assert refused["Allow"] == "GET, HEAD"


def test_the_request_list_makes_a_fixed_number_of_queries(
    client: Client,
    cycle: SessionCycle,
    agency_a: Agency,
    commune_a: Council,
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    published(cycle, lead_agency=agency_a, field=pf.field(), unit=commune_a.unit)
    with CaptureQueriesContext(connection) as one_row:
        get_json(client, "requests.json")
    target = published(cycle)
    for _ in range(5):
        published(cycle, lead_agency=agency_a, field=pf.field(), unit=commune_a.unit)
    published(cycle, status=PetitionStatus.MERGED, merged_into=target)
    with django_assert_max_num_queries(len(one_row.captured_queries) + 1):
        rows = get_json(client, "requests.json")
    assert len(rows) == 8
