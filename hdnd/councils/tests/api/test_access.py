"""Who may call the directory API: signed-in people and tokens with the directory scope."""

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

from hdnd.councils.tests.api.api_client import Api, api_token, assert_error, names

pytestmark = pytest.mark.django_db


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
    raw = api_token(city_council, city_staff, [])
    response = Api(client, {"Authorization": f"Bearer {raw}"}).get(path)
    error = assert_error(response, 403, "missing_scope")
    assert "directory:read" in error["message"]


def test_a_signed_in_person_reads_the_directory_without_a_token(
    session_api: Callable[[Any], Api], outsider: Any, directory: SimpleNamespace
) -> None:
    assert "Sở Tư pháp" in names(session_api(outsider).get("agencies/"))
