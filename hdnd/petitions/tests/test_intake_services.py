"""Receiving voter items from every channel, triage and corrections."""

import datetime as dt

import pytest

from hdnd.accounts.models import User
from hdnd.core.errors import Conflict, DomainError
from hdnd.core.models import AuditEvent
from hdnd.core.versions import StaleVersion
from hdnd.councils.models import Council
from hdnd.lib.vietnamese import fold
from hdnd.petitions.models import (
    Channel,
    CompetenceLevel,
    ContactMeeting,
    ItemKind,
    SessionCycle,
    Tag,
    TriageStatus,
    VoterItem,
)
from hdnd.petitions.queries.intake import cycle_for, triage_queue
from hdnd.petitions.services import intake
from hdnd.petitions.services.common import TransitionNotAllowed
from hdnd.testing import petition_factories as pf

pytestmark = pytest.mark.django_db

# A decomposed "Hoà" (NFD, tone on a) as some keyboards send it.
DECOMPOSED = "Đề nghị sửa   đường Hoa\u0300 Bình"


def receive(council: Council, actor: User | None, **extra: object) -> VoterItem:
    arguments: dict[str, object] = {
        "council": council,
        "actor": actor,
        "channel": Channel.HOTLINE,
        "text": "Đề nghị lắp đèn chiếu sáng ngõ 34 phố Huế",
        "received_on": dt.date(2026, 11, 2),
        **extra,
    }
    return intake.receive_item(**arguments)  # type: ignore[arg-type]  # test arguments


def test_an_item_from_a_meeting_is_accepted_in_the_meetings_cycle(
    city_council: Council,
    meeting: ContactMeeting,
    next_cycle: SessionCycle,
    city_staff: User,
) -> None:
    item = intake.receive_item(
        council=city_council,
        actor=city_staff,
        channel=Channel.MEETING,
        meeting=meeting,
        text=DECOMPOSED,
        voter_count=12,
    )
    assert item.triage_status == TriageStatus.ACCEPTED
    assert item.cycle == meeting.cycle
    assert item.unit == meeting.unit
    assert item.received_on == dt.date(2026, 6, 20)
    assert item.text == "Đề nghị sửa đường Hòa Bình"
    assert item.search_text == fold("Đề nghị sửa đường Hòa Bình")
    assert item.code.startswith("KN-") and len(item.code) == 12
    assert item.created_by == city_staff


def test_staff_may_send_a_meeting_item_to_triage(
    city_council: Council, meeting: ContactMeeting, city_staff: User
) -> None:
    item = intake.receive_item(
        council=city_council,
        actor=city_staff,
        channel=Channel.MEETING,
        meeting=meeting,
        text="Tố cáo cán bộ địa chính",
        needs_triage=True,
    )
    assert item.triage_status == TriageStatus.NEW


@pytest.mark.parametrize("channel", [Channel.WEB, Channel.HOTLINE, Channel.LETTER, Channel.ZALO])
def test_items_from_other_channels_wait_for_triage(
    city_council: Council, cycle: SessionCycle, channel: str
) -> None:
    item = receive(city_council, None, channel=channel)
    assert item.triage_status == TriageStatus.NEW
    assert item.channel == channel


@pytest.mark.parametrize(
    ("received_on", "expected"),
    [
        (dt.date(2026, 6, 1), "third"),  # before the 3rd session: reported there
        (dt.date(2026, 7, 7), "third"),  # on the opening day
        (dt.date(2026, 7, 8), "fourth"),  # after it: the next session
        (dt.date(2026, 11, 2), "fourth"),
    ],
)
def test_an_item_goes_to_the_nearest_upcoming_cycle(
    city_council: Council,
    cycle: SessionCycle,
    next_cycle: SessionCycle,
    received_on: dt.date,
    expected: str,
) -> None:
    item = receive(city_council, None, received_on=received_on)
    assert item.cycle == {"third": cycle, "fourth": next_cycle}[expected]


def test_after_the_last_session_an_item_goes_to_the_latest_cycle(
    city_council: Council, cycle: SessionCycle
) -> None:
    assert cycle_for(council_id=city_council.pk, on=dt.date(2026, 11, 2)) == cycle


def test_a_council_without_cycles_still_receives_items(city_council: Council) -> None:
    assert receive(city_council, None).cycle is None


def test_it_keeps_the_voters_identity_out_of_the_audit_trail(
    city_council: Council, city_staff: User
) -> None:
    item = receive(
        city_council,
        city_staff,
        voter_name="Nguyễn Thị Lan",
        voter_phone="0912 345 678",
        voter_email="Lan@Example.vn",
        voter_address="Số 5 ngõ 34 phố Huế",
    )
    assert (item.voter_email, item.voter_phone) == ("lan@example.vn", "0912 345 678")
    event = AuditEvent.objects.get(action="petitions.item.receive")
    recorded = str(event.changes) + event.summary + event.object_repr
    for secret in ("Lan", "0912", "example.vn", "phố Huế"):
        assert secret not in recorded
    assert event.changes["has_identity"] is True


def test_it_creates_tags_once_by_their_folded_name(city_council: Council) -> None:
    first = receive(city_council, None, tags=["Chiếu sáng", " ngập úng , Giao thông"])
    second = receive(city_council, None, tags=["chieu sang", "CHIẾU SÁNG"])
    assert sorted(tag.slug for tag in first.tags.all()) == ["chieu_sang", "giao_thong", "ngap_ung"]
    assert [tag.name for tag in second.tags.all()] == ["Chiếu sáng"]
    assert Tag.objects.count() == 3


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"text": "   "}, "text"),
        ({"text": "x" * (intake.MAX_TEXT_LENGTH + 1)}, "text"),
        ({"voter_count": 0}, "voter_count"),
        ({"voter_email": "not-an-email"}, "voter_email"),
        ({"received_on": dt.date(2099, 1, 1)}, "received_on"),
        ({"level": "district"}, "level"),
        ({"channel": "pigeon"}, "channel"),
        ({"tags": [f"tag {n}" for n in range(intake.MAX_TAGS + 1)]}, "tags"),
    ],
)
def test_it_refuses_bad_input(city_council: Council, extra: dict[str, object], field: str) -> None:
    with pytest.raises(DomainError) as refused:
        receive(city_council, None, **extra)
    assert field in refused.value.fields
    assert not VoterItem.objects.exists()


def test_it_refuses_a_place_outside_the_council(commune_a: Council, commune_b: Council) -> None:
    with pytest.raises(DomainError) as refused:
        receive(commune_a, None, unit=commune_b.unit)
    assert "unit" in refused.value.fields
    assert receive(commune_a, None, unit=commune_a.unit).unit == commune_a.unit


def test_a_meeting_item_needs_its_meeting_of_the_same_council(
    city_council: Council, commune_a: Council, meeting: ContactMeeting
) -> None:
    with pytest.raises(DomainError):
        receive(city_council, None, channel=Channel.MEETING)
    with pytest.raises(DomainError):
        receive(commune_a, None, channel=Channel.MEETING, meeting=meeting)


def test_the_same_source_id_is_received_once(city_council: Council) -> None:
    first = receive(city_council, None, source_system="ihanoi", source_id="IH-1")
    with pytest.raises(Conflict) as refused:
        receive(city_council, None, source_system="ihanoi", source_id="IH-1")
    assert refused.value.extra["existing_id"] == first.pk


def test_staff_accept_a_new_item(city_council: Council, city_staff: User) -> None:
    item = receive(city_council, None)
    accepted = intake.accept_item(item_id=item.pk, expected_version=1, actor=city_staff)
    assert (accepted.triage_status, accepted.kind, accepted.version) == (
        TriageStatus.ACCEPTED,
        ItemKind.PETITION,
        2,
    )
    with pytest.raises(TransitionNotAllowed):
        intake.accept_item(item_id=item.pk, expected_version=2, actor=city_staff)


def test_it_redirects_a_complaint_with_its_reason_and_keeps_it(
    city_council: Council, city_staff: User
) -> None:
    item = receive(city_council, None, text="Khiếu nại quyết định thu hồi đất")
    redirected = intake.redirect_item(
        item_id=item.pk,
        expected_version=1,
        kind=ItemKind.COMPLAINT,
        redirected_to="Ban Tiếp công dân",
        reason="Khiếu nại quyết định hành chính theo Luật Khiếu nại",
        actor=city_staff,
    )
    assert redirected.triage_status == TriageStatus.REDIRECTED
    assert redirected.kind == ItemKind.COMPLAINT
    assert redirected.redirected_to == "Ban Tiếp công dân"
    assert list(triage_queue(council_id=city_council.pk, status="redirected")) == [item]
    assert not triage_queue(council_id=city_council.pk).exists()
    event = AuditEvent.objects.get(action="petitions.item.redirect")
    assert event.changes["redirected_to"] == "Ban Tiếp công dân"


@pytest.mark.parametrize(
    ("kind", "redirected_to", "reason", "field"),
    [
        (ItemKind.COMPLAINT, "Ban Tiếp công dân", "  ", "reason"),
        (ItemKind.DENUNCIATION, "", "Tố cáo cán bộ", "redirected_to"),
        (ItemKind.PETITION, "iHanoi", "Phản ánh", "kind"),
        ("rumour", "iHanoi", "Phản ánh", "kind"),
    ],
)
def test_it_refuses_a_redirection_without_kind_destination_or_reason(
    city_council: Council,
    city_staff: User,
    kind: str,
    redirected_to: str,
    reason: str,
    field: str,
) -> None:
    item = receive(city_council, None)
    with pytest.raises(DomainError) as refused:
        intake.redirect_item(
            item_id=item.pk,
            expected_version=1,
            kind=kind,
            redirected_to=redirected_to,
            reason=reason,
            actor=city_staff,
        )
    assert field in refused.value.fields
    item.refresh_from_db()
    assert item.triage_status == TriageStatus.NEW


def test_a_redirected_item_comes_back_as_a_petition_only_with_a_reason(
    city_council: Council, city_staff: User
) -> None:
    item = receive(city_council, None)
    intake.redirect_item(
        item_id=item.pk,
        expected_version=1,
        kind=ItemKind.FIELD_REPORT,
        redirected_to="iHanoi",
        reason="Phản ánh hiện trường",
        actor=city_staff,
    )
    with pytest.raises(DomainError) as refused:
        intake.accept_item(item_id=item.pk, expected_version=2, actor=city_staff)
    assert "reason" in refused.value.fields
    back = intake.accept_item(
        item_id=item.pk,
        expected_version=2,
        actor=city_staff,
        reason="Cử tri kiến nghị chính sách chung, không phải sự cố",
    )
    assert (back.triage_status, back.kind, back.redirected_to) == (
        TriageStatus.ACCEPTED,
        ItemKind.PETITION,
        "",
    )
    history = list(
        AuditEvent.objects.filter(object_id=str(item.pk), action__startswith="petitions.item.")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert history == [
        "petitions.item.receive",
        "petitions.item.redirect",
        "petitions.item.accept",
    ]
    accept = AuditEvent.objects.get(action="petitions.item.accept")
    assert accept.changes["before"]["redirected_to"] == "iHanoi"


def test_a_consolidated_item_cannot_be_redirected(
    city_council: Council, cycle: SessionCycle, city_staff: User
) -> None:
    petition = pf.PetitionFactory(raised_in=cycle)
    item = pf.VoterItemFactory(council=city_council, petition=petition)
    with pytest.raises(TransitionNotAllowed):
        intake.redirect_item(
            item_id=item.pk,
            expected_version=1,
            kind=ItemKind.COMPLAINT,
            redirected_to="Ban Tiếp công dân",
            reason="Khiếu nại",
            actor=city_staff,
        )


def test_triage_refuses_a_stale_version(city_council: Council, city_staff: User) -> None:
    item = receive(city_council, None)
    intake.accept_item(item_id=item.pk, expected_version=1, actor=city_staff)
    with pytest.raises(StaleVersion):
        intake.redirect_item(
            item_id=item.pk,
            expected_version=1,
            kind=ItemKind.COMPLAINT,
            redirected_to="Ban Tiếp công dân",
            reason="Khiếu nại",
            actor=city_staff,
        )


def test_it_corrects_an_item_and_its_search_text(city_council: Council, city_staff: User) -> None:
    item = receive(city_council, None, tags=["Chiếu sáng"])
    edited = intake.update_item(
        item_id=item.pk,
        expected_version=1,
        actor=city_staff,
        changes={
            "text": "Đề nghị lắp đèn ngõ 36",
            "field": pf.field(),
            "level": CompetenceLevel.COMMUNE,
            "voter_name": "Lê Văn Hùng",
            "tags": ["Giao thông"],
        },
    )
    assert edited.search_text == fold("Đề nghị lắp đèn ngõ 36")
    assert (edited.level, edited.voter_name, edited.version) == ("commune", "Lê Văn Hùng", 2)
    assert [tag.name for tag in edited.tags.all()] == ["Giao thông"]
    event = AuditEvent.objects.get(action="petitions.item.update")
    assert event.changes["voter_name"] == "changed"
    assert "Hùng" not in str(event.changes)
    assert event.changes["tags"] == [["Chiếu sáng"], ["Giao thông"]]


def test_an_edit_refuses_a_stale_version(city_council: Council, city_staff: User) -> None:
    item = receive(city_council, None)
    intake.update_item(
        item_id=item.pk, expected_version=1, actor=city_staff, changes={"place": "Ngõ 34"}
    )
    with pytest.raises(StaleVersion):
        intake.update_item(
            item_id=item.pk, expected_version=1, actor=city_staff, changes={"place": "Ngõ 36"}
        )
    item.refresh_from_db()
    assert item.place == "Ngõ 34"


def test_a_consolidated_items_text_and_count_are_fixed_but_not_the_rest(
    city_council: Council, cycle: SessionCycle, city_staff: User
) -> None:
    petition = pf.PetitionFactory(raised_in=cycle)
    item = pf.VoterItemFactory(council=city_council, petition=petition)
    with pytest.raises(TransitionNotAllowed) as refused:
        intake.update_item(
            item_id=item.pk, expected_version=1, actor=city_staff, changes={"text": "Khác hẳn"}
        )
    assert "text" in refused.value.fields
    with pytest.raises(TransitionNotAllowed):
        intake.update_item(
            item_id=item.pk, expected_version=1, actor=city_staff, changes={"voter_count": 9}
        )
    edited = intake.update_item(
        item_id=item.pk,
        expected_version=1,
        actor=city_staff,
        changes={"text": item.text, "place": "Tổ dân phố 7", "field": pf.field()},
    )
    assert (edited.place, edited.version) == ("Tổ dân phố 7", 2)


def test_an_edit_refuses_unknown_fields(city_council: Council, city_staff: User) -> None:
    item = receive(city_council, None)
    with pytest.raises(DomainError):
        intake.update_item(
            item_id=item.pk, expected_version=1, actor=city_staff, changes={"petition": None}
        )
