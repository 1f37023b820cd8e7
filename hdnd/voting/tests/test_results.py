"""Confidence ratings flag each person; elections fill posts by the threshold on all
delegates, by most votes, and a tie at the cut-off elects none of the tied."""

from collections.abc import Callable
from typing import Any

import pytest

from hdnd.accounts.models import User
from hdnd.voting import services
from hdnd.voting.models import Choice, Poll, PollKind, PollSubject
from hdnd.voting.results import compute_result

pytestmark = pytest.mark.django_db


def _rated(voters: list[User], count: int) -> list[services.SubjectSpec]:
    return [
        services.SubjectSpec(person_id=user.person_id, post=f"Chức vụ {index + 1}")
        for index, user in enumerate(voters[:count])
    ]


def test_confidence_flags_low_over_half_and_at_two_thirds(
    open_poll: Callable[..., Poll],
    voters: list[User],
    check_in: Callable[..., None],
    cast: Callable[..., Any],
    chair: User,
) -> None:
    poll = open_poll(kind=PollKind.CONFIDENCE, title="Tín nhiệm", subjects=_rated(voters, 3))
    check_in(*voters)
    # Person 1: 7 low of 10 (≥ two-thirds); person 2: 6 low (> half, < 2/3); person 3: 5 low.
    for index, user in enumerate(voters):
        cast(
            poll,
            user,
            {
                1: Choice.LOW if index < 7 else Choice.HIGH,
                2: Choice.LOW if index < 6 else Choice.CONFIDENT,
                3: Choice.LOW if index < 5 else Choice.HIGH,
            },
        )
    closed = services.close_poll(poll_id=poll.pk, actor=chair)
    flags = [
        (row["counts"]["low"], row["low_over_half"], row["low_two_thirds"])
        for row in closed.result["subjects"]
    ]
    assert flags == [(7, True, True), (6, True, False), (5, False, False)]
    assert closed.result["subjects"][1]["counts"] == {"high": 0, "confident": 4, "low": 6}
    assert closed.result["subjects"][0]["post"] == "Chức vụ 1"
    assert closed.passed is None


def test_confidence_ratings_are_always_secret(
    new_poll: Callable[..., Poll], voters: list[User]
) -> None:
    poll = new_poll(
        kind=PollKind.CONFIDENCE, title="T", subjects=_rated(voters, 1), is_secret=False
    )
    assert poll.is_secret
    with pytest.raises(services.InvalidPoll):
        new_poll(kind=PollKind.CONFIDENCE, title="T", subjects=[])
    with pytest.raises(services.InvalidPoll):
        new_poll(kind=PollKind.CONFIDENCE, title="T", subjects=[services.SubjectSpec(label="Ai")])


def _election(
    open_poll: Callable[..., Poll],
    voters: list[User],
    check_in: Callable[..., None],
    cast: Callable[..., Any],
    chair: User,
    *,
    seats: int,
    yes_counts: list[int],
) -> Poll:
    candidates = [services.SubjectSpec(label=f"Ứng viên {i + 1}") for i in range(len(yes_counts))]
    poll = open_poll(kind=PollKind.ELECTION, title="Bầu", subjects=candidates, seats=seats)
    check_in(*voters)
    # Each candidate's approvals go to the voters who have approved the fewest so far, so
    # that no ballot approves more candidates than there are posts (such a ballot is void).
    approved: list[set[int]] = [set() for _voter in voters]
    for position, count in enumerate(yes_counts):
        for index in sorted(range(len(voters)), key=lambda one: len(approved[one]))[:count]:
            approved[index].add(position + 1)
    assert all(len(chosen) <= seats for chosen in approved)
    for index, user in enumerate(voters):
        cast(
            poll,
            user,
            {
                position + 1: Choice.YES if position + 1 in approved[index] else Choice.NO
                for position in range(len(yes_counts))
            },
        )
    return services.close_poll(poll_id=poll.pk, actor=chair)


def test_an_election_elects_by_most_votes_above_half_of_all_delegates(
    open_poll: Callable[..., Poll],
    voters: list[User],
    check_in: Callable[..., None],
    cast: Callable[..., Any],
    chair: User,
) -> None:
    closed = _election(
        open_poll, voters, check_in, cast, chair, seats=3, yes_counts=[9, 5, 6, 8, 2]
    )
    assert closed.is_secret
    elected = [row["label"] for row in closed.result["subjects"] if row["elected"]]
    assert elected == ["Ứng viên 1", "Ứng viên 3", "Ứng viên 4"]  # 9, 6 and 8 are over 5
    assert closed.result["subjects"][1]["reached_threshold"] is False  # 5 is not > 5
    assert closed.result["tie_at_cutoff"] is False
    assert closed.passed is True


def test_a_tie_at_the_cut_off_elects_none_of_the_tied(
    open_poll: Callable[..., Poll],
    voters: list[User],
    check_in: Callable[..., None],
    cast: Callable[..., Any],
    chair: User,
) -> None:
    closed = _election(open_poll, voters, check_in, cast, chair, seats=2, yes_counts=[8, 6, 6, 0])
    rows = closed.result["subjects"]
    assert [row["elected"] for row in rows] == [True, False, False, False]
    assert [row["tied_out"] for row in rows] == [False, True, True, False]
    assert closed.result["tie_at_cutoff"] is True
    assert closed.result["elected"] == [rows[0]["subject_id"]]
    assert closed.passed is False  # one post of two filled


def test_too_few_votes_elect_nobody(
    open_poll: Callable[..., Poll],
    voters: list[User],
    check_in: Callable[..., None],
    cast: Callable[..., Any],
    chair: User,
) -> None:
    closed = _election(open_poll, voters, check_in, cast, chair, seats=1, yes_counts=[5, 4])
    assert closed.result["elected"] == []
    assert closed.passed is False


def test_seats_must_fit_the_candidates(new_poll: Callable[..., Poll]) -> None:
    with pytest.raises(services.InvalidPoll):
        new_poll(
            kind=PollKind.ELECTION,
            title="Bầu",
            subjects=[services.SubjectSpec(label="A")],
            seats=2,
        )


@pytest.mark.parametrize(
    ("yes_counts", "seats", "elected"),
    [
        ([6, 6], 2, [True, True]),  # both qualify, two posts: no cut-off tie
        ([6, 6], 1, [False, False]),
        ([8, 6, 6], 2, [True, False, False]),
        ([8, 7, 6], 2, [True, True, False]),
        ([10, 10, 10], 3, [True, True, True]),
    ],
)
def test_election_cut_off_table(yes_counts: list[int], seats: int, elected: list[bool]) -> None:
    poll = Poll(kind=PollKind.ELECTION, seats=seats, total_members=10)
    subjects = [PollSubject(pk=i + 1, position=i + 1, label=str(i)) for i in range(len(yes_counts))]
    counts = {i + 1: {"yes": n, "no": 10 - n, "abstain": 0} for i, n in enumerate(yes_counts)}
    result = compute_result(poll, subjects, counts, total=10, voted=10)
    assert [row["elected"] for row in result["subjects"]] == elected


def test_a_ballot_approving_more_candidates_than_posts_is_refused(
    open_poll: Callable[..., Poll],
    voters: list[User],
    check_in: Callable[..., None],
    chair: User,
) -> None:
    candidates = [services.SubjectSpec(label=name) for name in ("Nguyễn Văn An", "Trần Thị Bình")]
    poll = open_poll(kind=PollKind.ELECTION, title="Bầu Phó Chủ tịch", subjects=candidates)
    check_in(voters[0])
    subjects = list(poll.subjects.order_by("position").values_list("pk", flat=True))
    with pytest.raises(services.InvalidChoice) as refused:
        services.cast_ballot(
            poll_id=poll.pk,
            user=voters[0],
            choices=dict.fromkeys(subjects, Choice.YES),
            channel="web",
        )
    assert "tối đa 1 ứng cử viên" in refused.value.message
    assert not poll.ballots.exists()
    # One approval (or none) for one post is a valid ballot.
    services.cast_ballot(
        poll_id=poll.pk,
        user=voters[0],
        choices={subjects[0]: Choice.YES, subjects[1]: Choice.NO},
        channel="web",
    )
    assert poll.ballots.count() == 1


def test_only_the_meetings_participants_are_rated_and_named_with_their_post(
    new_poll: Callable[..., Poll], voters: list[User], session: Any, outsider: User
) -> None:
    from hdnd.meetings.models import Participant

    with pytest.raises(services.InvalidPoll) as refused:
        new_poll(
            kind=PollKind.CONFIDENCE,
            title="Tín nhiệm",
            subjects=[services.SubjectSpec(person_id=outsider.person_id)],
        )
    assert "subjects" in refused.value.fields
    Participant.objects.filter(meeting=session, person=voters[0].person).update(
        title="Phó Chủ tịch UBND Thành phố"
    )
    poll = new_poll(
        kind=PollKind.CONFIDENCE,
        title="Tín nhiệm",
        subjects=[services.SubjectSpec(person_id=voters[0].person_id)],
    )
    assert poll.subjects.get().post == "Phó Chủ tịch UBND Thành phố"
