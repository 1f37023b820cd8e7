"""`manage.py import_petitions`: the same checks and report as the page, on the
command line, with progress and speed."""

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from hdnd.councils.models import Agency, Council
from hdnd.petitions.models import ImportBatch, ImportStatus, Petition, SessionCycle
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
    city_council: Council, cycle: SessionCycle, agency_a: Agency, deadline_rules: Any
) -> SessionCycle:
    factories.CommuneUnitFactory(code="00070", name="Phường Hoàn Kiếm", parent=city_council.unit)
    return cycle


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    path = tmp_path / "knct-2021-2026.xlsx"
    path.write_bytes(files.messy_workbook())
    return path


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_petitions", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_imports_a_file_and_prints_progress_and_errors(
    city_council: Council, catalogue: SessionCycle, workbook: Path
) -> None:
    out, err = run(str(workbook), "--council", "01", "--source", "knct")

    assert "9 rows: 4 to import, 0 already imported, 5 with errors." in out
    assert "9/9 rows (100%)" in out
    assert "rows/s" in out
    assert "4 created, 0 already imported, 5 rows with errors." in out
    assert err.splitlines() == [
        f"Row {row}, column “{column}”: {message}" for row, column, message in files.MESSY_ERRORS
    ]
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.filename, batch.created_by) == (
        ImportStatus.DONE,
        "knct-2021-2026.xlsx",
        None,
    )
    assert Petition.objects.count() == 4


def test_running_it_again_creates_nothing(
    city_council: Council, catalogue: SessionCycle, workbook: Path
) -> None:
    run(str(workbook), "--council", str(city_council.pk), "--source", "knct")
    out, _err = run(str(workbook), "--council", str(city_council.pk), "--source", "knct")

    assert "0 created, 4 already imported, 5 rows with errors." in out
    assert Petition.objects.count() == 4


def test_a_dry_run_reports_and_writes_nothing(
    city_council: Council, catalogue: SessionCycle, workbook: Path
) -> None:
    out, err = run(str(workbook), "--council", "01", "--source", "knct", "--dry-run")

    assert "9 rows: 4 to import, 0 already imported, 5 with errors." in out
    assert "Dry run: nothing was imported." in out
    assert "Columns not used: STT, Ghi chú" in out
    assert len(err.splitlines()) == 5
    assert not ImportBatch.objects.exists()
    assert not Petition.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--council", "99", "--source", "knct"], "No council has the unit code or id 99."),
        (["--council", "01", "--source", "Hệ thống"], "Name the source system"),
    ],
)
def test_bad_arguments_are_refused(
    city_council: Council, catalogue: SessionCycle, workbook: Path, args: list[str], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        run(str(workbook), *args)


def test_a_missing_or_wrong_file_is_refused(
    city_council: Council, catalogue: SessionCycle, tmp_path: Path
) -> None:
    with pytest.raises(CommandError, match="No file at"):
        run(str(tmp_path / "none.xlsx"), "--council", "01", "--source", "knct")
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"%PDF-1.7")
    with pytest.raises(CommandError, match="not an Excel workbook"):
        run(str(fake), "--council", "01", "--source", "knct")
