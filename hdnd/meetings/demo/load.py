"""The meetings demo (after load_demo): the city council's first session of term XVII,
held, with its agenda, documents, attendance, sealed polls and resolutions; and an
upcoming session ready to run live, with an account for every delegate.

Everything goes through the services, as the office, the chair and the delegates would
do it, so the demo's polls are sealed exactly as real ones are."""

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.writer import PageObject, PdfFileWriter

from hdnd.accounts.models import Role, RoleAssignment, User
from hdnd.councils.demo.accounts import DEMO_PASSWORD
from hdnd.councils.models import Council, Person, Position, Term
from hdnd.lib.vietnamese import fold
from hdnd.meetings.models import (
    AttendanceStatus,
    DocumentKind,
    Meeting,
    MeetingKind,
    Participant,
    ParticipantRole,
    SittingPart,
)
from hdnd.meetings.services import agenda, attendance, documents, meetings, records, sittings
from hdnd.voting import services as voting
from hdnd.voting.models import Choice, PollKind

FIRST_SESSION_TITLE = "Kỳ họp thứ nhất Hội đồng nhân dân Thành phố Hà Nội khóa XVII"
NEXT_SESSION_TITLE = "Kỳ họp thứ hai Hội đồng nhân dân Thành phố Hà Nội khóa XVII"
# Delegates absent with leave at the first session (by rank in the seat list).
EXCUSED = {7: "Đi công tác nước ngoài", 19: "Ốm, có đơn xin vắng"}


def demo_pdf(*lines: str) -> bytes:
    """A one-page PDF holding the lines (Latin letters only: the base-14 font)."""
    writer = PdfFileWriter()
    font = generic.DictionaryObject(
        {
            pdf_name("/Type"): pdf_name("/Font"),
            pdf_name("/Subtype"): pdf_name("/Type1"),
            pdf_name("/BaseFont"): pdf_name("/Helvetica"),
        }
    )
    resources = generic.DictionaryObject(
        {pdf_name("/Font"): generic.DictionaryObject({pdf_name("/F1"): writer.add_object(font)})}
    )
    text = b"BT /F1 12 Tf 72 760 Td 16 TL "
    for line in lines:
        safe = fold(line).upper().encode("ascii", "replace")
        safe = safe.replace(b"\\", b"").replace(b"(", b"").replace(b")", b"")
        text += b"(" + safe + b") ' "
    text += b"ET"
    page = PageObject(
        contents=writer.add_object(generic.StreamObject(stream_data=text)),
        media_box=[0, 0, 595, 842],
        resources=resources,
    )
    writer.insert_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _upload(name: str, *lines: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, demo_pdf(*lines), content_type="application/pdf")


def delegate_accounts(city: Council, term: Term) -> dict[int, User]:
    """A user for every delegate of the term (person id → user): the ones load_demo made,
    and `daibieu001`, `daibieu002`… for the others, with the demo password."""
    seats = list(
        term.memberships.filter(end_date__isnull=True).select_related("person").order_by("id")
    )
    users = {
        user.person_id: user for user in User.objects.filter(person__in=[s.person for s in seats])
    }
    password = make_password(DEMO_PASSWORD)
    new: list[User] = []
    for seat in seats:
        if seat.person_id in users:
            continue
        family, _sep, given = seat.person.full_name.rpartition(" ")
        new.append(
            User(
                # Numbered without gaps: daibieu001 … daibieuNNN.
                username=f"daibieu{len(new) + 1:03d}",
                first_name=given,
                last_name=family,
                password=password,
                person=seat.person,
            )
        )
    User.objects.bulk_create(new)
    start = term.start_date
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=user, council=city, role=Role.DELEGATE, start_date=start)
        for user in new
    )
    users.update({user.person_id: user for user in new})
    return {pid: user for pid, user in users.items() if pid is not None}


def _run_poll(
    *,
    meeting: Meeting,
    office: User,
    voters: dict[int, User],
    present: list[Participant],
    choose: Callable[[int, int], str],
    **spec: Any,
) -> Any:
    poll = voting.create_poll(meeting_id=meeting.pk, actor=office, **spec)
    voting.open_poll(poll_id=poll.pk, actor=office)
    subjects = list(poll.subjects.order_by("position"))
    for rank, participant in enumerate(present):
        user = voters[participant.person_id]
        voting.cast_ballot(
            poll_id=poll.pk,
            user=user,
            choices={subject.pk: choose(rank, index) for index, subject in enumerate(subjects)},
            channel="demo",
        )
    return voting.close_poll(poll_id=poll.pk, actor=office)


def load_meeting_demo(*, city: Council, progress: Callable[[str], Any]) -> dict[str, int] | None:
    if Meeting.objects.filter(council=city, title=FIRST_SESSION_TITLE).exists():
        return None
    term = Term.objects.filter(council=city, number=17).first()
    office = User.objects.filter(username="vanphong").first()
    if term is None or office is None:
        return None
    with transaction.atomic():
        progress("Tài khoản đại biểu…")
        voters = delegate_accounts(city, term)
        progress("Kỳ họp thứ nhất…")
        created = _first_session(city=city, term=term, office=office, voters=voters)
        progress("Kỳ họp thứ hai (sắp họp)…")
        created.update(_next_session(city=city, term=term, office=office))
    created["delegate_accounts"] = len(voters)
    return created


def _first_session(
    *, city: Council, term: Term, office: User, voters: dict[int, User]
) -> dict[str, int]:
    day = term.start_date + dt.timedelta(days=7)
    meeting = meetings.create_meeting(
        council=city,
        actor=office,
        term=term,
        kind=MeetingKind.REGULAR,
        number=1,
        title=FIRST_SESSION_TITLE,
        starts_on=day,
        ends_on=day,
        venue="Hội trường Trung tâm Hội nghị Thành phố, 18B Lê Thánh Tông",
    )
    morning = sittings.add_sitting(
        meeting_id=meeting.pk, actor=office, date=day, part=SittingPart.MORNING
    )
    meetings.start_meeting(meeting_id=meeting.pk, expected_version=None, actor=office)
    sittings.open_sitting(meeting_id=meeting.pk, sitting_id=morning.pk, actor=office)

    items = {}
    for key, title, presenter in [
        ("open", "Khai mạc kỳ họp", "Chủ tọa kỳ họp"),
        (
            "report",
            "Báo cáo kết quả bầu cử đại biểu HĐND Thành phố khóa XVII",
            "Ủy ban bầu cử Thành phố",
        ),
        ("elect", "Bầu Chủ tịch, các Phó Chủ tịch HĐND Thành phố", "Chủ tọa kỳ họp"),
        (
            "plan",
            "Nghị quyết về Chương trình giám sát năm 2026 của HĐND Thành phố",
            "Thường trực HĐND Thành phố",
        ),
        ("close", "Bế mạc kỳ họp", "Chủ tọa kỳ họp"),
    ]:
        items[key] = agenda.add_item(
            meeting_id=meeting.pk,
            actor=office,
            title=title,
            presenter_text=presenter,
            sitting=morning,
        )
    documents.add_document(
        meeting_id=meeting.pk,
        kind=DocumentKind.PROGRAMME,
        title="Chương trình kỳ họp thứ nhất",
        agenda_item_id=items["open"].pk,
        file=_upload(
            "chuong-trinh.pdf", "Chuong trinh ky hop thu nhat", "HDND Thanh pho Ha Noi khoa XVII"
        ),
        actor=office,
    )
    documents.add_document(
        meeting_id=meeting.pk,
        kind=DocumentKind.REPORT,
        title="Báo cáo kết quả bầu cử đại biểu HĐND Thành phố khóa XVII",
        number="01/BC-UBBC",
        agenda_item_id=items["report"].pk,
        file=_upload("bao-cao-bau-cu.pdf", "Bao cao ket qua bau cu", "125 dai bieu trung cu"),
        actor=office,
    )
    plan_doc = documents.add_document(
        meeting_id=meeting.pk,
        kind=DocumentKind.DRAFT_RESOLUTION,
        title="Dự thảo Nghị quyết về Chương trình giám sát năm 2026",
        number="DT-NQ/2026",
        agenda_item_id=items["plan"].pk,
        file=_upload(
            "du-thao-nq-giam-sat.pdf", "Du thao nghi quyet", "Chuong trinh giam sat nam 2026"
        ),
        actor=office,
    )
    documents.publish_document(document_id=plan_doc.pk, expected_version=None, actor=office)

    participants = list(
        Participant.objects.filter(
            meeting=meeting, role__in=[ParticipantRole.CHAIR, ParticipantRole.DELEGATE]
        )
        .select_related("membership")
        .order_by("sort_key", "id")
    )
    present = []
    for rank, participant in enumerate(participants):
        if rank in EXCUSED:
            attendance.record_attendance(
                meeting_id=meeting.pk,
                participant_id=participant.pk,
                actor=office,
                status=AttendanceStatus.ABSENT_EXCUSED,
                reason=EXCUSED[rank],
            )
            continue
        attendance.record_attendance(
            meeting_id=meeting.pk,
            participant_id=participant.pk,
            actor=office,
            status=AttendanceStatus.PRESENT,
        )
        present.append(participant)

    # The opening and the election report are taken up in turn (each marks the one before
    # done), so that every item of the held session ends done.
    for key in ("open", "report", "elect"):
        agenda.set_current_item(meeting_id=meeting.pk, item_id=items[key].pk, actor=office)
    chair_seat = next(
        (p for p in participants if p.membership and p.membership.position == Position.CHAIR),
        participants[0],
    )
    vice_chairs = [
        p for p in participants if p.membership and p.membership.position == Position.VICE_CHAIR
    ]
    _run_poll(
        meeting=meeting,
        office=office,
        voters=voters,
        present=present,
        # Everyone for the candidate but two against and one not voting.
        choose=lambda rank, _index: (
            Choice.NO if rank in (3, 40) else Choice.ABSTAIN if rank == 55 else Choice.YES
        ),
        kind=PollKind.ELECTION,
        title="Bầu Chủ tịch HĐND Thành phố khóa XVII",
        is_secret=True,
        agenda_item_id=items["elect"].pk,
        subjects=[
            voting.SubjectSpec(
                label=chair_seat.person.full_name,
                person_id=chair_seat.person_id,
                post="Chủ tịch HĐND Thành phố",
            )
        ],
    )
    _run_poll(
        meeting=meeting,
        office=office,
        voters=voters,
        present=present,
        choose=lambda rank, index: Choice.NO if (rank + index) % 23 == 0 else Choice.YES,
        kind=PollKind.ELECTION,
        title="Bầu các Phó Chủ tịch HĐND Thành phố khóa XVII",
        is_secret=True,
        seats=len(vice_chairs),
        agenda_item_id=items["elect"].pk,
        subjects=[
            voting.SubjectSpec(
                label=p.person.full_name, person_id=p.person_id, post="Phó Chủ tịch HĐND Thành phố"
            )
            for p in vice_chairs
        ],
    )
    agenda.set_current_item(meeting_id=meeting.pk, item_id=items["plan"].pk, actor=office)
    plan_poll = _run_poll(
        meeting=meeting,
        office=office,
        voters=voters,
        present=present,
        choose=lambda rank, _index: (
            Choice.NO if rank % 40 == 39 else Choice.ABSTAIN if rank % 50 == 49 else Choice.YES
        ),
        kind=PollKind.MOTION,
        title="Thông qua Nghị quyết về Chương trình giám sát năm 2026 của HĐND Thành phố",
        agenda_item_id=items["plan"].pk,
    )
    resolution = records.record_resolution(
        meeting_id=meeting.pk,
        number="01/2026/NQ-HĐND",
        title="Về Chương trình giám sát năm 2026 của HĐND Thành phố",
        adopted_on=day,
        poll_id=plan_poll.pk,
        file=_upload(
            "nq-01-2026.pdf", "Nghi quyet so 01/2026/NQ-HDND", "Chuong trinh giam sat nam 2026"
        ),
        actor=office,
    )
    records.publish_resolution(resolution_id=resolution.pk, actor=office)
    agenda.set_current_item(meeting_id=meeting.pk, item_id=items["close"].pk, actor=office)
    agenda.finish_current_item(meeting_id=meeting.pk, actor=office)
    sittings.close_sitting(meeting_id=meeting.pk, sitting_id=morning.pk, actor=office)
    meetings.end_meeting(meeting_id=meeting.pk, expected_version=None, actor=office)
    return {"meetings": 1, "polls_sealed": 3, "present": len(present)}


def _next_session(*, city: Council, term: Term, office: User) -> dict[str, int]:
    today = timezone.localdate()
    meeting = meetings.create_meeting(
        council=city,
        actor=office,
        term=term,
        kind=MeetingKind.THEMATIC,
        number=2,
        title=NEXT_SESSION_TITLE,
        starts_on=today,
        ends_on=today + dt.timedelta(days=1),
        venue="Hội trường Trung tâm Hội nghị Thành phố, 18B Lê Thánh Tông",
    )
    sittings.add_sitting(meeting_id=meeting.pk, actor=office, date=today, part=SittingPart.MORNING)
    sittings.add_sitting(
        meeting_id=meeting.pk, actor=office, date=today, part=SittingPart.AFTERNOON
    )
    titles = [
        ("Khai mạc kỳ họp", "Chủ tọa kỳ họp"),
        ("Nghị quyết về mức thu phí tham quan di tích trên địa bàn Thành phố", "UBND Thành phố"),
        ("Chất vấn và trả lời chất vấn: ngập úng đô thị mùa mưa", "Giám đốc Sở Xây dựng"),
        ("Bế mạc kỳ họp", "Chủ tọa kỳ họp"),
    ]
    items = [
        agenda.add_item(meeting_id=meeting.pk, actor=office, title=title, presenter_text=presenter)
        for title, presenter in titles
    ]
    documents.add_document(
        meeting_id=meeting.pk,
        kind=DocumentKind.SUBMISSION,
        title="Tờ trình về mức thu phí tham quan di tích",
        number="215/TTr-UBND",
        agenda_item_id=items[1].pk,
        file=_upload(
            "to-trinh-phi-tham-quan.pdf",
            "To trinh so 215/TTr-UBND",
            "Muc thu phi tham quan di tich",
        ),
        actor=office,
    )
    documents.add_document(
        meeting_id=meeting.pk,
        kind=DocumentKind.DRAFT_RESOLUTION,
        title="Dự thảo Nghị quyết về mức thu phí tham quan di tích",
        agenda_item_id=items[1].pk,
        file=_upload("du-thao-nq-phi.pdf", "Du thao nghi quyet", "Muc thu phi tham quan di tich"),
        actor=office,
    )
    voting.create_poll(
        meeting_id=meeting.pk,
        actor=office,
        kind=PollKind.MOTION,
        title="Thông qua Nghị quyết về mức thu phí tham quan di tích",
        agenda_item_id=items[1].pk,
        allow_change=True,
    )
    return {"upcoming_meetings": 1}


def first_chair_username(city: Council) -> str:
    person = Person.objects.filter(
        memberships__council=city,
        memberships__position=Position.CHAIR,
        memberships__end_date__isnull=True,
    ).first()
    user = User.objects.filter(person=person).first() if person else None
    return user.username if user else ""
