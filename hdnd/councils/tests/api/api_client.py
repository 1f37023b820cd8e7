"""Calling the directory API in tests: a client that asks for English, the one error
shape, and API tokens."""

from typing import Any

from django.test import Client
from django.utils import timezone

from hdnd.accounts.models import ApiToken
from hdnd.accounts.tokens import create_api_token


class Api:
    """A client of /api/v1/ that asks for English, the msgid language of our messages."""

    def __init__(self, client: Client, headers: dict[str, str] | None = None) -> None:
        self.client = client
        self.headers = {"Accept-Language": "en", **(headers or {})}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1/{path}", params, headers=self.headers)


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["message"]
    if code is not None:
        assert body["error"]["code"] == code
    return body["error"]


def names(response: Any, key: str = "name") -> list[str]:
    assert response.status_code == 200, response.content
    return [row[key] for row in response.json()["results"]]


def api_token(council: Any, actor: Any, scopes: list[str]) -> str:
    token, raw = create_api_token(
        actor=actor, council=council, name="Cổng thông tin", scopes=scopes
    )
    # Used a moment ago: no last-use write in the requests under test.
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return raw
