"""Calling the petitions API in tests: a client that asks for English (the msgid
language), sends JSON, and API tokens for a council."""

import json
from collections.abc import Sequence
from typing import Any

from django.test import Client
from django.utils import timezone

from hdnd.accounts.models import ApiToken
from hdnd.accounts.tokens import create_api_token
from hdnd.councils.tests.api.api_client import assert_error

__all__ = ["Api", "api_token", "assert_error", "token_api"]


class Api:
    """A client of /api/v1/ in English; bodies go as JSON unless `raw` is given."""

    def __init__(self, client: Client, headers: dict[str, str] | None = None) -> None:
        self.client = client
        self.headers = {"Accept-Language": "en", **(headers or {})}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1/{path}", params, headers=self.headers)

    def send(self, method: str, path: str, body: Any = None, *, raw: str | None = None) -> Any:
        call = getattr(self.client, method)
        data = raw if raw is not None else json.dumps(body if body is not None else {})
        return call(f"/api/v1/{path}", data, content_type="application/json", headers=self.headers)

    def post(self, path: str, body: Any = None, *, raw: str | None = None) -> Any:
        return self.send("post", path, body, raw=raw)

    def patch(self, path: str, body: Any = None) -> Any:
        return self.send("patch", path, body)

    def put(self, path: str, body: Any = None) -> Any:
        return self.send("put", path, body)


def api_token(council: Any, actor: Any, scopes: Sequence[str]) -> str:
    token, raw = create_api_token(
        actor=actor, council=council, name="Hệ thống", scopes=list(scopes)
    )
    # Used a moment ago: no last-use write in the requests under test.
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return raw


def token_api(client: Client, council: Any, actor: Any, scopes: Sequence[str]) -> Api:
    return Api(client, {"Authorization": f"Bearer {api_token(council, actor, scopes)}"})
