import datetime as dt

import pytest
from django.urls import reverse

from hdnd.accounts.models import ApiToken, Role, RoleAssignment
from hdnd.accounts.tokens import authenticate_token
from hdnd.core.models import AuditEvent
from hdnd.testing import factories

pytestmark = pytest.mark.usefixtures("in_english")


def test_the_user_page_shows_roles_and_a_read_only_last_login(client, superuser, city_staff, login):
    login(client, superuser)
    response = client.get(reverse("admin:accounts_user_change", args=[city_staff.pk]))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "last_login" not in form.fields
    assert "person" in form.fields
    assert "Council office staff" in response.content.decode()


def test_changing_an_account_in_the_admin_is_audited(client, superuser, delegate_user, login):
    login(client, superuser)
    url = reverse("admin:accounts_user_change", args=[delegate_user.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        {
            "username": delegate_user.username,
            "is_active": "on",
            "is_staff": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "08:00:00",
            "groups": [],
            "user_permissions": [],
            "role_assignments-TOTAL_FORMS": "1",
            "role_assignments-INITIAL_FORMS": "1",
            "role_assignments-MIN_NUM_FORMS": "0",
            "role_assignments-MAX_NUM_FORMS": "1000",
            "role_assignments-0-id": str(delegate_user.role_assignments.get().pk),
            "role_assignments-0-user": str(delegate_user.pk),
        }
    )
    data.pop("password", None)
    data.pop("last_login", None)
    data.pop("date_joined", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    delegate_user.refresh_from_db()
    assert delegate_user.is_staff
    event = AuditEvent.objects.get(action="accounts.user.change.admin")
    assert event.actor == superuser
    assert event.object_id == str(delegate_user.pk)


def test_a_role_given_in_the_admin_goes_through_the_rules_and_the_trail(
    client, superuser, city_council, login
):
    someone = factories.UserFactory()
    login(client, superuser)
    url = reverse("admin:accounts_roleassignment_add")
    response = client.post(
        url,
        {
            "user": someone.pk,
            "council": city_council.pk,
            "role": Role.COMMUNE_OFFICER,
            "start_date": "2026-03-15",
        },
    )
    assert response.status_code == 200
    assert "commune-level councils only" in response.content.decode()
    assert not RoleAssignment.objects.filter(user=someone).exists()

    response = client.post(
        url,
        {
            "user": someone.pk,
            "council": city_council.pk,
            "role": Role.OFFICE_STAFF,
            "start_date": "2026-03-15",
        },
    )
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=someone)
    assert AuditEvent.objects.get(action="accounts.role.assign").object_id == str(assignment.pk)

    response = client.post(
        reverse("admin:accounts_roleassignment_change", args=[assignment.pk]),
        {"end_date": "2026-12-31"},
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.end_date == dt.date(2026, 12, 31)
    assert AuditEvent.objects.filter(action="accounts.role.end").count() == 1


def test_an_api_token_made_in_the_admin_is_shown_once_and_stored_hashed(
    client, superuser, city_council, login
):
    login(client, superuser)
    response = client.post(
        reverse("admin:accounts_apitoken_add"),
        {"council": city_council.pk, "name": "Cổng thông tin", "scopes": ["directory:read"]},
    )
    assert response.status_code == 200
    full_text = response.context["full_text"]
    assert full_text in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get()
    assert full_text not in token.secret_hash
    assert authenticate_token(full_text) == token
    assert token.created_by == superuser
    assert AuditEvent.objects.filter(action="accounts.api_token.create").exists()

    page = client.get(reverse("admin:accounts_apitoken_change", args=[token.pk]))
    assert full_text not in page.content.decode()
    assert "secret_hash" not in page.context["adminform"].form.fields


def test_the_admin_revokes_tokens_with_an_action(client, superuser, city_council, login):
    from hdnd.accounts.tokens import create_api_token

    token, _ = create_api_token(
        actor=superuser, council=city_council, name="Cũ", scopes=["directory:read"]
    )
    login(client, superuser)
    response = client.post(
        reverse("admin:accounts_apitoken_changelist"),
        {"action": "revoke_tokens", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_admin_lists_authenticator_apps_without_their_keys(
    client, superuser, city_staff, login
):
    device = city_staff.totpdevice_set.get()
    login(client, superuser)
    page = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    assert page.status_code == 200
    assert device.key not in page.content.decode()
    assert client.get(reverse("admin:otp_totp_totpdevice_add")).status_code == 403


def test_removing_a_lost_authenticator_app_is_audited(client, superuser, city_staff, login):
    device = city_staff.totpdevice_set.get()
    login(client, superuser)
    response = client.post(
        reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not city_staff.totpdevice_set.exists()
    event = AuditEvent.objects.get(action="accounts.totp.remove")
    assert event.actor == superuser
    assert event.object_id == str(device.pk)


def test_the_admin_password_page_is_the_one_with_the_policy(client, superuser, login):
    login(client, superuser)
    response = client.get(reverse("admin:password_change"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_change")
