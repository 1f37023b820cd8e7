"""Codes an authenticator app would show, computed the way django-otp checks them."""

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def current_code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    """A well-formed code that no step within the device's tolerance accepts."""
    device.refresh_from_db()
    accepted = set()
    for offset in range(-device.tolerance, device.tolerance + 1):
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift + offset)
        accepted.add(f"{totp.token():0{device.digits}d}")
    candidate = 0
    while f"{candidate:06d}" in accepted:
        candidate += 1
    return f"{candidate:06d}"
