"""factory_boy factories for the petitions module. Test setup may write directly; the
code under test goes through services."""

import datetime as dt

import factory

from hdnd.petitions.models import (
    Channel,
    CompetenceLevel,
    ContactMeeting,
    DeadlineRule,
    Field,
    MeetingStatus,
    MeetingTiming,
    Petition,
    RouteKind,
    RoutingRule,
    SessionCycle,
    TriageStatus,
    VoterItem,
)
from hdnd.petitions.services.common import search_text_of
from hdnd.testing.factories import CityCouncilFactory, TermFactory


class SessionCycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionCycle

    term = factory.SubFactory(TermFactory)
    council = factory.LazyAttribute(lambda cycle: cycle.term.council)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda cycle: f"Kỳ họp thứ {cycle.number}")
    session_date = dt.date(2026, 7, 7)


def field(code: str = "giao-thong") -> Field:
    """One of the standard fields loaded by the migration."""
    return Field.objects.get(code=code)


class ContactMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactMeeting

    cycle = factory.SubFactory(SessionCycleFactory)
    council = factory.LazyAttribute(lambda meeting: meeting.cycle.council)
    term = factory.LazyAttribute(lambda meeting: meeting.cycle.term)
    timing = MeetingTiming.BEFORE_SESSION
    starts_at = dt.datetime(2026, 6, 20, 1, 0, tzinfo=dt.UTC)
    unit = factory.LazyAttribute(lambda meeting: meeting.council.unit)
    venue = "Nhà văn hóa tổ dân phố số 5"
    status = MeetingStatus.HELD
    voters_attending = 120


class VoterItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VoterItem

    council = factory.SubFactory(CityCouncilFactory)
    code = factory.Sequence(lambda n: f"KN-TEST-{n:04d}")
    channel = Channel.HOTLINE
    received_on = dt.date(2026, 6, 20)
    text = factory.Sequence(
        lambda n: f"Đề nghị sửa chữa mặt đường ngõ {n} bị xuống cấp, ngập úng khi mưa"
    )
    triage_status = TriageStatus.ACCEPTED
    search_text = factory.LazyAttribute(lambda item: search_text_of(item.text))


class PetitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Petition

    raised_in = factory.SubFactory(SessionCycleFactory)
    current_cycle = factory.LazyAttribute(lambda petition: petition.raised_in)
    council = factory.LazyAttribute(lambda petition: petition.raised_in.council)
    code = factory.Sequence(lambda n: f"01-2026-{n + 1:04d}")
    title = factory.Sequence(lambda n: f"Sửa chữa đường ngõ {n}")
    text = factory.LazyAttribute(lambda petition: f"Cử tri đề nghị {petition.title.lower()}.")
    level = CompetenceLevel.CITY
    search_text = factory.LazyAttribute(
        lambda petition: search_text_of(petition.title, petition.text)
    )


class RoutingRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoutingRule

    council = factory.SubFactory(CityCouncilFactory)
    field = factory.LazyFunction(field)
    level = CompetenceLevel.CITY
    valid_from = dt.date(2026, 1, 1)


class DeadlineRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeadlineRule

    council = factory.SubFactory(CityCouncilFactory)
    route = RouteKind.OWN_AGENCY
    days = 30
    valid_from = dt.date(2026, 1, 1)
