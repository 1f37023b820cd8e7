"""Counting what one client address does in a time window, in Django's cache (Redis in
production, so every worker shares the count). The address is kept only as a hash."""

import hashlib

from axes.helpers import get_client_ip_address
from django.core.cache import cache
from django.http import HttpRequest


def client_key(request: HttpRequest, scope: str) -> str:
    """The cache key of this client for `scope`. The address is the one the sign-in
    lockout counts by: it knows about the proxy, if any."""
    address = str(get_client_ip_address(request) or "unknown")
    return f"ratelimit:{scope}:" + hashlib.sha256(address.encode()).hexdigest()[:32]


def used(key: str) -> int:
    """How many times the client has been counted in the current window."""
    return int(cache.get(key, 0))


def count(key: str, *, window_seconds: int) -> int:
    """Count one more; the window opens with the first count. Returns the new total."""
    cache.add(key, 0, timeout=window_seconds)
    try:
        return int(cache.incr(key))
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, timeout=window_seconds)
        return 1
