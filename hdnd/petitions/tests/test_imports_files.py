"""Importing petitions from a file: a messy workbook as offices keep them, CSV as Excel
writes it, the preview that writes nothing, the run, and re-importing."""

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from hdnd.core.models import AuditEvent
from hdnd.councils.models import AdministrativeUnit, Agency, Council
from hdnd.petitions.importing.files import ImportFileRefused
from hdnd.petitions.models import (
    Answer,
    Channel,
    Decision,
    ImportBatch,
    ImportStatus,
    Petition,
    PetitionEvent,
    PetitionRoute,
    PetitionStatus,
    Rating,
    ResultCategory,
    SessionCycle,
    TriageStatus,
    Verdict,
    VoterItem,
)
from hdnd.petitions.services import imports
from hdnd.petitions.services.common import search_text_of
from hdnd.petitions.tests.data import import_files as files
from hdnd.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _files_in_a_temporary_directory(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _today(time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 11, 20, 3, 0, tzinfo=dt.UTC), tick=False)


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def hoan_kiem(city_council: Council) -> AdministrativeUnit:
    return factories.CommuneUnitFactory(
        code="00070", name="Phường Hoàn Kiếm", parent=city_council.unit
    )


@pytest.fixture
def catalogue(
    cycle: SessionCycle,
    next_cycle: SessionCycle,
    agency_a: Agency,
    agency_b: Agency,
    committee: Any,
    deadline_rules: Any,
    hoan_kiem: AdministrativeUnit,
) -> SessionCycle:
    return cycle


def preview(
    council: Council, user: Any, name: str, content: bytes, source: str = "knct"
) -> ImportBatch:
    return imports.preview_import(
        actor=user, council=council, upload=files.upload(name, content), source_system=source
    )


def run(batch: ImportBatch, user: Any) -> ImportBatch:
    imports.start_import(actor=user, batch_id=batch.pk, background=False)
    imports.run_import_batch(batch_id=batch.pk)
    batch.refresh_from_db()
    return batch


def errors_of(batch: ImportBatch) -> list[tuple[Any, str, str]]:
    return [(error["row"], error["column"], error["message"]) for error in batch.errors]


def test_the_preview_reports_each_bad_row_and_writes_no_petition(
    city_council: Council, city_staff: Any, catalogue: SessionCycle
) -> None:
    batch = preview(city_council, city_staff, "knct.xlsx", files.messy_workbook())

    assert batch.status == ImportStatus.PREVIEWED
    assert batch.total_rows == 9
    assert batch.error_count == 5
    assert batch.unchanged_count == 0
    assert errors_of(batch) == files.MESSY_ERRORS
    assert not Petition.objects.exists()
    assert not VoterItem.objects.exists()
    assert batch.filename == "knct.xlsx"
    assert len(batch.sha256) == 64


def test_the_run_imports_the_valid_rows_and_reports_the_others(
    city_council: Council, city_staff: Any, catalogue: SessionCycle, agency_a: Agency
) -> None:
    batch = run(preview(city_council, city_staff, "knct.xlsx", files.messy_workbook()), city_staff)

    assert batch.status == ImportStatus.DONE
    assert (batch.total_rows, batch.processed_rows) == (9, 9)
    assert (batch.created_count, batch.unchanged_count, batch.error_count) == (4, 0, 5)
    assert batch.total_rows == batch.created_count + batch.unchanged_count + batch.error_count
    assert errors_of(batch) == files.MESSY_ERRORS
    items = VoterItem.objects.filter(import_batch=batch)
    assert sorted(items.values_list("source_id", flat=True)) == sorted(files.MESSY_VALID_IDS)
    assert set(items.values_list("channel", "triage_status", "source_system")) == {
        (Channel.IMPORT, TriageStatus.ACCEPTED, "knct")
    }
    assert batch.finished_at is not None


def test_an_assigned_row_keeps_its_agency_deadline_place_and_clean_text(
    city_council: Council,
    city_staff: Any,
    catalogue: SessionCycle,
    agency_a: Agency,
    hoan_kiem: AdministrativeUnit,
    committee: Any,
) -> None:
    run(preview(city_council, city_staff, "knct.xlsx", files.messy_workbook()), city_staff)

    petition = Petition.objects.get(source_id="HN-2026-001")
    item = petition.items.get()
    assert petition.status == PetitionStatus.ASSIGNED
    assert petition.lead_agency == agency_a
    assert petition.due_on == dt.date(2026, 8, 20)
    assert petition.assigned_on == dt.date(2026, 7, 7)
    assert petition.unit == hoan_kiem
    assert petition.field is not None and petition.field.code == "giao-thong"
    assert petition.committee == committee
    assert petition.level == "city"
    assert petition.raised_in == catalogue
    assert petition.text == (
        "Đề nghị sửa chữa mặt đường ngõ 12 phố Hàng Bông, thường xuyên ngập úng khi mưa"
    )
    assert (petition.item_count, petition.voter_count, petition.meeting_count) == (1, 12, 0)
    assert petition.code.startswith("01-2026-")
    assert item.received_on == dt.date(2026, 6, 20)
    assert item.voter_count == 12
    assert item.code.startswith("KN-")
    assert "hang bong" in petition.search_text
    assert petition.search_text == search_text_of(petition.title, petition.text)
    assert item.search_text == search_text_of(item.text)
    route = PetitionRoute.objects.get(petition=petition)
    assert (route.agency, route.role, route.ended_on) == (agency_a, "lead", None)
    event = PetitionEvent.objects.get(petition=petition)
    assert event.kind == "created"
    assert event.summary == "Imported from knct.xlsx, row 4"
    assert event.actor == city_staff


def test_an_answered_and_rated_row_becomes_resolved_with_its_answer_and_rating(
    city_council: Council, city_staff: Any, catalogue: SessionCycle, agency_a: Agency
) -> None:
    run(preview(city_council, city_staff, "knct.xlsx", files.messy_workbook()), city_staff)

    petition = Petition.objects.get(source_id="1002")
    assert petition.status == PetitionStatus.RESOLVED
    assert petition.unit is not None and petition.unit.code == "00070"
    answer = Answer.objects.get(petition=petition)
    assert answer.result == ResultCategory.RESOLVED
    assert answer.answered_on == dt.date(2026, 8, 10)
    assert answer.on_time is True
    assert answer.text == "Sở đã lắp 20 cột đèn.\nHoàn thành tháng 8/2026."
    assert answer.agency == agency_a
    assert answer.published_at is None
    rating = Rating.objects.get(petition=petition)
    assert (rating.verdict, rating.decision) == (Verdict.SATISFACTORY, Decision.CLOSE)
    assert (petition.answered_on, petition.answered_on_time) == (dt.date(2026, 8, 10), True)
    assert (petition.result, petition.verdict) == (ResultCategory.RESOLVED, Verdict.SATISFACTORY)


def test_an_unsatisfactory_evaluation_reopens_the_petition_for_its_agency(
    city_council: Council, city_staff: Any, catalogue: SessionCycle, agency_a: Agency
) -> None:
    run(preview(city_council, city_staff, "knct.xlsx", files.messy_workbook()), city_staff)

    petition = Petition.objects.get(source_id="HN-2026-009")
    assert petition.status == PetitionStatus.REOPENED
    # No deadline in the file: the council's 30-day rule, from the session (7 July).
    assert petition.due_on == dt.date(2026, 8, 6)
    assert petition.deadline_rule is not None
    assert petition.answered_on_time is True
    rating = Rating.objects.get(petition=petition)
    assert (rating.verdict, rating.decision) == (Verdict.UNSATISFACTORY, Decision.RESUPERVISE)
    assert rating.comment == "Chưa trả lời về phần diện tích vượt phép."


def test_a_central_level_row_without_agency_is_forwarded(
    city_council: Council, city_staff: Any, catalogue: SessionCycle
) -> None:
    run(preview(city_council, city_staff, "knct.xlsx", files.messy_workbook()), city_staff)

    petition = Petition.objects.get(source_id="HN-2026-008")
    assert petition.status == PetitionStatus.FORWARDED
    assert petition.lead_agency is None
    # The central rule: 60 calendar days from the session.
    assert petition.due_on == dt.date(2026, 9, 5)


def test_reimporting_the_same_file_creates_nothing(
    city_council: Council, city_staff: Any, catalogue: SessionCycle
) -> None:
    run(preview(city_council, city_staff, "knct.xlsx", files.messy_workbook()), city_staff)
    counts = (Petition.objects.count(), VoterItem.objects.count(), Answer.objects.count())

    again = preview(city_council, city_staff, "knct (1).xlsx", files.messy_workbook())
    assert again.unchanged_count == 4
    again = run(again, city_staff)

    assert (again.created_count, again.unchanged_count, again.error_count) == (0, 4, 5)
    assert (Petition.objects.count(), VoterItem.objects.count(), Answer.objects.count()) == counts


def test_another_source_system_is_imported_apart(
    city_council: Council, city_staff: Any, catalogue: SessionCycle
) -> None:
    run(preview(city_council, city_staff, "a.xlsx", files.messy_workbook(), "knct"), city_staff)
    other = run(
        preview(city_council, city_staff, "b.xlsx", files.messy_workbook(), "ihanoi"), city_staff
    )

    assert other.created_count == 4
    assert Petition.objects.filter(source_id="1002").count() == 2


def test_one_audit_event_per_chunk_not_per_row(
    city_council: Council, city_staff: Any, catalogue: SessionCycle
) -> None:
    batch = preview(city_council, city_staff, "knct.xlsx", files.messy_workbook())
    before = AuditEvent.objects.count()
    run(batch, city_staff)

    actions = list(AuditEvent.objects.order_by("seq")[before:].values_list("action", flat=True))
    assert actions == ["petitions.import.start", "petitions.import.chunk"]


def test_progress_is_saved_after_every_chunk(
    city_council: Council, city_staff: Any, catalogue: SessionCycle, monkeypatch: Any
) -> None:
    monkeypatch.setattr(imports, "CHUNK_SIZE", 2)
    batch = preview(city_council, city_staff, "knct.xlsx", files.messy_workbook())
    imports.start_import(actor=city_staff, batch_id=batch.pk, background=False)
    seen: list[tuple[int, int, int, int]] = []

    def progress(current: ImportBatch) -> None:
        saved = ImportBatch.objects.get(pk=current.pk)
        seen.append(
            (saved.processed_rows, saved.created_count, saved.unchanged_count, saved.error_count)
        )

    imports.run_import_batch(batch_id=batch.pk, progress=progress)

    # Rows 4–5 valid, 6–7 errors, 8–9 errors, 10–11 one each, 12 valid.
    assert seen == [(2, 2, 0, 0), (4, 2, 0, 2), (6, 2, 0, 4), (8, 3, 0, 5), (9, 4, 0, 5)]


def test_a_batch_runs_only_once(
    city_council: Council, city_staff: Any, catalogue: SessionCycle
) -> None:
    batch = run(preview(city_council, city_staff, "knct.xlsx", files.messy_workbook()), city_staff)
    imports.run_import_batch(batch_id=batch.pk)
    with pytest.raises(imports.ImportNotReady):
        imports.start_import(actor=city_staff, batch_id=batch.pk, background=False)
    assert Petition.objects.count() == 4


def test_a_batch_stopped_half_way_resumes_without_duplicates(
    city_council: Council, city_staff: Any, catalogue: SessionCycle, monkeypatch: Any
) -> None:
    monkeypatch.setattr(imports, "CHUNK_SIZE", 2)
    batch = preview(city_council, city_staff, "knct.xlsx", files.messy_workbook())
    imports.start_import(actor=city_staff, batch_id=batch.pk, background=False)
    real_write = imports.write_rows
    calls = {"count": 0}

    def failing_write(**kwargs: Any) -> Any:
        calls["count"] += 1
        if calls["count"] == 4:
            raise RuntimeError("the worker was killed")
        return real_write(**kwargs)

    monkeypatch.setattr(imports, "write_rows", failing_write)
    imports.run_import_batch(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert batch.processed_rows == 6
    assert batch.errors[-1]["row"] is None

    # The operator sets it running again (as after a crashed worker).
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.RUNNING)
    monkeypatch.setattr(imports, "write_rows", real_write)
    imports.run_import_batch(batch_id=batch.pk)
    batch.refresh_from_db()
    assert (batch.status, batch.created_count, batch.unchanged_count) == (ImportStatus.DONE, 4, 0)
    assert Petition.objects.count() == 4


CSV_HEADER = ["Mã", "Ngày tiếp nhận", "Kỳ họp", "Nội dung", "Lĩnh vực", "Số cử tri"]
CSV_ROWS = [
    ["C-1", "20/06/2026", "3", "Đề nghị sửa đường; lắp biển báo", "Giao thông", "3"],
    ["C-2", "2026-06-21", "", 'Đề nghị "khẩn" nạo vét kênh', "moi-truong", ""],
    ["C-3", "21/13/2026", "9", "Đề nghị", "", "0"],
]


@pytest.mark.parametrize(
    ("separator", "bom"), [(";", True), (",", True), (";", False), ("\t", True)]
)
def test_csv_files_as_excel_writes_them_are_imported(
    city_council: Council, city_staff: Any, catalogue: SessionCycle, separator: str, bom: bool
) -> None:
    content = files.csv_bytes(CSV_HEADER, CSV_ROWS, separator=separator, bom=bom)
    batch = run(preview(city_council, city_staff, "knct.csv", content), city_staff)

    assert (batch.created_count, batch.error_count) == (2, 1)
    assert errors_of(batch) == [
        (4, "Ngày tiếp nhận", "“21/13/2026” is not a valid date: there is no such day."),
        (4, "Kỳ họp", "No session “9” in this council's session cycles."),
        (4, "Số cử tri", "The number of voters must be 1 or more."),
    ]
    first = Petition.objects.get(source_id="C-1")
    assert first.text == "Đề nghị sửa đường; lắp biển báo"
    assert first.voter_count == 3
    second = Petition.objects.get(source_id="C-2")
    assert second.text == 'Đề nghị "khẩn" nạo vét kênh'
    assert second.field is not None and second.field.code == "moi-truong"
    assert second.status == PetitionStatus.CONSOLIDATING


def test_a_session_is_found_by_number_name_or_term(
    city_council: Council, city_staff: Any, catalogue: SessionCycle, next_cycle: SessionCycle
) -> None:
    rows = [
        ["S-1", "01/07/2026", "4", "Một"],
        ["S-2", "01/07/2026", "Kỳ họp thứ tư", "Hai"],
        ["S-3", "01/07/2026", "thu tu khoa XVII", "Ba"],
        ["S-4", "01/07/2026", "Kỳ họp thứ 4 khóa 17", "Bốn"],
        ["S-5", "01/07/2026", "", "Năm"],
        ["S-6", "01/07/2026", "thứ tư khóa XV", "Sáu"],
    ]
    content = files.csv_bytes(["Mã", "Ngày tiếp nhận", "Kỳ họp", "Nội dung"], rows)
    batch = run(preview(city_council, city_staff, "s.csv", content), city_staff)

    cycles = dict(Petition.objects.values_list("source_id", "raised_in__number"))
    assert cycles == {"S-1": 4, "S-2": 4, "S-3": 4, "S-4": 4, "S-5": 3}
    assert errors_of(batch) == [(7, "Kỳ họp", "No term “xv” in this council.")]


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        (
            {
                "Kết quả": "Đang giải quyết",
                "Ngày trả lời": "01/08/2026",
                "Nội dung trả lời": "Đang làm",
                "Thời hạn hoàn thành": "31/12/2027",
            },
            "Lộ trình",
            "An answer “being resolved” needs its roadmap (Lộ trình).",
        ),
        (
            {"Ngày trả lời": "01/08/2026", "Nội dung trả lời": "Đã làm"},
            "Kết quả",
            "Give the result of the answer (Kết quả).",
        ),
        (
            {"Kết quả": "Đã giải quyết xong", "Nội dung trả lời": "Đã làm"},
            "Ngày trả lời",
            "Give the day of the answer (Ngày trả lời).",
        ),
        (
            {"Kết quả": "xong rồi", "Ngày trả lời": "01/08/2026", "Nội dung trả lời": "Đã làm"},
            "Kết quả",
            "“xong rồi” is not a result: write Đã giải quyết xong, Đang giải quyết, Sẽ giải "
            "quyết or Giải trình, cung cấp thông tin.",
        ),
        (
            {"Đánh giá": "Thỏa đáng"},
            "Đánh giá",
            "An evaluation needs an answer: fill in Kết quả and Ngày trả lời.",
        ),
        (
            {"Hạn trả lời": "01/09/2026"},
            "Hạn trả lời",
            "A deadline needs the lead agency (Cơ quan chủ trì).",
        ),
        (
            {"Cơ quan chủ trì": "Sở Ngoại giao"},
            "Cơ quan chủ trì",
            "Unknown agency “Sở Ngoại giao”: it is not among this council's agencies.",
        ),
        (
            {"Cấp thẩm quyền": "Quận"},
            "Cấp thẩm quyền",
            "“Quận” is not a competence level: write Trung ương, Thành phố or Xã/phường.",
        ),
        (
            {"Địa bàn": "Phường Không Có"},
            "Địa bàn",
            "Unknown place “Phường Không Có”: write a commune or ward of this council, or its code.",
        ),
        (
            {"Ngày tiếp nhận": "20/12/2026"},
            "Ngày tiếp nhận",
            "The day received cannot be in the future.",
        ),
        (
            {
                "Cơ quan chủ trì": "Sở Xây dựng",
                "Kết quả": "Sẽ giải quyết",
                "Ngày trả lời": "01/06/2026",
                "Nội dung trả lời": "Sẽ làm",
            },
            "Ngày trả lời",
            "The answer is dated before the day received.",
        ),
        (
            {
                "Kết quả": "Giải trình",
                "Ngày trả lời": "01/08/2026",
                "Nội dung trả lời": "Đã giải trình",
                "Đánh giá": "Chưa thỏa đáng",
            },
            "Đánh giá",
            "An unsatisfactory answer re-opens the petition for its lead agency: fill in Cơ "
            "quan chủ trì.",
        ),
        (
            {"Ngày tiếp nhận": "tháng 6"},
            "Ngày tiếp nhận",
            "“tháng 6” is not a date: write it as dd/mm/yyyy.",
        ),
    ],
)
def test_a_row_that_does_not_hold_together_is_refused_with_its_reason(
    city_council: Council,
    city_staff: Any,
    catalogue: SessionCycle,
    cells: dict[str, str],
    column: str,
    message: str,
) -> None:
    row = {"Mã": "R-1", "Ngày tiếp nhận": "20/06/2026", "Nội dung": "Đề nghị", **cells}
    header = list(row)
    content = files.csv_bytes(header, [[row[key] for key in header]])
    batch = preview(city_council, city_staff, "r.csv", content)

    assert errors_of(batch) == [(2, column, message)]


def test_a_being_resolved_answer_with_its_roadmap_is_monitored_once_rated(
    city_council: Council, city_staff: Any, catalogue: SessionCycle, agency_a: Agency
) -> None:
    header = [
        "Mã",
        "Ngày tiếp nhận",
        "Nội dung",
        "Cơ quan chủ trì",
        "Kết quả",
        "Ngày trả lời",
        "Nội dung trả lời",
        "Lộ trình",
        "Thời hạn hoàn thành",
        "Đánh giá",
    ]
    row = [
        "M-1",
        "20/06/2026",
        "Đề nghị xây trường",
        "Sở Xây dựng",
        "Đang giải quyết",
        "01/08/2026",
        "Đang xây",
        "Khởi công quý 3",
        "31/12/2027",
        "Thỏa đáng",
    ]
    run(preview(city_council, city_staff, "m.csv", files.csv_bytes(header, [row])), city_staff)

    petition = Petition.objects.get(source_id="M-1")
    assert petition.status == PetitionStatus.MONITORING
    answer = petition.answers.get()
    assert (answer.roadmap, answer.planned_completion) == ("Khởi công quý 3", dt.date(2027, 12, 31))
    assert petition.ratings.get().decision == Decision.MONITOR


def test_a_row_without_date_or_session_goes_to_the_next_session(
    city_council: Council, city_staff: Any, catalogue: SessionCycle, next_cycle: SessionCycle
) -> None:
    content = files.csv_bytes(["Mã", "Nội dung"], [["D-1", "Đề nghị"]])
    run(preview(city_council, city_staff, "d.csv", content), city_staff)

    item = VoterItem.objects.get(source_id="D-1")
    # Today is 20 November 2026: the next session is on 8 December.
    assert item.cycle == next_cycle
    assert item.received_on == dt.date(2026, 11, 20)


def test_names_match_without_diacritics_case_or_prefix(
    city_council: Council, city_staff: Any, catalogue: SessionCycle, agency_b: Agency
) -> None:
    agency_b.short_name = "GTVT"
    agency_b.save(update_fields=["short_name"])
    header = ["Mã", "Ngày tiếp nhận", "Nội dung", "Cơ quan chủ trì", "Cấp thẩm quyền", "Địa bàn"]
    rows = [
        ["N-1", "20/06/2026", "Một", "gtvt", "Xã/phường", "phuong hoan kiem"],
        ["N-2", "20/06/2026", "Hai", "Giao thông vận tải", "cấp xã", "70"],
        ["N-3", "20/06/2026", "Ba", "SỞ GIAO THÔNG VẬN TẢI.", "TW", "PHƯỜNG HOÀN KIẾM"],
    ]
    batch = run(
        preview(city_council, city_staff, "n.csv", files.csv_bytes(header, rows)), city_staff
    )

    assert batch.errors == []
    petitions = Petition.objects.order_by("source_id")
    assert [p.lead_agency_id for p in petitions] == [agency_b.pk] * 3
    assert [p.level for p in petitions] == ["commune", "commune", "central"]
    assert {p.unit.code for p in petitions if p.unit} == {"00070"}


def test_a_file_without_the_required_columns_is_refused(
    city_council: Council, city_staff: Any, catalogue: SessionCycle
) -> None:
    content = files.workbook(["STT", "Nội dung"], [[1, "Đề nghị"]])
    with pytest.raises(ImportFileRefused) as refused:
        preview(city_council, city_staff, "k.xlsx", content)
    assert refused.value.message == (
        "No header row found in the first 30 rows: the file needs at least the columns "
        "“Mã” and “Nội dung”."
    )
    assert not ImportBatch.objects.exists()


def test_a_header_under_many_title_rows_is_found(
    city_council: Council, city_staff: Any, catalogue: SessionCycle
) -> None:
    content = files.workbook(["Mã", "Nội dung"], [["T-1", "Đề nghị"]], title_rows=12)
    batch = preview(city_council, city_staff, "t.xlsx", content)
    assert (batch.total_rows, batch.error_count) == (1, 0)
