import pytest
from django.urls import reverse

pytestmark = pytest.mark.usefixtures("in_english")


def test_signing_out_needs_a_post(client, city_staff, login):
    login(client, city_staff)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert "_auth_user_id" in client.session


def test_signing_out_ends_the_session(client, city_staff, login):
    login(client, city_staff)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
