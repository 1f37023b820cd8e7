import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from hdnd.accounts.tests.conftest import PASSWORD

pytestmark = pytest.mark.usefixtures("in_english")


def test_a_delegate_signs_in_with_the_password_only(client, delegate_user):
    response = client.post(
        reverse("accounts:login"), {"username": delegate_user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == "/"
    assert client.get("/").status_code == 200


def test_a_delegate_is_not_asked_for_a_code_or_an_app(client, delegate_user):
    client.force_login(delegate_user)
    assert client.get(reverse("accounts:verify")).url == "/"
    assert client.get(reverse("accounts:setup")).url == "/"
    assert not TOTPDevice.objects.filter(user=delegate_user).exists()
