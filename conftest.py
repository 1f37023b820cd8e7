"""Test personas shared by every app.

- city_staff: office staff of the Hanoi city council (the owner of city data);
- commune_officer: an officer of commune A;
- outsider: an officer of commune B, who must see nothing of commune A;
- delegate_user: a city delegate without staff rights.
"""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from hdnd.accounts.models import Role, User
from hdnd.councils.models import Council
from hdnd.testing import factories


@pytest.fixture(autouse=True)
def _fast_and_vietnamese(settings: Any) -> None:
    # For speed: tests never need a slow password hash.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.LANGUAGE_CODE = "vi"


@pytest.fixture
def city_council(db: None) -> Council:
    return factories.CityCouncilFactory()


@pytest.fixture
def commune_a(city_council: Council) -> Council:
    return factories.CommuneCouncilFactory(parent=city_council, unit__name="Phường Hoàn Kiếm A")


@pytest.fixture
def commune_b(city_council: Council) -> Council:
    return factories.CommuneCouncilFactory(parent=city_council, unit__name="Xã Sóc Sơn B")


def _user_with_role(council: Council, role: str, **extra: Any) -> User:
    assignment = factories.RoleAssignmentFactory(council=council, role=role, **extra)
    factories.add_totp_device(assignment.user)
    return assignment.user


@pytest.fixture
def city_staff(city_council: Council) -> User:
    return _user_with_role(city_council, Role.OFFICE_STAFF)


@pytest.fixture
def commune_officer(commune_a: Council) -> User:
    return _user_with_role(commune_a, Role.COMMUNE_OFFICER)


@pytest.fixture
def outsider(commune_b: Council) -> User:
    return _user_with_role(commune_b, Role.COMMUNE_OFFICER)


@pytest.fixture
def delegate_user(city_council: Council) -> User:
    return factories.RoleAssignmentFactory(council=city_council, role=Role.DELEGATE).user


@pytest.fixture
def login() -> Callable[[Client, User], Client]:
    """Sign a user in with both factors already given."""

    def _login(client: Client, user: User) -> Client:
        client.force_login(user)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        return client

    return _login
