"""The public web form: no sign-in, the code shown, robots and floods refused, and
nothing typed lost."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import NoReverseMatch, reverse

from hdnd.councils.models import Council
from hdnd.petitions.models import Channel, TriageStatus, VoterItem
from hdnd.petitions.views.intake import PUBLIC_SUBMISSIONS_PER_HOUR

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings: Any) -> Iterator[None]:
    # Each test starts with no submission counted (the cache outlives a test's transaction).
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "petitions-public-form-tests",
        }
    }
    cache.clear()
    yield
    cache.clear()


def submission(**extra: Any) -> dict[str, Any]:
    return {
        "text": "Đề nghị lắp đèn tín hiệu giao thông ở ngã tư trường tiểu học",
        "voter_name": "Hoàng Thị Thu",
        "voter_phone": "0904 111 222",
        "voter_email": "thu@example.vn",
        "consent": "on",
        "website": "",
        **extra,
    }


def test_a_voter_sends_a_petition_without_signing_in_and_gets_its_code(
    client: Client, commune_a: Council
) -> None:
    url = reverse("petitions:public_submit", args=[commune_a.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, submission(unit=commune_a.unit_id), follow=True)
    item = VoterItem.objects.get()
    assert (item.channel, item.triage_status, item.council) == (
        Channel.WEB,
        TriageStatus.NEW,
        commune_a,
    )
    assert (item.voter_name, item.unit) == ("Hoàng Thị Thu", commune_a.unit)
    assert item.created_by is None
    body = response.content.decode()
    assert response.status_code == 200
    assert item.code in body
    assert "Hoàng Thị Thu" not in body
    try:
        lookup = reverse("petitions_public:lookup")
    except NoReverseMatch:
        return
    assert f"{lookup}?code={item.code}" in body


def test_the_sent_page_shows_nothing_without_a_submission(
    client: Client, commune_a: Council
) -> None:
    response = client.get(reverse("petitions:public_submitted", args=[commune_a.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("petitions:public_submit", args=[commune_a.pk])


def test_a_robot_filling_the_trap_field_is_refused(client: Client, commune_a: Council) -> None:
    url = reverse("petitions:public_submit", args=[commune_a.pk])
    response = client.post(url, submission(website="http://spam.example"))
    assert response.status_code == 400
    assert not VoterItem.objects.exists()


def test_one_connection_may_send_only_a_few_petitions_an_hour(
    client: Client, commune_a: Council, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "en"
    url = reverse("petitions:public_submit", args=[commune_a.pk])
    for number in range(PUBLIC_SUBMISSIONS_PER_HOUR):
        response = client.post(url, submission(text=f"Kiến nghị số {number} về vệ sinh môi trường"))
        assert response.status_code == 302
    refused = client.post(url, submission(text="Kiến nghị thứ sáu về chợ dân sinh"))
    assert refused.status_code == 429
    body = refused.content.decode()
    assert "Kiến nghị thứ sáu về chợ dân sinh" in body
    assert "try again later" in body
    assert VoterItem.objects.count() == PUBLIC_SUBMISSIONS_PER_HOUR
    elsewhere = client.post(url, submission(text="Từ một máy khác"), REMOTE_ADDR="203.0.113.9")
    assert elsewhere.status_code == 302


def test_bad_input_keeps_what_was_typed(client: Client, commune_a: Council) -> None:
    url = reverse("petitions:public_submit", args=[commune_a.pk])
    no_consent = client.post(url, submission(consent=""))
    assert no_consent.status_code == 400
    assert "Đề nghị lắp đèn tín hiệu giao thông" in no_consent.content.decode()
    assert "0904 111 222" in no_consent.content.decode()
    too_long = client.post(url, submission(text="x" * 5000))
    assert too_long.status_code == 400
    bad_email = client.post(url, submission(voter_email="not an email"))
    assert bad_email.status_code == 400
    assert not VoterItem.objects.exists()


def test_a_commune_of_another_council_cannot_be_chosen(
    client: Client, commune_a: Council, commune_b: Council
) -> None:
    url = reverse("petitions:public_submit", args=[commune_a.pk])
    response = client.post(url, submission(unit=commune_b.unit_id))
    assert response.status_code == 400
    assert not VoterItem.objects.exists()


def test_an_unknown_council_has_no_form(client: Client, db: None) -> None:
    assert client.get(reverse("petitions:public_submit", args=[999999])).status_code == 404
