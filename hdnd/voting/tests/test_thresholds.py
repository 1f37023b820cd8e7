"""Pass thresholds are counted on ALL the council's delegates (frozen when the poll opens),
never on those present or those who voted."""

from collections.abc import Callable, Sequence
from typing import Any

import pytest

from hdnd.accounts.models import User
from hdnd.meetings.models import Meeting, Participant
from hdnd.voting import services
from hdnd.voting.models import Choice, Poll
from hdnd.voting.services import PassRule

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("total", "numerator", "denominator", "strict", "required"),
    [
        (10, 1, 2, True, 6),  # more than half of 10
        (9, 1, 2, True, 5),  # more than half of 9
        (9, 2, 3, False, 6),  # two-thirds of 9 is 6, not 7
        (10, 2, 3, False, 7),  # 6.67 → at least 7
        (12, 2, 3, False, 8),
        (10, 3, 4, True, 8),  # more than 7.5
        (8, 3, 4, False, 6),  # at least 6
        (1, 1, 2, True, 1),
        (500, 1, 2, True, 251),
    ],
)
def test_required_votes_follow_the_rule_on_the_total(
    total: int, numerator: int, denominator: int, strict: bool, required: int
) -> None:
    poll = Poll(
        required_numerator=numerator, required_denominator=denominator, required_strict=strict
    )
    assert poll.required_votes(total) == required


def _vote(
    poll: Poll,
    voters: list[User],
    check_in: Callable[..., None],
    cast: Callable[..., Any],
    choices: Sequence[str],
) -> Poll:
    check_in(*voters[: len(choices)])
    for user, choice in zip(voters, choices, strict=False):
        cast(poll, user, choice)
    return poll


def test_six_of_ten_in_favour_passes_with_only_six_present(
    open_poll: Callable[..., Poll],
    voters: list[User],
    check_in: Callable[..., None],
    cast: Callable[..., Any],
    chair: User,
) -> None:
    poll = _vote(open_poll(), voters, check_in, cast, [Choice.YES] * 6)
    poll = services.close_poll(poll_id=poll.pk, actor=chair)
    assert poll.total_members == 10
    assert poll.result["required_votes"] == 6
    assert poll.result["subjects"][0]["counts"] == {"yes": 6, "no": 0, "abstain": 0}
    assert poll.result["subjects"][0]["percentages"]["yes"] == "60.00"
    assert poll.passed is True


def test_five_of_ten_fails_even_when_all_present_five_vote_yes(
    open_poll: Callable[..., Poll],
    voters: list[User],
    check_in: Callable[..., None],
    cast: Callable[..., Any],
    chair: User,
) -> None:
    # Five in favour of five who voted (100 % of the votes cast) is not more than half of 10.
    poll = _vote(open_poll(), voters, check_in, cast, [Choice.YES] * 5)
    poll = services.close_poll(poll_id=poll.pk, actor=chair)
    assert poll.result["voted"] == 5
    assert poll.passed is False


def test_two_thirds_of_nine_delegates_is_six(
    session: Meeting,
    open_poll: Callable[..., Poll],
    voters: list[User],
    check_in: Callable[..., None],
    cast: Callable[..., Any],
    chair: User,
) -> None:
    # Nine seats: one delegate leaves the meeting before the poll opens.
    Participant.objects.get(meeting=session, person=voters[9].person).delete()
    poll = open_poll(title="Miễn nhiệm", rule=PassRule.TWO_THIRDS)
    assert poll.total_members == 9
    assert poll.required_votes() == 6
    _vote(poll, voters, check_in, cast, [Choice.YES] * 6 + [Choice.NO] * 3)
    closed = services.close_poll(poll_id=poll.pk, actor=chair)
    assert closed.passed is True

    again = services.revote(poll_id=closed.pk, actor=chair)
    services.open_poll(poll_id=again.pk, actor=chair)
    _vote(again, voters, check_in, cast, [Choice.YES] * 5 + [Choice.ABSTAIN] * 4)
    assert services.close_poll(poll_id=again.pk, actor=chair).passed is False


def test_a_custom_share_counts_on_all_delegates(
    open_poll: Callable[..., Poll],
    voters: list[User],
    check_in: Callable[..., None],
    cast: Callable[..., Any],
    chair: User,
) -> None:
    poll = open_poll(rule=PassRule.CUSTOM, numerator=3, denominator=4, strict=True)
    assert poll.required_votes() == 8  # more than 7.5 of 10
    _vote(poll, voters, check_in, cast, [Choice.YES] * 7 + [Choice.NO])
    assert services.close_poll(poll_id=poll.pk, actor=chair).passed is False


def test_a_custom_share_that_is_not_a_fraction_is_refused(new_poll: Callable[..., Poll]) -> None:
    with pytest.raises(services.InvalidPoll) as error:
        new_poll(rule=PassRule.CUSTOM, numerator=4, denominator=3)
    assert "numerator" in error.value.fields
    with pytest.raises(services.InvalidPoll):
        new_poll(rule=PassRule.CUSTOM)


def test_the_total_is_frozen_when_the_poll_opens(
    session: Meeting,
    open_poll: Callable[..., Poll],
    voters: list[User],
    chair: User,
) -> None:
    poll = open_poll()
    Participant.objects.get(meeting=session, person=voters[9].person).delete()
    poll.refresh_from_db()
    assert poll.total_members == 10
    assert services.rule_of(poll) == PassRule.MAJORITY
