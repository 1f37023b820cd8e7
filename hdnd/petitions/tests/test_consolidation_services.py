"""Consolidation services: suggestions, consolidating items, confirming and rejecting
suggestions, merging, splitting and editing — every transition and every refusal."""

import datetime as dt
from typing import Any

import pytest
from django.conf import LazySettings

from hdnd.accounts.models import User
from hdnd.core.errors import DomainError, NotFound
from hdnd.core.models import AuditEvent
from hdnd.core.versions import StaleVersion
from hdnd.councils.models import Agency, Council
from hdnd.petitions.models import (
    AgencyRole,
    Channel,
    CompetenceLevel,
    ContactMeeting,
    DuplicateSuggestion,
    EventKind,
    Petition,
    PetitionRoute,
    PetitionStatus,
    SessionCycle,
    SuggestionStatus,
    Tag,
    TriageStatus,
    VoterItem,
)
from hdnd.petitions.services import consolidation as services
from hdnd.petitions.services.common import TransitionNotAllowed, search_text_of
from hdnd.testing import factories
from hdnd.testing import petition_factories as pf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings: LazySettings) -> None:
    settings.LANGUAGE_CODE = "en"


def _item(council: Council, text: str = "", **extra: Any) -> VoterItem:
    values: dict[str, Any] = {"council": council}
    if text:
        values.update(text=text, search_text=search_text_of(text))
    values.update(extra)
    return pf.VoterItemFactory(**values)


def _meeting_item(meeting: ContactMeeting, text: str = "", voters: int = 1) -> VoterItem:
    return _item(
        meeting.council,
        text,
        channel=Channel.MEETING,
        meeting=meeting,
        cycle=meeting.cycle,
        voter_count=voters,
    )


def _petition(cycle: SessionCycle, title: str = "", **extra: Any) -> Petition:
    values: dict[str, Any] = {"raised_in": cycle}
    if title:
        text = f"Cử tri đề nghị {title.lower()}."
        values.update(title=title, text=text, search_text=search_text_of(title, text))
    values.update(extra)
    return pf.PetitionFactory(**values)


def _consolidated(cycle: SessionCycle, items: list[VoterItem], actor: User) -> Petition:
    return services.consolidate_items(
        council_id=cycle.council_id,
        item_ids=[item.pk for item in items],
        title="Chống ngập úng đường Láng",
        text="Cử tri đề nghị chống ngập úng trên đường Láng.",
        field_id=None,
        level="",
        unit_id=None,
        actor=actor,
    )


def _fresh(petition: Petition) -> Petition:
    return Petition.objects.get(pk=petition.pk)


def _kinds(petition: Petition) -> list[str]:
    return list(petition.events.order_by("id").values_list("kind", flat=True))


# Consolidating ---------------------------------------------------------------------------


def test_consolidating_items_makes_a_petition_that_counts_voters_and_meetings(
    city_staff: User, cycle: SessionCycle, meeting: ContactMeeting
) -> None:
    other_meeting = pf.ContactMeetingFactory(cycle=cycle)
    items = [
        _meeting_item(meeting, "Đường Láng ngập khi mưa", voters=3),
        _meeting_item(meeting, "Ngập úng đường Láng", voters=2),
        _meeting_item(other_meeting, "Đường Láng ngập sâu", voters=1),
        _item(cycle.council, "Đường Láng hay ngập", cycle=cycle, channel=Channel.HOTLINE),
    ]
    items[0].tags.add(Tag.objects.create(name="Ngập úng", slug="ngap-ung"))

    petition = services.consolidate_items(
        council_id=cycle.council_id,
        item_ids=[item.pk for item in items],
        title="  Chống ngập úng   đường Láng ",
        text="Cử tri đề nghị chống ngập úng trên đường Láng.",
        field_id=pf.field("giao-thong").pk,
        level=CompetenceLevel.CITY,
        unit_id=cycle.council.unit_id,
        actor=city_staff,
    )

    petition.refresh_from_db()
    assert petition.title == "Chống ngập úng đường Láng"
    assert petition.status == PetitionStatus.CONSOLIDATING
    assert petition.code.startswith(f"{cycle.council.unit.code}-")
    assert (petition.item_count, petition.voter_count, petition.meeting_count) == (4, 7, 2)
    assert petition.raised_in == cycle and petition.current_cycle == cycle
    assert petition.field is not None and petition.field.code == "giao-thong"
    assert petition.level == CompetenceLevel.CITY
    assert petition.created_by == city_staff
    assert "chong ngap ung duong lang" in petition.search_text
    assert list(petition.tags.values_list("slug", flat=True)) == ["ngap-ung"]
    assert set(VoterItem.objects.filter(petition=petition)) == set(items)
    assert all(item.version == 2 for item in VoterItem.objects.filter(petition=petition))
    assert _kinds(petition) == [EventKind.CREATED, EventKind.ITEM_ADDED]
    assert all(event.actor == city_staff for event in petition.events.all())
    assert AuditEvent.objects.filter(action="petition.created", actor=city_staff).exists()


def test_a_petition_is_raised_in_the_earliest_cycle_of_its_items(
    city_staff: User, cycle: SessionCycle, next_cycle: SessionCycle
) -> None:
    later = _item(cycle.council, "Đường Láng ngập", cycle=next_cycle)
    earlier = _item(cycle.council, "Ngập đường Láng", cycle=cycle)

    petition = _consolidated(cycle, [later, earlier], city_staff)

    assert petition.raised_in == cycle
    assert petition.current_cycle == cycle


def test_each_item_can_become_a_petition_of_its_own(city_staff: User, cycle: SessionCycle) -> None:
    first = _item(cycle.council, "Sửa đèn chiếu sáng ngõ 5 Láng Hạ", cycle=cycle, voter_count=4)
    second = _item(cycle.council, "Xây trường mầm non ở phường Yên Hòa", cycle=cycle)

    made = services.consolidate_each(
        council_id=cycle.council_id, item_ids=[first.pk, second.pk], actor=city_staff
    )

    assert [petition.title for petition in made] == [first.text, second.text]
    assert [petition.voter_count for petition in made] == [4, 1]
    assert len({petition.code for petition in made}) == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"triage_status": TriageStatus.NEW}, "waits for triage"),
        (
            {"triage_status": TriageStatus.REDIRECTED, "redirect_reason": "Khiếu nại"},
            "was redirected",
        ),
    ],
)
def test_only_accepted_items_are_consolidated(
    city_staff: User, cycle: SessionCycle, change: dict[str, str], message: str
) -> None:
    item = _item(cycle.council, "Đường Láng ngập", cycle=cycle, **change)

    with pytest.raises(TransitionNotAllowed, match=message):
        _consolidated(cycle, [item], city_staff)
    assert not Petition.objects.exists()


def test_an_item_already_in_a_petition_is_not_consolidated_again(
    city_staff: User, cycle: SessionCycle
) -> None:
    item = _item(cycle.council, "Đường Láng ngập", cycle=cycle)
    first = _consolidated(cycle, [item], city_staff)

    with pytest.raises(TransitionNotAllowed, match="already in a consolidated petition"):
        _consolidated(cycle, [item], city_staff)
    assert Petition.objects.get() == first


def test_items_of_another_council_are_refused(
    city_staff: User, cycle: SessionCycle, commune_a: Council
) -> None:
    ours = _item(cycle.council, "Đường Láng ngập", cycle=cycle)
    theirs = _item(commune_a, "Đường Láng ngập")

    with pytest.raises(DomainError, match="belongs to another council"):
        _consolidated(cycle, [ours, theirs], city_staff)
    assert VoterItem.objects.get(pk=ours.pk).petition_id is None


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"item_ids": []}, "Choose the voter items"),
        ({"title": "  "}, "title"),
        ({"text": ""}, "consolidated text"),
        ({"title": "x" * 301}, "too long"),
        ({"level": "planet"}, "Unknown competence level"),
        ({"field_id": 10**9}, "Unknown field"),
    ],
)
def test_bad_consolidation_input_is_refused(
    city_staff: User, cycle: SessionCycle, arguments: dict[str, Any], message: str
) -> None:
    item = _item(cycle.council, "Đường Láng ngập", cycle=cycle)
    values: dict[str, Any] = {
        "council_id": cycle.council_id,
        "item_ids": [item.pk],
        "title": "Ngập đường Láng",
        "text": "Cử tri đề nghị chống ngập.",
        "field_id": None,
        "level": "",
        "unit_id": None,
        "actor": city_staff,
        **arguments,
    }

    with pytest.raises(DomainError, match=message):
        services.consolidate_items(**values)
    assert not Petition.objects.exists()


def test_a_place_outside_the_council_is_refused(
    city_staff: User, cycle: SessionCycle, commune_b: Council
) -> None:
    item = _item(cycle.council, "Đường Láng ngập", cycle=cycle)
    other_province = factories.ProvinceUnitFactory(code="79", name="Thành phố Hồ Chí Minh")

    with pytest.raises(DomainError, match="council's area"):
        services.consolidate_items(
            council_id=cycle.council_id,
            item_ids=[item.pk],
            title="Ngập đường Láng",
            text="Cử tri đề nghị chống ngập.",
            field_id=None,
            level="",
            unit_id=other_province.pk,
            actor=city_staff,
        )


def test_unknown_items_are_refused(city_staff: User, cycle: SessionCycle) -> None:
    with pytest.raises(NotFound):
        _consolidated(cycle, [VoterItem(pk=10**9)], city_staff)


# Suggestions -----------------------------------------------------------------------------


def test_suggestions_are_stored_once_with_score_method_and_time(cycle: SessionCycle) -> None:
    petition = _petition(cycle, "Chống ngập úng đường Láng")
    _petition(cycle, "Xây trường mầm non phường Yên Hòa")
    item = _item(cycle.council, "Đường Láng bị ngập úng mỗi khi mưa", cycle=cycle)

    first = services.suggest_duplicates_for_item(item_id=item.pk)
    again = services.suggest_duplicates_for_item(item_id=item.pk)

    assert [suggestion.candidate for suggestion in first] == [petition]
    assert again == first
    suggestion = DuplicateSuggestion.objects.get()
    assert suggestion.status == SuggestionStatus.PENDING
    assert suggestion.method in {"trigram", "lexical"}
    assert 0.4 <= suggestion.score <= 1
    assert suggestion.suggested_at is not None
    assert suggestion.council_id == cycle.council_id
    assert AuditEvent.objects.filter(action="petitions.suggestion.create").count() == 1


def test_a_rejected_pair_is_not_suggested_again(city_staff: User, cycle: SessionCycle) -> None:
    _petition(cycle, "Chống ngập úng đường Láng")
    item = _item(cycle.council, "Đường Láng bị ngập úng", cycle=cycle)
    [suggestion] = services.suggest_duplicates_for_item(item_id=item.pk)
    services.reject_suggestion(suggestion_id=suggestion.pk, actor=city_staff)

    assert services.suggest_duplicates_for_item(item_id=item.pk) == []
    assert DuplicateSuggestion.objects.count() == 1


def test_items_in_a_petition_or_redirected_get_no_suggestions(
    city_staff: User, cycle: SessionCycle
) -> None:
    _petition(cycle, "Chống ngập úng đường Láng")
    consolidated = _item(cycle.council, "Đường Láng bị ngập úng", cycle=cycle)
    _consolidated(cycle, [consolidated], city_staff)
    redirected = _item(
        cycle.council,
        "Đường Láng bị ngập úng",
        triage_status=TriageStatus.REDIRECTED,
        redirect_reason="Phản ánh hiện trường",
    )

    assert services.suggest_duplicates_for_item(item_id=consolidated.pk) == []
    assert services.suggest_duplicates_for_item(item_id=redirected.pk) == []


def test_many_items_get_suggestions_with_one_audit_event(cycle: SessionCycle) -> None:
    _petition(cycle, "Chống ngập úng đường Láng")
    _petition(cycle, "Xây trường mầm non phường Yên Hòa")
    items = [
        _item(cycle.council, "Đường Láng bị ngập úng", cycle=cycle),
        _item(cycle.council, "Phường Yên Hòa thiếu trường mầm non", cycle=cycle),
    ]

    made = services.suggest_duplicates_for_items(item_ids=[item.pk for item in items])

    assert made == 2
    assert services.suggest_duplicates_for_items(item_ids=[item.pk for item in items]) == 0
    assert AuditEvent.objects.filter(action="petitions.suggestion.create").count() == 1


def test_rejecting_records_who_and_when(city_staff: User, cycle: SessionCycle) -> None:
    _petition(cycle, "Chống ngập úng đường Láng")
    item = _item(cycle.council, "Đường Láng bị ngập úng", cycle=cycle)
    [suggestion] = services.suggest_duplicates_for_item(item_id=item.pk)

    services.reject_suggestion(suggestion_id=suggestion.pk, actor=city_staff)

    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.REJECTED
    assert suggestion.decided_by == city_staff
    assert suggestion.decided_at is not None
    assert AuditEvent.objects.filter(
        action="petitions.suggestion.reject", actor=city_staff
    ).exists()
    with pytest.raises(TransitionNotAllowed, match="already decided"):
        services.reject_suggestion(suggestion_id=suggestion.pk, actor=city_staff)


def test_confirming_a_suggestion_adds_the_item_and_records_the_decision(
    city_staff: User, cycle: SessionCycle, meeting: ContactMeeting
) -> None:
    petition = _consolidated(
        cycle, [_meeting_item(meeting, "Đường Láng ngập", voters=2)], city_staff
    )
    item = _item(cycle.council, "Đường Láng bị ngập úng mỗi khi mưa", cycle=cycle, voter_count=5)
    [suggestion] = services.suggest_duplicates_for_item(item_id=item.pk)
    version = _fresh(petition).version

    services.add_item_to_petition(
        item_id=item.pk,
        petition_id=petition.pk,
        expected_version=version,
        actor=city_staff,
        suggestion_id=suggestion.pk,
    )

    petition = _fresh(petition)
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.CONFIRMED
    assert suggestion.decided_by == city_staff and suggestion.decided_at is not None
    assert VoterItem.objects.get(pk=item.pk).petition == petition
    assert (petition.item_count, petition.voter_count, petition.meeting_count) == (2, 7, 1)
    assert petition.version == version + 1
    added = petition.events.filter(kind=EventKind.ITEM_ADDED).last()
    assert added is not None and added.details["suggestion"]["candidate"] == petition.pk
    assert AuditEvent.objects.filter(action="petitions.suggestion.confirm").exists()


def test_an_item_joins_a_petition_without_a_suggestion_too(
    city_staff: User, cycle: SessionCycle
) -> None:
    petition = _consolidated(cycle, [_item(cycle.council, "Ngập", cycle=cycle)], city_staff)
    item = _item(cycle.council, "Ngập lần nữa", cycle=cycle)

    services.add_item_to_petition(
        item_id=item.pk, petition_id=petition.pk, expected_version=None, actor=city_staff
    )

    assert _fresh(petition).item_count == 2


def test_adding_on_a_stale_version_is_refused(city_staff: User, cycle: SessionCycle) -> None:
    petition = _consolidated(cycle, [_item(cycle.council, "Ngập", cycle=cycle)], city_staff)
    item = _item(cycle.council, "Ngập lần nữa", cycle=cycle)
    seen = _fresh(petition).version
    services.edit_petition(
        petition_id=petition.pk,
        expected_version=seen,
        title="Ngập úng",
        text="Chống ngập",
        tags=[],
        actor=city_staff,
    )

    with pytest.raises(StaleVersion):
        services.add_item_to_petition(
            item_id=item.pk, petition_id=petition.pk, expected_version=seen, actor=city_staff
        )
    assert VoterItem.objects.get(pk=item.pk).petition_id is None


def test_a_decided_or_mismatched_suggestion_cannot_be_confirmed(
    city_staff: User, cycle: SessionCycle
) -> None:
    petition = _petition(cycle, "Chống ngập úng đường Láng")
    other = _petition(cycle, "Xây trường mầm non phường Yên Hòa")
    item = _item(cycle.council, "Đường Láng bị ngập úng", cycle=cycle)
    [suggestion] = services.suggest_duplicates_for_item(item_id=item.pk)

    with pytest.raises(DomainError, match="another item or petition"):
        services.add_item_to_petition(
            item_id=item.pk,
            petition_id=other.pk,
            expected_version=None,
            actor=city_staff,
            suggestion_id=suggestion.pk,
        )
    services.reject_suggestion(suggestion_id=suggestion.pk, actor=city_staff)
    with pytest.raises(TransitionNotAllowed, match="already decided"):
        services.add_item_to_petition(
            item_id=item.pk,
            petition_id=petition.pk,
            expected_version=None,
            actor=city_staff,
            suggestion_id=suggestion.pk,
        )


@pytest.mark.parametrize(
    "status", [PetitionStatus.ANSWERED, PetitionStatus.RESOLVED, PetitionStatus.TRANSFERRED]
)
def test_a_petition_past_consolidation_takes_no_new_items(
    city_staff: User, cycle: SessionCycle, status: str
) -> None:
    petition = _petition(cycle, "Chống ngập úng đường Láng", status=status)
    item = _item(cycle.council, "Đường Láng bị ngập úng", cycle=cycle)

    with pytest.raises(TransitionNotAllowed):
        services.add_item_to_petition(
            item_id=item.pk, petition_id=petition.pk, expected_version=None, actor=city_staff
        )


def test_a_suggestion_follows_its_petition_into_a_merge(
    city_staff: User, cycle: SessionCycle
) -> None:
    source = _consolidated(cycle, [_item(cycle.council, "Ngập", cycle=cycle)], city_staff)
    item = _item(cycle.council, "Đường Láng bị ngập úng mỗi khi mưa", cycle=cycle)
    [suggestion] = services.suggest_duplicates_for_item(item_id=item.pk)
    target = _consolidated(cycle, [_item(cycle.council, "Ngập nữa", cycle=cycle)], city_staff)
    services.merge_petitions(
        target_id=target.pk, source_ids=[source.pk], expected_versions={}, actor=city_staff
    )

    services.add_item_to_petition(
        item_id=item.pk,
        petition_id=target.pk,
        expected_version=None,
        actor=city_staff,
        suggestion_id=suggestion.pk,
    )

    suggestion.refresh_from_db()
    assert suggestion.candidate == source  # what the machine suggested stays as it was
    assert suggestion.status == SuggestionStatus.CONFIRMED
    assert _fresh(target).item_count == 3


# Merging -----------------------------------------------------------------------------------


def test_merging_moves_the_items_and_marks_the_sources(
    city_staff: User, cycle: SessionCycle, meeting: ContactMeeting, agency_a: Agency
) -> None:
    other_meeting = pf.ContactMeetingFactory(cycle=cycle)
    target = _consolidated(cycle, [_meeting_item(meeting, "Ngập", voters=2)], city_staff)
    first = _consolidated(cycle, [_meeting_item(meeting, "Ngập nữa", voters=3)], city_staff)
    second = _consolidated(
        cycle,
        [_meeting_item(other_meeting, "Ngập lại", voters=1), _item(cycle.council, "Ngập")],
        city_staff,
    )
    route = PetitionRoute.objects.create(
        petition=second, agency=agency_a, role=AgencyRole.LEAD, started_on=dt.date(2026, 6, 1)
    )
    versions = {petition.pk: _fresh(petition).version for petition in (target, first, second)}

    merged = services.merge_petitions(
        target_id=target.pk,
        source_ids=[second.pk, first.pk, first.pk],
        expected_versions=versions,
        actor=city_staff,
    )

    merged = _fresh(merged)
    assert (merged.item_count, merged.voter_count, merged.meeting_count) == (4, 7, 2)
    for source in (first, second):
        source = _fresh(source)
        assert source.status == PetitionStatus.MERGED
        assert source.merged_into == merged
        assert source.item_count == 0
        assert _kinds(source)[-1] == EventKind.MERGED
    assert _kinds(merged)[-1] == EventKind.MERGED
    event = merged.events.get(kind=EventKind.MERGED)
    assert sorted(event.details["merged"]) == sorted([first.code, second.code])
    route.refresh_from_db()
    assert route.ended_on is not None


def test_a_petition_is_not_merged_into_itself_nor_across_councils(
    city_staff: User, cycle: SessionCycle, commune_a: Council
) -> None:
    target = _petition(cycle, "Chống ngập úng đường Láng")
    other_cycle = pf.SessionCycleFactory(term=factories.TermFactory(council=commune_a))
    foreign = _petition(other_cycle, "Chống ngập úng đường Láng")

    with pytest.raises(DomainError, match="into itself"):
        services.merge_petitions(
            target_id=target.pk, source_ids=[target.pk], expected_versions={}, actor=city_staff
        )
    with pytest.raises(DomainError, match="different councils"):
        services.merge_petitions(
            target_id=target.pk, source_ids=[foreign.pk], expected_versions={}, actor=city_staff
        )
    with pytest.raises(DomainError, match="at least one"):
        services.merge_petitions(
            target_id=target.pk, source_ids=[], expected_versions={}, actor=city_staff
        )
    assert _fresh(foreign).status == PetitionStatus.CONSOLIDATING


@pytest.mark.parametrize(
    "status",
    [
        PetitionStatus.ANSWERED,
        PetitionStatus.MONITORING,
        PetitionStatus.RESOLVED,
        PetitionStatus.TRANSFERRED,
    ],
)
def test_only_open_petitions_are_merged(city_staff: User, cycle: SessionCycle, status: str) -> None:
    open_petition = _petition(cycle, "Chống ngập úng đường Láng")
    closed = _petition(cycle, "Ngập úng đường Láng", status=status)

    with pytest.raises(TransitionNotAllowed):
        services.merge_petitions(
            target_id=open_petition.pk,
            source_ids=[closed.pk],
            expected_versions={},
            actor=city_staff,
        )
    with pytest.raises(TransitionNotAllowed):
        services.merge_petitions(
            target_id=closed.pk,
            source_ids=[open_petition.pk],
            expected_versions={},
            actor=city_staff,
        )
    assert _fresh(open_petition).status == PetitionStatus.CONSOLIDATING


def test_merging_on_a_stale_version_is_refused(city_staff: User, cycle: SessionCycle) -> None:
    target = _consolidated(cycle, [_item(cycle.council, "Ngập", cycle=cycle)], city_staff)
    source = _consolidated(cycle, [_item(cycle.council, "Ngập nữa", cycle=cycle)], city_staff)
    seen = _fresh(source).version
    services.add_item_to_petition(
        item_id=_item(cycle.council, "Ngập lại", cycle=cycle).pk,
        petition_id=source.pk,
        expected_version=seen,
        actor=city_staff,
    )

    with pytest.raises(StaleVersion):
        services.merge_petitions(
            target_id=target.pk,
            source_ids=[source.pk],
            expected_versions={source.pk: seen},
            actor=city_staff,
        )
    assert _fresh(source).status == PetitionStatus.CONSOLIDATING


# Splitting ---------------------------------------------------------------------------------


def test_splitting_moves_items_to_a_new_petition_like_the_old(
    city_staff: User, cycle: SessionCycle, next_cycle: SessionCycle, meeting: ContactMeeting
) -> None:
    items = [
        _meeting_item(meeting, "Ngập đường Láng", voters=2),
        _meeting_item(meeting, "Ngập đường Láng đoạn Cầu Giấy", voters=4),
        _item(cycle.council, "Xây trường mầm non", cycle=cycle, voter_count=3),
    ]
    original = services.consolidate_items(
        council_id=cycle.council_id,
        item_ids=[item.pk for item in items],
        title="Ngập và trường học",
        text="Hai việc khác nhau.",
        field_id=pf.field("giao-thong").pk,
        level=CompetenceLevel.CITY,
        unit_id=None,
        actor=city_staff,
    )
    Petition.objects.filter(pk=original.pk).update(current_cycle=next_cycle)

    new = services.split_items(
        petition_id=original.pk,
        item_ids=[items[2].pk],
        expected_version=_fresh(original).version,
        title="Xây trường mầm non",
        text="Cử tri đề nghị xây trường mầm non.",
        actor=city_staff,
    )

    new, original = _fresh(new), _fresh(original)
    assert new.council_id == original.council_id
    assert (new.field_id, new.level, new.raised_in_id, new.current_cycle_id) == (
        original.field_id,
        original.level,
        original.raised_in_id,
        next_cycle.pk,
    )
    assert new.status == PetitionStatus.CONSOLIDATING
    assert (new.item_count, new.voter_count, new.meeting_count) == (1, 3, 0)
    assert (original.item_count, original.voter_count, original.meeting_count) == (2, 6, 1)
    assert _kinds(original)[-1] == EventKind.ITEM_REMOVED
    assert _kinds(new) == [EventKind.CREATED, EventKind.ITEM_ADDED]
    assert new.events.get(kind=EventKind.CREATED).details["split_from"] == original.code


def test_splitting_off_every_item_is_refused(city_staff: User, cycle: SessionCycle) -> None:
    items = [_item(cycle.council, "Ngập", cycle=cycle), _item(cycle.council, "Ngập", cycle=cycle)]
    petition = _consolidated(cycle, items, city_staff)

    with pytest.raises(DomainError, match="must stay"):
        services.split_items(
            petition_id=petition.pk,
            item_ids=[item.pk for item in items],
            expected_version=None,
            title="Tách",
            text="Tách",
            actor=city_staff,
        )
    assert Petition.objects.count() == 1


def test_only_the_petitions_own_items_are_split_off(city_staff: User, cycle: SessionCycle) -> None:
    petition = _consolidated(
        cycle, [_item(cycle.council, "Ngập", cycle=cycle), _item(cycle.council, "Ngập")], city_staff
    )
    stranger = _item(cycle.council, "Trường học", cycle=cycle)

    for wrong in ([stranger.pk], [], [10**9]):
        with pytest.raises(DomainError):
            services.split_items(
                petition_id=petition.pk,
                item_ids=wrong,
                expected_version=None,
                title="Tách",
                text="Tách",
                actor=city_staff,
            )


def test_splitting_on_a_stale_version_is_refused(city_staff: User, cycle: SessionCycle) -> None:
    items = [_item(cycle.council, "Ngập", cycle=cycle), _item(cycle.council, "Ngập", cycle=cycle)]
    petition = _consolidated(cycle, items, city_staff)

    with pytest.raises(StaleVersion):
        services.split_items(
            petition_id=petition.pk,
            item_ids=[items[0].pk],
            expected_version=_fresh(petition).version - 1,
            title="Tách",
            text="Tách",
            actor=city_staff,
        )


# Editing -----------------------------------------------------------------------------------


def test_editing_changes_the_text_and_records_what_changed(
    city_staff: User, cycle: SessionCycle
) -> None:
    petition = _consolidated(cycle, [_item(cycle.council, "Ngập", cycle=cycle)], city_staff)
    field_before = _fresh(petition).field_id
    version = _fresh(petition).version

    services.edit_petition(
        petition_id=petition.pk,
        expected_version=version,
        title="Chống ngập úng đường Láng, Cầu Giấy",
        text="Cử tri đề nghị chống ngập.\nNhất là đoạn qua Cầu Giấy.",
        tags=["Ngập úng", "Giao thông"],
        actor=city_staff,
    )

    petition = _fresh(petition)
    assert petition.title == "Chống ngập úng đường Láng, Cầu Giấy"
    assert petition.text == "Cử tri đề nghị chống ngập.\nNhất là đoạn qua Cầu Giấy."
    assert "cau giay" in petition.search_text
    assert sorted(petition.tags.values_list("slug", flat=True)) == ["giao_thong", "ngap_ung"]
    assert petition.version == version + 1
    assert petition.field_id == field_before
    event = petition.events.get(kind=EventKind.EDITED)
    assert event.actor == city_staff
    assert event.details == {"fields": ["tags", "text", "title"]}


def test_an_edit_that_changes_nothing_writes_nothing(city_staff: User, cycle: SessionCycle) -> None:
    petition = _fresh(_consolidated(cycle, [_item(cycle.council, "Ngập", cycle=cycle)], city_staff))

    services.edit_petition(
        petition_id=petition.pk,
        expected_version=petition.version,
        title=petition.title,
        text=petition.text,
        tags=[],
        actor=city_staff,
    )

    assert _fresh(petition).version == petition.version
    assert not petition.events.filter(kind=EventKind.EDITED).exists()


def test_an_edit_on_a_stale_version_is_refused(city_staff: User, cycle: SessionCycle) -> None:
    petition = _consolidated(cycle, [_item(cycle.council, "Ngập", cycle=cycle)], city_staff)
    seen = _fresh(petition).version
    services.edit_petition(
        petition_id=petition.pk,
        expected_version=seen,
        title="Bản của người thứ nhất",
        text="Nội dung",
        tags=[],
        actor=city_staff,
    )

    with pytest.raises(StaleVersion):
        services.edit_petition(
            petition_id=petition.pk,
            expected_version=seen,
            title="Bản của người thứ hai",
            text="Nội dung",
            tags=[],
            actor=city_staff,
        )
    assert _fresh(petition).title == "Bản của người thứ nhất"


def test_a_merged_petition_is_not_edited(city_staff: User, cycle: SessionCycle) -> None:
    target = _petition(cycle, "Chống ngập úng")
    merged = _petition(cycle, "Ngập", status=PetitionStatus.MERGED, merged_into=target)

    with pytest.raises(TransitionNotAllowed):
        services.edit_petition(
            petition_id=merged.pk,
            expected_version=None,
            title="Sửa",
            text="Sửa",
            tags=[],
            actor=city_staff,
        )
