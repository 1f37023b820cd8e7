"""The public lookup: a voter types the code from their receipt (or a petition's number)
and sees where it is, the public history and the published answer."""

import datetime as dt
import itertools
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hdnd.councils.models import Agency, Council
from hdnd.petitions.models import (
    Answer,
    AnswerDocument,
    Decision,
    EventKind,
    ItemKind,
    Petition,
    PetitionEvent,
    PetitionStatus,
    Rating,
    ResultCategory,
    SessionCycle,
    TriageStatus,
    Verdict,
    VoterItem,
)
from hdnd.petitions.queries.public import PublicAnswer, code_candidates, voter_status
from hdnd.testing import petition_factories as pf

pytestmark = pytest.mark.django_db

_addresses = itertools.count(1)


@pytest.fixture(autouse=True)
def _own_address(client: Client) -> None:
    # Each test looks up from its own address, so no test spends another's lookup allowance
    # (the cache may be shared between test runs when it is Redis).
    number = next(_addresses)
    client.defaults["REMOTE_ADDR"] = f"198.51.{number // 250}.{number % 250 + 1}"


def publish(petition: Petition, agency: Agency | None = None, **fields: Any) -> Answer:
    values: dict[str, Any] = {
        "text": "Sở đã lập dự án cải tạo, dự kiến thi công trong quý IV.",
        "result": ResultCategory.WILL_RESOLVE,
        "answered_on": dt.date(2026, 8, 1),
        "published_at": timezone.now(),
    }
    values.update(fields)
    return Answer.objects.create(petition=petition, agency=agency, **values)


def lookup(client: Client, code: str) -> str:
    response = client.get(reverse("petitions_public:lookup"), {"code": code})
    assert response.status_code == 200
    return response.content.decode()


def test_a_voter_finds_their_item_by_code_typed_loosely(
    client: Client, cycle: SessionCycle, agency_a: Agency
) -> None:
    petition = pf.PetitionFactory(
        raised_in=cycle,
        title="Cải tạo mặt đường phố Huế",
        status=PetitionStatus.ASSIGNED,
        lead_agency=agency_a,
        assigned_on=dt.date(2026, 7, 20),
        due_on=dt.date(2026, 8, 19),
    )
    pf.VoterItemFactory(council=cycle.council, code="KN-7Q4M-X2PA", petition=petition)
    for typed in ("KN-7Q4M-X2PA", "kn 7q4m x2pa", "KN7Q4MX2PA", "7q4m-x2pa", " kn–7Q4M–x2pa "):
        body = lookup(client, typed)
        assert "Cải tạo mặt đường phố Huế" in body, typed
        assert "Sở Xây dựng" in body
        assert "19/08/2026" in body


def test_a_petition_number_is_found_with_or_without_dashes(
    client: Client, cycle: SessionCycle
) -> None:
    pf.PetitionFactory(raised_in=cycle, code="01-2026-0042", title="Xây trường mầm non")
    for typed in ("01-2026-0042", "0120260042", "01 2026 0042"):
        assert "Xây trường mầm non" in lookup(client, typed), typed


@pytest.mark.parametrize(
    ("typed", "item", "petition"),
    [
        ("kn-7q4m-x2pa", "KN-7Q4M-X2PA", None),
        ("KN 7Q4M X2PA", "KN-7Q4M-X2PA", None),
        ("7Q4MX2PA", "KN-7Q4M-X2PA", None),
        ("０１-２０２６-００４２", None, "01-2026-0042"),
        ("0120260042", None, "01-2026-0042"),
        ("00070202612345", None, "00070-2026-12345"),
        ("01_2026_0042", None, "01-2026-0042"),
    ],
)
def test_codes_are_normalised(typed: str, item: str | None, petition: str | None) -> None:
    candidates = code_candidates(typed)
    if item:
        assert item in candidates.items
    if petition:
        assert petition in candidates.petitions


@pytest.mark.parametrize("typed", ["", "   ", "-", "x" * 41])
def test_nothing_stands_for_an_empty_or_overlong_code(typed: str) -> None:
    assert not code_candidates(typed)


def test_the_lookup_follows_a_petition_merged_into_another(
    client: Client, cycle: SessionCycle, agency_a: Agency
) -> None:
    target = pf.PetitionFactory(
        raised_in=cycle, title="Chống ngập tuyến phố Kim Mã", status=PetitionStatus.ANSWERED
    )
    merged = pf.PetitionFactory(
        raised_in=cycle, title="Ngập úng ngõ 12", status=PetitionStatus.MERGED, merged_into=target
    )
    pf.VoterItemFactory(council=cycle.council, code="KN-MERG-ED01", petition=merged)
    publish(target, agency_a, text="Đã nạo vét cống thoát nước.", result=ResultCategory.RESOLVED)
    body = lookup(client, "KN-MERG-ED01")
    assert merged.code in body
    assert target.code in body
    assert "Chống ngập tuyến phố Kim Mã" in body
    assert "Đã nạo vét cống thoát nước." in body
    # The target has a published answer: its public page is linked.
    assert reverse("petitions_public:petition", args=[target.code]) in body


def test_the_lookup_follows_a_petition_moved_to_another_council(
    client: Client, cycle: SessionCycle, commune_a: Council
) -> None:
    moved = pf.PetitionFactory(
        raised_in=cycle, title="Sửa cổng trường tiểu học", status=PetitionStatus.TRANSFERRED
    )
    commune_cycle = pf.SessionCycleFactory(term__council=commune_a, name="Kỳ họp thứ hai (xã)")
    continued = pf.PetitionFactory(
        raised_in=commune_cycle,
        code="90001-2026-0001",
        title="Sửa cổng trường tiểu học (xã)",
        status=PetitionStatus.CONSOLIDATING,
        predecessor=moved,
    )
    pf.VoterItemFactory(council=cycle.council, code="KN-MOVE-D001", petition=moved)
    body = lookup(client, "KN-MOVE-D001")
    assert moved.code in body
    assert continued.code in body
    assert commune_a.name in body
    assert "Sửa cổng trường tiểu học (xã)" in body


def test_a_lineage_that_loops_back_still_answers(client: Client, cycle: SessionCycle) -> None:
    first = pf.PetitionFactory(raised_in=cycle, status=PetitionStatus.TRANSFERRED)
    second = pf.PetitionFactory(
        raised_in=cycle, status=PetitionStatus.TRANSFERRED, predecessor=first
    )
    Petition.objects.filter(pk=first.pk).update(predecessor=second)
    body = lookup(client, first.code)
    assert second.code in body


def test_an_unpublished_answer_is_never_shown(
    client: Client, cycle: SessionCycle, agency_a: Agency, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "en"
    petition = pf.PetitionFactory(
        raised_in=cycle,
        status=PetitionStatus.ANSWERED,
        lead_agency=agency_a,
        # What the dashboard keeps about the current answer, before it is published.
        result=ResultCategory.EXPLAINED,
        answered_on=dt.date(2026, 8, 3),
        verdict=Verdict.OFF_TOPIC,
    )
    answer = publish(
        petition, agency_a, text="Bản nháp câu trả lời chưa công bố.", published_at=None
    )
    Rating.objects.create(
        answer=answer,
        petition=petition,
        verdict=Verdict.OFF_TOPIC,
        decision=Decision.RESUPERVISE,
        comment="Chưa trả lời đúng nội dung.",
        rated_at=timezone.now(),
    )
    body = lookup(client, petition.code)
    assert "Bản nháp câu trả lời chưa công bố." not in body
    assert str(ResultCategory.EXPLAINED.label) not in body
    assert str(Verdict.OFF_TOPIC.label) not in body
    assert "03/08/2026" not in body
    assert "Answer being reviewed" in body
    assert reverse("petitions_public:petition", args=[petition.code]) not in body


def test_the_published_answer_shows_its_document_result_roadmap_and_verdict(
    client: Client, cycle: SessionCycle, agency_a: Agency, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "en"
    petition = pf.PetitionFactory(
        raised_in=cycle, status=PetitionStatus.MONITORING, lead_agency=agency_a
    )
    document = AnswerDocument.objects.create(
        council=cycle.council,
        agency=agency_a,
        number="1234/SXD-HT",
        issued_on=dt.date(2026, 8, 2),
        signer_name="Trần Văn Ký",
        signer_title="Phó Giám đốc",
    )
    answer = publish(
        petition,
        agency_a,
        document=document,
        text="Sở sẽ cải tạo tuyến đường.",
        result=ResultCategory.IN_PROGRESS,
        roadmap="Lập dự án năm 2026, thi công năm 2027.",
        planned_completion=dt.date(2027, 12, 31),
    )
    Rating.objects.create(
        answer=answer,
        petition=petition,
        verdict=Verdict.SATISFACTORY,
        decision=Decision.MONITOR,
        rated_at=timezone.now(),
    )
    body = lookup(client, petition.code)
    for expected in (
        "1234/SXD-HT",
        "02/08/2026",
        "Trần Văn Ký",
        "Phó Giám đốc",
        "Sở sẽ cải tạo tuyến đường.",
        "Lập dự án năm 2026, thi công năm 2027.",
        "31/12/2027",
        str(ResultCategory.IN_PROGRESS.label),
        str(Verdict.SATISFACTORY.label),
        "Answered, being resolved",
    ):
        assert expected in body, expected


def test_only_the_public_events_of_the_timeline_are_shown(
    client: Client, cycle: SessionCycle
) -> None:
    petition = pf.PetitionFactory(raised_in=cycle, status=PetitionStatus.CONSOLIDATING)
    now = timezone.now()
    PetitionEvent.objects.create(
        petition=petition,
        kind=EventKind.ASSIGNED,
        occurred_at=now,
        summary="Giao Sở Xây dựng chủ trì",
        is_public=True,
    )
    PetitionEvent.objects.create(
        petition=petition,
        kind=EventKind.EDITED,
        occurred_at=now,
        summary="Ghi chú nội bộ của văn phòng",
        is_public=False,
    )
    body = lookup(client, petition.code)
    assert "Giao Sở Xây dựng chủ trì" in body
    assert "Ghi chú nội bộ của văn phòng" not in body


def test_a_redirected_item_shows_what_it_is_and_where_it_went_but_not_why(
    client: Client, city_council: Council, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "en"
    pf.VoterItemFactory(
        council=city_council,
        code="KN-REDI-RECT",
        kind=ItemKind.COMPLAINT,
        triage_status=TriageStatus.REDIRECTED,
        redirected_to="Thanh tra thành phố Hà Nội",
        redirect_reason="Ông Lê Văn Khiếu khiếu nại quyết định thu hồi đất của gia đình",
    )
    body = lookup(client, "KN-REDI-RECT")
    assert "Redirected" in body
    assert str(ItemKind.COMPLAINT.label) in body
    assert "Thanh tra thành phố Hà Nội" in body
    assert "Lê Văn Khiếu" not in body
    assert "thu hồi đất" not in body


def test_an_item_waiting_for_triage_says_it_was_received(
    client: Client, city_council: Council, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "en"
    pf.VoterItemFactory(
        council=city_council,
        code="KN-NEWW-0001",
        triage_status=TriageStatus.NEW,
        received_on=dt.date(2026, 6, 21),
    )
    body = lookup(client, "KN-NEWW-0001")
    assert "Received" in body
    assert "21/06/2026" in body


def test_an_unknown_code_gets_a_friendly_page_with_the_form(
    client: Client, db: None, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "en"
    body = lookup(client, "KN-NONE-XIST")
    assert "Nothing found" in body
    assert 'name="code"' in body
    assert "KN-NONE-XIST" in body


def test_a_malformed_code_shows_the_form_again(client: Client, db: None) -> None:
    response = client.get(reverse("petitions_public:lookup"), {"code": "-- --"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert response.context["searched"] is False


def test_the_lookup_page_without_a_code_shows_the_form(client: Client, db: None) -> None:
    response = client.get(reverse("petitions_public:lookup"))
    assert response.status_code == 200
    assert not response.context["form"].is_bound


def test_lookups_are_limited_per_address(client: Client, db: None, settings: Any) -> None:
    settings.PETITIONS_PUBLIC_LOOKUPS_PER_MINUTE = 3
    url = reverse("petitions_public:lookup")
    for _ in range(3):
        assert client.get(url, {"code": "KN-AAAA-AAAA"}).status_code == 200
    refused = client.get(url, {"code": "KN-AAAA-AAAA"})
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert refused.context["limited"] is True
    # Another address is not affected.
    other = client.get(url, {"code": "KN-AAAA-AAAA"}, REMOTE_ADDR="192.0.2.77")
    assert other.status_code == 200


def test_a_form_without_a_code_does_not_count_against_the_limit(
    client: Client, db: None, settings: Any
) -> None:
    settings.PETITIONS_PUBLIC_LOOKUPS_PER_MINUTE = 1
    url = reverse("petitions_public:lookup")
    for _ in range(3):
        assert client.get(url).status_code == 200
    assert client.get(url, {"code": "KN-AAAA-AAAA"}).status_code == 200
    assert client.get(url, {"code": "KN-AAAA-AAAA"}).status_code == 429


def _answer_row(result: str) -> PublicAnswer:
    return PublicAnswer(
        petition_code="01-2026-0001",
        agency_name="Sở Xây dựng",
        document_number="",
        document_issued_on=None,
        signer_name="",
        signer_title="",
        result=result,
        result_label="",
        roadmap="",
        planned_completion=dt.date(2027, 6, 30) if result == ResultCategory.IN_PROGRESS else None,
        text="",
        answered_on=dt.date(2026, 8, 1),
        published_at=timezone.now(),
        verdict="",
        verdict_label="",
    )


@pytest.mark.parametrize(
    ("status", "published_result", "key", "headline"),
    [
        (PetitionStatus.CONSOLIDATING, None, "received", "Received, being consolidated"),
        (PetitionStatus.ASSIGNED, None, "assigned", "Sent to the agency"),
        (
            PetitionStatus.FORWARDED,
            None,
            "forwarded",
            "Forwarded to the National Assembly delegation",
        ),
        (PetitionStatus.ANSWERED, None, "assigned", "Answer being reviewed"),
        (PetitionStatus.ANSWERED, ResultCategory.WILL_RESOLVE, "answered", "Answered"),
        (
            PetitionStatus.MONITORING,
            ResultCategory.IN_PROGRESS,
            "answered",
            "Answered, being resolved",
        ),
        (PetitionStatus.REOPENED, ResultCategory.EXPLAINED, "reopened", "Asked to answer again"),
        (PetitionStatus.RESOLVED, ResultCategory.RESOLVED, "resolved", "Resolved"),
        (PetitionStatus.RESOLVED, None, "resolved", "Resolved"),
    ],
)
def test_each_status_is_told_in_a_voters_words(
    cycle: SessionCycle,
    agency_a: Agency,
    settings: Any,
    status: str,
    published_result: str | None,
    key: str,
    headline: str,
) -> None:
    settings.LANGUAGE_CODE = "en"
    petition = pf.PetitionFactory(
        raised_in=cycle,
        status=status,
        lead_agency=agency_a,
        assigned_on=dt.date(2026, 7, 1),
        due_on=dt.date(2026, 7, 31),
    )
    answer = _answer_row(published_result) if published_result else None
    told = voter_status(petition, answer)
    assert (told.key, told.headline) == (key, headline)
    if status in (PetitionStatus.ASSIGNED, PetitionStatus.REOPENED):
        assert "31/07/2026" in told.detail
        assert "Sở Xây dựng" in told.detail
    if status == PetitionStatus.FORWARDED:
        assert settings.PETITIONS_CENTRAL_RECIPIENT in told.detail
    if published_result == ResultCategory.IN_PROGRESS:
        assert "30/06/2027" in told.detail


def test_an_item_consolidated_into_a_petition_shows_the_petition_and_not_the_item_text(
    client: Client, cycle: SessionCycle
) -> None:
    petition = pf.PetitionFactory(raised_in=cycle, title="Lắp đèn chiếu sáng ngõ 5")
    item = pf.VoterItemFactory(
        council=cycle.council,
        code="KN-TEXT-0001",
        petition=petition,
        text="Tôi là Phạm Thị Riêng ở số 7 ngõ 5, xin lắp đèn",
    )
    body = lookup(client, item.code)
    assert "Lắp đèn chiếu sáng ngõ 5" in body
    assert "Phạm Thị Riêng" not in body
    assert VoterItem.objects.filter(code="KN-TEXT-0001").exists()
