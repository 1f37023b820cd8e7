"""The home page links each person to the pages they may open, and to none they may not:
the administration for administrators, the audit trail and API tokens for a council's
system administrators, an agency's page for its responders."""

import pytest
from django.urls import reverse

from hdnd.accounts.models import Role
from hdnd.testing import factories

pytestmark = pytest.mark.django_db

ADMIN_SITE = reverse("admin:index")


def _home(client, login, user) -> str:
    login(client, user)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def council_admin(city_council):
    assignment = factories.RoleAssignmentFactory(
        council=city_council, role=Role.SYSTEM_ADMIN, user__is_staff=True
    )
    factories.add_totp_device(assignment.user)
    return assignment.user


def test_a_system_admin_gets_the_administration_audit_and_tokens_of_their_council(
    client, login, council_admin, city_council
):
    page = _home(client, login, council_admin)
    assert f'href="{ADMIN_SITE}"' in page
    assert f'href="{reverse("core:council_audit", args=[city_council.pk])}"' in page
    assert f'href="{reverse("tokens:list", args=[city_council.pk])}"' in page


def test_a_platform_admin_without_a_role_gets_the_administration(client, login, db):
    superuser = factories.UserFactory(is_staff=True, is_superuser=True)
    factories.add_totp_device(superuser)
    page = _home(client, login, superuser)
    assert f'href="{ADMIN_SITE}"' in page


def test_office_staff_get_no_administration_links(client, login, city_staff, city_council):
    page = _home(client, login, city_staff)
    assert ADMIN_SITE not in page
    assert reverse("core:council_audit", args=[city_council.pk]) not in page
    assert reverse("tokens:list", args=[city_council.pk]) not in page


def test_the_outsider_gets_no_links_to_commune_a(client, login, outsider, commune_a):
    page = _home(client, login, outsider)
    assert ADMIN_SITE not in page
    assert reverse("core:council_audit", args=[commune_a.pk]) not in page
    assert reverse("tokens:list", args=[commune_a.pk]) not in page


def test_an_agency_responder_gets_a_link_to_their_agency(client, login, city_council):
    agency = factories.AgencyFactory(council=city_council, name="Sở Xây dựng")
    assignment = factories.RoleAssignmentFactory(
        council=city_council, role=Role.AGENCY_RESPONDER, agency=agency
    )
    factories.add_totp_device(assignment.user)
    page = _home(client, login, assignment.user)
    assert f'<a href="{reverse("councils:agency", args=[agency.pk])}">Sở Xây dựng</a>' in page
