"""Meetings: planning with participants seeded from the seats, session numbering, edits
with versions, every status transition and its refusals, participants and sittings."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from hdnd.accounts.models import User
from hdnd.core.errors import DomainError
from hdnd.core.models import AuditEvent
from hdnd.core.versions import StaleVersion
from hdnd.councils.models import Agency, CommitteeRole, CommitteeSeat, Membership, Term
from hdnd.meetings.models import (
    AgendaItem,
    ItemStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Participant,
    ParticipantRole,
    Sitting,
    SittingPart,
    SittingStatus,
    SpeechKind,
    SpeechRequest,
    SpeechStatus,
)
from hdnd.meetings.queries.meetings import next_session_number
from hdnd.meetings.services import meetings as services
from hdnd.meetings.services import participants as participant_services
from hdnd.meetings.services import sittings as sitting_services
from hdnd.meetings.services.common import NotAllowedNow
from hdnd.testing import factories
from hdnd.testing.meeting_fixtures import MEMBER_COUNT
from hdnd.voting.models import Ballot, Poll, PollKind

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 12, 8)


def plan(term: Term, actor: User, **extra: Any) -> Meeting:
    arguments: dict[str, Any] = {
        "council": term.council,
        "actor": actor,
        "term": term,
        "kind": MeetingKind.REGULAR,
        "number": 2,
        "title": "Kỳ họp thứ hai",
        "starts_on": DAY,
        "ends_on": DAY + dt.timedelta(days=2),
        **extra,
    }
    return services.create_meeting(**arguments)


@pytest.fixture
def planned(term: Term, members: list[Membership], city_staff: User) -> Meeting:
    return plan(term, city_staff)


@pytest.fixture
def publish(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, tuple[str, ...]]]:
    """What the services told the room, once their transactions committed."""
    sent: list[tuple[int, tuple[str, ...]]] = []
    monkeypatch.setattr(
        "hdnd.meetings.live.publish", lambda meeting_id, topics: sent.append((meeting_id, topics))
    )
    return sent


# Planning and seeding


def test_it_seeds_every_seat_in_force_with_the_council_chair_chairing(
    planned: Meeting, members: list[Membership]
) -> None:
    participants = list(Participant.objects.filter(meeting=planned))
    assert len(participants) == MEMBER_COUNT
    chairs = [p for p in participants if p.role == ParticipantRole.CHAIR]
    assert [p.person_id for p in chairs] == [members[0].person_id]
    assert all(p.membership_id is not None for p in participants)
    assert planned.status == MeetingStatus.PLANNED
    assert AuditEvent.objects.filter(action="meeting.create", object_id=str(planned.pk)).exists()


def test_it_leaves_out_seats_not_in_force_on_the_first_day(
    term: Term, members: list[Membership], city_staff: User
) -> None:
    members[5].end_date = DAY - dt.timedelta(days=1)
    members[5].save(update_fields=["end_date"])
    late = factories.MembershipFactory(term=term, start_date=DAY + dt.timedelta(days=1))
    meeting = plan(term, city_staff)
    people = set(Participant.objects.filter(meeting=meeting).values_list("person_id", flat=True))
    assert members[5].person_id not in people
    assert late.person_id not in people
    assert len(people) == MEMBER_COUNT - 1


def test_a_committee_meeting_seats_the_committee_with_its_head_chairing(
    term: Term, members: list[Membership], city_staff: User
) -> None:
    committee = factories.CommitteeFactory(council=term.council, name="Ban Pháp chế")
    for seat, role in ((members[3], CommitteeRole.HEAD), (members[4], CommitteeRole.MEMBER)):
        CommitteeSeat.objects.create(
            committee=committee, membership=seat, role=role, start_date=term.start_date
        )
    meeting = plan(
        term,
        city_staff,
        kind=MeetingKind.COMMITTEE,
        number=None,
        committee=committee,
        title="Họp Ban Pháp chế",
    )
    roles = dict(Participant.objects.filter(meeting=meeting).values_list("person_id", "role"))
    assert roles == {
        members[3].person_id: ParticipantRole.CHAIR,
        members[4].person_id: ParticipantRole.DELEGATE,
    }


def test_a_committee_meeting_must_name_a_committee_and_sessions_a_number(
    term: Term, city_staff: User
) -> None:
    with pytest.raises(DomainError) as error:
        plan(term, city_staff, kind=MeetingKind.COMMITTEE, number=None)
    assert "committee" in error.value.fields
    with pytest.raises(DomainError) as error:
        plan(term, city_staff, number=None)
    assert "number" in error.value.fields
    with pytest.raises(DomainError) as error:
        plan(term, city_staff, kind=MeetingKind.CONFERENCE, number=3)
    assert "number" in error.value.fields
    assert not Meeting.objects.exists()


def test_sessions_share_one_numbering_and_a_duplicate_is_refused_in_words(
    planned: Meeting, term: Term, city_staff: User
) -> None:
    assert next_session_number(council_id=term.council_id, term_id=term.pk) == 3
    with pytest.raises(DomainError) as error:
        plan(term, city_staff, kind=MeetingKind.THEMATIC, title="Chuyên đề")
    assert "2" in error.value.message
    assert "number" in error.value.fields
    # Not a session: no number, no clash.
    plan(term, city_staff, kind=MeetingKind.CONFERENCE, number=None, title="Hội nghị")
    extraordinary = plan(term, city_staff, kind=MeetingKind.EXTRAORDINARY, number=3)
    assert extraordinary.number == 3


def test_the_database_refuses_a_duplicate_session_number_too(planned: Meeting) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(
            council=planned.council,
            term=planned.term,
            kind=MeetingKind.EXTRAORDINARY,
            number=planned.number,
            title="x",
            starts_on=DAY,
            ends_on=DAY,
        )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_on": DAY - dt.timedelta(days=1)}, "ends_on"),
        ({"starts_on": dt.date(2020, 1, 1), "ends_on": dt.date(2020, 1, 1)}, "starts_on"),
        ({"quorum_numerator": 4, "quorum_denominator": 3}, "quorum_numerator"),
        ({"speech_limit_seconds": 60, "speech_warning_seconds": 60}, "speech_warning_seconds"),
        ({"title": "  "}, "title"),
    ],
)
def test_bad_details_are_refused_field_by_field(
    planned: Meeting, city_staff: User, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(DomainError) as error:
        services.update_meeting(
            meeting_id=planned.pk,
            expected_version=planned.version,
            actor=city_staff,
            changes=changes,
        )
    assert field in error.value.fields
    planned.refresh_from_db()
    assert planned.version == 1


def test_an_edit_with_a_stale_version_is_refused(planned: Meeting, city_staff: User) -> None:
    services.update_meeting(
        meeting_id=planned.pk, expected_version=1, actor=city_staff, changes={"venue": "Hội trường"}
    )
    with pytest.raises(StaleVersion):
        services.update_meeting(
            meeting_id=planned.pk, expected_version=1, actor=city_staff, changes={"venue": "Khác"}
        )
    planned.refresh_from_db()
    assert (planned.venue, planned.version) == ("Hội trường", 2)


def test_a_session_may_become_another_kind_of_session_but_not_a_conference(
    planned: Meeting, city_staff: User
) -> None:
    updated = services.update_meeting(
        meeting_id=planned.pk,
        expected_version=1,
        actor=city_staff,
        changes={"kind": MeetingKind.THEMATIC},
    )
    assert updated.kind == MeetingKind.THEMATIC
    with pytest.raises(DomainError):
        services.update_meeting(
            meeting_id=planned.pk,
            expected_version=2,
            actor=city_staff,
            changes={"kind": MeetingKind.CONFERENCE, "number": None},
        )


# Transitions


def test_start_end_and_the_refusals_of_each_state(
    planned: Meeting, city_staff: User, publish: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with pytest.raises(NotAllowedNow):
        services.end_meeting(meeting_id=planned.pk, expected_version=1, actor=city_staff)
    with django_capture_on_commit_callbacks(execute=True):
        services.start_meeting(meeting_id=planned.pk, expected_version=1, actor=city_staff)
    assert publish == [(planned.pk, ("meeting",))]
    with pytest.raises(NotAllowedNow):
        services.start_meeting(meeting_id=planned.pk, expected_version=2, actor=city_staff)
    meeting = services.end_meeting(meeting_id=planned.pk, expected_version=2, actor=city_staff)
    assert meeting.status == MeetingStatus.ENDED
    for action in (services.start_meeting, services.end_meeting):
        with pytest.raises(NotAllowedNow):
            action(meeting_id=planned.pk, expected_version=3, actor=city_staff)
    with pytest.raises(NotAllowedNow):
        services.cancel_meeting(
            meeting_id=planned.pk, expected_version=3, actor=city_staff, reason="Trùng lịch"
        )
    with pytest.raises(NotAllowedNow):
        services.update_meeting(
            meeting_id=planned.pk, expected_version=3, actor=city_staff, changes={"venue": "x"}
        )


def test_a_meeting_does_not_end_while_a_sitting_is_open(session: Meeting, city_staff: User) -> None:
    with pytest.raises(NotAllowedNow):
        services.end_meeting(meeting_id=session.pk, expected_version=None, actor=city_staff)
    assert session.current_sitting is not None
    sitting_services.close_sitting(
        meeting_id=session.pk, sitting_id=session.current_sitting.pk, actor=city_staff
    )
    ended = services.end_meeting(meeting_id=session.pk, expected_version=None, actor=city_staff)
    assert ended.status == MeetingStatus.ENDED


def test_the_item_under_way_ends_with_the_meeting(session: Meeting, city_staff: User) -> None:
    from hdnd.meetings.services import agenda

    item = agenda.add_item(meeting_id=session.pk, actor=city_staff, title="Bế mạc kỳ họp")
    agenda.set_current_item(meeting_id=session.pk, item_id=item.pk, actor=city_staff)
    assert session.current_sitting is not None
    sitting_services.close_sitting(
        meeting_id=session.pk, sitting_id=session.current_sitting.pk, actor=city_staff
    )
    services.end_meeting(meeting_id=session.pk, expected_version=None, actor=city_staff)
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE
    assert item.ended_at is not None


def test_cancelling_needs_a_reason_and_closes_the_open_sitting(
    session: Meeting, city_staff: User
) -> None:
    with pytest.raises(DomainError) as error:
        services.cancel_meeting(
            meeting_id=session.pk, expected_version=None, actor=city_staff, reason=" "
        )
    assert "reason" in error.value.fields
    cancelled = services.cancel_meeting(
        meeting_id=session.pk, expected_version=None, actor=city_staff, reason="Bão số 3"
    )
    assert cancelled.status == MeetingStatus.CANCELLED
    assert cancelled.current_sitting is None
    assert not Sitting.objects.filter(meeting=session, status=SittingStatus.OPEN).exists()
    event = AuditEvent.objects.get(action="meeting.cancel")
    assert event.changes["reason"] == "Bão số 3"


# Participants


def test_the_office_adds_guests_respondents_and_staff(
    planned: Meeting, city_staff: User, construction: Agency
) -> None:
    guest = participant_services.add_participant(
        meeting_id=planned.pk,
        actor=city_staff,
        role=ParticipantRole.GUEST,
        new_name="Ông  Khách Mời",
        title="Chủ tịch Ủy ban MTTQ",
    )
    assert guest.person.full_name == "Ông Khách Mời"
    official = factories.AgencyOfficialFactory(agency=construction)
    respondent = participant_services.add_participant(
        meeting_id=planned.pk,
        actor=city_staff,
        role=ParticipantRole.RESPONDENT,
        person=official.person,
        agency=construction,
    )
    assert respondent.agency == construction
    with pytest.raises(DomainError):
        participant_services.add_participant(
            meeting_id=planned.pk,
            actor=city_staff,
            role=ParticipantRole.GUEST,
            person=official.person,
            title="Lần hai",
        )
    with pytest.raises(DomainError) as error:
        participant_services.add_participant(
            meeting_id=planned.pk,
            actor=city_staff,
            role=ParticipantRole.RESPONDENT,
            new_name="Không cơ quan",
        )
    assert "agency" in error.value.fields
    with pytest.raises(DomainError) as error:
        participant_services.add_participant(
            meeting_id=planned.pk, actor=city_staff, role=ParticipantRole.DELEGATE, new_name="X"
        )
    assert "role" in error.value.fields


def test_a_respondent_from_another_council_s_agency_is_refused(
    planned: Meeting, city_staff: User, commune_b: Any
) -> None:
    foreign = factories.AgencyFactory(council=commune_b)
    with pytest.raises(DomainError) as error:
        participant_services.add_participant(
            meeting_id=planned.pk,
            actor=city_staff,
            role=ParticipantRole.RESPONDENT,
            new_name="Người ngoài",
            agency=foreign,
        )
    assert "agency" in error.value.fields


def _participant(meeting: Meeting, user: User) -> Participant:
    return Participant.objects.get(meeting=meeting, person=user.person)


def test_removing_someone_who_voted_or_spoke_is_refused(
    session: Meeting, city_staff: User, delegate: User, other_delegate: User, guest: User
) -> None:
    poll = Poll.objects.create(
        meeting=session, kind=PollKind.MOTION, title="Thông qua", total_members=MEMBER_COUNT
    )
    assert delegate.person is not None
    Ballot.objects.create(poll=poll, person=delegate.person, cast_at=timezone.now())
    with pytest.raises(NotAllowedNow):
        participant_services.remove_participant(
            meeting_id=session.pk,
            participant_id=_participant(session, delegate).pk,
            actor=city_staff,
        )
    item = AgendaItem.objects.create(meeting=session, title="Báo cáo")
    SpeechRequest.objects.create(
        agenda_item=item,
        participant=_participant(session, other_delegate),
        kind=SpeechKind.SPEECH,
        status=SpeechStatus.DONE,
        limit_seconds=300,
    )
    with pytest.raises(NotAllowedNow):
        participant_services.remove_participant(
            meeting_id=session.pk,
            participant_id=_participant(session, other_delegate).pk,
            actor=city_staff,
        )
    participant_services.remove_participant(
        meeting_id=session.pk, participant_id=_participant(session, guest).pk, actor=city_staff
    )
    assert not Participant.objects.filter(meeting=session, person=guest.person).exists()


def test_the_chair_is_handed_over_not_removed(
    session: Meeting, city_staff: User, chair: User, delegate: User
) -> None:
    old = _participant(session, chair)
    with pytest.raises(NotAllowedNow):
        participant_services.remove_participant(
            meeting_id=session.pk, participant_id=old.pk, actor=city_staff
        )
    participant_services.set_chair(
        meeting_id=session.pk, participant_id=_participant(session, delegate).pk, actor=city_staff
    )
    roles = dict(Participant.objects.filter(meeting=session).values_list("person_id", "role"))
    assert delegate.person is not None and chair.person is not None
    assert roles[delegate.person.pk] == ParticipantRole.CHAIR
    assert roles[chair.person.pk] == ParticipantRole.DELEGATE
    assert list(roles.values()).count(ParticipantRole.CHAIR) == 1


def test_a_guest_cannot_chair(session: Meeting, city_staff: User, guest: User) -> None:
    with pytest.raises(DomainError):
        participant_services.set_chair(
            meeting_id=session.pk, participant_id=_participant(session, guest).pk, actor=city_staff
        )


# Sittings


def test_sittings_are_numbered_and_only_one_opens_at_a_time(
    planned: Meeting, city_staff: User
) -> None:
    first = sitting_services.add_sitting(
        meeting_id=planned.pk, actor=city_staff, date=DAY, part=SittingPart.MORNING
    )
    second = sitting_services.add_sitting(
        meeting_id=planned.pk, actor=city_staff, date=DAY, part=SittingPart.AFTERNOON
    )
    assert (first.number, second.number) == (1, 2)
    with pytest.raises(DomainError) as error:
        sitting_services.add_sitting(
            meeting_id=planned.pk, actor=city_staff, date=DAY - dt.timedelta(days=1), part="morning"
        )
    assert "date" in error.value.fields
    # Not before the meeting starts.
    with pytest.raises(NotAllowedNow):
        sitting_services.open_sitting(meeting_id=planned.pk, sitting_id=first.pk, actor=city_staff)
    services.start_meeting(meeting_id=planned.pk, expected_version=None, actor=city_staff)
    sitting_services.open_sitting(meeting_id=planned.pk, sitting_id=first.pk, actor=city_staff)
    planned.refresh_from_db()
    assert planned.current_sitting_id == first.pk
    with pytest.raises(NotAllowedNow):
        sitting_services.open_sitting(meeting_id=planned.pk, sitting_id=second.pk, actor=city_staff)
    with pytest.raises(NotAllowedNow):
        sitting_services.close_sitting(
            meeting_id=planned.pk, sitting_id=second.pk, actor=city_staff
        )
    sitting_services.close_sitting(meeting_id=planned.pk, sitting_id=first.pk, actor=city_staff)
    sitting_services.open_sitting(meeting_id=planned.pk, sitting_id=second.pk, actor=city_staff)
    planned.refresh_from_db()
    assert planned.current_sitting_id == second.pk
    with pytest.raises(NotAllowedNow):
        sitting_services.remove_sitting(
            meeting_id=planned.pk, sitting_id=first.pk, actor=city_staff
        )


def test_a_planned_sitting_is_removed_with_the_leave_given_for_it(
    planned: Meeting, city_staff: User
) -> None:
    from hdnd.meetings.services.attendance import record_attendance

    sitting = sitting_services.add_sitting(
        meeting_id=planned.pk, actor=city_staff, date=DAY, part=SittingPart.MORNING
    )
    member = planned.participants.filter(role="delegate").first()
    assert member is not None
    record_attendance(
        meeting_id=planned.pk,
        participant_id=member.pk,
        actor=city_staff,
        status="absent_excused",
        reason="Công tác nước ngoài",
        sitting_id=sitting.pk,
    )
    sitting_services.remove_sitting(meeting_id=planned.pk, sitting_id=sitting.pk, actor=city_staff)
    assert not Sitting.objects.filter(pk=sitting.pk).exists()
    event = AuditEvent.objects.filter(action="meeting.sitting.remove").get()
    assert event.changes["attendance_removed"] == [
        {"person_id": member.person_id, "status": "absent_excused", "reason": "Công tác nước ngoài"}
    ]


def test_the_database_allows_one_open_sitting(session: Meeting) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Sitting.objects.create(
            meeting=session, number=2, date=DAY, part="afternoon", status=SittingStatus.OPEN
        )


def test_a_sitting_with_an_open_poll_stays_open(
    session: Meeting, city_staff: User, check_in: Callable[..., None]
) -> None:
    Poll.objects.create(
        meeting=session,
        sitting=session.current_sitting,
        kind=PollKind.MOTION,
        title="Đang biểu quyết",
        status="open",
        total_members=MEMBER_COUNT,
    )
    assert session.current_sitting is not None
    with pytest.raises(NotAllowedNow):
        sitting_services.close_sitting(
            meeting_id=session.pk, sitting_id=session.current_sitting.pk, actor=city_staff
        )


def test_a_participants_post_falls_back_to_their_agency_post_then_their_seat(
    session: Meeting, chair: User, respondent: User, delegate: User
) -> None:
    from hdnd.councils.models import AgencyOfficial, Position
    from hdnd.meetings.queries.meetings import participant_posts

    Participant.objects.filter(meeting=session).update(title="")
    posts = participant_posts(session)
    assert respondent.person_id and chair.person_id and delegate.person_id
    official = AgencyOfficial.objects.select_related("agency").get(person=respondent.person)
    assert posts[respondent.person_id] == f"{official.title}, {official.agency.name}"
    assert posts[chair.person_id] == str(Position.CHAIR.label)
    assert posts[delegate.person_id] == ""
    # The title given for the meeting comes first.
    Participant.objects.filter(meeting=session, person=respondent.person).update(
        title="Giám đốc Sở Xây dựng"
    )
    assert participant_posts(session)[respondent.person_id] == "Giám đốc Sở Xây dựng"
