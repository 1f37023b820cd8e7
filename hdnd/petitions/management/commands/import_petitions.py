"""Import petitions from an Excel or CSV file on the server, e.g. the 2021–2026 database:

    manage.py import_petitions knct-2021-2026.xlsx --council 01 --source knct-2021-2026

The file is checked first (the same checks and the same report as the page); with
--dry-run nothing more happens. Otherwise it is imported in chunks, with the progress
and the speed on the way, then every refused row with its column and reason. The import
is recorded as a batch, as if uploaded on the page, and may be run again safely: rows
already imported are counted, not created twice.
"""

import time
from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django.utils.translation import gettext as _

from hdnd.core.errors import DomainError
from hdnd.councils.models import Council
from hdnd.petitions.importing.files import check_upload
from hdnd.petitions.models import ImportBatch, ImportStatus
from hdnd.petitions.services import imports


class Command(BaseCommand):
    # Help texts stay in English, like Django's own commands: they are for operators.
    help = "Import petitions from an .xlsx or .csv file into a council, reporting each bad row."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The .xlsx or .csv (UTF-8) file.")
        parser.add_argument(
            "--council",
            required=True,
            metavar="UNIT_CODE_OR_ID",
            help="The council: its unit's official code (01 for Hanoi) or its id.",
        )
        parser.add_argument(
            "--source",
            required=True,
            metavar="SYSTEM",
            help="The source system the ids come from, e.g. knct-2021-2026.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; import nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        council = self._council(options["council"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No file at %(path)s.") % {"path": path})
        started = time.monotonic()
        with path.open("rb") as handle:
            upload = File(handle, name=path.name)
            try:
                source = imports.clean_source_system(options["source"])
                if options["dry_run"]:
                    kind = check_upload(upload)
                    report = imports.scan_file(
                        handle=upload, kind=kind, council=council, source_system=source
                    )
                    self._print_summary(
                        report.total_rows, report.new_rows, report.unchanged_rows, report.error_rows
                    )
                    if report.ignored_columns:
                        self.stdout.write(
                            _("Columns not used: %(columns)s")
                            % {"columns": ", ".join(report.ignored_columns)}
                        )
                    self._print_errors(report.errors, report.error_rows)
                    self.stdout.write(_("Dry run: nothing was imported."))
                    return
                batch = imports.preview_import(
                    actor=None, council=council, upload=upload, source_system=source
                )
            except DomainError as exc:
                raise CommandError(exc.message) from exc
        self.stdout.write(
            _("Checked in %(seconds).1f s.") % {"seconds": time.monotonic() - started}
        )
        self._print_summary(
            batch.total_rows,
            batch.total_rows - batch.unchanged_count - batch.error_count,
            batch.unchanged_count,
            batch.error_count,
        )
        if batch.error_count >= batch.total_rows:
            self._print_errors(batch.errors, batch.error_count)
            raise CommandError(_("No row of this file can be imported."))
        imports.start_import(actor=None, batch_id=batch.pk, background=False)
        self._run(batch)

    def _council(self, value: str) -> Council:
        value = value.strip()
        by_code = Q(unit__code=value, unit__valid_until__isnull=True)
        condition = by_code | Q(pk=int(value)) if value.isdigit() else by_code
        councils = list(Council.objects.filter(condition).select_related("unit")[:2])
        if len(councils) != 1:
            message = (
                _("No council has the unit code or id %(value)s.")
                if not councils
                else _("%(value)s names more than one council: use the council's id.")
            )
            raise CommandError(message % {"value": value})
        return councils[0]

    def _run(self, batch: ImportBatch) -> None:
        started = time.monotonic()

        def progress(current: ImportBatch) -> None:
            elapsed = max(time.monotonic() - started, 0.001)
            self.stdout.write(
                _("%(done)d/%(total)d rows (%(percent)d%%), %(speed)d rows/s")
                % {
                    "done": current.processed_rows,
                    "total": current.total_rows,
                    "percent": 100 * current.processed_rows // max(current.total_rows, 1),
                    "speed": current.processed_rows / elapsed,
                }
            )

        imports.run_import_batch(batch_id=batch.pk, progress=progress)
        batch.refresh_from_db()
        elapsed = max(time.monotonic() - started, 0.001)
        self.stdout.write(
            _("Imported in %(seconds).1f s (%(speed)d rows/s).")
            % {"seconds": elapsed, "speed": batch.processed_rows / elapsed}
        )
        style = self.style.SUCCESS if batch.status == ImportStatus.DONE else self.style.ERROR
        self.stdout.write(
            style(
                _(
                    "Batch %(id)s: %(created)d created, %(unchanged)d already imported, "
                    "%(errors)d rows with errors."
                )
                % {
                    "id": batch.pk,
                    "created": batch.created_count,
                    "unchanged": batch.unchanged_count,
                    "errors": batch.error_count,
                }
            )
        )
        self._print_errors(batch.errors, batch.error_count)
        if batch.status != ImportStatus.DONE:
            raise CommandError(_("The import stopped before the end."))

    def _print_summary(self, total: int, new: int, unchanged: int, errors: int) -> None:
        self.stdout.write(
            _(
                "%(total)d rows: %(new)d to import, %(unchanged)d already imported, "
                "%(errors)d with errors."
            )
            % {"total": total, "new": new, "unchanged": unchanged, "errors": errors}
        )

    def _print_errors(self, errors: list[dict[str, Any]], error_rows: int) -> None:
        for error in errors:
            if error.get("row") is None:
                line = error["message"]
            else:
                line = _("Row %(row)s, column “%(column)s”: %(message)s") % error
            self.stderr.write(line)
        if len(errors) >= imports.MAX_STORED_ERRORS:
            self.stderr.write(
                _("… the first %(count)d errors only (%(rows)d rows have errors).")
                % {"count": len(errors), "rows": error_rows}
            )
