"""Live updates of the room (Django Channels). Placeholder interface: the live-room work
replaces the body of `publish` with the real push to the meeting's group."""

from collections.abc import Iterable


def publish(meeting_id: int, topics: Iterable[str]) -> None:
    """Push the meeting's new state for `topics` to every client of the room."""
    return None
