"""Print a meeting's closed polls as Popolo VoteEvents (JSON) or CSV."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import pgettext

from hdnd.meetings.models import Meeting
from hdnd.voting.export import popolo, votes_csv


class Command(BaseCommand):
    # Help texts stay in English, like Django's own commands: they are for operators.
    help = "Export a meeting's votes as Popolo JSON (default) or CSV, to standard output."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("meeting", type=int, help="The meeting's id.")
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        meeting = Meeting.objects.filter(id=options["meeting"]).first()
        if meeting is None:
            raise CommandError(pgettext("council meeting", "This meeting does not exist."))
        if options["format"] == "csv":
            self.stdout.write(votes_csv(meeting), ending="")
        else:
            self.stdout.write(json.dumps(popolo(meeting), ensure_ascii=False, indent=2))
