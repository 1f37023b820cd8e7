"""The channel layer and cache work on whatever backend the settings chose: Redis when
REDIS_URL is set (production and CI), in-memory otherwise."""

import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache


def test_the_channel_layer_delivers_a_message():
    layer = get_channel_layer()
    assert layer is not None
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.send)(channel, {"type": "ping", "id": "1"})
    assert async_to_sync(layer.receive)(channel) == {"type": "ping", "id": "1"}


def test_the_cache_keeps_a_value():
    key = f"test:{uuid.uuid4()}"
    cache.set(key, "giá trị", 30)
    assert cache.get(key) == "giá trị"


def test_redis_is_used_when_configured():
    if settings.REDIS_URL:
        assert "Redis" in settings.CHANNEL_LAYERS["default"]["BACKEND"]
        assert "redis" in settings.CACHES["default"]["BACKEND"]
    else:
        assert "InMemory" in settings.CHANNEL_LAYERS["default"]["BACKEND"]


def test_a_clients_request_id_is_ignored_unless_a_proxy_of_ours_sets_it(client, settings):
    settings.BEHIND_TLS_PROXY = False
    response = client.get("/accounts/login/", HTTP_X_REQUEST_ID="forged-id-123456")
    assert response["X-Request-Id"] != "forged-id-123456"
    settings.BEHIND_TLS_PROXY = True
    response = client.get("/accounts/login/", HTTP_X_REQUEST_ID="proxy-id-123456")
    assert response["X-Request-Id"] == "proxy-id-123456"
