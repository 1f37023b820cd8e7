"""The one-vote race on PostgreSQL: the same delegate's ballot cast on two connections at
once is recorded once (one Ballot, the tallies +1 once); the other connection learns it
was already recorded. Real transactions, real threads, each with its own connection."""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections, transaction

from hdnd.accounts.models import User
from hdnd.core.models import AuditChainHead
from hdnd.voting import services
from hdnd.voting.models import Ballot, Choice, Poll, SecretTally, Vote

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # Separate connections racing on row locks: PostgreSQL's (SQLite has one writer).
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]

WAIT = 30  # seconds a thread may wait for the other before the test gives up


@pytest.fixture(autouse=True)
def _audit_chain_head(transactional_db: None) -> None:
    # A transactional test's flush empties every table, the audit chain's head (created by
    # a data migration) included.
    AuditChainHead.objects.get_or_create(id=1, defaults={"last_seq": 0, "last_hash": "0" * 64})


def _choices(poll: Poll, choice: str) -> dict[int, str]:
    return {subject.pk: choice for subject in poll.subjects.all()}


def _in_thread(target: Callable[[], Any], results: list[Any]) -> threading.Thread:
    def run() -> None:
        try:
            results.append(target())
        except Exception as error:  # the test inspects it
            results.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _wait_until_blocked_on_a_lock() -> None:
    """Until another connection waits on a lock (the second ballot on the unique index)."""
    with connection.cursor() as cursor:
        for _ in range(WAIT * 100):
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND datname = current_database()"
            )
            if cursor.fetchone()[0] > 0:
                return
            threading.Event().wait(0.01)
    raise AssertionError("the second ballot never waited for the first")


@pytest.mark.parametrize("secret", [False, True], ids=["named", "secret"])
def test_the_same_ballot_on_two_connections_counts_once(
    open_poll: Callable[..., Poll],
    delegate: User,
    check_in: Callable[..., None],
    chair: User,
    secret: bool,
) -> None:
    poll = open_poll(is_secret=secret)
    check_in(delegate)
    choices = _choices(poll, Choice.YES)
    first_inserted = threading.Event()
    release_first = threading.Event()
    first: list[Any] = []
    second: list[Any] = []

    def cast_and_hold() -> services.CastResult:
        # The first connection casts and holds its transaction open until the second
        # connection is waiting on the ballot's unique index.
        with transaction.atomic():
            result = services.cast_ballot(
                poll_id=poll.pk, user=delegate, choices=choices, channel="ws"
            )
            first_inserted.set()
            release_first.wait(WAIT)
        return result

    def cast_again() -> services.CastResult:
        return services.cast_ballot(poll_id=poll.pk, user=delegate, choices=choices, channel="web")

    one = _in_thread(cast_and_hold, first)
    assert first_inserted.wait(WAIT)
    two = _in_thread(cast_again, second)
    _wait_until_blocked_on_a_lock()
    release_first.set()
    one.join(WAIT)
    two.join(WAIT)

    assert isinstance(first[0], services.CastResult) and first[0].recorded
    assert isinstance(second[0], services.CastResult), second
    assert second[0].already_recorded and not second[0].recorded
    assert Ballot.objects.filter(poll=poll).count() == 1
    if secret:
        tallies = dict(SecretTally.objects.filter(poll=poll).values_list("choice", "count"))
        assert tallies == {"yes": 1, "no": 0, "abstain": 0}
        assert not Vote.objects.exists()
    else:
        assert Vote.objects.filter(poll=poll).count() == 1
    closed = services.close_poll(poll_id=poll.pk, actor=chair)
    assert closed.result["subjects"][0]["counts"]["yes"] == 1


def test_many_connections_casting_one_ballot_at_once_record_it_once(
    open_poll: Callable[..., Poll], delegate: User, check_in: Callable[..., None]
) -> None:
    poll = open_poll(is_secret=True)
    check_in(delegate)
    choices = _choices(poll, Choice.NO)
    start = threading.Barrier(6)
    results: list[Any] = []

    def cast() -> services.CastResult:
        start.wait(WAIT)
        return services.cast_ballot(poll_id=poll.pk, user=delegate, choices=choices, channel="ws")

    threads = [_in_thread(cast, results) for _ in range(6)]
    for thread in threads:
        thread.join(WAIT)
    assert all(isinstance(result, services.CastResult) for result in results), results
    assert sum(result.recorded for result in results) == 1
    assert sum(result.already_recorded for result in results) == 5
    assert Ballot.objects.filter(poll=poll).count() == 1
    assert SecretTally.objects.get(poll=poll, choice="no").count == 1


def test_a_ballot_in_flight_when_the_poll_closes_is_counted_and_later_ones_refused(
    open_poll: Callable[..., Poll],
    delegate: User,
    other_delegate: User,
    check_in: Callable[..., None],
    chair: User,
) -> None:
    poll = open_poll(is_secret=True)
    check_in(delegate, other_delegate)
    in_flight = threading.Event()
    release = threading.Event()
    cast_results: list[Any] = []
    close_results: list[Any] = []

    def cast_and_hold() -> services.CastResult:
        with transaction.atomic():
            result = services.cast_ballot(
                poll_id=poll.pk, user=delegate, choices=_choices(poll, Choice.YES), channel="ws"
            )
            in_flight.set()
            release.wait(WAIT)
        return result

    def close() -> Poll:
        return services.close_poll(poll_id=poll.pk, actor=chair)

    caster = _in_thread(cast_and_hold, cast_results)
    assert in_flight.wait(WAIT)
    closer = _in_thread(close, close_results)
    _wait_until_blocked_on_a_lock()  # closing waits for the ballot in flight
    release.set()
    caster.join(WAIT)
    closer.join(WAIT)

    closed = close_results[0]
    assert isinstance(closed, Poll), close_results
    assert closed.result["subjects"][0]["counts"]["yes"] == 1
    with pytest.raises(services.PollNotOpen):
        services.cast_ballot(
            poll_id=poll.pk, user=other_delegate, choices=_choices(poll, Choice.NO), channel="ws"
        )
