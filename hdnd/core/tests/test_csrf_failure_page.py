"""A form sent with an outdated security token (two tabs: signed in from one, sent from the
other) gets our page in the user's language, not Django's English one."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


@pytest.fixture
def strict_client(settings) -> Client:
    settings.LANGUAGE_CODE = "en"  # the msgids: assertions hold whatever the catalog says
    return Client(enforce_csrf_checks=True)


def test_a_form_without_a_valid_token_gets_the_explanation_page(strict_client):
    response = strict_client.post(LOGIN, {"username": "a", "password": "b"})

    assert response.status_code == 403
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "HĐND số" in page
    assert "The form has expired" in page
    assert "Go back, reload the page and try again." in page
    assert "CSRF verification failed" not in page
    assert f'href="{reverse("councils:directory")}"' in page


def test_the_page_links_back_to_the_form_on_this_site(strict_client):
    form_page = "http://testserver/councils/1/tokens/"
    response = strict_client.post(LOGIN, {}, headers={"Referer": form_page})
    assert f'<a class="button" href="{form_page}">Back to the page</a>' in response.text


def test_the_page_never_links_to_another_sites_address(strict_client):
    for referer in ["https://evil.example/form/", "http://testserver.evil.example/"]:
        response = strict_client.post(LOGIN, {}, headers={"Referer": referer})
        assert response.status_code == 403
        assert "evil.example" not in response.text
        assert "Back to the page" not in response.text


def test_a_signed_in_user_keeps_the_page_shell(strict_client, login, city_staff):
    login(strict_client, city_staff)
    response = strict_client.post(reverse("accounts:logout"))
    assert response.status_code == 403
    assert city_staff.get_username() in response.text
    assert 'class="main-nav"' in response.text
    assert "_auth_user_id" in strict_client.session
