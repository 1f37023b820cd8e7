"""The draft minutes and the resolutions: every number in the .docx comes from the
records (attendance, speeches, polls), and a resolution needs a closed, passed poll."""

import datetime as dt
import io
from collections.abc import Callable, Sequence

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hdnd.accounts.models import User
from hdnd.core.errors import DomainError
from hdnd.councils.models import Membership
from hdnd.meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    CheckInMethod,
    Meeting,
    Participant,
    Resolution,
    Sitting,
    SpeechKind,
    SpeechRequest,
    SpeechStatus,
)
from hdnd.meetings.queries.minutes import agenda_numbers, minutes_of
from hdnd.meetings.reports.minutes import minutes_docx
from hdnd.meetings.services.common import NotAllowedNow
from hdnd.meetings.services.records import publish_resolution, record_resolution
from hdnd.voting.models import Ballot, Choice, Poll, PollKind, PollStatus, PollSubject, Vote


def _docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _closed_named_poll(
    session: Meeting, item: AgendaItem | None, choices: Sequence[str], *, title: str
) -> Poll:
    """A closed named poll with the given choices cast by the first delegates."""
    poll = Poll.objects.create(
        meeting=session,
        sitting=session.current_sitting,
        agenda_item=item,
        kind=PollKind.MOTION,
        title=title,
        status=PollStatus.CLOSED,
        total_members=10,
        opened_at=timezone.now(),
        closed_at=timezone.now(),
    )
    subject = PollSubject.objects.create(poll=poll, position=1, label=title)
    voters = Participant.objects.filter(meeting=session, role__in=["chair", "delegate"]).order_by(
        "sort_key"
    )
    for participant, choice in zip(voters, choices, strict=False):
        ballot = Ballot.objects.create(poll=poll, person=participant.person, cast_at=timezone.now())
        Vote.objects.create(poll=poll, ballot=ballot, subject=subject, choice=choice)
    poll.passed = choices.count(Choice.YES) >= poll.required_votes()
    poll.save(update_fields=["passed"])
    return poll


@pytest.fixture
def agenda(session: Meeting) -> list[AgendaItem]:
    first = AgendaItem.objects.create(meeting=session, position=1, title="Khai mạc kỳ họp")
    second = AgendaItem.objects.create(
        meeting=session, position=2, title="Nghị quyết về kế hoạch đầu tư công"
    )
    AgendaItem.objects.create(
        meeting=session, parent=second, position=1, title="Tờ trình của UBND thành phố"
    )
    AgendaItem.objects.create(
        meeting=session, parent=second, position=2, title="Báo cáo thẩm tra của Ban Kinh tế"
    )
    return [first, second]


def test_agenda_numbers_nest(session: Meeting, agenda: list[AgendaItem]) -> None:
    numbered = [
        (number, item.title)
        for number, item in agenda_numbers(list(AgendaItem.objects.filter(meeting=session)))
    ]
    assert [number for number, _title in numbered] == ["1", "2", "2.1", "2.2"]


def test_minutes_count_attendance_speeches_and_votes(
    session: Meeting,
    agenda: list[AgendaItem],
    members: list[Membership],
    check_in: Callable[..., None],
) -> None:
    voters = list(
        Participant.objects.filter(meeting=session, role__in=["chair", "delegate"]).order_by(
            "sort_key"
        )
    )
    check_in(*voters[:8])
    Attendance.objects.create(
        sitting=Sitting.objects.get(meeting=session, number=1),
        participant=voters[8],
        status=AttendanceStatus.ABSENT_EXCUSED,
        reason="Đi công tác",
        method=CheckInMethod.OFFICE,
        recorded_at=timezone.now(),
    )
    started = timezone.now()
    SpeechRequest.objects.create(
        agenda_item=agenda[1],
        participant=voters[2],
        kind=SpeechKind.SPEECH,
        status=SpeechStatus.DONE,
        limit_seconds=420,
        started_at=started,
        ended_at=started + dt.timedelta(seconds=185),
    )
    # 6 of 10 in favour: more than half of ALL delegates (6 > 5) passes.
    _closed_named_poll(
        session,
        agenda[1],
        [Choice.YES] * 6 + [Choice.NO, Choice.ABSTAIN],
        title="Thông qua Nghị quyết về kế hoạch đầu tư công",
    )

    # An afternoon sitting planned but never opened was not held: not in the minutes.
    Sitting.objects.create(meeting=session, number=2, date=session.starts_on, part="afternoon")
    record = minutes_of(session)
    assert record.total_members == 10
    assert [one.sitting.number for one in record.sittings] == [1]
    sitting = record.sittings[0]
    assert (sitting.present, len(sitting.excused), len(sitting.absent)) == (8, 1, 1)
    assert sitting.excused[0][1] == "Đi công tác"
    line = record.items[1]
    assert line.speeches[0].seconds == 185
    assert line.polls[0].subjects[0].counts == {"yes": 6, "no": 1, "abstain": 1}
    assert line.polls[0].required == 6

    text = _docx_text(minutes_docx(record))
    assert "BIÊN BẢN" in text
    assert "Tổng số đại biểu Hội đồng nhân dân: 10 đại biểu." in text
    assert "Đi công tác" in text
    assert "3 phút 05 giây" in text
    assert "tán thành 6 đại biểu (60%)" in text
    assert "Kết quả: thông qua." in text
    assert "Tán thành: 6 (60%)" in text


def test_resolution_needs_a_closed_passed_poll(
    session: Meeting, agenda: list[AgendaItem], city_staff: User
) -> None:
    failed = _closed_named_poll(session, agenda[1], [Choice.YES] * 5, title="Lần 1")
    with pytest.raises(NotAllowedNow):
        record_resolution(
            meeting_id=session.pk,
            number="01/2026/NQ-HĐND",
            title="Kế hoạch đầu tư công",
            adopted_on=timezone.localdate(),
            poll_id=failed.pk,
            actor=city_staff,
        )
    passed = _closed_named_poll(session, agenda[1], [Choice.YES] * 7, title="Lần 2")
    resolution = record_resolution(
        meeting_id=session.pk,
        number="01/2026/NQ-HĐND",
        title="Kế hoạch đầu tư công",
        adopted_on=timezone.localdate(),
        poll_id=passed.pk,
        actor=city_staff,
    )
    assert resolution.agenda_item == agenda[1]
    with pytest.raises(DomainError) as duplicate:
        record_resolution(
            meeting_id=session.pk,
            number="01/2026/NQ-HĐND",
            title="Trùng số",
            adopted_on=timezone.localdate(),
            actor=city_staff,
        )
    assert "number" in duplicate.value.fields
    # Publishing needs the signed file.
    with pytest.raises(NotAllowedNow):
        publish_resolution(resolution_id=resolution.pk, actor=city_staff)


def test_resolution_file_must_be_a_pdf(session: Meeting, city_staff: User) -> None:
    fake = SimpleUploadedFile("nghi-quyet.pdf", b"not a pdf", content_type="application/pdf")
    with pytest.raises(DomainError) as refused:
        record_resolution(
            meeting_id=session.pk,
            number="02/2026/NQ-HĐND",
            title="Biên chế",
            adopted_on=timezone.localdate(),
            file=fake,
            actor=city_staff,
        )
    assert "PDF" in refused.value.fields["file"][0]
    assert not Resolution.objects.exists()


def test_resolution_published_with_its_pdf(session: Meeting, city_staff: User) -> None:
    pdf = SimpleUploadedFile("nq.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    resolution = record_resolution(
        meeting_id=session.pk,
        number="03/2026/NQ-HĐND",
        title="Phí tham quan",
        adopted_on=timezone.localdate(),
        file=pdf,
        actor=city_staff,
    )
    assert resolution.signature_status in {"unsigned", "error"}
    published = publish_resolution(resolution_id=resolution.pk, actor=city_staff)
    assert published.published_at is not None


def test_minutes_download_for_office_and_chair_only(
    client: Client,
    login: Callable[[Client, User], Client],
    session: Meeting,
    city_staff: User,
    chair: User,
    delegate: User,
    outsider: User,
) -> None:
    url = reverse("meetings:minutes", args=[session.pk])
    login(client, city_staff)
    response = client.get(url)
    assert response.status_code == 200
    assert "BIÊN BẢN" in _docx_text(response.content)
    login(client, chair)
    assert client.get(url).status_code == 200
    login(client, delegate)
    assert client.get(url).status_code == 403
    login(client, outsider)
    assert client.get(url).status_code == 404


def test_public_meeting_page_shows_results_but_not_closed_meetings(
    client: Client, session: Meeting, agenda: list[AgendaItem]
) -> None:
    _closed_named_poll(session, agenda[1], [Choice.YES] * 7, title="Thông qua kế hoạch")
    response = client.get(reverse("meetings_public:meeting", args=[session.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Thông qua kế hoạch" in page
    assert "Tán thành: 7" in page
    assert "Trần Văn Đại Biểu" not in page
    listing = client.get(reverse("meetings_public:council", args=[session.council_id]))
    assert session.title in listing.content.decode()

    session.is_closed = True
    session.save(update_fields=["is_closed"])
    assert client.get(reverse("meetings_public:meeting", args=[session.pk])).status_code == 404


def test_the_resolutions_page_hides_unpublished_ones_from_other_readers(
    session: Meeting,
    city_staff: User,
    delegate_user: User,
    client: Client,
    login: Callable[..., Client],
) -> None:
    pdf = SimpleUploadedFile("nq.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    published = record_resolution(
        meeting_id=session.pk,
        number="01/2026/NQ-HĐND",
        title="Đã công bố",
        adopted_on=timezone.localdate(),
        file=pdf,
        actor=city_staff,
    )
    publish_resolution(resolution_id=published.pk, actor=city_staff)
    draft = record_resolution(
        meeting_id=session.pk,
        number="02/2026/NQ-HĐND",
        title="Chưa công bố",
        adopted_on=timezone.localdate(),
        file=SimpleUploadedFile("nq2.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
        actor=city_staff,
    )
    # A reader of the council who takes no part in this meeting.
    login(client, delegate_user)
    page = client.get(f"/meetings/{session.pk}/resolutions/").content.decode()
    assert "01/2026/NQ-HĐND" in page
    assert "02/2026/NQ-HĐND" not in page
    file_url = f"/meetings/{session.pk}/resolutions/{{}}/file/"
    assert client.get(file_url.format(published.pk)).status_code == 200
    assert client.get(file_url.format(draft.pk)).status_code == 404
    # The office sees both.
    login(client, city_staff)
    page = client.get(f"/meetings/{session.pk}/resolutions/").content.decode()
    assert "02/2026/NQ-HĐND" in page
    assert client.get(file_url.format(draft.pk)).status_code == 200
