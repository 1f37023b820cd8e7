import re
from base64 import b32decode

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from hdnd.accounts.models import Role
from hdnd.accounts.tests.conftest import PASSWORD
from hdnd.accounts.tests.totp import current_code, wrong_code
from hdnd.core.models import AuditEvent
from hdnd.testing import factories

pytestmark = pytest.mark.usefixtures("in_english")

SETUP = reverse("accounts:setup")


def _new_staff(council):
    return factories.RoleAssignmentFactory(council=council, role=Role.OFFICE_STAFF).user


def _secret_on(page) -> str:
    match = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page.content.decode())
    assert match, "the page shows the key"
    return match.group(1).replace(" ", "")


def test_staff_without_an_app_is_sent_to_setup_and_enrols(client, city_council):
    user = _new_staff(city_council)
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.url == f"{SETUP}?next=%2F"

    page = client.get(response.url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html
    assert "<img" not in html
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed is False
    assert b32decode(_secret_on(page)) == device.bin_key

    response = client.post(SETUP, {"code": current_code(device), "next": "/"})
    assert response.status_code == 302
    assert response.url == "/"
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get("/").status_code == 200
    event = AuditEvent.objects.get(action="accounts.totp.confirm")
    assert event.actor == user
    assert event.object_id == str(device.pk)


def test_reloading_the_setup_page_keeps_the_same_key(client, city_council):
    user = _new_staff(city_council)
    client.force_login(user)
    first = _secret_on(client.get(SETUP))
    second = _secret_on(client.get(SETUP))
    assert first == second
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_a_wrong_code_does_not_confirm_the_app(client, city_council):
    user = _new_staff(city_council)
    client.force_login(user)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user)
    response = client.post(SETUP, {"code": wrong_code(device)})
    assert response.status_code == 200
    assert "This code is not correct" in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed is False
    assert not AuditEvent.objects.filter(action="accounts.totp.confirm").exists()


def test_a_password_alone_cannot_enrol_a_second_app(client, city_staff):
    # Whoever knows only the password must not replace the owner's app with their own.
    client.force_login(city_staff)
    response = client.get(SETUP)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:verify"))
    assert TOTPDevice.objects.filter(user=city_staff).count() == 1


def test_the_page_with_the_key_is_never_cached(client, city_council):
    client.force_login(_new_staff(city_council))
    assert "no-store" in client.get(SETUP)["Cache-Control"]
