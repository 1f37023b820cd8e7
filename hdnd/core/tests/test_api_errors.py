"""Every API error has one JSON shape: {"error": {"code", "message", "fields"}}."""

import re
from typing import Any

import pytest
import yaml
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.test import Client
from django.urls import resolve
from rest_framework import exceptions

from hdnd.accounts.models import ApiScope
from hdnd.accounts.tokens import create_api_token
from hdnd.core.api import exception_handler, unknown_path
from hdnd.core.errors import Conflict, DomainError, NotFound, PermissionDenied

pytestmark = pytest.mark.django_db


def assert_shape(body: Any) -> dict[str, Any]:
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"code", "message", "fields"}
    assert isinstance(error["code"], str)
    assert error["code"]
    assert isinstance(error["message"], str)
    assert error["message"]
    assert isinstance(error["fields"], dict)
    return error


# The handler, exception by exception


@pytest.mark.parametrize(
    ("exc", "status", "code"),
    [
        (DomainError("Không hợp lệ."), 400, "invalid"),
        (NotFound("Không thấy."), 404, "not_found"),
        (PermissionDenied("Không được phép."), 403, "permission_denied"),
        (Conflict("Xung đột."), 409, "conflict"),
        (Http404(), 404, "not_found"),
        (DjangoPermissionDenied(), 403, "permission_denied"),
        (DjangoValidationError("Sai."), 400, "invalid"),
        (DjangoValidationError({"name": ["Bắt buộc."]}), 400, "invalid"),
        (exceptions.NotAuthenticated(), 401, "not_authenticated"),
        (exceptions.AuthenticationFailed(), 401, "authentication_failed"),
        (exceptions.PermissionDenied(), 403, "permission_denied"),
        (exceptions.NotFound(), 404, "not_found"),
        (exceptions.MethodNotAllowed("DELETE"), 405, "method_not_allowed"),
        (exceptions.ParseError(), 400, "parse_error"),
        (exceptions.Throttled(wait=3), 429, "throttled"),
        (exceptions.ValidationError({"page": ["Sai."]}), 400, "invalid"),
        (exceptions.ValidationError(["Sai."]), 400, "invalid"),
    ],
)
def test_the_handler_gives_every_exception_the_one_shape(
    exc: Exception, status: int, code: str
) -> None:
    response = exception_handler(exc, {})
    assert response is not None
    assert response.status_code == status
    assert assert_shape(response.data)["code"] == code


def test_field_errors_are_lists_of_strings_by_field() -> None:
    exc = exceptions.ValidationError({"council": ["Sai."], "nested": {"name": ["Thiếu."]}})
    response = exception_handler(exc, {})
    assert response is not None
    assert response.data["error"]["fields"] == {
        "council": ["Sai."],
        "nested": {"name": ["Thiếu."]},
    }
    domain = exception_handler(DomainError("Sai.", fields={"name": ["Bắt buộc."]}), {})
    assert domain is not None
    assert domain.data["error"]["fields"] == {"name": ["Bắt buộc."]}


def test_errors_that_are_not_the_callers_are_left_to_django() -> None:
    assert exception_handler(RuntimeError("bug"), {}) is None


# Through the endpoints


@pytest.fixture
def headers(city_council: Any, city_staff: Any) -> dict[str, str]:
    _token, raw = create_api_token(
        actor=city_staff, council=city_council, name="Thử", scopes=[ApiScope.DIRECTORY_READ]
    )
    return {"Authorization": f"Bearer {raw}", "Accept-Language": "en"}


@pytest.mark.parametrize(
    ("method", "url", "status", "code"),
    [
        ("get", "/api/v1/units/?level=foo", 400, "invalid"),
        ("get", "/api/v1/terms/?council=abc", 400, "invalid"),
        ("get", "/api/v1/people/?page_size=0", 400, "invalid"),
        ("get", "/api/v1/councils/?page=999", 404, "not_found"),
        ("get", "/api/v1/units/nope/", 404, "not_found"),
        ("get", "/api/v1/councils/abc/", 404, "not_found"),
        ("get", "/api/v1/people/123456789/", 404, "not_found"),
        ("post", "/api/v1/councils/", 405, "method_not_allowed"),
        ("delete", "/api/v1/me/", 405, "method_not_allowed"),
    ],
)
def test_endpoint_errors_have_the_one_shape(
    client: Client, headers: dict[str, str], method: str, url: str, status: int, code: str
) -> None:
    response = getattr(client, method)(url, headers=headers)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    assert assert_shape(response.json())["code"] == code


@pytest.mark.parametrize(
    ("headers", "status", "code"),
    [
        ({}, 401, "not_authenticated"),
        ({"Authorization": "Bearer nonsense"}, 401, "authentication_failed"),
        ({"Authorization": "Bearer hdnd_abcdefgh_" + "a" * 43}, 401, "authentication_failed"),
    ],
)
def test_authentication_errors_have_the_one_shape(
    client: Client, db: None, headers: dict[str, str], status: int, code: str
) -> None:
    response = client.get("/api/v1/councils/", headers=headers)
    assert response.status_code == status
    assert assert_shape(response.json())["code"] == code


def test_a_missing_scope_has_the_one_shape(
    client: Client, city_council: Any, city_staff: Any
) -> None:
    _token, raw = create_api_token(actor=city_staff, council=city_council, name="X", scopes=[])
    response = client.get("/api/v1/people/", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 403
    assert assert_shape(response.json())["code"] == "missing_scope"


def test_staff_who_skipped_the_second_factor_get_the_one_shape(
    client: Client, city_staff: Any
) -> None:
    client.force_login(city_staff)  # password only, no code yet
    response = client.get("/api/v1/councils/")
    assert response.status_code == 403
    assert assert_shape(response.json())["code"] == "second_factor_required"


# Addresses that no endpoint answers


UNKNOWN_PATHS = [
    "/api/v1/",
    "/api/v1/nope/",
    "/api/v1/councils/1/nope/",
    "/api/v1/people/1/memberships/",
    "/api/v1/no/trailing/slash",
]


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete", "options"])
@pytest.mark.parametrize("url", UNKNOWN_PATHS)
def test_an_unknown_api_address_is_a_json_404_for_every_method(
    client: Client, headers: dict[str, str], method: str, url: str
) -> None:
    response = getattr(client, method)(url, headers=headers)
    assert response.status_code == 404, response.content
    assert response["Content-Type"] == "application/json"
    error = assert_shape(response.json())
    assert error["code"] == "not_found"
    assert error["message"] == "There is no API endpoint at this address."
    assert error["fields"] == {}


@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_an_unknown_api_address_is_a_404_even_without_credentials(db: None, method: str) -> None:
    # A strict client: a form post without a CSRF token must not become Django's 403 page.
    strict = Client(enforce_csrf_checks=True)
    response = getattr(strict, method)("/api/v1/nope/", headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert assert_shape(response.json())["code"] == "not_found"


def test_the_catch_all_is_left_out_of_the_schema(client: Client) -> None:
    schema = yaml.safe_load(client.get("/api/schema/").content)
    assert schema["paths"]
    for path in schema["paths"]:
        concrete = re.sub(r"\{\w+\}", "1", path)
        assert resolve(concrete).func is not unknown_path, path


def test_a_session_call_without_its_csrf_token_is_told_in_vietnamese(
    db: None, login: Any, delegate_user: Any
) -> None:
    strict = Client(enforce_csrf_checks=True)
    login(strict, delegate_user)
    response = strict.post(
        "/api/v1/council-meetings/1/check-in/", headers={"Accept-Language": "vi"}
    )
    assert response.status_code == 403
    error = assert_shape(response.json())
    assert "CSRF" in error["message"] and "X-CSRFToken" in error["message"]
    assert not error["message"].startswith("CSRF Failed")
