"""Sealed results: each closed poll is hashed into its council's chain, and editing a
stored count, vote, ballot, entitled list or result, or removing a seal, is detected."""

from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hdnd.accounts.models import User
from hdnd.voting import services
from hdnd.voting.models import Ballot, Choice, Poll, PollSeal, SealChainHead, SecretTally, Vote
from hdnd.voting.sealing import GENESIS_HASH, build_payload, seal_hash, verify_council

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_polls(
    open_poll: Callable[..., Poll],
    voters: list[User],
    check_in: Callable[..., None],
    cast: Callable[..., Any],
    chair: User,
) -> list[Poll]:
    """A named poll and a secret poll, voted and closed (seals 1 and 2), then a third
    named poll (seal 3)."""
    check_in(*voters[:7])
    polls: list[Poll] = []
    for secret in (False, True, False):
        poll = open_poll(is_secret=secret, title=f"Nghị quyết {len(polls) + 1}")
        for index, user in enumerate(voters[:7]):
            cast(poll, user, Choice.YES if index < 5 else Choice.NO)
        polls.append(services.close_poll(poll_id=poll.pk, actor=chair))
    return polls


def _kinds(council_id: int) -> set[str]:
    return {problem.kind for problem in verify_council(council_id).problems}


def test_each_closed_poll_is_sealed_in_a_chain(closed_polls: list[Poll]) -> None:
    seals = list(PollSeal.objects.order_by("seq"))
    assert [seal.seq for seal in seals] == [1, 2, 3]
    assert seals[0].prev_hash == GENESIS_HASH
    assert seals[1].prev_hash == seals[0].hash
    assert seals[2].prev_hash == seals[1].hash
    head = SealChainHead.objects.get()
    assert (head.last_seq, head.last_hash) == (3, seals[2].hash)
    payload = seals[0].payload
    assert payload["counts"] == {
        str(closed_polls[0].subjects.get().pk): {"abstain": 0, "no": 2, "yes": 5}
    }
    assert len(payload["votes"]) == 7
    assert {"person_id", "subject_id", "choice"} == set(payload["votes"][0])
    assert payload["entitled"] == closed_polls[0].entitled
    assert payload["closed_at"] is not None
    assert seals[1].payload["votes"] == []  # the secret poll
    assert seal_hash(payload, GENESIS_HASH) == seals[0].hash
    verification = verify_council(closed_polls[0].meeting.council_id)
    assert verification.ok and verification.checked == 3


def test_the_payload_rebuilt_from_the_rows_matches_the_seal(closed_polls: list[Poll]) -> None:
    for poll in closed_polls:
        poll.refresh_from_db()
        assert build_payload(poll) == PollSeal.objects.get(poll=poll).payload


def test_an_edited_secret_tally_is_detected(closed_polls: list[Poll]) -> None:
    SecretTally.objects.filter(poll=closed_polls[1], choice="no").update(count=0)
    SecretTally.objects.filter(poll=closed_polls[1], choice="yes").update(count=7)
    verification = verify_council(closed_polls[1].meeting.council_id)
    assert not verification.ok
    assert verification.by_poll[closed_polls[1].pk] == ["counts_edited"]
    assert verification.by_poll[closed_polls[0].pk] == []


def test_an_edited_named_vote_is_detected(closed_polls: list[Poll]) -> None:
    vote = Vote.objects.filter(poll=closed_polls[0], choice="no").first()
    assert vote is not None
    Vote.objects.filter(pk=vote.pk).update(choice="yes")
    assert {"counts_edited", "votes_edited"} <= _kinds(closed_polls[0].meeting.council_id)


def test_an_edited_result_is_detected(closed_polls: list[Poll]) -> None:
    poll = closed_polls[0]
    result = dict(poll.result)
    assert poll.passed is False  # 5 in favour of 10 delegates
    result["passed"] = True
    Poll.objects.filter(pk=poll.pk).update(result=result, passed=True)
    assert _kinds(poll.meeting.council_id) == {"result_edited"}


def test_an_edited_entitled_list_is_detected(closed_polls: list[Poll]) -> None:
    poll = closed_polls[0]
    Poll.objects.filter(pk=poll.pk).update(entitled=poll.entitled[:-1])
    assert _kinds(poll.meeting.council_id) == {"entitled_edited"}


def test_a_deleted_ballot_is_detected(closed_polls: list[Poll]) -> None:
    poll = closed_polls[1]  # secret: a ballot has no votes to delete first
    ballot = Ballot.objects.filter(poll=poll).first()
    assert ballot is not None
    ballot.delete()
    verification = verify_council(poll.meeting.council_id)
    assert verification.by_poll[poll.pk] == ["ballots_changed"]
    assert str(ballot.person_id) in verification.problems[0].detail


def test_a_deleted_seal_is_detected(closed_polls: list[Poll]) -> None:
    PollSeal.objects.filter(poll=closed_polls[1]).delete()
    verification = verify_council(closed_polls[0].meeting.council_id)
    assert "seal_missing" in verification.by_poll[closed_polls[1].pk]
    kinds = {problem.kind for problem in verification.problems}
    assert {"seal_missing", "broken_link"} <= kinds


def test_deleting_the_last_seal_is_detected_by_the_chain_head(closed_polls: list[Poll]) -> None:
    PollSeal.objects.filter(poll=closed_polls[2]).delete()
    assert {"seal_missing", "chain_truncated"} <= _kinds(closed_polls[0].meeting.council_id)


def test_an_edited_seal_is_detected(closed_polls: list[Poll]) -> None:
    seal = PollSeal.objects.get(poll=closed_polls[0])
    payload = dict(seal.payload)
    payload["title"] = "Khác"
    PollSeal.objects.filter(pk=seal.pk).update(payload=payload)
    assert "seal_edited" in _kinds(closed_polls[0].meeting.council_id)


def test_verify_polls_command_reports_and_exits_with_1(closed_polls: list[Poll]) -> None:
    council_id = closed_polls[0].meeting.council_id
    out = StringIO()
    call_command("verify_polls", stdout=out)
    assert "3" in out.getvalue()
    call_command("verify_polls", "--council", str(council_id), stdout=StringIO())
    SecretTally.objects.filter(poll=closed_polls[1], choice="yes").update(count=99)
    with pytest.raises(CommandError) as error:
        call_command("verify_polls", "--council", str(council_id), stdout=StringIO())
    assert error.value.returncode == 1


def test_one_polls_seal_is_checked_without_walking_the_chain(
    closed_polls: list[Poll], django_assert_max_num_queries: Any
) -> None:
    from hdnd.voting.sealing import verify_poll

    first, second, third = closed_polls
    with django_assert_max_num_queries(12):
        assert verify_poll(third) == []
    # Its own tally edited, or the seal before it rewritten: each seal says so.
    SecretTally.objects.filter(poll=second, choice=Choice.YES).update(count=99)
    assert "counts_edited" in verify_poll(second)
    assert verify_poll(first) == []
    seal = PollSeal.objects.get(poll=first)
    PollSeal.objects.filter(pk=seal.pk).update(hash="0" * 64)
    assert "seal_edited" in verify_poll(first)
    assert "broken_link" in verify_poll(second)
    # A missing seal before it breaks its link too.
    PollSeal.objects.filter(poll=second).delete()
    assert verify_poll(second) == ["seal_missing"]
    assert "seal_missing" in verify_poll(third)
