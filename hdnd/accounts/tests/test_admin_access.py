import datetime as dt

import pytest
from django.urls import reverse

from hdnd.accounts.models import Role
from hdnd.testing import factories

pytestmark = pytest.mark.usefixtures("in_english")

ADMIN = reverse("admin:index")


def test_an_anonymous_visitor_is_sent_to_the_one_sign_in_page(client, db):
    response = client.get(ADMIN, follow=True)
    assert response.redirect_chain[-1][0] == f"{reverse('accounts:login')}?next=/admin/"


def test_the_outsider_cannot_reach_the_admin(client, outsider, login):
    login(client, outsider)
    response = client.get(ADMIN, follow=True)
    assert response.status_code == 403


def test_staff_without_the_system_admin_role_cannot_open_the_admin(client, city_staff, login):
    city_staff.is_staff = True
    city_staff.save(update_fields=["is_staff"])
    login(client, city_staff)
    assert client.get(ADMIN, follow=True).status_code == 403
    assert client.get(reverse("admin:accounts_user_changelist"), follow=True).status_code == 403


def test_a_system_admin_without_staff_status_cannot_open_the_admin(client, city_council, login):
    user = factories.RoleAssignmentFactory(council=city_council, role=Role.SYSTEM_ADMIN).user
    factories.add_totp_device(user)
    login(client, user)
    assert client.get(ADMIN, follow=True).status_code == 403


def test_a_system_admin_whose_role_ended_cannot_open_the_admin(client, system_admin, login):
    system_admin.role_assignments.update(end_date=dt.date(2026, 1, 31))
    login(client, system_admin)
    assert client.get(ADMIN, follow=True).status_code == 403


def test_a_system_admin_with_staff_status_and_the_code_opens_the_admin(client, system_admin, login):
    login(client, system_admin)
    assert client.get(ADMIN).status_code == 200


def test_a_superuser_opens_the_admin(client, superuser, login):
    login(client, superuser)
    assert client.get(ADMIN).status_code == 200


def test_a_superuser_without_the_code_is_asked_for_it(client, superuser):
    client.force_login(superuser)
    response = client.get(ADMIN)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:verify"))


def test_a_councils_administrator_cannot_make_anyone_a_superuser(client, login, system_admin):
    from django.contrib.auth.models import Permission

    system_admin.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_user", "change_user"])
    )
    other = factories.UserFactory()
    login(client, system_admin)
    page = client.get(reverse("admin:accounts_user_change", args=[other.pk]))
    assert page.status_code == 200
    form_fields = page.context["adminform"].form.fields
    assert "is_superuser" not in form_fields
    assert "user_permissions" not in form_fields
