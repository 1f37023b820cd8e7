"""Personas and a small council in session, for meeting and voting tests.

Import them into a conftest with `from hdnd.testing.meeting_fixtures import *`. On top of
the root personas (city_staff = the office/secretary, outsider = another commune's
officer, …):
- members: the city council's 10 seats of term XVII (the chair's first, then 9
  delegates), each with a user signed to its person (role DELEGATE);
- chair: the chair's user (also on the standing committee); delegate / other_delegate:
  two of the delegates;
- guest: an invited guest (a person with a user, no seat); respondent: the Director of the
  Department of Construction (an agency official with a user);
- session: the 1st regular session of the term, in progress, every member a participant
  (the chair as chair), the guest and the respondent too, sitting 1 open and current;
- check_in(user or participant, …): marks them present at the current sitting.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from hdnd.accounts.models import Role, User
from hdnd.councils.models import Agency, Council, Membership, Person, Position, Term
from hdnd.meetings.models import (
    Attendance,
    AttendanceStatus,
    CheckInMethod,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Participant,
    ParticipantRole,
    Sitting,
    SittingPart,
    SittingStatus,
)
from hdnd.testing import factories

MEMBER_COUNT = 10


def _person(user: User) -> Person:
    if user.person is None:
        raise ValueError("persona without a person")
    return user.person


@pytest.fixture
def term(city_council: Council) -> Term:
    return factories.TermFactory(council=city_council)


def _user_for(person: Any, council: Council, *roles: str) -> User:
    user = factories.UserFactory(person=person)
    for role in roles:
        factories.RoleAssignmentFactory(user=user, council=council, role=role)
    if Role.STANDING_COMMITTEE in roles:
        # A staff role: signing in needs the second factor.
        factories.add_totp_device(user)
    return user


@pytest.fixture
def members(term: Term) -> list[Membership]:
    seats: list[Membership] = [
        factories.MembershipFactory(
            term=term, position=Position.CHAIR, person__full_name="Nguyễn Thị Chủ Tọa"
        )
    ]
    seats.extend(
        factories.MembershipFactory(term=term, person__full_name=f"Trần Văn Đại Biểu {index + 1}")
        for index in range(MEMBER_COUNT - 1)
    )
    for seat in seats:
        roles = [Role.DELEGATE]
        if seat.position == Position.CHAIR:
            roles.append(Role.STANDING_COMMITTEE)
        _user_for(seat.person, term.council, *roles)
    return seats


@pytest.fixture
def chair(members: list[Membership]) -> User:
    return User.objects.get(person=members[0].person)


@pytest.fixture
def delegate(members: list[Membership]) -> User:
    return User.objects.get(person=members[1].person)


@pytest.fixture
def other_delegate(members: list[Membership]) -> User:
    return User.objects.get(person=members[2].person)


@pytest.fixture
def guest(city_council: Council) -> User:
    person = factories.PersonFactory(full_name="Lê Thị Khách Mời")
    return factories.UserFactory(person=person)


@pytest.fixture
def construction(city_council: Council) -> Agency:
    return factories.AgencyFactory(council=city_council, name="Sở Xây dựng")


@pytest.fixture
def respondent(city_council: Council, construction: Agency) -> User:
    official = factories.AgencyOfficialFactory(
        agency=construction, person__full_name="Phạm Văn Giám Đốc", title="Giám đốc"
    )
    return factories.UserFactory(person=official.person)


@pytest.fixture
def session(
    term: Term,
    members: list[Membership],
    guest: User,
    respondent: User,
    construction: Agency,
) -> Meeting:
    today = timezone.localdate()
    meeting = Meeting.objects.create(
        council=term.council,
        term=term,
        kind=MeetingKind.REGULAR,
        number=1,
        title="Kỳ họp thứ nhất HĐND thành phố khóa XVII",
        venue="Hội trường HĐND thành phố",
        starts_on=today,
        ends_on=today + dt.timedelta(days=1),
        status=MeetingStatus.IN_PROGRESS,
    )
    for index, seat in enumerate(members):
        Participant.objects.create(
            meeting=meeting,
            person=seat.person,
            membership=seat,
            role=ParticipantRole.CHAIR
            if seat.position == Position.CHAIR
            else ParticipantRole.DELEGATE,
            seat=str(index + 1),
            sort_key=f"{index:03d}",
        )
    Participant.objects.create(
        meeting=meeting, person=_person(guest), role=ParticipantRole.GUEST, sort_key="900"
    )
    Participant.objects.create(
        meeting=meeting,
        person=_person(respondent),
        role=ParticipantRole.RESPONDENT,
        agency=construction,
        title="Giám đốc Sở Xây dựng",
        sort_key="901",
    )
    sitting = Sitting.objects.create(
        meeting=meeting,
        number=1,
        date=today,
        part=SittingPart.MORNING,
        status=SittingStatus.OPEN,
        opened_at=timezone.now(),
    )
    meeting.current_sitting = sitting
    meeting.save(update_fields=["current_sitting"])
    return meeting


@pytest.fixture
def check_in(session: Meeting) -> Callable[..., None]:
    """Mark users (or participants) present at the session's current sitting."""

    def _check_in(*who: User | Participant) -> None:
        for one in who:
            participant = (
                one
                if isinstance(one, Participant)
                else Participant.objects.get(meeting=session, person=_person(one))
            )
            Attendance.objects.update_or_create(
                sitting=session.current_sitting,
                participant=participant,
                defaults={
                    "status": AttendanceStatus.PRESENT,
                    "method": CheckInMethod.OFFICE,
                    "recorded_at": timezone.now(),
                },
            )

    return _check_in
