"""The duplicate-suggestion engine (petitions/duplicates.py): lexical, diacritics- and
tone-placement-insensitive, blind to boilerplate, on PostgreSQL and SQLite alike."""

import unicodedata
from typing import Any

import pytest
from django.db import connection

from hdnd.councils.models import Council
from hdnd.petitions import duplicates
from hdnd.petitions.models import Petition, PetitionStatus, SessionCycle, TriageStatus
from hdnd.petitions.services.common import search_text_of
from hdnd.testing import factories
from hdnd.testing import petition_factories as pf

pytestmark = pytest.mark.django_db


def _petition(cycle: SessionCycle, title: str, text: str = "", **extra: object) -> Petition:
    text = text or f"Cử tri đề nghị thành phố {title.lower()}."
    return pf.PetitionFactory(
        raised_in=cycle, title=title, text=text, search_text=search_text_of(title, text), **extra
    )


def _found(council: Council, text: str, **extra: Any) -> list[str]:
    return [
        match.title
        for match in duplicates.similar_petitions(council_id=council.pk, text=text, **extra)
    ]


@pytest.mark.smoke
def test_it_finds_a_petition_typed_without_diacritics(cycle: SessionCycle) -> None:
    _petition(cycle, "Đường Láng ngập úng", "Cử tri đề nghị chống ngập úng trên đường Láng.")
    _petition(cycle, "Xây trường mầm non phường Yên Hòa")

    matches = duplicates.similar_petitions(council_id=cycle.council_id, text="duong Lang ngap ung")

    assert [match.title for match in matches] == ["Đường Láng ngập úng"]
    assert matches[0].score >= duplicates.THRESHOLD
    assert matches[0].method in {"trigram", "lexical"}
    assert matches[0].status == PetitionStatus.CONSOLIDATING


@pytest.mark.smoke
def test_boilerplate_alone_is_not_enough(cycle: SessionCycle) -> None:
    _petition(
        cycle,
        "Quan tâm giải quyết kiến nghị",
        "Cử tri đề nghị thành phố quan tâm, xem xét giải quyết các kiến nghị của người dân.",
    )
    _petition(cycle, "Nạo vét kênh mương phường Kim Liên")

    assert _found(cycle.council, "Cử tri đề nghị thành phố quan tâm giải quyết") == []
    assert _found(cycle.council, "Cử tri kiến nghị thành phố xây cầu vượt Ngã Tư Sở") == []
    assert not duplicates.is_comparable("Cử tri đề nghị thành phố xem xét giải quyết")


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("Xây trường mầm non phường Hoà Bình", "trường mầm non phường Hòa Bình"),
        ("Xây trường mầm non phường Hòa Bình", "truong mam non phuong Hoà Binh"),
        ("Sửa trạm y tế xã Thuỷ Xuân Tiên", "sửa trạm y tế xã Thủy Xuân Tiên"),
        # Decomposed Unicode (some keyboards and old files) against composed.
        ("Chống ngập úng đường Láng", unicodedata.normalize("NFD", "ngập úng đường Láng")),
    ],
)
def test_tone_mark_placement_and_unicode_form_do_not_matter(
    cycle: SessionCycle, stored: str, typed: str
) -> None:
    _petition(cycle, stored)
    _petition(cycle, "Lắp đèn tín hiệu nút giao Kim Mã")

    assert _found(cycle.council, typed) == [stored]


def test_unrelated_text_is_not_suggested(cycle: SessionCycle) -> None:
    _petition(cycle, "Chống ngập úng đường Láng")
    _petition(cycle, "Cấp nước sạch cho tổ dân phố 5 phường Định Công")

    assert _found(cycle.council, "Đề nghị xây thêm trường mầm non công lập ở phường Yên Hòa") == []
    assert _found(cycle.council, "Xử lý quán karaoke hát đến khuya gây ồn") == []


# Table of how the threshold (duplicates.THRESHOLD) sorts pairs: the same request in other
# words is suggested, a request about something else is not.
SAME_REQUEST = [
    (
        "Chống ngập úng đường Láng",
        "Cử tri đề nghị có giải pháp chống ngập úng trên đường Láng, đoạn qua phường Láng "
        "Thượng; mỗi khi mưa lớn nước ngập sâu, gây ách tắc giao thông.",
        "Đường Láng mỗi khi mưa to là ngập sâu, đề nghị khắc phục tình trạng ngập úng",
    ),
    (
        "Thu gom rác thải tồn đọng tại phường Định Công",
        "Cử tri đề nghị chỉ đạo thu gom rác thải tồn đọng nhiều ngày tại khu vực chợ phường "
        "Định Công, gây ô nhiễm môi trường và mùi hôi.",
        "Rác thải ở chợ phường Định Công tồn đọng nhiều ngày chưa được thu gom, bốc mùi",
    ),
    (
        "Xây dựng trường mầm non phường Yên Hòa",
        "Cử tri đề nghị đầu tư xây dựng thêm trường mầm non công lập tại phường Yên Hòa, số "
        "trẻ tăng nhanh nhưng thiếu chỗ học.",
        "Phường Yên Hòa thiếu trường mầm non công lập, đề nghị xây thêm",
    ),
    (
        "Mở tuyến xe buýt qua đường Tố Hữu",
        "Cử tri đề nghị xem xét mở thêm tuyến xe buýt đi qua đường Tố Hữu để thuận tiện cho "
        "người dân đi lại.",
        "Đề nghị mở tuyến buýt qua đường Tố Hữu",
    ),
]
OTHER_REQUESTS = [
    "Đề nghị nâng cấp trạm y tế phường Kim Liên, thiếu trang thiết bị",
    "Đề nghị giải quyết chế độ cho người có công với cách mạng ở tổ 7",
    "Xử lý các cơ sở karaoke gây tiếng ồn kéo dài đến khuya tại phường Tây Hồ",
    "Cấp giấy chứng nhận quyền sử dụng đất cho các hộ ở phường Bồ Đề",
]


@pytest.mark.parametrize(("title", "text", "typed"), SAME_REQUEST)
def test_the_same_request_in_other_words_is_suggested(
    cycle: SessionCycle, title: str, text: str, typed: str
) -> None:
    _petition(cycle, title, text)
    for other in OTHER_REQUESTS:
        _petition(cycle, other)

    matches = duplicates.similar_petitions(council_id=cycle.council_id, text=typed)

    assert matches
    assert matches[0].title == title
    assert matches[0].score >= duplicates.THRESHOLD


@pytest.mark.parametrize("typed", OTHER_REQUESTS)
def test_a_request_about_something_else_is_not_suggested(cycle: SessionCycle, typed: str) -> None:
    for title, text, _typed in SAME_REQUEST:
        _petition(cycle, title, text)

    assert _found(cycle.council, typed) == []


def test_the_same_request_about_the_named_street_ranks_first(cycle: SessionCycle) -> None:
    for street in ("Kim Giang", "Kim Mã", "Giải Phóng", "Trường Chinh"):
        _petition(
            cycle,
            f"Sửa chữa mặt đường {street} xuống cấp",
            f"Cử tri đề nghị sớm sửa chữa mặt đường {street} bị xuống cấp, nhiều ổ gà.",
        )

    found = _found(cycle.council, "Mặt đường Kim Mã nhiều ổ gà, hư hỏng, đề nghị sửa chữa")

    assert found[0] == "Sửa chữa mặt đường Kim Mã xuống cấp"


def test_merged_and_moved_petitions_are_left_out_but_answered_ones_stay(
    cycle: SessionCycle,
) -> None:
    target = _petition(cycle, "Chống ngập úng đường Láng")
    _petition(
        cycle,
        "Ngập úng đường Láng mùa mưa",
        status=PetitionStatus.MERGED,
        merged_into=target,
    )
    _petition(cycle, "Ngập úng đường Láng đoạn Cầu Giấy", status=PetitionStatus.TRANSFERRED)
    _petition(cycle, "Ngập úng đường Láng năm 2024", status=PetitionStatus.RESOLVED)

    found = _found(cycle.council, "đường Láng bị ngập úng")

    assert sorted(found) == ["Chống ngập úng đường Láng", "Ngập úng đường Láng năm 2024"]


def test_another_councils_petitions_are_never_suggested(
    cycle: SessionCycle, commune_a: Council
) -> None:
    other_cycle = pf.SessionCycleFactory(term=factories.TermFactory(council=commune_a))
    _petition(other_cycle, "Chống ngập úng đường Láng")

    assert _found(cycle.council, "đường Láng bị ngập úng") == []
    assert _found(commune_a, "đường Láng bị ngập úng") == ["Chống ngập úng đường Láng"]


def test_excluded_petitions_and_the_limit_are_respected(cycle: SessionCycle) -> None:
    first = _petition(cycle, "Chống ngập úng đường Láng")
    for suffix in ("đoạn 1", "đoạn 2", "đoạn 3"):
        _petition(cycle, f"Chống ngập úng đường Láng {suffix}")

    assert len(_found(cycle.council, "ngập úng đường Láng", limit=2)) == 2
    assert first.title not in _found(cycle.council, "ngập úng đường Láng", exclude_ids=[first.pk])


def test_a_large_council_is_searched_through_its_rarer_phrases(
    cycle: SessionCycle, monkeypatch: pytest.MonkeyPatch
) -> None:
    # With a sample smaller than the council, candidates come from the LIKE prefilter
    # (the trigram index on PostgreSQL) instead of scoring every petition.
    monkeypatch.setattr(duplicates, "SAMPLE_SIZE", 5)
    for number in range(12):
        _petition(cycle, f"Sửa chữa mặt đường ngõ {number} phường Kim Liên")
    _petition(cycle, "Xử lý tiếng ồn karaoke phường Tây Hồ")

    found = _found(cycle.council, "quán karaoke gây tiếng ồn ở phường Tây Hồ")
    also = _found(cycle.council, "sửa chữa mặt đường ngõ 7 phường Kim Liên")

    assert found == ["Xử lý tiếng ồn karaoke phường Tây Hồ"]
    assert also[0] == "Sửa chữa mặt đường ngõ 7 phường Kim Liên"


def test_the_statistics_follow_new_petitions(cycle: SessionCycle) -> None:
    assert _found(cycle.council, "ngập úng đường Láng") == []
    _petition(cycle, "Chống ngập úng đường Láng")

    assert _found(cycle.council, "ngập úng đường Láng") == ["Chống ngập úng đường Láng"]


def test_free_voter_items_that_ask_the_same_are_found(cycle: SessionCycle) -> None:
    same = pf.VoterItemFactory(council=cycle.council, text="Đường Láng ngập úng khi mưa lớn")
    pf.VoterItemFactory(council=cycle.council, text="Xây thêm trường mầm non ở phường Yên Hòa")
    pf.VoterItemFactory(
        council=cycle.council,
        text="Ngập úng đường Láng",
        triage_status=TriageStatus.REDIRECTED,
        redirect_reason="Phản ánh hiện trường",
    )

    found = duplicates.similar_items(council_id=cycle.council_id, text="duong Lang ngap ung")

    assert [match.item_id for match in found] == [same.pk]


def test_a_pattern_has_trigrams_for_the_index() -> None:
    # A LIKE pattern without a whole trigram would make PostgreSQL read every row.
    assert duplicates._index_trigrams("karaoke") == {"kar", "ara", "rao", "aok", "oke"}
    assert duplicates._index_trigrams("ho to") == {"ho ", "  t", " to"}
    assert duplicates._index_trigrams("ab") == frozenset()


def test_the_content_words_leave_boilerplate_and_keep_names() -> None:
    content = duplicates.content_of("Cử tri đề nghị thành phố sửa đường Kim Mã, ổ gà")

    assert content.words == ("sua", "duong", "kim", "ma", "o", "ga")
    assert "kim ma" in content.phrases
    assert "ma o" not in content.phrases  # the comma ends a phrase


def _brute_force(council: Council, text: str, limit: int) -> list[tuple[int, float]]:
    """Every petition of a small council scored, best first: what the engine must find."""
    query = duplicates.content_of(text)
    stats = duplicates._stats(Petition, council.pk)
    scored = []
    for pk, search_text in (
        Petition.objects.filter(council=council)
        .exclude(status__in=[PetitionStatus.MERGED, PetitionStatus.TRANSFERRED])
        .values_list("id", "search_text")
    ):
        score = duplicates._score(query, duplicates.content_of(search_text, folded=True), stats)
        if score >= duplicates.THRESHOLD:
            scored.append((pk, score))
    scored.sort(key=lambda pair: (-pair[1], -pair[0]))
    return scored[:limit]


NEAR_DUPLICATES = [
    "Sửa chữa mặt đường Kim Mã xuống cấp, nhiều ổ gà",
    "Mặt đường Kim Mã xuống cấp, nhiều ổ gà",
    "Sửa chữa mặt đường Kim Mã xuống cấp",
    "Sửa chữa mặt đường Kim Giang xuống cấp, nhiều ổ gà",
    "Mặt đường Kim Mã nhiều ổ gà, đề nghị sửa chữa",
    "Sửa chữa mặt đường ngõ 7 Kim Mã",
    "Đường Kim Mã ngập úng khi mưa lớn",
]


@pytest.mark.parametrize("limit", [1, 2, 3, 5, 50])
@pytest.mark.parametrize(
    "typed",
    [
        "Mặt đường Kim Mã nhiều ổ gà, đề nghị sửa chữa",
        "Sửa chữa mặt đường Kim Mã xuống cấp, nhiều ổ gà",
        "đường Kim Mã ngập úng",
    ],
)
def test_the_best_are_those_scoring_every_candidate_would_find(
    cycle: SessionCycle, typed: str, limit: int
) -> None:
    # Many near duplicates, some the same text (perfect scores, ties broken by the newer):
    # skipping candidates by their bound must not change what is found, nor its order.
    for copy in range(4):
        for title in NEAR_DUPLICATES:
            _petition(cycle, title if copy % 2 else f"{title} ({copy})")

    found = duplicates.similar_petitions(council_id=cycle.council_id, text=typed, limit=limit)

    assert [(match.petition_id, match.score) for match in found] == _brute_force(
        cycle.council, typed, limit
    )


def test_a_candidates_bound_is_never_below_its_score(cycle: SessionCycle) -> None:
    texts = [*NEAR_DUPLICATES, *(row[1] for row in SAME_REQUEST), *OTHER_REQUESTS]
    for title in texts:
        _petition(cycle, title)
    stats = duplicates._stats(Petition, cycle.council_id)
    for typed in [*texts, *(row[2] for row in SAME_REQUEST)]:
        scorer = duplicates._Scorer(duplicates.content_of(typed), stats)
        for stored in Petition.objects.values_list("search_text", flat=True):
            score = scorer.score(duplicates.content_of(stored, folded=True))
            assert scorer.bound(stored) >= score, (typed, stored)


def test_a_pattern_holding_another_is_not_looked_up(
    cycle: SessionCycle, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(duplicates, "SAMPLE_SIZE", 5)
    for number in range(12):
        _petition(cycle, f"Hệ thống thoát nước phố {number} bốc mùi hôi thối")
    stats = duplicates._stats(Petition, cycle.council_id)
    query = duplicates.content_of("Cống thoát nước bốc mùi hôi thối ảnh hưởng sức khỏe")

    patterns = duplicates._patterns(query, stats)

    assert patterns
    assert not [(a, b) for a in patterns for b in patterns if a != b and a in b]


@pytest.mark.parametrize("through_index", [True, False])
def test_the_plan_chosen_does_not_change_what_is_found(
    cycle: SessionCycle, monkeypatch: pytest.MonkeyPatch, through_index: bool
) -> None:
    monkeypatch.setattr(duplicates, "SAMPLE_SIZE", 5)
    for title in NEAR_DUPLICATES * 2:
        _petition(cycle, title)
    typed = "Mặt đường Kim Mã nhiều ổ gà, đề nghị sửa chữa"
    expected = _found(cycle.council, typed)
    monkeypatch.setattr(duplicates, "_index_is_cheaper", lambda *args: through_index)

    assert _found(cycle.council, typed) == expected


def test_the_query_settings_do_not_outlive_the_query(
    cycle: SessionCycle, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Inside a caller's transaction (the test's), the planner settings of the candidates'
    # query are put back after it.
    if connection.vendor != "postgresql":
        pytest.skip("the settings are PostgreSQL's")
    monkeypatch.setattr(duplicates, "SAMPLE_SIZE", 5)
    monkeypatch.setattr(duplicates, "_index_is_cheaper", lambda *args: True)
    for title in NEAR_DUPLICATES:
        _petition(cycle, title)
    names = ["max_parallel_workers_per_gather", "enable_indexscan", "enable_seqscan"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"current_setting('{name}')" for name in names))
        before = cursor.fetchone()

        assert _found(cycle.council, "Mặt đường Kim Mã nhiều ổ gà")

        cursor.execute("SELECT " + ", ".join(f"current_setting('{name}')" for name in names))
        assert cursor.fetchone() == before
