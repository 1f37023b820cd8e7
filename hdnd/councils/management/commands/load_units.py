"""Load (or bring up to date) the administrative units and their councils."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hdnd.councils.units import SyncCount, UnitsReport, load_units, official_provinces, summary_line

STAGE_LABELS = {
    "communes": gettext_lazy("Communes"),
    "councils": gettext_lazy("Commune councils"),
}
# Beyond this many, changed codes are counted rather than listed.
MAX_CODES_SHOWN = 50


class Command(BaseCommand):
    # Help texts stay in English, like Django's own commands: they are for operators.
    help = (
        "Load the 34 provinces and 3,321 communes from the vietnam-provinces package, "
        "Hanoi's former districts, and one council per current unit. Safe to re-run."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--province",
            metavar="CODE",
            help="Create councils only for this province (e.g. 01 for Hanoi).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        province = options["province"]
        if province is not None:
            province = province.zfill(2)
            if not (len(province) == 2 and province.isdigit()):
                raise CommandError(_("A province code has two digits, e.g. 01."))
            if province not in official_provinces():
                raise CommandError(_("No province has the code %(code)s.") % {"code": province})
        started = time.monotonic()
        report = load_units(province_code=province, progress=self._progress)
        self._print_report(report)
        self.stdout.write(_("Done in %(seconds).1f s.") % {"seconds": time.monotonic() - started})

    def _progress(self, stage: str, done: int, total: int) -> None:
        self.stdout.write(
            _("%(stage)s: %(done)d/%(total)d (%(percent)d%%)")
            % {
                "stage": STAGE_LABELS.get(stage, stage),
                "done": done,
                "total": total,
                "percent": 100 * done // total,
            }
        )

    def _print_report(self, report: UnitsReport) -> None:
        style = self.style.SUCCESS if report.changed else self.style.NOTICE
        self.stdout.write(style(summary_line(report)))
        self._print_count(_("Former districts"), report.districts)
        self._print_count(_("Unit successions"), report.successions)
        self._print_count(_("Councils"), report.councils)
        for label, codes in [
            (_("Updated provinces"), report.provinces.updated),
            (_("Updated communes"), report.communes.updated),
            (_("Updated former districts"), report.districts.updated),
            (_("Updated councils (unit codes)"), report.councils.updated),
            (_("Removed successions"), report.successions.removed),
        ]:
            if codes:
                self.stdout.write(f"{label}: {_codes(codes)}")
        if report.not_in_package:
            self.stdout.write(
                self.style.WARNING(
                    _("Current units that the package no longer lists (left unchanged): %(codes)s")
                    % {"codes": _codes(report.not_in_package)}
                )
            )
        for problem in report.problems:
            self.stdout.write(self.style.ERROR(problem))

    def _print_count(self, label: str, count: SyncCount) -> None:
        self.stdout.write(
            _("%(label)s: added %(added)d, updated %(updated)d, unchanged %(unchanged)d")
            % {
                "label": label,
                "added": len(count.added),
                "updated": len(count.updated) + len(count.removed),
                "unchanged": count.unchanged,
            }
        )


def _codes(codes: list[str]) -> str:
    shown = ", ".join(codes[:MAX_CODES_SHOWN])
    if len(codes) > MAX_CODES_SHOWN:
        shown += " " + _("and %(count)d more") % {"count": len(codes) - MAX_CODES_SHOWN}
    return shown
