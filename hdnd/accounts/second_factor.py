"""Who must use a second factor, and the TOTP devices that provide it."""

from typing import Any

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from hdnd.accounts.models import SECOND_FACTOR_ROLES, RoleAssignment


def needs_second_factor(user: Any) -> bool:
    if user.is_superuser or user.is_staff:
        return True
    today = timezone.localdate()
    return (
        RoleAssignment.objects.filter(
            user=user, role__in=SECOND_FACTOR_ROLES, start_date__lte=today
        )
        .exclude(end_date__lt=today)
        .exists()
    )


def confirmed_totp_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()
