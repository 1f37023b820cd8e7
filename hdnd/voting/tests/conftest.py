from collections.abc import Callable
from typing import Any

import pytest

from hdnd.accounts.models import User
from hdnd.councils.models import Membership
from hdnd.meetings.models import Meeting
from hdnd.testing.meeting_fixtures import *  # noqa: F403
from hdnd.voting import services
from hdnd.voting.models import Poll, PollKind


@pytest.fixture
def voters(members: list[Membership]) -> list[User]:
    """The users of the 10 seats, the chair first."""
    return [User.objects.get(person=seat.person) for seat in members]


@pytest.fixture
def new_poll(session: Meeting, chair: User) -> Callable[..., Poll]:
    """A poll prepared by the chair (a named motion unless told otherwise)."""

    def _new_poll(**settings: Any) -> Poll:
        settings.setdefault("kind", PollKind.MOTION)
        settings.setdefault("title", "Thông qua Nghị quyết về kế hoạch đầu tư công năm 2027")
        return services.create_poll(meeting_id=session.pk, actor=chair, **settings)

    return _new_poll


@pytest.fixture
def open_poll(new_poll: Callable[..., Poll], chair: User) -> Callable[..., Poll]:
    """A poll prepared and opened in the current sitting."""

    def _open_poll(**settings: Any) -> Poll:
        poll = new_poll(**settings)
        return services.open_poll(poll_id=poll.pk, actor=chair)

    return _open_poll


@pytest.fixture
def cast() -> Callable[..., services.CastResult]:
    """Cast a user's ballot: one choice for every subject, or a dict by position."""

    def _cast(poll: Poll, user: User, choice: str | dict[int, str]) -> services.CastResult:
        subjects = list(poll.subjects.order_by("position"))
        if isinstance(choice, str):
            choices = {subject.pk: choice for subject in subjects}
        else:
            choices = {subject.pk: choice[subject.position] for subject in subjects}
        return services.cast_ballot(poll_id=poll.pk, user=user, choices=choices, channel="test")

    return _cast
