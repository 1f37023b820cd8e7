"""A person's email and phone appear only to those `can_view_person_contact` allows."""

import pytest
from django.urls import reverse

from hdnd.councils.tests import directory_data as data

pytestmark = pytest.mark.django_db

EMAIL = "hoa.nguyen@hoankiem.hanoi.gov.vn"
PHONE = "0912 345 678"


@pytest.fixture
def commune_delegate(commune_a):
    term = data.term_in_force(commune_a)
    return data.seat(term, "Nguyễn Thị Hoà").person


@pytest.fixture
def with_contact(commune_delegate):
    commune_delegate.email = EMAIL
    commune_delegate.phone = PHONE
    commune_delegate.save(update_fields=["email", "phone"])
    return commune_delegate


def _page(client, person):
    response = client.get(reverse("councils:person", args=[person.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_anonymous_visitors_do_not_see_contact_details(client, with_contact):
    page = _page(client, with_contact)
    assert EMAIL not in page
    assert PHONE not in page


def test_the_outsider_does_not_see_contact_details(client, login, outsider, with_contact):
    login(client, outsider)
    page = _page(client, with_contact)
    assert EMAIL not in page
    assert PHONE not in page


def test_the_commune_officer_sees_contact_details_of_their_communes_delegates(
    client, login, commune_officer, with_contact
):
    login(client, commune_officer)
    page = _page(client, with_contact)
    assert EMAIL in page
    assert PHONE in page


def test_contact_details_never_appear_in_the_public_lists(
    client, login, commune_officer, with_contact, commune_a
):
    login(client, commune_officer)
    for url in [
        reverse("councils:delegates", args=[commune_a.pk]),
        reverse("councils:search") + "?q=hoa",
    ]:
        page = client.get(url).content.decode()
        assert EMAIL not in page
        assert PHONE not in page
