import pytest
from django.urls import reverse

pytestmark = pytest.mark.usefixtures("in_english")


def test_staff_who_skipped_the_code_is_sent_back_from_the_home_page(client, city_staff):
    client.force_login(city_staff)  # the password step only
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:verify')}?next=%2F"


def test_staff_who_skipped_the_code_gets_a_json_403_from_the_api(client, city_staff):
    client.force_login(city_staff)
    response = client.get("/api/v1/councils/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "second_factor_required"


def test_staff_who_skipped_the_code_cannot_change_the_password(client, city_staff):
    client.force_login(city_staff)
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:verify"))


def test_staff_who_gave_the_code_passes(client, city_staff, login):
    login(client, city_staff)
    assert client.get("/").status_code == 200
