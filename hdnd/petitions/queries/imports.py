"""Reads for imports: a council's batches, one batch, the preview of what a file will
import, and the error report as a workbook."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from hdnd.councils.models import AdministrativeUnit, Agency
from hdnd.lib import xlsx
from hdnd.petitions.importing.columns import COLUMNS, HeaderRow
from hdnd.petitions.importing.files import ImportFileRefused, kind_of, open_rows
from hdnd.petitions.importing.lookups import Lookups
from hdnd.petitions.importing.rows import ImportRow, RowValidator
from hdnd.petitions.models import (
    CompetenceLevel,
    Field,
    ImportBatch,
    ImportStatus,
    Petition,
    PetitionStatus,
    ResultCategory,
    Verdict,
    VoterItem,
)

PREVIEW_ROWS = 20


@dataclass(frozen=True, slots=True)
class ImportedRow:
    item_code: str
    petition_code: str
    batch_id: int | None


def imported_rows(
    council_id: int, source_system: str, source_ids: list[str]
) -> dict[str, ImportedRow]:
    """The rows already imported under these ids, as voter items or petitions."""
    if not source_ids:
        return {}
    # The excluded blank id repeats the unique indexes' condition: without it PostgreSQL
    # cannot use them for a long list of ids, and reads the whole table.
    same_source = {
        "council_id": council_id,
        "source_system": source_system,
        "source_id__in": source_ids,
    }
    petitions = {
        source_id: (pk, code)
        for source_id, pk, code in Petition.objects.filter(**same_source)
        .exclude(source_id="")
        .order_by()
        .values_list("source_id", "id", "code")
    }
    items = list(
        VoterItem.objects.filter(**same_source)
        .exclude(source_id="")
        .order_by()
        .values_list("source_id", "code", "petition_id", "import_batch_id")
    )
    # An item consolidated since into another petition: that petition's code.
    known = {pk: code for pk, code in petitions.values()}
    others = {
        petition_id
        for _source, _code, petition_id, _batch in items
        if petition_id is not None and petition_id not in known
    }
    if others:
        known |= dict(Petition.objects.filter(id__in=others).values_list("id", "code"))
    found = {
        source_id: ImportedRow(item_code, known.get(petition_id, ""), batch_id)
        for source_id, item_code, petition_id, batch_id in items
    }
    for source_id, (_pk, petition_code) in petitions.items():
        found.setdefault(source_id, ImportedRow("", petition_code, None))
    return found


def council_batches(*, council_id: int) -> QuerySet[ImportBatch]:
    """A council's imports, newest first (without their error lists, which can be long)."""
    return (
        ImportBatch.objects.filter(council_id=council_id)
        .select_related("created_by")
        .defer("errors")
        .order_by("-created_at", "-id")
    )


def last_source_system(*, council_id: int) -> str | None:
    """The source system of the council's latest import: the next file is likely the same."""
    return (
        ImportBatch.objects.filter(council_id=council_id)
        .order_by("-created_at", "-id")
        .values_list("source_system", flat=True)
        .first()
    )


def import_batch(*, batch_id: int) -> ImportBatch | None:
    return (
        ImportBatch.objects.select_related("council__unit", "created_by")
        .filter(id=batch_id)
        .first()
    )


def earlier_imports_of_file(batch: ImportBatch) -> list[ImportBatch]:
    """Other imports of the very same file (same content) into this council."""
    return list(
        ImportBatch.objects.filter(council_id=batch.council_id, sha256=batch.sha256)
        .exclude(id=batch.pk)
        .select_related("created_by")
        .defer("errors")
        .order_by("-created_at")
    )


@dataclass
class PreviewRow:
    """A valid row as it will be imported, with names for its ids."""

    row: ImportRow
    already_imported: bool
    field: str = ""
    agency: str = ""
    unit: str = ""
    level: str = ""
    status: str = ""
    result: str = ""
    verdict: str = ""


@dataclass
class Preview:
    header: HeaderRow | None = None
    rows: list[PreviewRow] = field(default_factory=list)
    problem: str = ""  # the file can no longer be read

    @property
    def columns_found(self) -> list[str]:
        if self.header is None:
            return []
        return [
            self.header.headers[column.key]
            for column in COLUMNS
            if column.key in self.header.headers
        ]

    @property
    def columns_ignored(self) -> list[str]:
        if self.header is None:
            return []
        return [*self.header.ignored, *self.header.repeated]


def batch_preview(*, batch: ImportBatch, limit: int = PREVIEW_ROWS) -> Preview:
    """The first valid rows of the batch's file, as they will be imported."""
    preview = Preview()
    rows: list[ImportRow] = []
    try:
        with batch.file.open("rb") as handle, open_rows(handle, kind_of(batch.filename)) as opened:
            preview.header = opened.header
            validator = RowValidator(Lookups(batch.council))
            for raw in opened.rows:
                row, _problems = validator.validate(raw.number, raw.values)
                if row is not None:
                    rows.append(row)
                    if len(rows) == limit:
                        break
    except (ImportFileRefused, OSError) as exc:
        preview.problem = exc.message if isinstance(exc, ImportFileRefused) else str(exc)
        return preview
    done = imported_rows(batch.council_id, batch.source_system, [r.source_id for r in rows])
    names = _names(rows)
    levels = dict(CompetenceLevel.choices)
    statuses = dict(PetitionStatus.choices)
    results = dict(ResultCategory.choices)
    verdicts = dict(Verdict.choices)
    preview.rows = [
        PreviewRow(
            row=row,
            already_imported=row.source_id in done,
            field=names["field"].get(row.field_id, ""),
            agency=names["agency"].get(row.agency_id, ""),
            unit=names["unit"].get(row.unit_id, ""),
            level=str(levels.get(row.level, "")),
            status=str(statuses[row.status]),
            result=str(results.get(row.result, "")),
            verdict=str(verdicts.get(row.verdict, "")),
        )
        for row in rows
    ]
    return preview


def _names(rows: list[ImportRow]) -> dict[str, dict[Any, str]]:
    def ids(attribute: str) -> set[int]:
        return {getattr(row, attribute) for row in rows if getattr(row, attribute) is not None}

    return {
        "field": dict(Field.objects.filter(id__in=ids("field_id")).values_list("id", "name")),
        "agency": dict(Agency.objects.filter(id__in=ids("agency_id")).values_list("id", "name")),
        "unit": dict(
            AdministrativeUnit.objects.filter(id__in=ids("unit_id")).values_list("id", "name")
        ),
    }


def new_rows(batch: ImportBatch) -> int:
    """Rows the import will create, as the preview counted them."""
    if batch.status != ImportStatus.PREVIEWED:
        return batch.created_count
    return max(batch.total_rows - batch.error_count - batch.unchanged_count, 0)


def errors_workbook(*, batch: ImportBatch) -> bytes:
    """The rows refused, with the column and the reason, as an Excel workbook."""
    workbook = xlsx.new_workbook()
    heading = _("Errors in %(name)s (%(day)s)") % {
        "name": batch.filename,
        "day": timezone.localtime(batch.finished_at or batch.created_at).strftime("%d/%m/%Y"),
    }
    xlsx.add_sheet(
        workbook,
        _("Errors"),
        headers=[_("Row"), _("Column"), _("Reason")],
        rows=(
            [error.get("row") or "", error.get("column") or "", error.get("message") or ""]
            for error in batch.errors
        ),
        widths=[8, 24, 90],
        heading=heading,
    )
    return xlsx.workbook_bytes(workbook)


def template_workbook(*, council_id: int) -> bytes:
    """An empty file with every column, and the council's fields and agencies to copy."""
    workbook = xlsx.new_workbook()
    xlsx.add_sheet(
        workbook,
        _("Petitions"),
        headers=[column.header for column in COLUMNS],
        rows=[],
        widths=[max(14.0, len(column.header) + 4.0) for column in COLUMNS],
    )
    xlsx.add_sheet(
        workbook,
        pgettext("sheet of the fields of work (lĩnh vực)", "Fields"),
        headers=[_("Code"), _("Name")],
        rows=Field.objects.filter(is_active=True).values_list("code", "name"),
        widths=[24, 50],
    )
    xlsx.add_sheet(
        workbook,
        _("Agencies"),
        headers=[_("Code"), _("Short name"), _("Name")],
        rows=Agency.objects.filter(council_id=council_id, is_active=True)
        .order_by("name")
        .values_list("code", "short_name", "name"),
        widths=[16, 24, 60],
    )
    return xlsx.workbook_bytes(workbook)
