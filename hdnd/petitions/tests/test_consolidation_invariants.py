"""Whatever sequence of merges and splits staff make, every voter item stays in exactly
one petition that is not merged, and every petition's counts add up."""

from typing import Any

import pytest
from django.db import transaction
from django.db.models import Count, Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hdnd.accounts.models import User
from hdnd.core.errors import DomainError
from hdnd.petitions.models import (
    Channel,
    ContactMeeting,
    Petition,
    PetitionStatus,
    SessionCycle,
    VoterItem,
)
from hdnd.petitions.services import consolidation as services
from hdnd.testing import petition_factories as pf

pytestmark = pytest.mark.django_db

# One step: ("merge", target pick, source picks) or ("split", petition pick, item picks).
picks = st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=3)
steps = st.lists(
    st.tuples(st.sampled_from(["merge", "split"]), st.integers(min_value=0, max_value=50), picks),
    max_size=8,
)


class _Rollback(Exception):
    pass


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=steps)
def test_merges_and_splits_keep_every_item_in_one_live_petition(
    plan: list[tuple[str, int, list[int]]],
    city_staff: User,
    cycle: SessionCycle,
    meeting: ContactMeeting,
) -> None:
    # Each example runs in a savepoint that is rolled back: a clean slate every time.
    try:
        with transaction.atomic():
            _run(plan, city_staff, cycle, meeting)
            raise _Rollback
    except _Rollback:
        pass


def _run(
    plan: list[tuple[str, int, list[int]]],
    actor: User,
    cycle: SessionCycle,
    meeting: ContactMeeting,
) -> None:
    other_meeting = pf.ContactMeetingFactory(cycle=cycle)
    items: list[VoterItem] = []
    for number in range(6):
        extra: dict[str, Any] = (
            {"channel": Channel.MEETING, "meeting": (meeting, other_meeting)[number % 2]}
            if number < 4
            else {}
        )
        items.append(
            pf.VoterItemFactory(council=cycle.council, cycle=cycle, voter_count=number + 1, **extra)
        )
    for pair in (items[:2], items[2:4], items[4:5], items[5:]):
        services.consolidate_items(
            council_id=cycle.council_id,
            item_ids=[item.pk for item in pair],
            title="Kiến nghị",
            text="Nội dung",
            field_id=None,
            level="",
            unit_id=None,
            actor=actor,
        )
    for action, first, others in plan:
        petitions = list(Petition.objects.order_by("id"))
        try:
            if action == "merge":
                target = petitions[first % len(petitions)]
                sources = [petitions[pick % len(petitions)].pk for pick in others]
                # The services refuse bad choices (itself, merged ones): that is part of it.
                services.merge_petitions(
                    target_id=target.pk, source_ids=sources, expected_versions={}, actor=actor
                )
            else:
                petition = petitions[first % len(petitions)]
                own = list(petition.items.order_by("id"))
                chosen = [own[pick % len(own)].pk for pick in others] if own else []
                services.split_items(
                    petition_id=petition.pk,
                    item_ids=chosen,
                    expected_version=None,
                    title="Tách",
                    text="Tách",
                    actor=actor,
                )
        except DomainError:
            pass
        _check(items)


def _check(items: list[VoterItem]) -> None:
    linked = VoterItem.objects.filter(id__in=[item.pk for item in items]).select_related("petition")
    for item in linked:
        assert item.petition is not None
        assert item.petition.status != PetitionStatus.MERGED
    for petition in Petition.objects.all():
        totals = VoterItem.objects.filter(petition=petition).aggregate(
            items=Count("id"), voters=Sum("voter_count"), meetings=Count("meeting", distinct=True)
        )
        assert petition.item_count == totals["items"]
        assert petition.voter_count == (totals["voters"] or 0)
        assert petition.meeting_count == totals["meetings"]
        if petition.status == PetitionStatus.MERGED:
            assert petition.item_count == 0
            assert petition.merged_into is not None
            assert petition.merged_into.status != PetitionStatus.MERGED or (
                petition.merged_into.merged_into is not None
            )
    live = Petition.objects.exclude(status=PetitionStatus.MERGED)
    assert sum(live.values_list("item_count", flat=True)) == len(items)
    assert sum(live.values_list("voter_count", flat=True)) == sum(
        item.voter_count for item in items
    )
