import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from hdnd.accounts.tests.conftest import PASSWORD

pytestmark = pytest.mark.usefixtures("in_english")

LOGIN = reverse("accounts:login")
NOW = dt.datetime(2026, 4, 1, 2, 0, tzinfo=dt.UTC)


WRONG = "wrong-password-123"


def _attempt(client, user, password=WRONG):
    return client.post(LOGIN, {"username": user.username, "password": password})


def test_five_wrong_passwords_pause_signing_in(client, city_staff):
    with time_machine.travel(NOW, tick=False):
        for _ in range(4):
            assert _attempt(client, city_staff).status_code == 200
        response = _attempt(client, city_staff)
        assert response.status_code == 429
        assert "accounts/lockout.html" in [t.name for t in response.templates]
        assert "Wait 30 minutes, then try again." in response.content.decode()
        # Even the right password waits.
        assert _attempt(client, city_staff, PASSWORD).status_code == 429
        assert "_auth_user_id" not in client.session


def test_signing_in_works_again_after_the_wait(client, city_staff):
    with time_machine.travel(NOW, tick=False):
        for _ in range(5):
            _attempt(client, city_staff)
    with time_machine.travel(NOW + dt.timedelta(minutes=31), tick=False):
        assert _attempt(client, city_staff, PASSWORD).status_code == 302


def test_the_lockout_is_per_account(client, city_staff, delegate_user):
    for _ in range(5):
        _attempt(client, city_staff)
    assert _attempt(client, delegate_user, PASSWORD).status_code == 302
