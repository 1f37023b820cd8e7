"""Check every sealed poll: rebuild each payload from the stored rows (ballots, named
votes, secret tallies, the poll's fields), recompute each hash and walk each council's
chain. Exit code 1 when anything does not match."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from hdnd.councils.models import Council
from hdnd.voting.sealing import sealed_council_ids, verify_council


class Command(BaseCommand):
    # Help texts stay in English, like Django's own commands: they are for operators.
    help = (
        "Verify the sealed poll results of one council (--council) or of all councils; "
        "exit with 1 if any result was changed, any seal is missing or the chain is broken."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--council", type=int, metavar="ID", help="Only this council.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["council"] is not None:
            if not Council.objects.filter(id=options["council"]).exists():
                raise CommandError(_("This council does not exist."))
            council_ids = [options["council"]]
        else:
            council_ids = sealed_council_ids()
        failed = 0
        for council_id in council_ids:
            verification = verify_council(council_id)
            self.stdout.write(
                _("Council %(council)s: %(checked)d sealed polls checked, %(problems)d problems.")
                % {
                    "council": council_id,
                    "checked": verification.checked,
                    "problems": len(verification.problems),
                }
            )
            for problem in verification.problems:
                failed += 1
                self.stdout.write(
                    f"  [{problem.kind}] poll={problem.poll_id} seq={problem.seq}: {problem.detail}"
                )
        if failed:
            raise CommandError(
                _("%(count)d problems found in the sealed results.") % {"count": failed},
                returncode=1,
            )
