"""Who must use a second factor, and the TOTP devices that provide it."""

from typing import Any

from django_otp.plugins.otp_totp.models import TOTPDevice

from hdnd.accounts.models import SECOND_FACTOR_ROLES
from hdnd.accounts.roles import active_roles


def needs_second_factor(user: Any) -> bool:
    if user.is_superuser or user.is_staff:
        return True
    return active_roles(user).filter(role__in=SECOND_FACTOR_ROLES).exists()


def confirmed_totp_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()
