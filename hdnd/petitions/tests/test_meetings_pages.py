"""The meeting pages: who may read and record, quick item entry, uploads and the list's
query count."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from hdnd.accounts.models import User
from hdnd.councils.models import Council, DelegateGroup, GroupMember, GroupRole, Term
from hdnd.petitions.models import (
    Channel,
    ContactMeeting,
    MeetingStatus,
    MeetingTiming,
    SessionCycle,
    SpotAnswer,
    TriageStatus,
    VoterItem,
)
from hdnd.petitions.services import meetings as services
from hdnd.testing import factories
from hdnd.testing import petition_factories as pf

pytestmark = pytest.mark.django_db

Login = Callable[[Client, User], Client]
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"


@pytest.fixture
def group(term: Term) -> DelegateGroup:
    return factories.DelegateGroupFactory(term=term, name="Tổ đại biểu số 1")


@pytest.fixture
def other_group(term: Term) -> DelegateGroup:
    return factories.DelegateGroupFactory(term=term, name="Tổ đại biểu số 2")


@pytest.fixture
def group_leader(delegate_user: User, term: Term, group: DelegateGroup) -> User:
    """A city delegate who leads group 1."""
    delegate_user.person = factories.PersonFactory(full_name="Phạm Minh Tổ Trưởng")
    delegate_user.save(update_fields=["person"])
    seat = factories.MembershipFactory(person=delegate_user.person, term=term)
    GroupMember.objects.create(group=group, membership=seat, role=GroupRole.LEADER)
    return delegate_user


@pytest.fixture
def planned(cycle: SessionCycle, city_staff: User) -> ContactMeeting:
    return services.create_meeting(
        council=cycle.council,
        actor=city_staff,
        cycle=cycle,
        timing=MeetingTiming.BEFORE_SESSION,
        starts_at=dt.datetime(2026, 11, 1, 1, 0, tzinfo=dt.UTC),
        unit=cycle.council.unit,
        venue="Hội trường UBND phường",
    )


def meeting_post(cycle: SessionCycle, **extra: Any) -> dict[str, Any]:
    return {
        "cycle": cycle.pk,
        "timing": MeetingTiming.BEFORE_SESSION,
        "topic": "",
        "starts_at": "2026-11-10T08:00",
        "unit": cycle.council.unit_id,
        "venue": "Nhà văn hóa tổ dân phố 5",
        "format": "in_person",
        "organisers": ["standing_committee"],
        "notes": "",
        **extra,
    }


def test_staff_plan_a_meeting_with_minutes(
    client: Client,
    login: Login,
    city_staff: User,
    cycle: SessionCycle,
    settings: Any,
    tmp_path: Any,
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    login(client, city_staff)
    url = reverse("petitions:meeting_new", args=[cycle.council_id])
    assert client.get(url).status_code == 200
    data = meeting_post(cycle)
    data["minutes_file"] = _upload("bien-ban.pdf", PDF)
    response = client.post(url, data)
    meeting = ContactMeeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("petitions:meeting", args=[meeting.pk])
    assert meeting.venue == "Nhà văn hóa tổ dân phố 5"
    assert meeting.starts_at == dt.datetime(2026, 11, 10, 1, 0, tzinfo=dt.UTC)
    assert meeting.minutes_file.name.endswith(".pdf")
    download = client.get(reverse("petitions:meeting_minutes", args=[meeting.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]  # a FileResponse


@pytest.mark.parametrize(
    ("name", "content"),
    [("bien-ban.pdf", b"MZ this is a program"), ("bien-ban.exe", PDF), ("bien-ban.pdf", b"big")],
)
def test_a_bad_minutes_file_is_refused_and_nothing_typed_is_lost(
    client: Client,
    login: Login,
    city_staff: User,
    cycle: SessionCycle,
    settings: Any,
    name: str,
    content: bytes,
) -> None:
    settings.LANGUAGE_CODE = "en"
    if content == b"big":
        settings.PETITIONS_MAX_UPLOAD_MB = 1
        content = PDF + b"0" * (1024 * 1024)
    login(client, city_staff)
    data = meeting_post(cycle, venue="Hội trường số 9")
    data["minutes_file"] = _upload(name, content)
    response = client.post(reverse("petitions:meeting_new", args=[cycle.council_id]), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Hội trường số 9" in body
    assert "too large" in body or "must be a PDF, DOCX, JPG or PNG" in body
    assert not ContactMeeting.objects.exists()


def test_a_stale_edit_is_refused_with_a_message(
    client: Client, login: Login, city_staff: User, planned: ContactMeeting, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "en"
    login(client, city_staff)
    url = reverse("petitions:meeting_edit", args=[planned.pk])
    assert client.get(url).status_code == 200
    data = meeting_post(planned.cycle, venue="Hội trường A", version=1)
    assert client.post(url, data).status_code == 302
    stale = client.post(url, meeting_post(planned.cycle, venue="Hội trường B", version=1))
    assert stale.status_code == 400
    assert "Someone else changed this record" in stale.content.decode()
    assert "Hội trường B" in stale.content.decode()
    planned.refresh_from_db()
    assert planned.venue == "Hội trường A"


def test_marking_held_needs_the_voter_count(
    client: Client, login: Login, city_staff: User, planned: ContactMeeting
) -> None:
    login(client, city_staff)
    url = reverse("petitions:meeting_held", args=[planned.pk])
    assert client.post(url, {"version": 1, "voters_attending": ""}).status_code == 400
    planned.refresh_from_db()
    assert planned.status == MeetingStatus.PLANNED
    assert client.post(url, {"version": 1, "voters_attending": "140"}).status_code == 302
    planned.refresh_from_db()
    assert (planned.status, planned.voters_attending) == (MeetingStatus.HELD, 140)


def test_cancelling_needs_a_reason(
    client: Client, login: Login, city_staff: User, planned: ContactMeeting
) -> None:
    login(client, city_staff)
    url = reverse("petitions:meeting_cancel", args=[planned.pk])
    assert client.post(url, {"version": 1, "reason": ""}).status_code == 400
    assert client.post(url, {"version": 1, "reason": "Trùng lịch họp"}).status_code == 302
    planned.refresh_from_db()
    assert planned.status == MeetingStatus.CANCELLED


def test_staff_add_items_one_after_another_with_htmx(
    client: Client, login: Login, city_staff: User, meeting: ContactMeeting
) -> None:
    login(client, city_staff)
    url = reverse("petitions:meeting_item_add", args=[meeting.pk])
    for number in (1, 2):
        response = client.post(
            url,
            {
                "item-text": f"Đề nghị sửa chữa cống thoát nước ngõ {number}",
                "item-voter_count": "3",
                "item-voter_name": "Nguyễn Văn An",
                "item-tags": "Thoát nước, Ngập úng",
            },
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 200
    body = response.content.decode()
    items = list(VoterItem.objects.order_by("id"))
    assert len(items) == 2
    assert all(item.channel == Channel.MEETING for item in items)
    assert all(item.triage_status == TriageStatus.ACCEPTED for item in items)
    assert items[1].code in body and items[0].code in body
    assert "autofocus" in body  # the fresh form, ready for the next item
    assert sorted(tag.name for tag in items[0].tags.all()) == ["Ngập úng", "Thoát nước"]


def test_a_bad_item_keeps_what_was_typed(
    client: Client, login: Login, city_staff: User, meeting: ContactMeeting
) -> None:
    login(client, city_staff)
    url = reverse("petitions:meeting_item_add", args=[meeting.pk])
    response = client.post(
        url,
        {"item-text": "Đề nghị mở rộng đường Láng", "item-voter_count": "0"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Đề nghị mở rộng đường Láng" in response.content.decode()
    assert not VoterItem.objects.exists()
    plain = client.post(url, {"item-text": "Đề nghị mở rộng đường Láng", "item-voter_count": ""})
    assert plain.status_code == 400
    assert "Đề nghị mở rộng đường Láng" in plain.content.decode()


def test_staff_record_a_spot_answer(
    client: Client, login: Login, city_staff: User, meeting: ContactMeeting
) -> None:
    login(client, city_staff)
    url = reverse("petitions:meeting_answer_add", args=[meeting.pk])
    response = client.post(
        url,
        {
            "answer-official_name": "Trần Thị Hoa",
            "answer-official_title": "Chủ tịch UBND phường",
            "answer-text": "Phường sẽ nạo vét trong tháng 12.",
        },
    )
    assert response.status_code == 302
    answer = SpotAnswer.objects.get()
    assert answer.meeting == meeting
    page = client.get(reverse("petitions:meeting", args=[meeting.pk])).content.decode()
    assert "Phường sẽ nạo vét trong tháng 12." in page


def test_the_delegate_picker_finds_commune_delegates_by_commune(
    client: Client,
    login: Login,
    city_staff: User,
    cycle: SessionCycle,
    commune_a: Council,
    commune_b: Council,
) -> None:
    city_seat = factories.MembershipFactory(
        term=cycle.term, person=factories.PersonFactory(full_name="Đại Biểu Thành Phố")
    )
    ours = factories.MembershipFactory(
        term=factories.TermFactory(council=commune_a),
        person=factories.PersonFactory(full_name="Đại Biểu Hoàn Kiếm"),
    )
    factories.MembershipFactory(
        term=factories.TermFactory(council=commune_b),
        person=factories.PersonFactory(full_name="Đại Biểu Sóc Sơn"),
    )
    login(client, city_staff)
    url = reverse("petitions:meeting_delegates", args=[cycle.council_id])
    plain = client.get(url).content.decode()
    assert "Đại Biểu Thành Phố" in plain and "Đại Biểu Hoàn Kiếm" not in plain
    found = client.get(
        url, {"delegate_q": "hoan kiem", "delegates_present": [city_seat.pk]}
    ).content.decode()
    assert f'value="{city_seat.pk}" selected' in found
    assert f'value="{ours.pk}"' in found
    assert "Sóc Sơn" not in found


# Access


def test_a_delegate_reads_meetings_but_records_nothing(
    client: Client, login: Login, delegate_user: User, meeting: ContactMeeting
) -> None:
    login(client, delegate_user)
    assert client.get(reverse("petitions:meetings", args=[meeting.council_id])).status_code == 200
    assert client.get(reverse("petitions:meeting", args=[meeting.pk])).status_code == 200
    assert (
        client.get(reverse("petitions:meeting_new", args=[meeting.council_id])).status_code == 403
    )
    assert client.get(reverse("petitions:meeting_edit", args=[meeting.pk])).status_code == 403
    item = client.post(
        reverse("petitions:meeting_item_add", args=[meeting.pk]),
        {"item-text": "Đề nghị", "item-voter_count": "1"},
    )
    assert item.status_code == 403
    assert not VoterItem.objects.exists()


@pytest.mark.parametrize("persona", ["outsider", "responder_b"])
def test_an_outsider_or_another_agency_sees_no_meeting(
    client: Client,
    login: Login,
    meeting: ContactMeeting,
    persona: str,
    request: pytest.FixtureRequest,
) -> None:
    login(client, request.getfixturevalue(persona))
    assert client.get(reverse("petitions:meetings", args=[meeting.council_id])).status_code == 403
    assert client.get(reverse("petitions:meeting", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("petitions:meeting_minutes", args=[meeting.pk])).status_code == 404
    answer = client.post(
        reverse("petitions:meeting_answer_add", args=[meeting.pk]),
        {"answer-official_name": "A", "answer-text": "B"},
    )
    assert answer.status_code == 404
    assert (
        client.get(reverse("petitions:meeting_new", args=[meeting.council_id])).status_code == 403
    )


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, meeting: ContactMeeting) -> None:
    response = client.get(reverse("petitions:meeting", args=[meeting.pk]))
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]


def test_a_group_leader_records_their_groups_meeting_but_not_anothers(
    client: Client,
    login: Login,
    group_leader: User,
    group: DelegateGroup,
    other_group: DelegateGroup,
    cycle: SessionCycle,
) -> None:
    login(client, group_leader)
    url = reverse("petitions:meeting_new", args=[cycle.council_id])
    page = client.get(url).content.decode()
    assert group.name in page and other_group.name not in page
    refused = client.post(url, meeting_post(cycle, delegate_group=other_group.pk))
    assert refused.status_code == 400
    assert not ContactMeeting.objects.exists()
    assert client.post(url, meeting_post(cycle, delegate_group=group.pk)).status_code == 302
    mine = ContactMeeting.objects.get()
    assert mine.delegate_group == group
    added = client.post(
        reverse("petitions:meeting_item_add", args=[mine.pk]),
        {"item-text": "Đề nghị xây nhà văn hóa", "item-voter_count": "5"},
    )
    assert added.status_code == 302
    theirs = pf.ContactMeetingFactory(cycle=cycle, delegate_group=other_group)
    assert client.get(reverse("petitions:meeting", args=[theirs.pk])).status_code == 200
    assert client.get(reverse("petitions:meeting_edit", args=[theirs.pk])).status_code == 403
    refused_item = client.post(
        reverse("petitions:meeting_item_add", args=[theirs.pk]),
        {"item-text": "Đề nghị", "item-voter_count": "1"},
    )
    assert refused_item.status_code == 403
    assert VoterItem.objects.count() == 1


def test_the_list_filters_by_cycle_and_status(
    client: Client,
    login: Login,
    city_staff: User,
    cycle: SessionCycle,
    next_cycle: SessionCycle,
) -> None:
    pf.ContactMeetingFactory(cycle=cycle, venue="Hội trường kỳ ba")
    pf.ContactMeetingFactory(
        cycle=next_cycle, venue="Hội trường kỳ bốn", status=MeetingStatus.PLANNED
    )
    login(client, city_staff)
    url = reverse("petitions:meetings", args=[cycle.council_id])
    body = client.get(url, {"cycle": next_cycle.pk}).content.decode()
    assert "Hội trường kỳ bốn" in body and "Hội trường kỳ ba" not in body
    body = client.get(url, {"status": "held"}).content.decode()
    assert "Hội trường kỳ ba" in body and "Hội trường kỳ bốn" not in body


def test_the_list_makes_a_fixed_number_of_queries(
    client: Client,
    login: Login,
    city_staff: User,
    cycle: SessionCycle,
    group: DelegateGroup,
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    login(client, city_staff)
    url = reverse("petitions:meetings", args=[cycle.council_id])
    pf.ContactMeetingFactory.create_batch(2, cycle=cycle, delegate_group=group)
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for meeting in pf.ContactMeetingFactory.create_batch(15, cycle=cycle, delegate_group=group):
        pf.VoterItemFactory(council=cycle.council, channel=Channel.MEETING, meeting=meeting)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_meeting_page_makes_a_fixed_number_of_queries(
    client: Client,
    login: Login,
    city_staff: User,
    meeting: ContactMeeting,
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    login(client, city_staff)
    url = reverse("petitions:meeting", args=[meeting.pk])
    pf.VoterItemFactory(council=meeting.council, channel=Channel.MEETING, meeting=meeting)
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for _number in range(10):
        item = pf.VoterItemFactory(
            council=meeting.council, channel=Channel.MEETING, meeting=meeting
        )
        SpotAnswer.objects.create(meeting=meeting, item=item, official_name="A", text="B")
        meeting.delegates_present.add(factories.MembershipFactory(term=meeting.term))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)
