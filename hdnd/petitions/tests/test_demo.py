"""The petitions demo shows a realistic session cycle of Hanoi's city council."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F, Sum

from hdnd.councils.models import Council, CouncilLevel
from hdnd.petitions.demo.load import load_petition_demo
from hdnd.petitions.models import (
    AWAITING_ANSWER,
    ContactMeeting,
    DuplicateSuggestion,
    Petition,
    PetitionStatus,
    Rating,
    SuggestionStatus,
    TriageStatus,
    Verdict,
    VoterItem,
)

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]

TODAY = dt.date(2026, 11, 21)


@pytest.fixture
def city() -> Council:
    call_command("load_units", "--province", "01", stdout=StringIO())
    call_command("load_demo", outside_debug=True, stdout=StringIO())
    city = Council.objects.get(unit__code="01", level=CouncilLevel.PROVINCE)
    load_petition_demo(city=city, today=TODAY)
    return city


def test_the_demo_has_about_400_city_items_from_about_60_meetings(city: Council) -> None:
    meetings = ContactMeeting.objects.filter(council=city).count()
    items = VoterItem.objects.filter(council=city).count()
    assert 55 <= meetings <= 65
    assert 370 <= items <= 430


def test_the_demo_has_every_stage_of_the_cycle(city: Council) -> None:
    petitions = Petition.objects.filter(council=city)
    overdue = petitions.filter(status__in=AWAITING_ANSWER, due_on__lt=TODAY)
    assert overdue.exists()
    assert petitions.filter(answered_on_time=True).exists()
    assert petitions.filter(answered_on_time=False).exists()
    assert petitions.filter(status=PetitionStatus.FORWARDED).exists()
    assert petitions.filter(status=PetitionStatus.TRANSFERRED, successors__isnull=False).exists()
    assert Rating.objects.filter(petition__council=city).exclude(verdict=Verdict.SATISFACTORY)
    assert petitions.filter(is_questioning_topic=True).exists()
    carried_over = petitions.exclude(raised_in=F("current_cycle"))
    assert carried_over.filter(status=PetitionStatus.MONITORING).exists()
    waiting = VoterItem.objects.filter(council=city, petition=None, triage_status="accepted")
    assert waiting.count() > 100
    assert VoterItem.objects.filter(council=city, triage_status=TriageStatus.NEW).exists()
    assert VoterItem.objects.filter(council=city, triage_status=TriageStatus.REDIRECTED).exists()


def test_consolidated_counts_add_up(city: Council) -> None:
    for petition in Petition.objects.filter(council=city, item_count__gt=0)[:50]:
        items = VoterItem.objects.filter(petition=petition)
        assert petition.item_count == items.count()
        assert petition.voter_count == items.aggregate(total=Sum("voter_count"))["total"]


def test_the_demo_suggests_duplicates_to_review(city: Council) -> None:
    pending = DuplicateSuggestion.objects.filter(council=city, status=SuggestionStatus.PENDING)
    assert pending.count() >= 10


def test_loading_the_demo_again_changes_nothing(city: Council) -> None:
    before = Petition.objects.count(), VoterItem.objects.count()
    out = StringIO()
    call_command("load_petition_demo", outside_debug=True, stdout=out)
    assert (Petition.objects.count(), VoterItem.objects.count()) == before
