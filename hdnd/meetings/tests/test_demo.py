"""The meetings demo: the first session held with sealed polls that verify, and an
upcoming session ready to run with every delegate able to sign in."""

from io import StringIO

import pytest
from django.core.management import call_command

from hdnd.accounts.models import User
from hdnd.councils.models import Council, CouncilLevel
from hdnd.meetings.demo.load import FIRST_SESSION_TITLE, NEXT_SESSION_TITLE, load_meeting_demo
from hdnd.meetings.models import ItemStatus, Meeting, MeetingStatus, Participant, Resolution
from hdnd.voting.models import Poll, PollSeal, PollStatus

# Smoke: `make run` loads this demo on SQLite, so CI loads it there too.
pytestmark = [pytest.mark.django_db, pytest.mark.smoke]


@pytest.fixture
def city() -> Council:
    call_command("load_units", "--province", "01", stdout=StringIO())
    call_command("load_demo", outside_debug=True, stdout=StringIO())
    city = Council.objects.get(unit__code="01", level=CouncilLevel.PROVINCE)
    assert load_meeting_demo(city=city, progress=lambda _line: None) is not None
    return city


def test_first_session_is_held_with_sealed_polls(city: Council) -> None:
    first = Meeting.objects.get(council=city, title=FIRST_SESSION_TITLE)
    assert first.status == MeetingStatus.ENDED
    # Every item of the held session was taken up and is done.
    assert set(first.agenda_items.values_list("status", flat=True)) == {ItemStatus.DONE}
    polls = Poll.objects.filter(meeting=first)
    assert polls.count() == 3
    assert all(poll.status == PollStatus.CLOSED and poll.passed for poll in polls)
    assert PollSeal.objects.filter(poll__meeting=first).count() == 3
    assert Resolution.objects.filter(meeting=first, published_at__isnull=False).count() == 1
    out = StringIO()
    call_command("verify_polls", stdout=out)
    assert "3" in out.getvalue()


def test_next_session_is_ready_to_run(city: Council) -> None:
    upcoming = Meeting.objects.get(council=city, title=NEXT_SESSION_TITLE)
    assert upcoming.status == MeetingStatus.PLANNED
    voters = Participant.objects.filter(meeting=upcoming, role__in=["chair", "delegate"])
    assert voters.count() == 125
    # Every delegate can sign in to vote on a tablet.
    assert User.objects.filter(person__in=voters.values("person")).count() == 125
    assert Poll.objects.filter(meeting=upcoming, status=PollStatus.DRAFT).count() == 1


def test_loading_twice_changes_nothing(city: Council) -> None:
    assert load_meeting_demo(city=city, progress=lambda _line: None) is None
