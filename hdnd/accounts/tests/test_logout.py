import pytest
from django.urls import reverse

pytestmark = pytest.mark.usefixtures("in_english")


def test_opening_the_sign_out_address_asks_for_the_button_and_keeps_the_session(
    client, city_staff, login
):
    login(client, city_staff)
    response = client.get(reverse("accounts:logout"))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<form method="post" action="{reverse("accounts:logout")}"' in page
    assert "Sign out of HĐND số on this device?" in page
    assert "_auth_user_id" in client.session


def test_the_sign_out_page_sends_anonymous_visitors_to_sign_in(client, db):
    response = client.get(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:login")


def test_signing_out_ends_the_session(client, city_staff, login):
    login(client, city_staff)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
