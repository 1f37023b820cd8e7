from typing import Any

import pytest

from hdnd.accounts.models import Role, User
from hdnd.councils.models import Council
from hdnd.testing import factories

PASSWORD = "mat-khau-du-dai-2026"  # the factories' password


@pytest.fixture
def in_english(settings: Any) -> None:
    """Pages in English, the language of the msgids: assertions on messages stay true
    when the Vietnamese catalog lands."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def system_admin(city_council: Council) -> User:
    """Staff status, an active system_admin role and an authenticator app."""
    assignment = factories.RoleAssignmentFactory(
        council=city_council, role=Role.SYSTEM_ADMIN, user__is_staff=True
    )
    factories.add_totp_device(assignment.user)
    return assignment.user


@pytest.fixture
def superuser(db: Any) -> User:
    user = factories.UserFactory(is_staff=True, is_superuser=True)
    factories.add_totp_device(user)
    return user
