import pytest
from django.urls import reverse

from hdnd.accounts.tests.conftest import PASSWORD
from hdnd.core.models import AuditEvent

pytestmark = pytest.mark.usefixtures("in_english")

CHANGE = reverse("accounts:password_change")


def _change(client, new_password):
    return client.post(
        CHANGE,
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )


@pytest.mark.parametrize(
    ("new_password", "message"),
    [
        ("Ngan-7x", "This password is too short. It must contain at least 12 characters."),
        ("qwerty123456", "This password is too common."),
        ("202620262026", "This password is entirely numeric."),
    ],
)
def test_a_weak_password_is_refused(client, city_staff, login, new_password, message):
    login(client, city_staff)
    response = _change(client, new_password)
    assert response.status_code == 200
    assert message in response.context["form"].errors["new_password2"]
    city_staff.refresh_from_db()
    assert city_staff.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action="accounts.password.change").exists()


def test_a_strong_password_is_changed_and_audited(client, city_staff, login):
    login(client, city_staff)
    response = _change(client, "Hội-đồng-nhân-dân-2026!")
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_change_done")
    city_staff.refresh_from_db()
    assert city_staff.check_password("Hội-đồng-nhân-dân-2026!")
    event = AuditEvent.objects.get(action="accounts.password.change")
    assert event.actor == city_staff
    assert "Hội-đồng" not in str(event.changes)
    # This session stays signed in with its second factor.
    assert client.get("/").status_code == 200
    assert client.get(response.url).status_code == 200


def test_the_password_form_shows_the_rules(client, city_staff, login):
    login(client, city_staff)
    html = client.get(CHANGE).content.decode()
    assert "at least 12 characters" in html
    assert 'autocomplete="new-password"' in html
