"""The import pages: upload, the file's check in the background and its progress, preview,
confirm, progress bar, error report; who may use them; uploads refused for their size or
type."""

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from hdnd.accounts.models import User
from hdnd.councils.models import Agency, Council
from hdnd.petitions.models import ImportBatch, ImportStatus, Petition, SessionCycle
from hdnd.petitions.services import imports
from hdnd.petitions.tests.data import import_files as files
from hdnd.testing import factories

pytestmark = pytest.mark.django_db

Login = Callable[[Client, User], Client]


@pytest.fixture(autouse=True)
def _files_in_a_temporary_directory(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _today_in_english(time_machine: Any, settings: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 11, 20, 3, 0, tzinfo=dt.UTC), tick=False)
    settings.LANGUAGE_CODE = "en"
    # Tasks run inline, as on the embedded default; the tests run the on-commit callbacks
    # that a committed request would.
    settings.CELERY_TASK_ALWAYS_EAGER = True


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


@pytest.fixture
def staff_client(client: Client, login: Login, city_staff: User) -> Client:
    return login(client, city_staff)


def post_upload(client: Client, council: Council, name: str, content: bytes, **extra: str) -> Any:
    return client.post(
        reverse("petitions:imports", args=[council.pk]),
        {"file": files.upload(name, content), "source_system": "knct", **extra},
        headers={"Accept-Language": "en"},
    )


@pytest.fixture
def upload(
    django_capture_on_commit_callbacks: Any,
) -> Callable[..., Any]:
    """Upload a file on the page as a committed request would: the check then runs (a
    task, inline here) once the request's transaction commits."""

    def _upload(client: Client, council: Council, name: str, content: bytes, **extra: str) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return post_upload(client, council, name, content, **extra)

    return _upload


def previewed(council: Council, user: User) -> ImportBatch:
    return imports.preview_import(
        actor=user,
        council=council,
        upload=files.upload("knct.xlsx", files.messy_workbook()),
        source_system="knct",
    )


def test_uploading_returns_at_once_and_the_page_follows_the_check(
    staff_client: Client,
    city_council: Council,
    catalogue: SessionCycle,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        response = post_upload(staff_client, city_council, "knct.xlsx", files.messy_workbook())

    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("petitions:import_detail", args=[batch.pk])
    # Nothing is read yet: the check waits for the commit, then runs as a task.
    assert len(callbacks) == 1
    assert (batch.status, batch.total_rows, batch.error_count) == (ImportStatus.CHECKING, 0, 0)
    progress_url = reverse("petitions:import_progress", args=[batch.pk])
    checking = staff_client.get(response["Location"]).content.decode()
    assert "Checking the file" in checking
    assert f'hx-get="{progress_url}" hx-trigger="every 1s"' in checking
    assert "0 rows checked" in checking
    assert "Import 4 valid rows" not in checking
    polled = staff_client.get(progress_url, headers={"HX-Request": "true"})
    assert "every 1s" in polled.content.decode()
    assert "HX-Refresh" not in polled

    callbacks[0]()

    polled = staff_client.get(progress_url, headers={"HX-Request": "true"})
    assert polled["HX-Refresh"] == "true"
    page = staff_client.get(response["Location"], headers={"Accept-Language": "en"})
    body = page.content.decode()
    assert page.status_code == 200
    assert "every 1s" not in body
    assert "Đề nghị sửa chữa mặt đường ngõ 12 phố Hàng Bông" in body
    assert "HN-2026-008" in body
    for row, column, message in files.MESSY_ERRORS:
        assert f'<td>{row}</td><td class="nowrap">{column}</td>' in body
        assert message.replace("'", "&#x27;") in body
    assert "Import 4 valid rows" in body
    assert "Ghi chú" in body and "STT" in body  # the columns not used are named
    assert not Petition.objects.exists()


def test_the_check_shows_the_rows_checked_of_about_how_many(
    staff_client: Client, city_council: Council, city_staff: User, catalogue: SessionCycle
) -> None:
    batch = imports.upload_import(
        actor=city_staff,
        council=city_council,
        upload=files.upload("knct.xlsx", files.messy_workbook()),
        source_system="knct",
        background=False,
    )
    url = reverse("petitions:import_progress", args=[batch.pk])
    ImportBatch.objects.filter(pk=batch.pk).update(processed_rows=5000, total_rows=100_000)
    body = staff_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "5000 of about 100000 rows checked" in body
    assert '<progress id="import-progress-bar" value="5000" max="100000">' in body

    # Without an estimate, the bar has no end.
    ImportBatch.objects.filter(pk=batch.pk).update(processed_rows=3000, total_rows=0)
    body = staff_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "3000 rows checked" in body
    assert '<progress id="import-progress-bar">' in body

    # The list of imports does not show the half-counted numbers.
    listing = staff_client.get(reverse("petitions:imports", args=[city_council.pk]))
    assert "3000" not in listing.content.decode()
    assert "Checking the file" in listing.content.decode()


def test_confirming_before_the_check_ends_is_refused_with_a_message(
    staff_client: Client, city_council: Council, city_staff: User, catalogue: SessionCycle
) -> None:
    batch = imports.upload_import(
        actor=city_staff,
        council=city_council,
        upload=files.upload("knct.xlsx", files.messy_workbook()),
        source_system="knct",
        background=False,
    )
    response = staff_client.post(
        reverse("petitions:import_run", args=[batch.pk]),
        headers={"Accept-Language": "en"},
        follow=True,
    )
    assert "The file is still being checked" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CHECKING


def test_a_file_without_a_header_row_is_refused_on_its_page(
    staff_client: Client, city_council: Council, catalogue: SessionCycle, upload: Any
) -> None:
    content = "Số;Ý kiến\r\n1;Đề nghị".encode()
    response = upload(staff_client, city_council, "knct.csv", content)

    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert batch.status == ImportStatus.REFUSED
    body = staff_client.get(response["Location"]).content.decode()
    assert "File refused" in body
    assert "No header row found in the first 30 rows" in body
    assert "Upload a corrected file" in body
    assert "every 1s" not in body
    refused = staff_client.post(reverse("petitions:import_run", args=[batch.pk]), follow=True)
    assert "This file was refused" in refused.content.decode()
    assert not Petition.objects.exists()


def test_confirming_runs_the_import_on_commit_and_shows_the_result(
    staff_client: Client,
    city_council: Council,
    city_staff: User,
    catalogue: SessionCycle,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = True
    batch = previewed(city_council, city_staff)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = staff_client.post(reverse("petitions:import_run", args=[batch.pk]))

    assert len(callbacks) == 1
    assert response.status_code == 302
    batch.refresh_from_db()
    assert (batch.status, batch.created_count, batch.error_count) == (ImportStatus.DONE, 4, 5)
    assert Petition.objects.count() == 4
    page = staff_client.get(reverse("petitions:import_detail", args=[batch.pk])).content.decode()
    assert 'value="9" max="9"' in page
    assert "every 1s" not in page


def test_confirming_twice_is_refused_with_a_message(
    staff_client: Client, city_council: Council, city_staff: User, catalogue: SessionCycle
) -> None:
    batch = previewed(city_council, city_staff)
    imports.start_import(actor=city_staff, batch_id=batch.pk, background=False)

    response = staff_client.post(
        reverse("petitions:import_run", args=[batch.pk]),
        headers={"Accept-Language": "en"},
        follow=True,
    )
    assert "This import has already been started." in response.content.decode()


def test_the_progress_bar_polls_while_running_and_stops_when_done(
    staff_client: Client, city_council: Council, city_staff: User, catalogue: SessionCycle
) -> None:
    batch = previewed(city_council, city_staff)
    imports.start_import(actor=city_staff, batch_id=batch.pk, background=False)
    ImportBatch.objects.filter(pk=batch.pk).update(processed_rows=4, created_count=2)
    url = reverse("petitions:import_progress", args=[batch.pk])

    running = staff_client.get(url, headers={"HX-Request": "true"})
    body = running.content.decode()
    assert 'hx-trigger="every 1s"' in body
    assert '<progress id="import-progress-bar" value="4" max="9">' in body
    assert "HX-Refresh" not in running

    imports.run_import_batch(batch_id=batch.pk)
    done = staff_client.get(url, headers={"HX-Request": "true"})
    body = done.content.decode()
    assert "every 1s" not in body
    assert 'value="9" max="9"' in body
    assert done["HX-Refresh"] == "true"


def test_the_errors_download_as_a_workbook(
    staff_client: Client, city_council: Council, city_staff: User, catalogue: SessionCycle
) -> None:
    batch = previewed(city_council, city_staff)

    response = staff_client.get(reverse("petitions:import_errors", args=[batch.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = [row for row in sheet.iter_rows(min_row=4, values_only=True) if any(row)]
    assert [(row[0], row[1]) for row in rows] == [(r, c) for r, c, _m in files.MESSY_ERRORS]


def test_the_template_lists_the_columns_fields_and_agencies(
    staff_client: Client,
    city_council: Council,
    catalogue: SessionCycle,
    agency_a: Agency,
    upload: Any,
) -> None:
    response = staff_client.get(reverse("petitions:import_template", args=[city_council.pk]))

    book = load_workbook(io.BytesIO(response.content))
    header = next(book.worksheets[0].iter_rows(values_only=True))
    assert header[:4] == ("Mã", "Ngày tiếp nhận", "Kỳ họp", "Nội dung")
    agencies = [row[2] for row in book.worksheets[2].iter_rows(min_row=2, values_only=True)]
    assert agency_a.name in agencies
    # The template itself is accepted as an (empty) import file.
    refused = upload(staff_client, city_council, "mau.xlsx", response.content)
    page = staff_client.get(refused["Location"]).content.decode()
    assert "no petitions under it" in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("knct.pdf", b"%PDF-1.7 fake", "Upload an Excel workbook (.xlsx) or a CSV file (.csv)."),
        ("knct.xlsx", b"%PDF-1.7 fake", "This file is not an Excel workbook"),
        ("knct.xlsx", b"PK\x03\x04 not really a zip", "This file is not an Excel workbook"),
        ("knct.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old Excel workbook"),
        (
            "knct.csv",
            # As Excel saves "CSV (Comma delimited)" on a Windows set to Western Europe.
            "Mã;Noi dung\r\n1;Dè nghi".encode("cp1252"),
            "The CSV file is not in UTF-8.",
        ),
        ("knct.csv", b"", "The submitted file is empty."),
        ("knct.csv", b"Ma,Noi dung\x00", "not a CSV text file"),
    ],
)
def test_a_wrong_file_is_refused_at_once_with_a_clear_message(
    staff_client: Client,
    city_council: Council,
    catalogue: SessionCycle,
    name: str,
    content: bytes,
    message: str,
    upload: Any,
) -> None:
    response = upload(staff_client, city_council, name, content)

    assert response.status_code == 200
    assert message in response.content.decode().replace("&quot;", '"').replace("&#x27;", "'")
    assert not ImportBatch.objects.exists()


def test_an_oversized_file_is_refused_naming_the_limit_and_its_setting(
    staff_client: Client, city_council: Council, catalogue: SessionCycle, settings: Any
) -> None:
    settings.PETITIONS_MAX_UPLOAD_MB = 1
    content = files.csv_bytes(["Mã", "Nội dung"], [[str(i), "x" * 200] for i in range(6000)])
    assert len(content) > 1024 * 1024

    response = post_upload(staff_client, city_council, "big.csv", content)

    assert (
        "The file is too large (1.2 MB): the limit is 1 MB, set by PETITIONS_MAX_UPLOAD_MB on "
        "the server."
    ) in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_bad_source_system_name_is_refused(
    staff_client: Client, city_council: Council, catalogue: SessionCycle
) -> None:
    response = post_upload(
        staff_client, city_council, "k.xlsx", files.messy_workbook(), source_system="Hệ thống!"
    )
    assert "Name the source system" in response.content.decode()
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize(
    "persona", ["outsider", "responder_b", "delegate_user", "committee_member"]
)
def test_only_the_councils_office_may_import(
    client: Client,
    login: Login,
    city_council: Council,
    city_staff: User,
    catalogue: SessionCycle,
    persona: str,
    request: Any,
) -> None:
    batch = previewed(city_council, city_staff)
    login(client, request.getfixturevalue(persona))

    assert client.get(reverse("petitions:imports", args=[city_council.pk])).status_code == 403
    assert post_upload(client, city_council, "k.xlsx", files.messy_workbook()).status_code == 403
    for name in ("import_detail", "import_progress", "import_errors"):
        assert client.get(reverse(f"petitions:{name}", args=[batch.pk])).status_code == 404
    assert client.post(reverse("petitions:import_run", args=[batch.pk])).status_code == 404
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEWED
    assert ImportBatch.objects.count() == 1


def test_an_anonymous_visitor_is_asked_to_sign_in(
    client: Client, city_council: Council, city_staff: User, catalogue: SessionCycle
) -> None:
    batch = previewed(city_council, city_staff)
    assert client.get(reverse("petitions:imports", args=[city_council.pk])).status_code == 403
    assert client.get(reverse("petitions:import_detail", args=[batch.pk])).status_code == 403


def test_a_commune_office_imports_into_its_own_council_only(
    client: Client,
    login: Login,
    commune_a: Council,
    commune_officer: User,
    city_council: Council,
) -> None:
    login(client, commune_officer)
    assert client.get(reverse("petitions:imports", args=[commune_a.pk])).status_code == 200
    assert client.get(reverse("petitions:imports", args=[city_council.pk])).status_code == 403


def test_the_list_of_imports_makes_a_fixed_number_of_queries(
    staff_client: Client,
    city_council: Council,
    city_staff: User,
    catalogue: SessionCycle,
    django_assert_max_num_queries: Any,
) -> None:
    url = reverse("petitions:imports", args=[city_council.pk])
    previewed(city_council, city_staff)
    staff_client.get(url)
    with django_assert_max_num_queries(16) as few:
        staff_client.get(url)
    for _index in range(5):
        previewed(city_council, city_staff)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = staff_client.get(url)
    assert response.content.decode().count("knct.xlsx") == 6


def test_the_new_import_page_remembers_the_last_source_system(
    staff_client: Client, city_council: Council, city_staff: User, catalogue: SessionCycle
) -> None:
    imports.preview_import(
        actor=city_staff,
        council=city_council,
        upload=files.upload("a.xlsx", files.messy_workbook()),
        source_system="ihanoi",
    )
    page = staff_client.get(reverse("petitions:imports", args=[city_council.pk])).content.decode()
    assert 'value="ihanoi"' in page


def test_the_preview_warns_when_the_same_file_was_uploaded_before(
    staff_client: Client, city_council: Council, city_staff: User, catalogue: SessionCycle
) -> None:
    first = previewed(city_council, city_staff)
    imports.start_import(actor=city_staff, batch_id=first.pk, background=False)
    imports.run_import_batch(batch_id=first.pk)
    second = previewed(city_council, city_staff)

    page = staff_client.get(
        reverse("petitions:import_detail", args=[second.pk]), headers={"Accept-Language": "en"}
    ).content.decode()
    assert "This same file was uploaded before" in page
    assert page.count("Already imported") >= 4
    assert "Import 0 valid rows" in page
