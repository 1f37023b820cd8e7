"""Load the meetings demo (after load_demo). Demo data only."""

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from hdnd.accounts.models import User
from hdnd.councils.demo.load import city_council
from hdnd.meetings import live
from hdnd.meetings.demo.load import first_chair_username, load_meeting_demo


class Command(BaseCommand):
    help = (
        "Load the meetings demo: the city council's first session of term XVII with its "
        "agenda, documents and sealed polls, and an upcoming session ready to run live. "
        "Never in production."
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
        created = load_meeting_demo(city=city, progress=self.stdout.write)
        live.flush()
        if created is None:
            self.stdout.write(self.style.NOTICE(_("The meetings demo is already loaded.")))
            return
        summary = ", ".join(f"{name} {count}" for name, count in sorted(created.items()))
        self.stdout.write(self.style.SUCCESS(_("Created: %(created)s") % {"created": summary}))
        accounts = User.objects.filter(username__regex=r"^daibieu[0-9]{3}$").count()
        self.stdout.write(
            _(
                "Delegates without a demo account got one: daibieu001 … daibieu%(last)03d, "
                "with the demo password; the chair signs in as %(chair)s."
            )
            % {"last": accounts, "chair": first_chair_username(city) or "—"}
        )
        self.stdout.write(_("Done in %(seconds).1f s.") % {"seconds": time.monotonic() - started})
