"""Voter-contact meetings: planning, editing with a version, holding, cancelling and
the answers given on the spot."""

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from hdnd.accounts.models import User
from hdnd.core.errors import DomainError
from hdnd.core.models import AuditEvent
from hdnd.core.versions import StaleVersion
from hdnd.councils.models import Council, Term
from hdnd.petitions.models import (
    Channel,
    ContactMeeting,
    MeetingStatus,
    MeetingTiming,
    Organiser,
    SessionCycle,
)
from hdnd.petitions.services import intake, meetings
from hdnd.petitions.services.common import TransitionNotAllowed
from hdnd.testing import factories

pytestmark = pytest.mark.django_db

PAST = dt.datetime(2026, 11, 1, 1, 30, tzinfo=dt.UTC)
FUTURE = dt.datetime(2030, 1, 1, 1, 30, tzinfo=dt.UTC)
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def plan(council: Council, cycle: SessionCycle, actor: User, **extra: object) -> ContactMeeting:
    arguments: dict[str, object] = {
        "council": council,
        "actor": actor,
        "cycle": cycle,
        "timing": MeetingTiming.BEFORE_SESSION,
        "starts_at": PAST,
        "unit": council.unit,
        **extra,
    }
    return meetings.create_meeting(**arguments)  # type: ignore[arg-type]  # test arguments


def test_it_plans_a_meeting_in_the_cycles_term_and_audits_it(
    city_council: Council, cycle: SessionCycle, city_staff: User
) -> None:
    meeting = plan(city_council, cycle, city_staff, venue="  Nhà văn hóa   phường ")
    assert meeting.status == MeetingStatus.PLANNED
    assert meeting.term_id == cycle.term_id
    assert meeting.venue == "Nhà văn hóa phường"
    event = AuditEvent.objects.get(action="petitions.meeting.create")
    assert event.object_id == str(meeting.pk)
    assert event.actor == city_staff


def test_it_plans_a_joint_meeting_in_a_commune_with_city_and_commune_delegates(
    city_council: Council, commune_a: Council, cycle: SessionCycle, city_staff: User
) -> None:
    city_seat = factories.MembershipFactory(term=cycle.term)
    commune_term = factories.TermFactory(council=commune_a, name="Khóa I")
    commune_seat = factories.MembershipFactory(term=commune_term)
    meeting = plan(
        city_council,
        cycle,
        city_staff,
        unit=commune_a.unit,
        delegates_present=[city_seat, commune_seat],
    )
    assert set(meeting.delegates_present.all()) == {city_seat, commune_seat}
    assert meeting.unit == commune_a.unit


def test_it_refuses_delegates_of_another_province_or_not_seated_that_day(
    city_council: Council, cycle: SessionCycle, city_staff: User, term: Term
) -> None:
    other_province = factories.CityCouncilFactory(
        unit=factories.ProvinceUnitFactory(code="79", name="Thành phố Hồ Chí Minh")
    )
    stranger = factories.MembershipFactory(term=factories.TermFactory(council=other_province))
    with pytest.raises(DomainError) as refused:
        plan(city_council, cycle, city_staff, delegates_present=[stranger])
    assert "delegates_present" in refused.value.fields
    ended = factories.MembershipFactory(term=term, end_date=dt.date(2026, 5, 1))
    with pytest.raises(DomainError):
        plan(city_council, cycle, city_staff, delegates_present=[ended])


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"timing": MeetingTiming.THEMATIC, "topic": ""}, "topic"),
        ({"timing": MeetingTiming.TARGET_GROUP, "topic": "  "}, "topic"),
        ({"timing": "picnic"}, "timing"),
        ({"meeting_format": "radio"}, "format"),
    ],
)
def test_it_refuses_an_incomplete_meeting(
    city_council: Council,
    cycle: SessionCycle,
    city_staff: User,
    extra: dict[str, object],
    field: str,
) -> None:
    with pytest.raises(DomainError) as refused:
        plan(city_council, cycle, city_staff, **extra)
    assert field in refused.value.fields


def test_it_refuses_a_place_outside_the_council_and_a_cycle_of_another_council(
    city_council: Council,
    commune_a: Council,
    commune_b: Council,
    cycle: SessionCycle,
    city_staff: User,
) -> None:
    commune_cycle = factories.TermFactory(council=commune_a)
    other_cycle = SessionCycle.objects.create(
        council=commune_a,
        term=commune_cycle,
        number=1,
        name="Kỳ họp thứ nhất",
        session_date=dt.date(2026, 7, 1),
    )
    with pytest.raises(DomainError) as refused:
        plan(city_council, other_cycle, city_staff)
    assert "cycle" in refused.value.fields
    with pytest.raises(DomainError) as refused:
        plan(commune_a, other_cycle, city_staff, unit=commune_b.unit)
    assert "unit" in refused.value.fields


def test_a_delegate_group_organiser_needs_its_group_and_a_group_implies_it(
    city_council: Council, cycle: SessionCycle, city_staff: User
) -> None:
    with pytest.raises(DomainError) as refused:
        plan(city_council, cycle, city_staff, organisers=[Organiser.DELEGATE_GROUP])
    assert "delegate_group" in refused.value.fields
    group = factories.DelegateGroupFactory(term=cycle.term)
    meeting = plan(
        city_council,
        cycle,
        city_staff,
        organisers=[Organiser.FATHERLAND_FRONT],
        delegate_group=group,
    )
    assert meeting.organisers == [Organiser.FATHERLAND_FRONT, Organiser.DELEGATE_GROUP]


def test_it_marks_a_meeting_held_with_the_voters_attending(
    city_council: Council, cycle: SessionCycle, city_staff: User
) -> None:
    meeting = plan(city_council, cycle, city_staff)
    held = meetings.mark_meeting_held(
        meeting_id=meeting.pk, expected_version=1, actor=city_staff, voters_attending=85
    )
    assert (held.status, held.voters_attending, held.version) == (MeetingStatus.HELD, 85, 2)
    assert AuditEvent.objects.filter(action="petitions.meeting.hold").count() == 1


@pytest.mark.parametrize("voters", [None, 0])
def test_it_refuses_a_held_meeting_without_voters(
    city_council: Council, cycle: SessionCycle, city_staff: User, voters: int | None
) -> None:
    meeting = plan(city_council, cycle, city_staff)
    with pytest.raises(DomainError) as refused:
        meetings.mark_meeting_held(
            meeting_id=meeting.pk, expected_version=1, actor=city_staff, voters_attending=voters
        )
    assert "voters_attending" in refused.value.fields
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED


def test_the_database_refuses_a_held_meeting_without_voters(meeting: ContactMeeting) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        ContactMeeting.objects.filter(pk=meeting.pk).update(voters_attending=None)


def test_it_refuses_to_hold_a_meeting_twice_or_before_it_starts(
    city_council: Council, cycle: SessionCycle, city_staff: User
) -> None:
    meeting = plan(city_council, cycle, city_staff)
    meetings.mark_meeting_held(
        meeting_id=meeting.pk, expected_version=None, actor=city_staff, voters_attending=10
    )
    with pytest.raises(TransitionNotAllowed):
        meetings.mark_meeting_held(
            meeting_id=meeting.pk, expected_version=None, actor=city_staff, voters_attending=10
        )
    upcoming = plan(city_council, cycle, city_staff, starts_at=FUTURE)
    with pytest.raises(TransitionNotAllowed):
        meetings.mark_meeting_held(
            meeting_id=upcoming.pk, expected_version=None, actor=city_staff, voters_attending=10
        )


def test_it_refuses_a_stale_version(
    city_council: Council, cycle: SessionCycle, city_staff: User
) -> None:
    meeting = plan(city_council, cycle, city_staff)
    meetings.update_meeting(
        meeting_id=meeting.pk,
        expected_version=1,
        actor=city_staff,
        changes={"venue": "Hội trường A"},
    )
    with pytest.raises(StaleVersion):
        meetings.update_meeting(
            meeting_id=meeting.pk,
            expected_version=1,
            actor=city_staff,
            changes={"venue": "Hội trường B"},
        )
    with pytest.raises(StaleVersion):
        meetings.mark_meeting_held(
            meeting_id=meeting.pk, expected_version=1, actor=city_staff, voters_attending=5
        )
    meeting.refresh_from_db()
    assert (meeting.venue, meeting.version) == ("Hội trường A", 2)


def test_an_edit_records_what_changed(
    city_council: Council, cycle: SessionCycle, city_staff: User
) -> None:
    meeting = plan(city_council, cycle, city_staff)
    seat = factories.MembershipFactory(term=cycle.term)
    meetings.update_meeting(
        meeting_id=meeting.pk,
        expected_version=1,
        actor=city_staff,
        changes={"venue": "Hội trường A", "delegates_present": [seat]},
    )
    event = AuditEvent.objects.get(action="petitions.meeting.update")
    assert event.changes["venue"] == ["", "Hội trường A"]
    assert event.changes["delegates_present"] == [[], [seat.pk]]


def test_an_edit_that_changes_nothing_keeps_the_version(
    city_council: Council, cycle: SessionCycle, city_staff: User
) -> None:
    meeting = plan(city_council, cycle, city_staff, venue="Hội trường A")
    same = meetings.update_meeting(
        meeting_id=meeting.pk,
        expected_version=1,
        actor=city_staff,
        changes={"venue": "Hội trường A"},
    )
    assert same.version == 1


def test_a_held_meeting_keeps_its_voter_count(meeting: ContactMeeting, city_staff: User) -> None:
    with pytest.raises(DomainError) as refused:
        meetings.update_meeting(
            meeting_id=meeting.pk,
            expected_version=meeting.version,
            actor=city_staff,
            changes={"voters_attending": None},
        )
    assert "voters_attending" in refused.value.fields


def test_it_cancels_a_planned_meeting_with_a_reason(
    city_council: Council, cycle: SessionCycle, city_staff: User
) -> None:
    meeting = plan(city_council, cycle, city_staff, notes="Chuẩn bị hội trường")
    with pytest.raises(DomainError) as refused:
        meetings.cancel_meeting(
            meeting_id=meeting.pk, expected_version=1, actor=city_staff, reason=" "
        )
    assert "reason" in refused.value.fields
    cancelled = meetings.cancel_meeting(
        meeting_id=meeting.pk, expected_version=1, actor=city_staff, reason="Mưa bão"
    )
    assert cancelled.status == MeetingStatus.CANCELLED
    assert cancelled.notes.startswith("Chuẩn bị hội trường\n")
    assert "Mưa bão" in cancelled.notes
    with pytest.raises(TransitionNotAllowed):
        meetings.update_meeting(
            meeting_id=meeting.pk, expected_version=2, actor=city_staff, changes={"venue": "X"}
        )
    with pytest.raises(TransitionNotAllowed):
        intake.receive_item(
            council=city_council,
            actor=city_staff,
            channel=Channel.MEETING,
            meeting=cancelled,
            text="Đề nghị sửa đường",
        )


def test_it_refuses_to_cancel_a_held_meeting_or_one_with_items(
    city_council: Council, cycle: SessionCycle, meeting: ContactMeeting, city_staff: User
) -> None:
    with pytest.raises(TransitionNotAllowed):
        meetings.cancel_meeting(
            meeting_id=meeting.pk, expected_version=None, actor=city_staff, reason="Nhầm"
        )
    planned = plan(city_council, cycle, city_staff)
    intake.receive_item(
        council=city_council,
        actor=city_staff,
        channel=Channel.MEETING,
        meeting=planned,
        text="Đề nghị lắp đèn chiếu sáng ngõ 12",
    )
    with pytest.raises(TransitionNotAllowed):
        meetings.cancel_meeting(
            meeting_id=planned.pk, expected_version=None, actor=city_staff, reason="Nhầm"
        )


def test_the_cycle_is_fixed_once_items_are_recorded(
    city_council: Council,
    cycle: SessionCycle,
    next_cycle: SessionCycle,
    meeting: ContactMeeting,
    city_staff: User,
) -> None:
    intake.receive_item(
        council=city_council,
        actor=city_staff,
        channel=Channel.MEETING,
        meeting=meeting,
        text="Đề nghị nạo vét mương thoát nước",
    )
    with pytest.raises(TransitionNotAllowed):
        meetings.update_meeting(
            meeting_id=meeting.pk,
            expected_version=meeting.version,
            actor=city_staff,
            changes={"cycle": next_cycle},
        )


def test_it_records_a_spot_answer_about_an_item(
    city_council: Council, meeting: ContactMeeting, city_staff: User
) -> None:
    agency = factories.AgencyFactory(council=city_council, name="Sở Xây dựng")
    item = intake.receive_item(
        council=city_council,
        actor=city_staff,
        channel=Channel.MEETING,
        meeting=meeting,
        text="Đề nghị sửa chữa nhà văn hóa",
    )
    answer = meetings.add_spot_answer(
        meeting_id=meeting.pk,
        actor=city_staff,
        official_name="Trần Văn Bình",
        official_title="Phó Giám đốc",
        agency=agency,
        text="Sở sẽ bố trí kinh phí trong quý I.",
        item=item,
        settles_item=True,
    )
    assert (answer.item, answer.agency, answer.settles_item) == (item, agency, True)
    assert AuditEvent.objects.filter(action="petitions.spot_answer.create").count() == 1


def test_it_refuses_a_spot_answer_about_another_meetings_item_or_without_a_speaker(
    city_council: Council, cycle: SessionCycle, meeting: ContactMeeting, city_staff: User
) -> None:
    other = plan(city_council, cycle, city_staff)
    item = intake.receive_item(
        council=city_council,
        actor=city_staff,
        channel=Channel.MEETING,
        meeting=other,
        text="Đề nghị mở rộng trường học",
    )
    with pytest.raises(DomainError) as refused:
        meetings.add_spot_answer(
            meeting_id=meeting.pk, actor=city_staff, official_name="A", text="B", item=item
        )
    assert "item" in refused.value.fields
    with pytest.raises(DomainError) as refused:
        meetings.add_spot_answer(
            meeting_id=meeting.pk, actor=city_staff, official_name=" ", text=""
        )
    assert set(refused.value.fields) == {"official_name", "text"}
    with pytest.raises(DomainError) as refused:
        meetings.add_spot_answer(
            meeting_id=meeting.pk, actor=city_staff, official_name="A", text="B", settles_item=True
        )
    assert "item" in refused.value.fields


def test_it_refuses_an_agency_of_another_province(
    meeting: ContactMeeting, city_staff: User
) -> None:
    elsewhere = factories.AgencyFactory(
        council=factories.CityCouncilFactory(
            unit=factories.ProvinceUnitFactory(code="48", name="Thành phố Đà Nẵng")
        )
    )
    with pytest.raises(DomainError) as refused:
        meetings.add_spot_answer(
            meeting_id=meeting.pk, actor=city_staff, official_name="A", text="B", agency=elsewhere
        )
    assert "agency" in refused.value.fields


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bien-ban.pdf", PDF),
        ("bien-ban.PNG", b"\x89PNG\r\n\x1a\n" + b"\0" * 20),
        ("bien-ban.jpeg", b"\xff\xd8\xff\xe0" + b"\0" * 20),
        ("bien-ban.docx", docx_bytes()),
    ],
)
def test_it_accepts_minutes_in_the_allowed_formats(name: str, content: bytes) -> None:
    meetings.check_minutes_file(SimpleUploadedFile(name, content))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bien-ban.pdf", b"<html>not a pdf</html>"),
        ("bien-ban.exe", b"MZ\x90\x00"),
        ("bien-ban.png", PDF),
        ("bien-ban.docx", b"PK\x03\x04 broken zip"),
        ("bien-ban.docx", b""),
        ("bien-ban", PDF),
    ],
)
def test_it_refuses_minutes_of_the_wrong_type(name: str, content: bytes) -> None:
    with pytest.raises(DomainError) as refused:
        meetings.check_minutes_file(SimpleUploadedFile(name, content))
    assert "minutes_file" in refused.value.fields


def test_it_refuses_oversized_minutes(settings: Any) -> None:
    settings.PETITIONS_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("bien-ban.pdf", PDF + b"0" * (1024 * 1024))
    with pytest.raises(DomainError) as refused:
        meetings.check_minutes_file(big)
    assert "minutes_file" in refused.value.fields


def test_it_keeps_the_minutes_file(
    city_council: Council, cycle: SessionCycle, city_staff: User, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    meeting = plan(
        city_council, cycle, city_staff, minutes_file=SimpleUploadedFile("bien ban.pdf", PDF)
    )
    meeting.refresh_from_db()
    assert meeting.minutes_file.name.startswith("petitions/minutes/")
    with meeting.minutes_file.open("rb") as stored:
        assert stored.read() == PDF
