import datetime as dt

import pytest
from django.utils import timezone

from hdnd.accounts.models import ApiToken
from hdnd.accounts.tokens import create_api_token, end_of_day
from hdnd.core.errors import DomainError


def test_a_token_cannot_be_created_already_expired(city_staff, city_council):
    with pytest.raises(DomainError) as error:
        create_api_token(
            actor=city_staff,
            council=city_council,
            name="Hệ thống cũ",
            scopes=["directory:read"],
            expires_at=timezone.now() - dt.timedelta(minutes=1),
        )
    assert "expires_at" in error.value.fields
    assert not ApiToken.objects.exists()


def test_a_token_expiring_on_a_day_works_until_midnight_in_hanoi():
    moment = end_of_day(dt.date(2026, 12, 31))
    assert timezone.localtime(moment).isoformat() == "2027-01-01T00:00:00+07:00"
