from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hdnd.core.audit import verify_chain


class Command(BaseCommand):
    help = "Recompute the audit hash chain and report any edited, missing or truncated event."

    def handle(self, *args: Any, **options: Any) -> None:
        checked, problems = verify_chain()
        for problem in problems:
            self.stderr.write(f"#{problem.seq} {problem.kind}: {problem.detail}")
        if problems:
            raise CommandError(
                _("The audit trail has been tampered with: %(n)d problem(s) in %(checked)d events.")
                % {"n": len(problems), "checked": checked}
            )
        self.stdout.write(
            _("Audit trail intact: %(checked)d events checked.") % {"checked": checked}
        )
