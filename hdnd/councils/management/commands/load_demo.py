"""Load the deterministic demo dataset (after load_units). Demo data only."""

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from hdnd.councils.demo.load import DemoUnitsMissing, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo dataset: Hanoi's city council and its 126 commune councils with "
        "delegates, committees and agencies, and one demo account per role. Never in production."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--outside-debug",
            action="store_true",
            help="Load even though DEBUG is off (benchmarks, tests). The demo accounts have "
            "published passwords and TOTP keys: never on a server people use.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["outside_debug"]:
            # The demo's administrator has a published password and a published TOTP key.
            raise CommandError(
                _(
                    "The demo dataset loads only in development (DEBUG=true): its accounts "
                    "have published passwords. Use --outside-debug for a benchmark or test."
                )
            )
        started = time.monotonic()
        try:
            report = load_demo(progress=self.stdout.write)
        except DemoUnitsMissing as error:
            raise CommandError(error.message) from error
        if report.already_loaded:
            self.stdout.write(self.style.NOTICE(_("The demo dataset is already loaded.")))
            return
        created = ", ".join(f"{name} {count}" for name, count in sorted(report.created.items()))
        self.stdout.write(self.style.SUCCESS(_("Created: %(created)s") % {"created": created}))
        self.stdout.write(_("Done in %(seconds).1f s.") % {"seconds": time.monotonic() - started})
