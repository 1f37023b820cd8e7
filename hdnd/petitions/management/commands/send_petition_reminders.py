"""Send the day's deadline reminders, overdue notices and escalations (the job Celery beat
runs daily). Safe to re-run: a notice already given is not given again."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from hdnd.petitions.services.deadlines import send_reminders


class Command(BaseCommand):
    # Help texts stay in English, like Django's own commands: they are for operators.
    help = (
        "Remind agencies of petition answers due soon, warn of overdue ones and escalate "
        "them to the standing committee. Safe to re-run on the same day."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            metavar="YYYY-MM-DD",
            help="Act as if today were this day (default: today in Vietnam).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        day = None
        if options["date"]:
            try:
                day = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(_("Give the date as YYYY-MM-DD, e.g. 2026-12-21.")) from None
        report = send_reminders(day)
        self.stdout.write(
            _(
                "%(day)s: %(checked)d petitions awaiting an answer; %(due_soon)d reminded, "
                "%(overdue)d overdue notices, %(escalated)d escalated; %(notifications)d "
                "notifications, %(emails)d emails."
            )
            % {**report.as_dict(), "day": report.day.strftime("%d/%m/%Y")}
        )
