import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from hdnd.accounts.tests.totp import current_code, wrong_code

pytestmark = pytest.mark.usefixtures("in_english")

VERIFY = reverse("accounts:verify")
NOW = dt.datetime(2026, 4, 1, 2, 0, tzinfo=dt.UTC)


def _code_errors(response):
    return response.context["form"].errors["code"]


def test_a_wrong_code_is_refused_with_a_message(client, city_staff):
    client.force_login(city_staff)
    response = client.post(VERIFY, {"code": wrong_code(city_staff.totpdevice_set.get())})
    assert response.status_code == 200
    assert any("This code is not correct" in error for error in _code_errors(response))
    assert "This code is not correct" in response.content.decode()
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert client.get("/").status_code == 302


def test_letters_are_refused_without_using_an_attempt(client, city_staff):
    client.force_login(city_staff)
    response = client.post(VERIFY, {"code": "12a456"})
    assert _code_errors(response) == ["The code has digits only, like 123456."]
    assert city_staff.totpdevice_set.get().throttling_failure_count == 0


def test_a_code_of_the_wrong_length_is_refused(client, city_staff):
    client.force_login(city_staff)
    response = client.post(VERIFY, {"code": "12345"})
    assert _code_errors(response) == ["The code has exactly 6 digits; you entered 5."]


def test_after_wrong_codes_the_user_must_wait(client, city_staff):
    client.force_login(city_staff)
    device = city_staff.totpdevice_set.get()
    with time_machine.travel(NOW, tick=False):
        client.post(VERIFY, {"code": wrong_code(device)})
        # django-otp's throttle: even the right code waits until the delay is over.
        response = client.post(VERIFY, {"code": current_code(device)})
        assert _code_errors(response) == [
            "Too many wrong codes. Wait 1 second, then enter the newest code."
        ]
        assert DEVICE_ID_SESSION_KEY not in client.session
    with time_machine.travel(NOW + dt.timedelta(seconds=2), tick=False):
        response = client.post(VERIFY, {"code": current_code(device)})
        assert response.status_code == 302
        assert DEVICE_ID_SESSION_KEY in client.session


def test_the_wait_doubles_with_each_wrong_code(client, city_staff):
    client.force_login(city_staff)
    device = city_staff.totpdevice_set.get()
    moment = NOW
    for _ in range(3):
        moment += dt.timedelta(minutes=1)
        with time_machine.travel(moment, tick=False):
            client.post(VERIFY, {"code": wrong_code(device)})
    with time_machine.travel(moment, tick=False):
        response = client.post(VERIFY, {"code": wrong_code(device)})
    assert _code_errors(response) == [
        "Too many wrong codes. Wait 4 seconds, then enter the newest code."
    ]
