"""The office's intake pages: a new item from another channel, the triage queue,
correcting an item, and the petition page's panels of source items and meetings."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from hdnd.accounts.models import User
from hdnd.councils.models import Council, DelegateGroup, GroupMember, GroupRole, Term
from hdnd.petitions.models import (
    Channel,
    ContactMeeting,
    ItemKind,
    SessionCycle,
    SpotAnswer,
    TriageStatus,
    VoterItem,
)
from hdnd.testing import factories
from hdnd.testing import petition_factories as pf

pytestmark = pytest.mark.django_db

Login = Callable[[Client, User], Client]


def new_item_post(**extra: Any) -> dict[str, Any]:
    return {
        "channel": Channel.LETTER,
        "received_on": "2026-11-05",
        "text": "Đề nghị cải tạo vỉa hè phố Bà Triệu",
        "voter_count": "1",
        "voter_name": "Đỗ Thị Mai",
        "voter_phone": "0987 000 111",
        "tags": "Vỉa hè",
        **extra,
    }


def test_staff_enter_an_item_from_a_letter(
    client: Client, login: Login, city_staff: User, city_council: Council
) -> None:
    login(client, city_staff)
    url = reverse("petitions:item_new", args=[city_council.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, new_item_post())
    item = VoterItem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("petitions:item", args=[item.pk])
    assert (item.channel, item.triage_status, item.voter_name) == (
        Channel.LETTER,
        TriageStatus.NEW,
        "Đỗ Thị Mai",
    )
    assert str(item.received_on) == "2026-11-05"


def test_staff_may_accept_an_item_at_once_and_enter_another(
    client: Client, login: Login, city_staff: User, city_council: Council
) -> None:
    login(client, city_staff)
    url = reverse("petitions:item_new", args=[city_council.pk])
    response = client.post(url, new_item_post(accept_now="on", another="1"))
    assert response["Location"] == url
    assert VoterItem.objects.get().triage_status == TriageStatus.ACCEPTED


def test_a_bad_new_item_keeps_what_was_typed(
    client: Client, login: Login, city_staff: User, city_council: Council, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "en"
    login(client, city_staff)
    response = client.post(
        reverse("petitions:item_new", args=[city_council.pk]),
        new_item_post(received_on="2099-01-01"),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Đề nghị cải tạo vỉa hè phố Bà Triệu" in body
    assert "Đỗ Thị Mai" in body
    assert "cannot be in the future" in body
    assert not VoterItem.objects.exists()


def test_the_new_item_page_asks_for_duplicate_suggestions_when_that_page_exists(
    client: Client, login: Login, city_staff: User, city_council: Council
) -> None:
    login(client, city_staff)
    body = client.get(reverse("petitions:item_new", args=[city_council.pk])).content.decode()
    try:
        suggest_url = reverse("petitions:suggest", args=[city_council.pk])
    except NoReverseMatch:
        assert 'id="duplicate-suggestions"' not in body
    else:
        assert 'id="duplicate-suggestions"' in body
        assert f'hx-get="{suggest_url}"' in body
        assert 'hx-include="#id_text"' in body


def test_triage_accepts_and_redirects_from_the_queue(
    client: Client, login: Login, city_staff: User, city_council: Council, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "en"
    petition = pf.VoterItemFactory(council=city_council, triage_status=TriageStatus.NEW)
    complaint = pf.VoterItemFactory(
        council=city_council, triage_status=TriageStatus.NEW, text="Khiếu nại thu hồi đất"
    )
    login(client, city_staff)
    queue = client.get(reverse("petitions:triage", args=[city_council.pk])).content.decode()
    assert petition.code in queue and complaint.code in queue
    accepted = client.post(reverse("petitions:item_accept", args=[petition.pk]), {"version": 1})
    assert accepted.status_code == 302
    no_reason = client.post(
        reverse("petitions:item_redirect", args=[complaint.pk]),
        {"version": 1, "kind": ItemKind.COMPLAINT, "redirected_to": "Ban Tiếp công dân"},
    )
    assert no_reason.status_code == 400
    assert "Ban Tiếp công dân" in no_reason.content.decode()
    redirected = client.post(
        reverse("petitions:item_redirect", args=[complaint.pk]),
        {
            "version": 1,
            "kind": ItemKind.COMPLAINT,
            "redirected_to": "Ban Tiếp công dân",
            "reason": "Khiếu nại quyết định hành chính",
        },
    )
    assert redirected.status_code == 302
    complaint.refresh_from_db()
    petition.refresh_from_db()
    assert complaint.triage_status == TriageStatus.REDIRECTED
    assert petition.triage_status == TriageStatus.ACCEPTED
    queue = client.get(reverse("petitions:triage", args=[city_council.pk])).content.decode()
    assert f'id="item-{complaint.pk}"' not in queue
    kept = client.get(
        reverse("petitions:triage", args=[city_council.pk]), {"status": "redirected"}
    ).content.decode()
    assert f'id="item-{complaint.pk}"' in kept
    assert "Khiếu nại quyết định hành chính" in kept


def test_reclassifying_a_redirected_item_asks_for_a_reason(
    client: Client, login: Login, city_staff: User, city_council: Council, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "en"
    item = pf.VoterItemFactory(
        council=city_council,
        triage_status=TriageStatus.REDIRECTED,
        kind=ItemKind.FIELD_REPORT,
        redirected_to="iHanoi",
        redirect_reason="Sự cố hiện trường",
    )
    login(client, city_staff)
    url = reverse("petitions:item_accept", args=[item.pk])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"version": 1, "reason": ""})
    assert refused.status_code == 400
    assert "redirected item is a petition after all" in refused.content.decode()
    assert client.post(url, {"version": 1, "reason": "Kiến nghị chính sách"}).status_code == 302
    item.refresh_from_db()
    assert item.triage_status == TriageStatus.ACCEPTED


def test_a_stale_triage_decision_is_refused(
    client: Client, login: Login, city_staff: User, city_council: Council, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "en"
    item = pf.VoterItemFactory(council=city_council, triage_status=TriageStatus.NEW, version=2)
    login(client, city_staff)
    response = client.post(reverse("petitions:item_accept", args=[item.pk]), {"version": 1})
    assert response.status_code == 400
    assert "Someone else changed this record" in response.content.decode()
    item.refresh_from_db()
    assert item.triage_status == TriageStatus.NEW


def test_staff_correct_an_item_with_its_version(
    client: Client, login: Login, city_staff: User, city_council: Council, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "en"
    item = pf.VoterItemFactory(council=city_council, voter_name="Lê Thị Hồng")
    login(client, city_staff)
    url = reverse("petitions:item_edit", args=[item.pk])
    page = client.get(url).content.decode()
    assert "Lê Thị Hồng" in page
    data = {
        "text": "Đề nghị lát lại vỉa hè",
        "voter_count": "4",
        "voter_name": "Lê Thị Hồng",
        "tags": "Vỉa hè, Đô thị",
        "version": "1",
    }
    assert client.post(url, data).status_code == 302
    item.refresh_from_db()
    assert (item.text, item.voter_count, item.version) == ("Đề nghị lát lại vỉa hè", 4, 2)
    stale = client.post(url, {**data, "text": "Một nội dung khác"})
    assert stale.status_code == 400
    assert "Một nội dung khác" in stale.content.decode()
    assert "Someone else changed this record" in stale.content.decode()


def test_a_consolidated_items_text_cannot_be_edited_on_the_page(
    client: Client, login: Login, city_staff: User, cycle: SessionCycle
) -> None:
    petition = pf.PetitionFactory(raised_in=cycle)
    item = pf.VoterItemFactory(council=cycle.council, petition=petition)
    login(client, city_staff)
    url = reverse("petitions:item_edit", args=[item.pk])
    response = client.post(
        url,
        {"text": "Sửa lén", "voter_count": "50", "place": "Tổ 3", "version": "1"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.text != "Sửa lén"
    assert (item.voter_count, item.place) == (1, "Tổ 3")


# Access


@pytest.mark.parametrize("persona", ["outsider", "responder_b", "delegate_user"])
def test_only_the_office_enters_and_triages_items(
    client: Client,
    login: Login,
    city_council: Council,
    persona: str,
    request: pytest.FixtureRequest,
) -> None:
    item = pf.VoterItemFactory(council=city_council, triage_status=TriageStatus.NEW)
    login(client, request.getfixturevalue(persona))
    assert client.get(reverse("petitions:item_new", args=[city_council.pk])).status_code == 403
    assert (
        client.post(
            reverse("petitions:item_new", args=[city_council.pk]), new_item_post()
        ).status_code
        == 403
    )
    assert client.get(reverse("petitions:triage", args=[city_council.pk])).status_code == 403
    accept = client.post(reverse("petitions:item_accept", args=[item.pk]), {"version": 1})
    assert accept.status_code == 403
    edit = client.post(
        reverse("petitions:item_edit", args=[item.pk]),
        {"text": "X", "voter_count": "1", "version": "1"},
    )
    assert edit.status_code == (403 if persona == "delegate_user" else 404)
    item.refresh_from_db()
    assert (item.triage_status, item.version) == (TriageStatus.NEW, 1)
    assert VoterItem.objects.count() == 1


@pytest.fixture
def group_leader(delegate_user: User, term: Term) -> tuple[User, DelegateGroup]:
    group = factories.DelegateGroupFactory(term=term)
    delegate_user.person = factories.PersonFactory()
    delegate_user.save(update_fields=["person"])
    seat = factories.MembershipFactory(person=delegate_user.person, term=term)
    GroupMember.objects.create(group=group, membership=seat, role=GroupRole.LEADER)
    return delegate_user, group


def test_a_group_leader_corrects_items_of_their_meetings_without_seeing_identity(
    client: Client,
    login: Login,
    group_leader: tuple[User, DelegateGroup],
    cycle: SessionCycle,
) -> None:
    leader, group = group_leader
    mine = pf.ContactMeetingFactory(cycle=cycle, delegate_group=group)
    theirs = pf.ContactMeetingFactory(cycle=cycle)
    my_item = pf.VoterItemFactory(
        council=cycle.council, channel=Channel.MEETING, meeting=mine, voter_name="Bí Mật"
    )
    their_item = pf.VoterItemFactory(council=cycle.council, channel=Channel.MEETING, meeting=theirs)
    login(client, leader)
    url = reverse("petitions:item_edit", args=[my_item.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Bí Mật" not in page.content.decode()
    saved = client.post(url, {"text": "Đề nghị sửa cầu", "voter_count": "2", "version": "1"})
    assert saved.status_code == 302
    my_item.refresh_from_db()
    assert (my_item.text, my_item.voter_name) == ("Đề nghị sửa cầu", "Bí Mật")
    assert client.get(reverse("petitions:item_edit", args=[their_item.pk])).status_code == 403


# Panels on the petition page


def test_the_petition_page_lists_its_items_and_meetings(
    client: Client,
    login: Login,
    city_staff: User,
    delegate_user: User,
    cycle: SessionCycle,
    meeting: ContactMeeting,
) -> None:
    petition = pf.PetitionFactory(raised_in=cycle)
    item = pf.VoterItemFactory(
        council=cycle.council,
        channel=Channel.MEETING,
        meeting=meeting,
        petition=petition,
        voter_name="Vũ Văn Riêng",
    )
    other = pf.VoterItemFactory(council=cycle.council, channel=Channel.MEETING, meeting=meeting)
    SpotAnswer.objects.create(
        meeting=meeting, item=item, official_name="Giám đốc Sở", text="Sẽ làm ngay"
    )
    SpotAnswer.objects.create(
        meeting=meeting, item=other, official_name="Chủ tịch phường", text="Việc khác"
    )
    url = reverse("petitions:detail", args=[petition.pk])
    login(client, city_staff)
    body = client.get(url).content.decode()
    assert reverse("petitions:item", args=[item.pk]) in body
    assert reverse("petitions:meeting", args=[meeting.pk]) in body
    assert "Vũ Văn Riêng" in body
    assert "Sẽ làm ngay" in body and "Việc khác" not in body
    client.logout()
    login(client, delegate_user)
    body = client.get(url).content.decode()
    assert item.code in body
    assert "Vũ Văn Riêng" not in body


def test_the_triage_queue_makes_a_fixed_number_of_queries(
    client: Client,
    login: Login,
    city_staff: User,
    city_council: Council,
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    login(client, city_staff)
    url = reverse("petitions:triage", args=[city_council.pk])
    pf.VoterItemFactory.create_batch(2, council=city_council, triage_status=TriageStatus.NEW)
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    pf.VoterItemFactory.create_batch(
        20, council=city_council, triage_status=TriageStatus.NEW, field=pf.field()
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
