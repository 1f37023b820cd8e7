"""Coalescing of poll updates: at most one per interval per meeting, the first at once,
and always a trailing one so the final count arrives."""

import time

import pytest

from hdnd.meetings import live


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    now = [1000.0]
    # live reads the clock through the time module.
    monkeypatch.setattr(time, "monotonic", lambda: now[0])
    return now


def test_the_first_poll_update_goes_at_once_and_a_burst_waits_for_one_trailing(
    clock: list[float],
) -> None:
    coalescer = live._Coalescer()

    assert coalescer.admit(7, {"poll"}) is None
    clock[0] += 0.05
    delay = coalescer.admit(7, {"poll"})
    assert delay == pytest.approx(live.POLL_INTERVAL - 0.05)
    # Later votes ride on the trailing update already scheduled.
    assert coalescer.admit(7, {"poll"}) == -1.0
    assert coalescer.admit(7, {"poll"}) == -1.0
    clock[0] += 0.15
    assert coalescer.take(7) == {"poll"}
    # The trailing update counts as sent: the next vote within the interval waits again.
    clock[0] += 0.01
    assert coalescer.admit(7, {"poll"}) == pytest.approx(live.POLL_INTERVAL - 0.01)


def test_meetings_are_coalesced_apart(clock: list[float]) -> None:
    coalescer = live._Coalescer()

    assert coalescer.admit(1, {"poll"}) is None
    assert coalescer.admit(2, {"poll"}) is None


def test_other_changes_go_at_once_even_during_a_vote(clock: list[float]) -> None:
    coalescer = live._Coalescer()

    assert coalescer.admit(7, {"poll"}) is None
    assert coalescer.admit(7, {"attendance"}) is None
    assert coalescer.admit(7, {"poll", "agenda"}) is None


def test_a_change_waiting_for_the_trailing_update_keeps_its_topics(clock: list[float]) -> None:
    coalescer = live._Coalescer()

    assert coalescer.admit(7, {"poll"}) is None
    assert coalescer.admit(7, {"poll"}) is not None
    assert coalescer.admit(7, {"attendance"}) == -1.0
    assert coalescer.take(7) == {"poll", "attendance"}
