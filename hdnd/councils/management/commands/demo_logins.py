"""Print the demo accounts: role, username, password and, for staff, the TOTP secret."""

from base64 import b32encode
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from hdnd.accounts.models import RoleAssignment, User
from hdnd.councils.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD


def current_code(device: TOTPDevice) -> str:
    code = totp(
        device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift
    )
    return f"{code:0{device.digits}d}"


def _where(assignment: RoleAssignment | None) -> str:
    if assignment is None:
        return ""
    place = assignment.agency or assignment.committee or assignment.council
    return str(place)


class Command(BaseCommand):
    help = "Print the demo accounts with their password and TOTP secret. Demo data only."

    def handle(self, *args: Any, **options: Any) -> None:
        users = {
            user.username: user
            for user in User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS])
        }
        missing = [a.username for a in DEMO_ACCOUNTS if a.username not in users]
        if missing:
            raise CommandError(_("The demo accounts are missing: run manage.py load_demo."))
        rows = [
            self._row(str(account.role.label), users[account.username]) for account in DEMO_ACCOUNTS
        ]
        header = [
            _("Role"),
            _("Where"),
            _("Username"),
            _("Password"),
            _("TOTP secret (base32)"),
            _("Code now"),
        ]
        self._print_table([header, *rows])
        self.stdout.write("")
        self.stdout.write(
            self.style.WARNING(
                _("Demo accounts only: the password is published; never use them in production.")
            )
        )
        self.stdout.write(_("Open %(url)s") % {"url": settings.SITE_URL})

    def _row(self, role_label: str, user: User) -> list[str]:
        assignment = (
            RoleAssignment.objects.filter(user=user).select_related(
                "council", "committee", "agency"
            )
        ).first()
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        secret = b32encode(device.bin_key).decode() if device else "—"
        code = current_code(device) if device else "—"
        return [str(role_label), _where(assignment), user.username, DEMO_PASSWORD, secret, code]

    def _print_table(self, rows: list[list[str]]) -> None:
        widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
        for index, row in enumerate(rows):
            line = "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write(line.rstrip())
            if index == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
