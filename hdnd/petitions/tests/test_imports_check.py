"""Checking an uploaded import file in the background: the upload keeps the file and
returns; the task reads every row with its progress on the batch, and leaves the batch
previewed (the same counts and errors as a check in the calling process) or refused
with the reason. Nothing is imported."""

import datetime as dt
import logging
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from hdnd.core.audit import verify_chain
from hdnd.core.models import AuditEvent
from hdnd.councils.models import Agency, Council
from hdnd.petitions.importing.rows import RowValidator
from hdnd.petitions.models import ImportBatch, ImportStatus, Petition, SessionCycle, VoterItem
from hdnd.petitions.services import imports
from hdnd.petitions.tests.data import import_files as files
from hdnd.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _files_in_a_temporary_directory(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _today_in_english(time_machine: Any) -> Any:
    time_machine.move_to(dt.datetime(2026, 11, 20, 3, 0, tzinfo=dt.UTC), tick=False)
    with translation.override("en"):
        yield


@pytest.fixture
def catalogue(
    city_council: Council,
    cycle: SessionCycle,
    agency_a: Agency,
    committee: Any,
    deadline_rules: Any,
) -> SessionCycle:
    factories.CommuneUnitFactory(code="00070", name="Phường Hoàn Kiếm", parent=city_council.unit)
    return cycle


def uploaded(council: Council, user: Any, name: str, content: bytes) -> ImportBatch:
    return imports.upload_import(
        actor=user,
        council=council,
        upload=files.upload(name, content),
        source_system="knct",
        background=False,
    )


def state(batch: ImportBatch) -> tuple[str, int, int]:
    return ImportBatch.objects.values_list("status", "processed_rows", "total_rows").get(
        pk=batch.pk
    )


def test_the_upload_keeps_the_file_and_reads_no_row(
    city_council: Council, city_staff: Any, catalogue: SessionCycle
) -> None:
    batch = uploaded(city_council, city_staff, "knct.xlsx", files.messy_workbook())

    batch.refresh_from_db()
    assert batch.status == ImportStatus.CHECKING
    assert (batch.total_rows, batch.error_count, batch.errors) == (0, 0, [])
    assert batch.filename == "knct.xlsx"
    assert len(batch.sha256) == 64
    with batch.file.open("rb") as stored:
        assert stored.read() == files.messy_workbook()
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["petitions.import.upload"]


def test_the_check_finds_what_a_check_in_process_finds(
    city_council: Council, city_staff: Any, catalogue: SessionCycle
) -> None:
    batch = uploaded(city_council, city_staff, "knct.xlsx", files.messy_workbook())

    imports.check_import_batch(batch_id=batch.pk)

    batch.refresh_from_db()
    same = imports.preview_import(
        actor=city_staff,
        council=city_council,
        upload=files.upload("knct.xlsx", files.messy_workbook()),
        source_system="knct",
    )
    assert batch.status == ImportStatus.PREVIEWED
    assert (batch.total_rows, batch.processed_rows) == (9, 0)
    assert (batch.total_rows, batch.unchanged_count, batch.error_count, batch.errors) == (
        same.total_rows,
        same.unchanged_count,
        same.error_count,
        same.errors,
    )
    assert [(e["row"], e["column"], e["message"]) for e in batch.errors] == files.MESSY_ERRORS
    assert not Petition.objects.exists()
    assert not VoterItem.objects.exists()
    preview = AuditEvent.objects.filter(action="petitions.import.preview", object_id=batch.pk)
    assert preview.get().actor == city_staff
    assert verify_chain()[1] == []


def test_checking_twice_changes_nothing(
    city_council: Council, city_staff: Any, catalogue: SessionCycle
) -> None:
    batch = uploaded(city_council, city_staff, "knct.xlsx", files.messy_workbook())
    imports.check_import_batch(batch_id=batch.pk)
    events = AuditEvent.objects.count()

    imports.check_import_batch(batch_id=batch.pk)

    assert state(batch) == (ImportStatus.PREVIEWED, 0, 9)
    assert AuditEvent.objects.count() == events


def test_a_csv_reports_its_progress_against_its_line_count(
    city_council: Council, city_staff: Any, catalogue: SessionCycle, monkeypatch: Any
) -> None:
    monkeypatch.setattr(imports, "CHUNK_SIZE", 2)
    content = files.csv_bytes(
        ["Mã", "Ngày tiếp nhận", "Nội dung"],
        [[f"C-{n}", "20/06/2026", f"Đề nghị số {n}"] for n in range(5)],
    )
    batch = uploaded(city_council, city_staff, "knct.csv", content)
    seen = spy_on_progress(monkeypatch, batch)

    imports.check_import_batch(batch_id=batch.pk)

    # Header on line 1, five data lines: the estimate is exact.
    assert seen == [(ImportStatus.CHECKING, 2, 5), (ImportStatus.CHECKING, 4, 5)]
    assert state(batch) == (ImportStatus.PREVIEWED, 0, 5)


def test_a_workbook_reports_its_progress_against_its_recorded_size(
    city_council: Council, city_staff: Any, catalogue: SessionCycle, monkeypatch: Any
) -> None:
    monkeypatch.setattr(imports, "CHUNK_SIZE", 4)
    batch = uploaded(city_council, city_staff, "knct.xlsx", files.messy_workbook())
    seen = spy_on_progress(monkeypatch, batch)

    imports.check_import_batch(batch_id=batch.pk)

    # The sheet's dimension ends on row 20 (formatted empty rows), the header is on row 3:
    # about 17 rows, of which 9 hold a petition.
    assert seen == [(ImportStatus.CHECKING, 4, 17), (ImportStatus.CHECKING, 8, 17)]
    assert state(batch) == (ImportStatus.PREVIEWED, 0, 9)


def spy_on_progress(monkeypatch: Any, batch: ImportBatch) -> list[tuple[str, int, int]]:
    """What the batch page would read after each progress report."""
    seen: list[tuple[str, int, int]] = []
    real_scan = imports.scan_file

    def scan(**kwargs: Any) -> Any:
        report = kwargs["progress"]

        def progress(checked: int, estimate: int | None) -> None:
            report(checked, estimate)
            seen.append(state(batch))

        return real_scan(**{**kwargs, "progress": progress})

    monkeypatch.setattr(imports, "scan_file", scan)
    return seen


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "knct.csv",
            "Số;Ý kiến\r\n1;Đề nghị".encode(),
            "No header row found in the first 30 rows: the file needs at least the columns "
            "“Mã” and “Nội dung”.",
        ),
        (
            "knct.xlsx",
            files.workbook(["Mã", "Nội dung"], []),
            "The file has a header row but no petitions under it.",
        ),
    ],
)
def test_a_file_that_cannot_be_imported_is_refused_with_the_reason(
    city_council: Council,
    city_staff: Any,
    catalogue: SessionCycle,
    name: str,
    content: bytes,
    message: str,
) -> None:
    batch = uploaded(city_council, city_staff, name, content)

    imports.check_import_batch(batch_id=batch.pk)

    batch.refresh_from_db()
    assert batch.status == ImportStatus.REFUSED
    assert batch.errors == [{"row": None, "column": "", "message": message}]
    assert batch.finished_at is not None
    refused = AuditEvent.objects.get(action="petitions.import.refused")
    assert refused.changes == {"reason": message}
    with pytest.raises(imports.ImportNotReady, match="This file was refused"):
        imports.start_import(actor=city_staff, batch_id=batch.pk, background=False)


def test_an_internal_error_refuses_the_file_and_is_logged(
    city_council: Council,
    city_staff: Any,
    catalogue: SessionCycle,
    monkeypatch: Any,
    caplog: Any,
) -> None:
    batch = uploaded(city_council, city_staff, "knct.xlsx", files.messy_workbook())

    def broken(self: Any, number: int, values: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(RowValidator, "validate", broken)
    with caplog.at_level(logging.ERROR, logger="hdnd.petitions.services.imports"):
        imports.check_import_batch(batch_id=batch.pk)

    batch.refresh_from_db()
    assert batch.status == ImportStatus.REFUSED
    assert "internal error" in batch.errors[-1]["message"]
    assert any("could not be checked" in record.message for record in caplog.records)


def test_a_batch_being_checked_cannot_be_confirmed(
    city_council: Council, city_staff: Any, catalogue: SessionCycle
) -> None:
    batch = uploaded(city_council, city_staff, "knct.xlsx", files.messy_workbook())
    with pytest.raises(imports.ImportNotReady, match="still being checked"):
        imports.start_import(actor=city_staff, batch_id=batch.pk, background=False)
    assert state(batch)[0] == ImportStatus.CHECKING


def test_the_check_runs_as_a_task_once_the_upload_commits(
    city_council: Council,
    city_staff: Any,
    catalogue: SessionCycle,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        batch = imports.upload_import(
            actor=city_staff,
            council=city_council,
            upload=files.upload("knct.xlsx", files.messy_workbook()),
            source_system="knct",
        )
        assert state(batch)[0] == ImportStatus.CHECKING

    assert len(callbacks) == 1
    assert state(batch) == (ImportStatus.PREVIEWED, 0, 9)
