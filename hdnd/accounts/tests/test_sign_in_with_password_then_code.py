import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from hdnd.accounts.tests.conftest import PASSWORD
from hdnd.accounts.tests.totp import current_code

pytestmark = pytest.mark.usefixtures("in_english")

LOGIN = reverse("accounts:login")
VERIFY = reverse("accounts:verify")


def _password_step(client, user, next_url=None):
    data = {"username": user.username, "password": PASSWORD}
    if next_url is not None:
        data["next"] = next_url
    return client.post(LOGIN, data)


def test_the_login_page_has_labelled_fields(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_username">' in html
    assert 'autocomplete="current-password"' in html


def test_staff_signs_in_with_password_then_code(client, city_staff):
    response = _password_step(client, city_staff)
    assert response.status_code == 302
    assert response.url == f"{VERIFY}?next=%2F"

    page = client.get(response.url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'autocomplete="one-time-code"' in html
    assert 'inputmode="numeric"' in html

    device = city_staff.totpdevice_set.get()
    response = client.post(VERIFY, {"code": current_code(device), "next": "/"})
    assert response.status_code == 302
    assert response.url == "/"
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get("/").status_code == 200


def test_a_code_typed_with_a_space_is_accepted(client, city_staff):
    _password_step(client, city_staff)
    code = current_code(city_staff.totpdevice_set.get())
    response = client.post(VERIFY, {"code": f"{code[:3]} {code[3:]}"})
    assert response.status_code == 302
    assert DEVICE_ID_SESSION_KEY in client.session


def test_it_keeps_next_through_both_steps(client, city_staff):
    response = _password_step(client, city_staff, next_url="/directory/")
    assert response.url == f"{VERIFY}?next=%2Fdirectory%2F"
    code = current_code(city_staff.totpdevice_set.get())
    response = client.post(VERIFY, {"code": code, "next": "/directory/"})
    assert response.url == "/directory/"


def test_it_ignores_a_next_on_another_site(client, city_staff):
    response = _password_step(client, city_staff, next_url="https://evil.example/")
    assert response.url == f"{VERIFY}?next=%2F"
    code = current_code(city_staff.totpdevice_set.get())
    response = client.post(VERIFY, {"code": code, "next": "//evil.example/"})
    assert response.url == "/"


def test_a_wrong_password_signs_nobody_in(client, city_staff):
    response = client.post(LOGIN, {"username": city_staff.username, "password": "wrong-password"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "_auth_user_id" not in client.session


def test_the_code_page_sends_anonymous_visitors_to_sign_in(client, db):
    response = client.get(VERIFY)
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)
