"""What the page shell offers around signing in: a password link for everyone signed in,
and nothing but the code form for someone who has not given the code yet."""

import pytest
from django.urls import reverse

from hdnd.accounts.tests.conftest import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

PASSWORD_CHANGE = reverse("accounts:password_change")


def test_every_signed_in_user_has_a_change_password_link(client, login, delegate_user):
    login(client, delegate_user)
    page = client.get(reverse("councils:directory")).content.decode()
    header = page.split("</header>")[0]
    assert f'href="{PASSWORD_CHANGE}"' in header


def test_anonymous_visitors_have_no_change_password_link(client, city_council):
    page = client.get(reverse("councils:directory")).content.decode()
    assert PASSWORD_CHANGE not in page


def test_the_code_page_hides_the_navigation_and_search_until_the_code_is_given(client, city_staff):
    client.post(reverse("accounts:login"), {"username": city_staff.username, "password": PASSWORD})

    page = client.get(reverse("accounts:verify")).content.decode()

    assert 'class="main-nav"' not in page
    assert 'class="header-search"' not in page
    assert PASSWORD_CHANGE not in page
    assert f'action="{reverse("accounts:logout")}"' in page


def test_a_signed_in_user_who_gave_the_code_sees_the_navigation(client, login, city_staff):
    login(client, city_staff)
    page = client.get(reverse("core:home")).content.decode()
    assert 'class="main-nav"' in page
    assert 'class="header-search"' in page
