"""The OpenAPI schema of the directory API and its documentation page."""

import os
import re
from pathlib import Path

import drf_spectacular_sidecar
import pytest
import yaml
from django.core.management import call_command
from django.test import Client
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


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
