"""Load the deterministic demo dataset (after load_units). Demo data only."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hdnd.councils.demo.load import DemoUnitsMissing, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo dataset: Hanoi's city council and its 126 commune councils with "
        "delegates, committees and agencies, and one demo account per role. Never in production."
    )

    def handle(self, *args: Any, **options: Any) -> None:
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
