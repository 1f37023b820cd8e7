"""Reads of meetings: a council's list, the next free session number, one meeting with
its sittings and participants, the people the office may invite, and the meetings a user
takes part in."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q, QuerySet

from hdnd.accounts.roles import COUNCIL_OFFICE_ROLES, COUNCIL_READER_ROLES, active_roles
from hdnd.councils.models import (
    AgencyOfficial,
    Committee,
    Council,
    Membership,
    Person,
    Position,
    Term,
)
from hdnd.councils.queries.ordering import vietnamese_names
from hdnd.meetings.access import is_manager
from hdnd.meetings.models import (
    SESSION_KINDS,
    Meeting,
    MeetingStatus,
    Participant,
    Sitting,
)

_SESSION_KINDS = [str(kind) for kind in SESSION_KINDS]


def council_meetings(*, council_id: int, status: str = "", kind: str = "") -> QuerySet[Meeting]:
    meetings = Meeting.objects.filter(council_id=council_id).select_related(
        "term", "committee", "council"
    )
    if status:
        meetings = meetings.filter(status=status)
    if kind:
        meetings = meetings.filter(kind=kind)
    return meetings.annotate(participant_count=Count("participants")).order_by("-starts_on", "-id")


def visible_meetings(
    *, user: Any, council_id: int, status: str = "", kind: str = ""
) -> QuerySet[Meeting]:
    """The council's meetings this reader may open: a closed meeting only for the
    office and its participants."""
    meetings = council_meetings(council_id=council_id, status=status, kind=kind)
    if is_manager(user, council_id):
        return meetings
    person_id = getattr(user, "person_id", None)
    return meetings.filter(Q(is_closed=False) | Q(participants__person_id=person_id or -1))


def next_session_number(*, council_id: int, term_id: int) -> int:
    """The number after the highest session of the term (regular, thematic and
    extraordinary share the numbering)."""
    last = Meeting.objects.filter(
        council_id=council_id, term_id=term_id, kind__in=_SESSION_KINDS
    ).aggregate(last=Max("number"))["last"]
    return (last or 0) + 1


def term_on(*, council_id: int, day: dt.date) -> Term | None:
    """The council's term in force on `day`, else its latest."""
    terms = Term.objects.filter(council_id=council_id)
    return terms.filter(start_date__lte=day, end_date__gte=day).first() or terms.first()


def council_terms(*, council_id: int) -> QuerySet[Term]:
    return Term.objects.filter(council_id=council_id).order_by("-start_date")


def council_committees(*, council_id: int) -> QuerySet[Committee]:
    return Committee.objects.filter(council_id=council_id, is_active=True).order_by("name")


def participant_posts(meeting: Meeting) -> dict[int, str]:
    """Each participant's post as a ballot names it (person id → "Giám đốc, Sở Xây dựng"):
    the title given for this meeting, else a post held in an agency today, else a seat in
    the council other than a plain delegate's; empty when none."""
    participants = list(Participant.objects.filter(meeting=meeting).select_related("person"))
    person_ids = [one.person_id for one in participants]
    agency_posts: dict[int, str] = {}
    for post in (
        AgencyOfficial.objects.filter(person_id__in=person_ids, end_date__isnull=True)
        .select_related("agency")
        .order_by("-is_head", "start_date", "id")
    ):
        agency_posts.setdefault(post.person_id, f"{post.title}, {post.agency.name}")
    seats = {
        seat.person_id: seat.get_position_display()
        for seat in Membership.objects.filter(
            term_id=meeting.term_id, person_id__in=person_ids, end_date__isnull=True
        ).exclude(position=Position.DELEGATE)
    }
    return {
        one.person_id: one.title or agency_posts.get(one.person_id) or seats.get(one.person_id, "")
        for one in participants
    }


def candidate_people(council: Council) -> QuerySet[Person]:
    """People the office may invite: officials of the council's (and its parent's)
    agencies, seat holders, and people with an account role in the council."""
    councils = [council.pk, *([council.parent_id] if council.parent_id else [])]
    eligible = Person.objects.filter(
        Q(official_posts__agency__council_id__in=councils)
        | Q(memberships__council_id=council.pk)
        | Q(user__role_assignments__council_id=council.pk)
    ).values("pk")
    # In the order of official lists (given name, then full name, in dictionary order).
    return Person.objects.filter(pk__in=eligible).order_by(*vietnamese_names("full_name"), "id")


def meeting_sittings(*, meeting_id: int) -> QuerySet[Sitting]:
    return Sitting.objects.filter(meeting_id=meeting_id).order_by("number")


def meeting_participants(*, meeting_id: int) -> QuerySet[Participant]:
    return Participant.objects.filter(meeting_id=meeting_id).select_related(
        "person", "agency", "membership"
    )


def chair_of(meeting: Meeting) -> Participant | None:
    return (
        Participant.objects.filter(meeting_id=meeting.pk, role="chair")
        .select_related("person")
        .first()
    )


@dataclass(frozen=True)
class MyMeeting:
    meeting: Meeting
    participant: Participant | None
    can_run: bool


@dataclass(frozen=True)
class MyCouncil:
    council: Council
    is_manager: bool


def my_councils(*, user: Any) -> list[MyCouncil]:
    """The councils whose meetings the user reads (their roles in force today)."""
    rows: dict[int, MyCouncil] = {}
    roles = active_roles(user).filter(role__in=list(COUNCIL_READER_ROLES)).select_related("council")
    for role in roles.order_by("council__name", "id"):
        managing = role.role in COUNCIL_OFFICE_ROLES
        known = rows.get(role.council_id)
        if known is None or (managing and not known.is_manager):
            rows[role.council_id] = MyCouncil(role.council, managing)
    return list(rows.values())


def my_live_meetings(*, user: Any, today: dt.date) -> list[MyMeeting]:
    """Meetings in progress, or planned from today on, that the user takes part in or
    runs for the office (the nearest first)."""
    person_id = getattr(user, "person_id", None)
    managed = [row.council.pk for row in my_councils(user=user) if row.is_manager]
    meetings = (
        Meeting.objects.filter(
            Q(participants__person_id=person_id or -1) | Q(council_id__in=managed),
            Q(status=MeetingStatus.IN_PROGRESS)
            | Q(status=MeetingStatus.PLANNED, ends_on__gte=today),
        )
        .select_related("council", "term")
        .distinct()
        .order_by("starts_on", "id")[:20]
    )
    found = list(meetings)
    participants = {
        participant.meeting_id: participant
        for participant in Participant.objects.filter(
            meeting_id__in=[meeting.pk for meeting in found], person_id=person_id or -1
        )
    }
    result = []
    for meeting in found:
        participant = participants.get(meeting.pk)
        runs = meeting.council_id in managed or (
            participant is not None and participant.role == "chair"
        )
        result.append(MyMeeting(meeting, participant, runs))
    return result
