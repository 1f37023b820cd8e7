"""Importing petitions in bulk: from an Excel/CSV file (the 2021–2026 database) with a
preview first, or from another system through the JSON API.

A file goes through three steps:
1. `upload_import` (the page): the upload is checked (size, type by content) and kept as
   a batch being checked; `check_import_batch` then reads and checks every row in the
   background (Celery; inline on the embedded default) once the transaction commits, with
   its progress on the batch, and leaves the batch previewed with its counts and row
   errors, or refused with the reason. Nothing else is written. `preview_import` does
   both in the calling process (the command line);
2. `start_import`: the office confirms; the batch runs in the background (Celery; inline
   on the embedded default) after the transaction commits;
3. `run_import_batch`: rows are read again (the catalogue may have changed since the
   preview) and written in chunks, each chunk in its own transaction with one audit
   event, so the progress bar moves and a failure keeps what was done.

Each accepted row becomes a voter item (accepted at once: the office curated the file)
and a petition of one, with its routing, answer and evaluation as the row gives them.
Rows are matched on (council, source system, source id): a row already imported is
counted as unchanged and never written twice, whichever file or API call brought it.
"""

import datetime as dt
import hashlib
import logging
import re
import secrets
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import IO, Any

from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hdnd.core.audit import record_event
from hdnd.core.errors import Conflict, DomainError, NotFound
from hdnd.councils.models import Council
from hdnd.petitions.importing.columns import COLUMNS_BY_KEY, HeaderRow
from hdnd.petitions.importing.files import ImportFileRefused, check_upload, kind_of, open_rows
from hdnd.petitions.importing.lookups import Lookups
from hdnd.petitions.importing.rows import ImportRow, RowValidator
from hdnd.petitions.importing.values import folded_text
from hdnd.petitions.models import (
    AgencyRole,
    Answer,
    Channel,
    CodeCounter,
    EventKind,
    ImportBatch,
    ImportStatus,
    Petition,
    PetitionEvent,
    PetitionRoute,
    Rating,
    TriageStatus,
    Verdict,
    VoterItem,
)
from hdnd.petitions.queries.imports import imported_rows
from hdnd.petitions.services.common import _CODE_ALPHABET

logger = logging.getLogger(__name__)

CHUNK_SIZE = 1000
# The errors kept on a batch, for its page and its error file. Every row with an error is
# counted; past this many, the office is told to correct the file and upload it again.
MAX_STORED_ERRORS = 20_000
MAX_API_ITEMS = 1000
TITLE_LENGTH = 150
_SOURCE_SYSTEM = re.compile(r"^[a-z0-9][a-z0-9._\-]{0,39}$")
# A chunk that meets a row another import wrote meanwhile is read again and retried.
_ATTEMPTS = 3


class ImportNotReady(Conflict):
    code = "import_not_ready"


# What a row becomes ---------------------------------------------------------------------


CREATED = "created"
UNCHANGED = "unchanged"
ERROR = "error"


@dataclass(frozen=True, slots=True)
class RowOutcome:
    source_id: str
    status: str  # CREATED or UNCHANGED
    item_code: str
    petition_code: str


@dataclass
class ScanReport:
    """What a file holds, found without writing anything."""

    kind: str
    header_row: int = 0
    total_rows: int = 0
    new_rows: int = 0
    unchanged_rows: int = 0
    error_rows: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


def clean_source_system(value: str) -> str:
    """The name of the system rows come from: lower-case letters, digits, . _ -."""
    cleaned = (value or "").strip().lower()
    if not _SOURCE_SYSTEM.match(cleaned):
        message = _(
            "Name the source system with up to 40 lower-case letters, digits, dots, dashes "
            "or underscores, e.g. “knct-2021-2026”."
        )
        raise DomainError(message, fields={"source_system": [message]})
    return cleaned


def title_of(text: str) -> str:
    """A petition's title: its text, cut at a word before TITLE_LENGTH characters."""
    if len(text) <= TITLE_LENGTH:
        return text
    cut = text[:TITLE_LENGTH].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-") + "…"


# Step 1: preview ------------------------------------------------------------------------


Progress = Callable[[int, int | None], None]


def scan_file(
    *,
    handle: "IO[bytes] | File[bytes]",
    kind: str,
    council: Council,
    source_system: str,
    progress: Progress | None = None,
) -> ScanReport:
    """Read and check every row; count those already imported. Writes nothing. Every
    CHUNK_SIZE rows, `progress` is told the rows checked and the rows the file seems to
    hold (None when it cannot tell)."""
    report = ScanReport(kind=kind)
    with open_rows(handle, kind) as opened:
        report.header_row = opened.header.row_number
        report.ignored_columns = [*opened.header.ignored, *opened.header.repeated]
        estimate = (
            max(opened.line_count - opened.header.row_number, 0)
            if opened.line_count is not None
            else None
        )
        validator = RowValidator(Lookups(council))
        pending: list[str] = []
        for raw in opened.rows:
            report.total_rows += 1
            row, problems = validator.validate(raw.number, raw.values)
            if row is None:
                report.error_rows += 1
                _keep_errors(report.errors, raw.number, problems, opened.header)
            else:
                pending.append(row.source_id)
                if len(pending) == CHUNK_SIZE:
                    report.unchanged_rows += len(imported_rows(council.pk, source_system, pending))
                    pending = []
            if progress is not None and report.total_rows % CHUNK_SIZE == 0:
                progress(report.total_rows, estimate)
        report.unchanged_rows += len(imported_rows(council.pk, source_system, pending))
    report.new_rows = report.total_rows - report.error_rows - report.unchanged_rows
    return report


def _no_rows() -> ImportFileRefused:
    message = _("The file has a header row but no petitions under it.")
    return ImportFileRefused(message, fields={"file": [message]})


def _new_batch(
    *, actor: Any, council: Council, upload: "File[bytes]", source_system: str, kind: str
) -> ImportBatch:
    """A batch for the upload, its file stored (not saved to the database yet)."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    batch = ImportBatch(
        council=council,
        filename=PurePath(upload.name or "import").name[:255],
        sha256=digest.hexdigest(),
        source_system=source_system,
        created_by=_user(actor),
    )
    # Stored under a random name: the original name is kept in `filename`.
    batch.file.save(f"{secrets.token_hex(8)}.{kind}", upload, save=False)
    return batch


def _record_preview(batch: ImportBatch, report: ScanReport, actor: Any) -> None:
    record_event(
        actor=actor,
        action="petitions.import.preview",
        obj=batch,
        council=batch.council,
        summary=_("File %(name)s checked: %(total)s rows, %(errors)s with errors.")
        % {"name": batch.filename, "total": report.total_rows, "errors": report.error_rows},
        changes={
            "source_system": batch.source_system,
            "sha256": batch.sha256,
            "total_rows": report.total_rows,
            "new_rows": report.new_rows,
            "unchanged_rows": report.unchanged_rows,
            "error_rows": report.error_rows,
        },
    )


def upload_import(
    *,
    actor: Any,
    council: Council,
    upload: "File[bytes]",
    source_system: str,
    background: bool = True,
) -> ImportBatch:
    """Keep an uploaded file as a batch to check, and return at once. With `background`,
    the rows are checked by a task once this transaction commits; without, the caller
    runs `check_import_batch` itself."""
    from hdnd.petitions import tasks

    source_system = clean_source_system(source_system)
    kind = check_upload(upload)
    batch = _new_batch(
        actor=actor, council=council, upload=upload, source_system=source_system, kind=kind
    )
    batch.status = ImportStatus.CHECKING
    with transaction.atomic():
        batch.save()
        record_event(
            actor=actor,
            action="petitions.import.upload",
            obj=batch,
            council=council,
            summary=_("File %(name)s uploaded; its rows are being checked.")
            % {"name": batch.filename},
            changes={
                "source_system": source_system,
                "sha256": batch.sha256,
                "size": upload.size,
            },
        )
        if background:
            batch_pk = batch.pk
            transaction.on_commit(lambda: tasks.check_import.delay(batch_pk))
    return batch


def check_import_batch(*, batch_id: int) -> None:
    """Read and check every row of an uploaded batch, its progress on the batch: the
    batch ends previewed (its counts and row errors), or refused with the reason. Does
    nothing to a batch that is not waiting to be checked, so running it twice is safe."""
    batch = (
        ImportBatch.objects.select_related("council__unit", "created_by")
        .filter(id=batch_id)
        .first()
    )
    if batch is None or batch.status != ImportStatus.CHECKING:
        logger.info("Import batch %s is not waiting to be checked; nothing to do.", batch_id)
        return
    started = time.monotonic()

    def progress(checked: int, estimate: int | None) -> None:
        # An estimate the file has outgrown is no estimate: 0 shows a bar without an end.
        expected = estimate if estimate is not None and estimate >= checked else 0
        ImportBatch.objects.filter(id=batch_id, status=ImportStatus.CHECKING).update(
            processed_rows=checked, total_rows=expected
        )

    try:
        with batch.file.open("rb") as handle:
            report = scan_file(
                handle=handle,
                kind=kind_of(batch.filename),
                council=batch.council,
                source_system=batch.source_system,
                progress=progress,
            )
        if report.total_rows == 0:
            raise _no_rows()
    except ImportFileRefused as exc:
        _refuse_batch(batch, exc.message)
        return
    except Exception:
        # Logged with its traceback for the operators; the office sees what to do.
        logger.exception("Import batch %s could not be checked", batch_id)
        _refuse_batch(
            batch,
            _(
                "The file could not be checked because of an internal error. Upload it "
                "again; if it happens again, tell the administrator."
            ),
        )
        return
    with transaction.atomic():
        updated = ImportBatch.objects.filter(id=batch.pk, status=ImportStatus.CHECKING).update(
            status=ImportStatus.PREVIEWED,
            total_rows=report.total_rows,
            processed_rows=0,
            unchanged_count=report.unchanged_rows,
            error_count=report.error_rows,
            errors=report.errors,
        )
        if updated:
            _record_preview(batch, report, batch.created_by)
    logger.info(
        "Import batch %s checked: %s rows in %.1f s (%s with errors)",
        batch_id,
        report.total_rows,
        time.monotonic() - started,
        report.error_rows,
    )


def _refuse_batch(batch: ImportBatch, message: str) -> None:
    with transaction.atomic():
        updated = ImportBatch.objects.filter(id=batch.pk, status=ImportStatus.CHECKING).update(
            status=ImportStatus.REFUSED,
            errors=[{"row": None, "column": "", "message": message}],
            finished_at=timezone.now(),
        )
        if updated:
            record_event(
                actor=batch.created_by,
                action="petitions.import.refused",
                obj=batch,
                council=batch.council,
                summary=_("File %(name)s refused: %(reason)s")
                % {"name": batch.filename, "reason": message},
                changes={"reason": message},
            )


def preview_import(
    *, actor: Any, council: Council, upload: "File[bytes]", source_system: str
) -> ImportBatch:
    """Check an uploaded file and keep it as a batch waiting for confirmation, all in the
    calling process (the command line). A refused file is not kept: ImportFileRefused
    says why."""
    source_system = clean_source_system(source_system)
    kind = check_upload(upload)
    report = scan_file(handle=upload, kind=kind, council=council, source_system=source_system)
    if report.total_rows == 0:
        raise _no_rows()
    batch = _new_batch(
        actor=actor, council=council, upload=upload, source_system=source_system, kind=kind
    )
    batch.status = ImportStatus.PREVIEWED
    batch.total_rows = report.total_rows
    batch.unchanged_count = report.unchanged_rows
    batch.error_count = report.error_rows
    batch.errors = report.errors
    with transaction.atomic():
        batch.save()
        _record_preview(batch, report, actor)
    return batch


# Step 2: confirm -------------------------------------------------------------------------


def start_import(*, actor: Any, batch_id: int, background: bool = True) -> ImportBatch:
    """Confirm a previewed batch. With `background`, the import runs as a task once this
    transaction commits; without, the caller runs `run_import_batch` itself."""
    from hdnd.petitions import tasks

    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().filter(id=batch_id).first()
        if batch is None:
            raise NotFound(_("This import does not exist."))
        if batch.status == ImportStatus.CHECKING:
            raise ImportNotReady(
                _("The file is still being checked: confirm the import once the preview shows.")
            )
        if batch.status == ImportStatus.REFUSED:
            raise ImportNotReady(_("This file was refused: correct it and upload it again."))
        if batch.status != ImportStatus.PREVIEWED:
            raise ImportNotReady(_("This import has already been started."))
        if batch.error_count >= batch.total_rows:
            raise ImportNotReady(
                _("No row of this file can be imported: correct the errors and upload it again.")
            )
        batch.status = ImportStatus.RUNNING
        batch.processed_rows = 0
        batch.created_count = 0
        batch.unchanged_count = 0
        batch.error_count = 0
        batch.errors = []
        batch.save(
            update_fields=[
                "status",
                "processed_rows",
                "created_count",
                "unchanged_count",
                "error_count",
                "errors",
            ]
        )
        record_event(
            actor=actor,
            action="petitions.import.start",
            obj=batch,
            council=batch.council,
            summary=_("Import of %(name)s started.") % {"name": batch.filename},
            changes={"total_rows": batch.total_rows},
        )
        if background:
            batch_pk = batch.pk
            transaction.on_commit(lambda: tasks.run_import.delay(batch_pk))
    return batch


# Step 3: run -----------------------------------------------------------------------------


@dataclass
class _Run:
    processed: int = 0
    created: int = 0
    unchanged: int = 0
    error_rows: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)


def run_import_batch(
    *, batch_id: int, progress: Callable[[ImportBatch], None] | None = None
) -> None:
    """Import a confirmed batch, chunk by chunk. Safe to run again on a batch that
    stopped half-way: rows this batch wrote already count as created, not again."""
    batch = (
        ImportBatch.objects.select_related("council__unit", "created_by")
        .filter(id=batch_id)
        .first()
    )
    if batch is None or batch.status != ImportStatus.RUNNING:
        logger.info("Import batch %s is not waiting to run; nothing to do.", batch_id)
        return
    run = _Run()
    started = time.monotonic()
    try:
        with (
            batch.file.open("rb") as handle,
            open_rows(handle, kind_of(batch.filename)) as opened,
        ):
            validator = RowValidator(Lookups(batch.council))
            rows: list[ImportRow] = []
            in_chunk = 0
            for raw in opened.rows:
                in_chunk += 1
                row, problems = validator.validate(raw.number, raw.values)
                if row is None:
                    run.error_rows += 1
                    _keep_errors(run.errors, raw.number, problems, opened.header)
                else:
                    rows.append(row)
                if in_chunk == CHUNK_SIZE:
                    _run_chunk(batch, run, rows, in_chunk, progress)
                    rows, in_chunk = [], 0
            if in_chunk:
                _run_chunk(batch, run, rows, in_chunk, progress)
    except ImportFileRefused as exc:
        _stop(batch, run, exc.message)
        return
    except Exception:
        # Logged with its traceback for the operators; the office sees what to do.
        logger.exception("Import batch %s failed", batch_id)
        _stop(
            batch,
            run,
            _(
                "The import stopped because of an internal error. The rows "
                "imported so far are kept; upload the file again to import the rest."
            ),
        )
        return
    ImportBatch.objects.filter(id=batch.pk).update(
        status=ImportStatus.DONE,
        total_rows=run.processed,
        processed_rows=run.processed,
        created_count=run.created,
        unchanged_count=run.unchanged,
        error_count=run.error_rows,
        errors=run.errors,
        finished_at=timezone.now(),
    )
    logger.info(
        "Import batch %s done: %s rows in %.1f s (%s created, %s unchanged, %s errors)",
        batch_id,
        run.processed,
        time.monotonic() - started,
        run.created,
        run.unchanged,
        run.error_rows,
    )


def _run_chunk(
    batch: ImportBatch,
    run: _Run,
    rows: list[ImportRow],
    row_count: int,
    progress: Callable[[ImportBatch], None] | None,
) -> None:
    for attempt in range(_ATTEMPTS):
        try:
            created, unchanged = _write_chunk(batch, run, rows, row_count)
            break
        except IntegrityError:
            if attempt == _ATTEMPTS - 1:
                raise
            logger.info("Import batch %s: a row was written meanwhile; retrying", batch.pk)
    run.processed += row_count
    run.created += created
    run.unchanged += unchanged
    if progress is not None:
        batch.processed_rows = run.processed
        batch.created_count = run.created
        batch.unchanged_count = run.unchanged
        batch.error_count = run.error_rows
        progress(batch)


def _write_chunk(
    batch: ImportBatch, run: _Run, rows: list[ImportRow], row_count: int
) -> tuple[int, int]:
    """One chunk in one transaction: its rows, the batch's progress and one audit event."""
    with transaction.atomic():
        # Two workers given the same batch take turns, and the second finds the first
        # one's rows.
        ImportBatch.objects.select_for_update().filter(id=batch.pk).values("id").get()
        outcomes = write_rows(
            council=batch.council,
            rows=rows,
            source_system=batch.source_system,
            channel=Channel.IMPORT,
            actor=batch.created_by,
            batch=batch,
            origin=_("Imported from %(name)s") % {"name": batch.filename},
        )
        created = sum(1 for outcome in outcomes if outcome.status == CREATED)
        unchanged = len(outcomes) - created
        errors = row_count - len(rows)
        ImportBatch.objects.filter(id=batch.pk).update(
            processed_rows=run.processed + row_count,
            created_count=run.created + created,
            unchanged_count=run.unchanged + unchanged,
            error_count=run.error_rows,
        )
        record_event(
            actor=batch.created_by,
            action="petitions.import.chunk",
            obj=batch,
            council=batch.council,
            summary=_(
                "Rows %(first)s–%(last)s of %(name)s: %(created)s created, "
                "%(unchanged)s already imported, %(errors)s with errors."
            )
            % {
                "first": run.processed + 1,
                "last": run.processed + row_count,
                "name": batch.filename,
                "created": created,
                "unchanged": unchanged,
                "errors": errors,
            },
            changes={"created": created, "unchanged": unchanged, "errors": errors},
        )
    return created, unchanged


def _stop(batch: ImportBatch, run: _Run, message: str) -> None:
    errors = [*run.errors, {"row": None, "column": "", "message": message}]
    ImportBatch.objects.filter(id=batch.pk).update(
        status=ImportStatus.FAILED,
        processed_rows=run.processed,
        created_count=run.created,
        unchanged_count=run.unchanged,
        error_count=run.error_rows,
        errors=errors,
        finished_at=timezone.now(),
    )


def _keep_errors(
    errors: list[dict[str, Any]], row: int, problems: list[tuple[str, str]], header: HeaderRow
) -> None:
    """Keep a row's problems, in the order of the file's columns."""
    ordered = sorted(problems, key=lambda problem: header.positions.get(problem[0], 1_000))
    for key, message in ordered:
        if len(errors) >= MAX_STORED_ERRORS:
            return
        errors.append({"row": row, "column": header.header_of(key), "message": message})


# The JSON API ----------------------------------------------------------------------------


@dataclass
class ItemResult:
    source_id: str
    status: str
    item_code: str | None = None
    petition_code: str | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)


_SCALARS = (str, int, float)


def import_items(
    *, actor: Any, council: Council, source_system: str, items: Sequence[Mapping[str, Any]]
) -> list[ItemResult]:
    """Import items sent by another system, in one transaction: each is created,
    unchanged (its source id was imported already) or refused with its errors."""
    source_system = clean_source_system(source_system)
    if len(items) > MAX_API_ITEMS:
        message = _("Send at most %(count)s items per call.") % {"count": MAX_API_ITEMS}
        raise DomainError(message, fields={"items": [message]})
    validator = RowValidator(Lookups(council), items=True)
    results: list[ItemResult] = []
    rows: list[ImportRow] = []
    for number, item in enumerate(items, start=1):
        source_id = item.get("source_id")
        result = ItemResult(
            source_id=str(source_id) if isinstance(source_id, _SCALARS) else "", status=ERROR
        )
        results.append(result)
        for key, value in item.items():
            if key not in COLUMNS_BY_KEY:
                result.errors.setdefault(key, []).append(_("Unknown field."))
            elif value is not None and (isinstance(value, bool) or not isinstance(value, _SCALARS)):
                result.errors.setdefault(key, []).append(_("Expected a string or a number."))
        if result.errors:
            continue
        row, problems = validator.validate(number, item)
        for key, message in problems:
            result.errors.setdefault(key, []).append(message)
        if row is not None:
            result.source_id = row.source_id
            rows.append(row)
    by_source_id = {result.source_id: result for result in results if not result.errors}
    with transaction.atomic():
        outcomes = write_rows(
            council=council,
            rows=rows,
            source_system=source_system,
            channel=Channel.API,
            actor=actor,
            batch=None,
            origin=_("Imported through the API from %(system)s") % {"system": source_system},
        )
        for outcome in outcomes:
            result = by_source_id[outcome.source_id]
            result.status = outcome.status
            result.item_code = outcome.item_code
            result.petition_code = outcome.petition_code
        counts = Counter(result.status for result in results)
        record_event(
            actor=actor,
            action="petitions.import.api",
            council=council,
            summary=_(
                "API import from %(system)s by %(caller)s: %(created)s created, "
                "%(unchanged)s already imported, %(errors)s refused."
            )
            % {
                "system": source_system,
                "caller": str(actor),
                "created": counts[CREATED],
                "unchanged": counts[UNCHANGED],
                "errors": counts[ERROR],
            },
            changes={
                "source_system": source_system,
                **{key: counts[key] for key in (CREATED, UNCHANGED, ERROR)},
            },
        )
    return results


# Writing rows ----------------------------------------------------------------------------


def write_rows(
    *,
    council: Council,
    rows: list[ImportRow],
    source_system: str,
    channel: str,
    actor: Any,
    batch: ImportBatch | None,
    origin: str,
) -> list[RowOutcome]:
    """Create the voter item and petition of every row not imported before, in bulk.
    Call inside a transaction; the caller writes the audit event."""
    existing = imported_rows(council.pk, source_system, [row.source_id for row in rows])
    outcomes: list[RowOutcome] = []
    new_rows: list[ImportRow] = []
    for row in rows:
        found = existing.get(row.source_id)
        if found is None:
            new_rows.append(row)
            continue
        # A batch run again after a stop finds its own rows: they were created by it.
        mine = batch is not None and found.batch_id == batch.pk
        outcomes.append(
            RowOutcome(
                row.source_id, CREATED if mine else UNCHANGED, found.item_code, found.petition_code
            )
        )
    if not new_rows:
        return outcomes
    user = _user(actor)
    now = timezone.now()
    petition_codes = _reserve_petition_codes(council, [row.received_on.year for row in new_rows])
    item_codes = _new_item_codes(len(new_rows))
    # Folded once per row: the item's search text, and the petition's after its title.
    searchable = [folded_text(row.text) for row in new_rows]
    petitions = Petition.objects.bulk_create(
        [
            _petition(council, row, code, source_system, user, search)
            for row, code, search in zip(new_rows, petition_codes, searchable, strict=True)
        ]
    )
    VoterItem.objects.bulk_create(
        [
            _item(council, row, code, petition, source_system, channel, batch, user, search)
            for row, code, petition, search in zip(
                new_rows, item_codes, petitions, searchable, strict=True
            )
        ]
    )
    PetitionRoute.objects.bulk_create(
        [
            PetitionRoute(
                petition=petition,
                agency_id=row.agency_id,
                role=AgencyRole.LEAD,
                started_on=row.assigned_on or row.received_on,
                reason=origin[:300],
                assigned_by=user,
            )
            for row, petition in zip(new_rows, petitions, strict=True)
            if row.agency_id is not None
        ]
    )
    answered = [
        (row, petition) for row, petition in zip(new_rows, petitions, strict=True) if row.has_answer
    ]
    answers = Answer.objects.bulk_create(
        [_answer(row, petition, user) for row, petition in answered]
    )
    Rating.objects.bulk_create(
        [
            _rating(row, petition, answer, user, now, origin)
            for (row, petition), answer in zip(answered, answers, strict=True)
            if row.verdict
        ]
    )
    PetitionEvent.objects.bulk_create(
        [
            PetitionEvent(
                petition=petition,
                kind=EventKind.CREATED,
                occurred_at=now,
                actor=user,
                summary=_event_summary(origin, row, batch)[:500],
                details=_event_details(row, batch, source_system),
            )
            for row, petition in zip(new_rows, petitions, strict=True)
        ]
    )
    outcomes.extend(
        RowOutcome(row.source_id, CREATED, item_code, petition.code)
        for row, item_code, petition in zip(new_rows, item_codes, petitions, strict=True)
    )
    return outcomes


def _petition(
    council: Council, row: ImportRow, code: str, source_system: str, user: Any, search: str
) -> Petition:
    """The petition of one row. `search` is the folded text: with the folded title before
    it, what `search_text_of(title, text)` gives."""
    title = title_of(row.text)
    return Petition(
        council=council,
        code=code,
        title=title,
        text=row.text,
        field_id=row.field_id,
        level=row.level,
        unit_id=row.unit_id,
        status=row.status,
        raised_in_id=row.cycle_id,
        current_cycle_id=row.cycle_id,
        lead_agency_id=row.agency_id,
        committee_id=row.committee_id,
        deadline_rule_id=row.deadline_rule_id,
        assigned_on=row.assigned_on,
        due_on=row.due_on,
        answered_on=row.answered_on,
        answered_on_time=row.on_time,
        result=row.result,
        verdict=row.verdict,
        item_count=1,
        voter_count=row.voter_count,
        meeting_count=0,
        source_system=source_system,
        source_id=row.source_id,
        search_text=f"{folded_text(title)} {search}".strip(),
        created_by=user,
    )


def _item(
    council: Council,
    row: ImportRow,
    code: str,
    petition: Petition,
    source_system: str,
    channel: str,
    batch: ImportBatch | None,
    user: Any,
    search: str,
) -> VoterItem:
    return VoterItem(
        council=council,
        code=code,
        channel=channel,
        cycle_id=row.cycle_id,
        received_on=row.received_on,
        text=row.text,
        voter_count=row.voter_count,
        unit_id=row.unit_id,
        field_id=row.field_id,
        level=row.level,
        triage_status=TriageStatus.ACCEPTED,
        petition=petition,
        source_system=source_system,
        source_id=row.source_id,
        import_batch=batch,
        search_text=search,
        created_by=user,
    )


def _answer(row: ImportRow, petition: Petition, user: Any) -> Answer:
    if row.answered_on is None:
        raise ValueError("The validator lets no answer through without its day.")
    return Answer(
        petition=petition,
        agency_id=row.agency_id,
        text=row.answer_text,
        result=row.result,
        roadmap=row.roadmap,
        planned_completion=row.planned_completion,
        answered_on=row.answered_on,
        on_time=row.on_time,
        is_current=True,
        prepared_by=user,
    )


def _rating(
    row: ImportRow, petition: Petition, answer: Answer, user: Any, now: dt.datetime, origin: str
) -> Rating:
    comment = row.rating_comment
    if not comment and row.verdict != Verdict.SATISFACTORY:
        # The database requires a reason for an unsatisfactory verdict; the file gave none.
        comment = _("%(origin)s without a comment.") % {"origin": origin}
    rated_at = now
    if row.rated_on is not None:
        rated_at = timezone.make_aware(dt.datetime.combine(row.rated_on, dt.time(12)))
    return Rating(
        answer=answer,
        petition=petition,
        committee_id=row.committee_id,
        verdict=row.verdict,
        decision=row.decision,
        comment=comment,
        rated_by=user,
        rated_at=rated_at,
    )


def _event_summary(origin: str, row: ImportRow, batch: ImportBatch | None) -> str:
    if batch is None:
        return origin
    return _("%(origin)s, row %(row)s") % {"origin": origin, "row": row.row}


def _event_details(row: ImportRow, batch: ImportBatch | None, source_system: str) -> dict[str, Any]:
    details: dict[str, Any] = {
        "source_system": source_system,
        "source_id": row.source_id,
        "status": row.status,
    }
    if batch is not None:
        details |= {"import_batch": batch.pk, "row": row.row}
    if row.channel:
        # The channel the petition first came through, as the file recorded it.
        details["original_channel"] = row.channel
    if row.due_computed:
        details["due_on_computed"] = True
    return details


def _reserve_petition_codes(council: Council, years: list[int]) -> list[str]:
    """Petition codes for these rows (one per year given), numbered on from the council's
    counter of each year: what `next_petition_code` gives, one lock per year and chunk."""
    numbers: dict[int, Iterator[int]] = {}
    for year, count in sorted(Counter(years).items()):
        counter, _created = CodeCounter.objects.select_for_update().get_or_create(
            council_id=council.pk, year=year
        )
        first = counter.last + 1
        counter.last += count
        counter.save(update_fields=["last"])
        numbers[year] = iter(range(first, counter.last + 1))
    unit_code = council.unit.code
    return [f"{unit_code}-{year}-{next(numbers[year]):04d}" for year in years]


def _new_item_codes(count: int) -> list[str]:
    """Unguessable item codes like `new_item_code`'s, checked against the table in one
    query per round instead of one per code."""
    codes: set[str] = set()
    while len(codes) < count:
        candidates = {_random_item_code() for _index in range(count - len(codes))}
        candidates -= codes
        taken = set(VoterItem.objects.filter(code__in=candidates).values_list("code", flat=True))
        codes |= candidates - taken
    return list(codes)


def _random_item_code() -> str:
    body = "".join(secrets.choice(_CODE_ALPHABET) for _index in range(8))
    return f"KN-{body[:4]}-{body[4:]}"


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None
