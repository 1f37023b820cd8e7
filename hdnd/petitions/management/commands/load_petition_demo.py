"""Load the petitions demo (after load_demo). Demo data only."""

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from hdnd.councils.demo.load import city_council
from hdnd.petitions.demo.load import load_petition_demo


class Command(BaseCommand):
    help = (
        "Load the petitions demo: session cycles, voter-contact meetings, about 400 voter "
        "items and the petitions made of them, routed, answered and evaluated. Never in production."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--outside-debug",
            action="store_true",
            help="Load even though DEBUG is off (benchmarks, tests).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["outside_debug"]:
            raise CommandError(_("The demo dataset loads only in development (DEBUG=true)."))
        city = city_council()
        if city is None or not city.terms.exists():
            raise CommandError(_("Load the council demo first: manage.py load_demo"))
        started = time.monotonic()
        created = load_petition_demo(city=city, progress=self.stdout.write)
        if created is None:
            self.stdout.write(self.style.NOTICE(_("The petitions demo is already loaded.")))
            return
        summary = ", ".join(f"{name} {count}" for name, count in sorted(created.items()))
        self.stdout.write(self.style.SUCCESS(_("Created: %(created)s") % {"created": summary}))
        self.stdout.write(_("Done in %(seconds).1f s.") % {"seconds": time.monotonic() - started})
