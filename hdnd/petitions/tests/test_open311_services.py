"""Open311 GeoReport v2: discovery, the service list (fields) and service definitions, in
JSON and XML, and the error arrays."""

import json
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.test import Client

from hdnd.councils.models import Council
from hdnd.petitions.models import Field

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"


def as_json(response: Any) -> Any:
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def as_xml(response: Any) -> ET.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    # Our own server's output, in a test: nothing untrusted is parsed.
    return ET.fromstring(response.content)  # noqa: S314


def test_discovery_names_the_endpoint_and_both_formats(client: Client, db: None) -> None:
    document = as_json(client.get(f"{BASE}/discovery.json"))
    endpoint = document["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2/"
    assert set(endpoint["formats"]) == {"application/json", "text/xml"}
    assert endpoint["changeset"].endswith("+07:00")
    root = as_xml(client.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery"
    formats = [element.text for element in root.iterfind("endpoints/endpoint/formats/format")]
    assert set(formats) == {"application/json", "text/xml"}


def test_services_are_the_active_fields(client: Client, db: None) -> None:
    Field.objects.filter(code="khac").update(is_active=False)
    services = as_json(client.get(f"{BASE}/services.json"))
    codes = [service["service_code"] for service in services]
    assert "giao-thong" in codes
    assert "khac" not in codes
    assert len(codes) == Field.objects.filter(is_active=True).count()
    roads = next(service for service in services if service["service_code"] == "giao-thong")
    assert roads["service_name"] == "Giao thông"
    assert roads["metadata"] is False
    assert roads["type"] == "realtime"
    assert "giao thong" in roads["keywords"]
    assert roads["description"]
    assert roads["group"]


def test_the_service_list_in_xml_follows_the_spec(client: Client, db: None) -> None:
    root = as_xml(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    services = root.findall("service")
    assert len(services) == Field.objects.filter(is_active=True).count()
    roads = next(s for s in services if s.findtext("service_code") == "giao-thong")
    assert roads.findtext("service_name") == "Giao thông"
    assert roads.findtext("metadata") == "false"
    assert roads.findtext("type") == "realtime"


def test_a_service_definition_has_no_attributes(client: Client, db: None) -> None:
    assert as_json(client.get(f"{BASE}/services/giao-thong.json")) == {
        "service_code": "giao-thong",
        "attributes": [],
    }
    root = as_xml(client.get(f"{BASE}/services/giao-thong.xml"))
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "giao-thong"
    attributes = root.find("attributes")
    assert attributes is not None
    assert list(attributes) == []


def test_an_unknown_service_is_a_404_error_array(client: Client, db: None) -> None:
    response = client.get(f"{BASE}/services/khong-co.json")
    assert response.status_code == 404
    errors = as_json(response)
    assert errors[0]["code"] == 404
    assert "khong-co" in errors[0]["description"]
    response = client.get(f"{BASE}/services/khong-co.xml")
    assert response.status_code == 404
    root = as_xml(response)
    assert root.tag == "errors"
    assert root.findtext("error/code") == "404"
    assert root.findtext("error/description")


def test_an_unknown_jurisdiction_is_a_404_error_array(
    client: Client, city_council: Council
) -> None:
    response = client.get(f"{BASE}/services.json", {"jurisdiction_id": "99"})
    assert response.status_code == 404
    assert as_json(response)[0]["code"] == 404
    known = client.get(f"{BASE}/services.json", {"jurisdiction_id": city_council.unit.code})
    assert known.status_code == 200


def test_an_unknown_address_or_format_is_a_404_error_array(client: Client, db: None) -> None:
    for path, parse in (
        (f"{BASE}/nothing.json", as_json),
        (f"{BASE}/services.csv", as_json),
        (f"{BASE}/tokens/abc.xml", as_xml),
        (f"{BASE}/", as_json),
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        parse(response)


def test_the_service_list_may_be_read_by_any_web_page(client: Client, db: None) -> None:
    response = client.get(f"{BASE}/services.json")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "public" in response["Cache-Control"]


def test_writes_to_the_service_list_are_refused_with_an_error_array(
    client: Client, db: None
) -> None:
    response = client.delete(f"{BASE}/services.xml")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert as_xml(response).findtext("error/code") == "405"
