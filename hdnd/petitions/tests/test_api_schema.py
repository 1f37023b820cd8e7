"""The petitions API in the OpenAPI schema: every operation is there, tagged, with the one
error shape, and writes document the 409 of a stale version or a refused transition."""

from typing import Any

import pytest
import yaml
from django.test import Client
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db

# Operations outside this topic's modules (imports, Open311) are others' to check.
OURS = {
    ("get", "/api/v1/councils/{council_id}/petitions/"),
    ("get", "/api/v1/petitions/{petition_id}/"),
    ("get", "/api/v1/petitions/{petition_id}/events/"),
    ("get", "/api/v1/councils/{council_id}/items/"),
    ("post", "/api/v1/councils/{council_id}/items/"),
    ("get", "/api/v1/items/{item_id}/"),
    ("patch", "/api/v1/items/{item_id}/"),
    ("post", "/api/v1/items/{item_id}/accept/"),
    ("post", "/api/v1/items/{item_id}/redirect/"),
    ("get", "/api/v1/councils/{council_id}/cycles/"),
    ("get", "/api/v1/councils/{council_id}/meetings/"),
    ("post", "/api/v1/councils/{council_id}/meetings/"),
    ("get", "/api/v1/meetings/{meeting_id}/"),
    ("patch", "/api/v1/meetings/{meeting_id}/"),
    ("put", "/api/v1/meetings/{meeting_id}/minutes/"),
    ("post", "/api/v1/meetings/{meeting_id}/held/"),
    ("post", "/api/v1/meetings/{meeting_id}/cancel/"),
    ("post", "/api/v1/meetings/{meeting_id}/spot-answers/"),
    ("get", "/api/v1/fields/"),
    ("get", "/api/v1/councils/{council_id}/routing-rules/"),
    ("put", "/api/v1/councils/{council_id}/routing-rules/{field_code}/{level}/"),
    ("get", "/api/v1/councils/{council_id}/field-committees/"),
    ("put", "/api/v1/councils/{council_id}/field-committees/{field_code}/"),
    ("get", "/api/v1/councils/{council_id}/deadline-rules/"),
    ("put", "/api/v1/councils/{council_id}/deadline-rules/{route}/"),
    ("post", "/api/v1/petitions/{petition_id}/assign/"),
    ("post", "/api/v1/petitions/{petition_id}/reroute/"),
    ("post", "/api/v1/petitions/{petition_id}/classification/"),
    ("post", "/api/v1/petitions/{petition_id}/forward-central/"),
    ("post", "/api/v1/petitions/{petition_id}/transfer/"),
    ("post", "/api/v1/petitions/{petition_id}/escalate/"),
    ("get", "/api/v1/councils/{council_id}/answer-documents/"),
    ("post", "/api/v1/councils/{council_id}/answer-documents/"),
    ("get", "/api/v1/answer-documents/{document_id}/"),
    ("post", "/api/v1/answer-documents/{document_id}/verify/"),
    ("post", "/api/v1/petitions/{petition_id}/answers/"),
    ("put", "/api/v1/petitions/{petition_id}/answers/current/"),
    ("post", "/api/v1/petitions/{petition_id}/publish-answer/"),
    ("post", "/api/v1/councils/{council_id}/cycles/{cycle_id}/publish-answers/"),
    ("post", "/api/v1/petitions/{petition_id}/rating/"),
    ("post", "/api/v1/petitions/{petition_id}/questioning/"),
    ("post", "/api/v1/petitions/{petition_id}/questioning/withdraw/"),
    ("post", "/api/v1/councils/{council_id}/carry-over/"),
    ("get", "/api/v1/councils/{council_id}/duplicate-suggestions/"),
    ("get", "/api/v1/councils/{council_id}/petitions/similar/"),
    ("get", "/api/v1/me/petition-notifications/"),
    ("post", "/api/v1/me/petition-notifications/read/"),
    ("get", "/api/v1/councils/{council_id}/petition-statistics/"),
    ("post", "/api/v1/councils/{council_id}/petitions/consolidate/"),
    ("post", "/api/v1/councils/{council_id}/petitions/consolidate-each/"),
    ("patch", "/api/v1/petitions/{petition_id}/"),
    ("post", "/api/v1/petitions/{petition_id}/items/"),
    ("post", "/api/v1/petitions/{petition_id}/split/"),
    ("post", "/api/v1/petitions/{petition_id}/merge/"),
    ("post", "/api/v1/duplicate-suggestions/{suggestion_id}/reject/"),
    ("post", "/api/v1/items/{item_id}/suggest-duplicates/"),
}


@pytest.fixture(scope="module")
def schema(django_db_blocker: Any) -> dict[str, Any]:
    with django_db_blocker.unblock():
        response = Client().get("/api/schema/")
    assert response.status_code == 200
    loaded: dict[str, Any] = yaml.safe_load(response.content)
    return loaded


def operations(schema: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method, path): operation
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    }


def test_the_schema_is_valid_and_lists_every_petitions_operation(schema: dict[str, Any]) -> None:
    validate_schema(schema)
    assert set(operations(schema)) >= OURS


def test_every_operation_is_tagged_named_and_answers_errors_in_the_one_shape(
    schema: dict[str, Any],
) -> None:
    ids = set()
    for key, operation in operations(schema).items():
        if key not in OURS:
            continue
        assert operation["tags"] == ["petitions"], key
        assert operation["operationId"] not in ids, key
        ids.add(operation["operationId"])
        for status, response in operation["responses"].items():
            if status.startswith("4"):
                ref = response["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/Error", (key, status)
        if key[0] != "get":
            assert {"400", "403", "404", "409"} <= set(operation["responses"]), key


def test_only_the_catalogue_of_fields_is_open_without_sign_in(schema: dict[str, Any]) -> None:
    for key, operation in operations(schema).items():
        if key not in OURS:
            continue
        open_to_all = operation.get("security") in (None, [], [{}])
        assert open_to_all == (key == ("get", "/api/v1/fields/")), key


def test_choices_are_named_enums(schema: dict[str, Any]) -> None:
    components = schema["components"]["schemas"]
    assert set(components["PetitionStatusEnum"]["enum"]) >= {"consolidating", "resolved"}
    assert components["MeetingStatusEnum"]["enum"] == ["planned", "held", "cancelled"]
    status = components["PetitionListItem"]["properties"]["status"]
    assert status == {"$ref": "#/components/schemas/PetitionStatusEnum"}
