"""Moving a petition between the city and its communes, with its history."""

import datetime as dt
from typing import Any

import pytest
from django.utils import translation

from hdnd.accounts.models import User
from hdnd.core.errors import DomainError, NotFound
from hdnd.core.versions import StaleVersion
from hdnd.councils.models import Agency, Council
from hdnd.petitions.models import (
    CompetenceLevel,
    EventKind,
    Notification,
    Petition,
    PetitionStatus,
    SessionCycle,
    Tag,
)
from hdnd.petitions.services.common import TransitionNotAllowed
from hdnd.petitions.services.transfers import transfer_petition
from hdnd.testing import factories
from hdnd.testing import petition_factories as pf

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 9, 15)


@pytest.fixture(autouse=True)
def _today(time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 9, 15, 2, 0, tzinfo=dt.UTC), tick=False)


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


def commune_cycle(council: Council, *, number: int, on: dt.date) -> SessionCycle:
    term = factories.TermFactory(council=council, number=1, name="Khóa I")
    return pf.SessionCycleFactory(term=term, number=number, session_date=on)


def move(petition: Petition, to: Council, user: User, **extra: Any) -> Petition:
    values: dict[str, Any] = {
        "petition_id": petition.pk,
        "expected_version": petition.version,
        "to_council_id": to.pk,
        "reason": "Thuộc thẩm quyền của phường",
        "actor": user,
    }
    values.update(extra)
    return transfer_petition(**values)


def test_a_city_petition_moves_down_to_a_commune_with_its_history(
    cycle: SessionCycle,
    commune_a: Council,
    city_staff: User,
    commune_officer: User,
    agency_a: Agency,
) -> None:
    past = commune_cycle(commune_a, number=1, on=dt.date(2026, 7, 1))
    upcoming = pf.SessionCycleFactory(term=past.term, number=2, session_date=dt.date(2026, 12, 1))
    petition = pf.PetitionFactory(
        raised_in=cycle,
        field=pf.field("moi-truong"),
        unit=commune_a.unit,
        status=PetitionStatus.ASSIGNED,
        lead_agency=agency_a,
        item_count=3,
        voter_count=41,
        meeting_count=2,
    )
    petition.tags.add(Tag.objects.create(name="Ngập úng", slug="ngap-ung"))
    items = pf.VoterItemFactory.create_batch(2, council=cycle.council, petition=petition)
    petition.routes.create(agency=agency_a, role="lead", started_on=dt.date(2026, 8, 1))

    successor = move(petition, commune_a, city_staff)

    petition.refresh_from_db()
    assert petition.status == PetitionStatus.TRANSFERRED
    assert petition.version == 2
    assert petition.routes.get().ended_on == TODAY
    assert successor.council == commune_a
    assert successor.predecessor == petition
    assert successor.code.startswith(f"{commune_a.unit.code}-2026-")
    assert successor.status == PetitionStatus.CONSOLIDATING
    assert successor.level == CompetenceLevel.COMMUNE
    assert (successor.raised_in, successor.current_cycle) == (upcoming, upcoming)
    same = ["title", "text", "field_id", "unit_id", "item_count", "voter_count", "meeting_count"]
    assert [getattr(successor, name) for name in same] == [getattr(petition, name) for name in same]
    assert list(successor.tags.values_list("slug", flat=True)) == ["ngap-ung"]
    # The voter items stay where they were raised; the lineage leads to them.
    assert set(petition.items.all()) == set(items)
    assert not successor.items.exists()
    left = petition.events.get(kind=EventKind.TRANSFERRED)
    arrived = successor.events.get(kind=EventKind.RECEIVED)
    assert left.is_public and arrived.is_public
    assert successor.code in left.summary
    assert petition.code in arrived.summary
    assert list(Notification.objects.filter(petition=successor).values_list("user", flat=True)) == [
        commune_officer.pk
    ]


def test_a_commune_petition_moves_up_to_the_city(
    city_council: Council,
    cycle: SessionCycle,
    commune_a: Council,
    commune_officer: User,
    city_staff: User,
) -> None:
    commune = commune_cycle(commune_a, number=1, on=dt.date(2026, 7, 1))
    petition = pf.PetitionFactory(raised_in=commune, level=CompetenceLevel.COMMUNE)
    successor = move(petition, city_council, commune_officer, reason="Thẩm quyền của thành phố")
    assert successor.council == city_council
    assert successor.level == CompetenceLevel.CITY
    # The city's only cycle is already past: the petition joins the latest one.
    assert successor.current_cycle == cycle
    assert Notification.objects.filter(petition=successor, user=city_staff).exists()


def test_a_central_level_petition_keeps_its_level_when_it_moves_up(
    city_council: Council, cycle: SessionCycle, commune_a: Council, commune_officer: User
) -> None:
    commune = commune_cycle(commune_a, number=1, on=dt.date(2026, 7, 1))
    petition = pf.PetitionFactory(raised_in=commune, level=CompetenceLevel.CENTRAL)
    assert move(petition, city_council, commune_officer).level == CompetenceLevel.CENTRAL


@pytest.mark.parametrize(
    ("case", "error", "message"),
    [
        ("sibling commune", DomainError, "between a city and its own communes"),
        ("other province", DomainError, "between a city and its own communes"),
        ("same council", DomainError, "between a city and its own communes"),
        ("missing council", NotFound, "does not exist"),
        ("no cycle", DomainError, "no session cycle"),
        ("no reason", DomainError, "Say why"),
        ("answered", TransitionNotAllowed, "cannot be done while"),
        ("already moved", TransitionNotAllowed, "cannot be done while"),
        ("stale", StaleVersion, "Someone else changed"),
    ],
)
def test_moving_is_refused_with_a_clear_message(
    city_council: Council,
    commune_a: Council,
    commune_b: Council,
    commune_officer: User,
    case: str,
    error: type[Exception],
    message: str,
) -> None:
    source = commune_cycle(commune_a, number=1, on=dt.date(2026, 7, 1))
    pf.SessionCycleFactory(term=factories.TermFactory(council=city_council))
    commune_cycle(commune_b, number=1, on=dt.date(2026, 7, 1))
    petition = pf.PetitionFactory(raised_in=source, level=CompetenceLevel.COMMUNE)
    target: Any = city_council
    extra: dict[str, Any] = {}
    if case == "sibling commune":
        target = commune_b
    elif case == "other province":
        province = factories.ProvinceUnitFactory(code="79", name="Thành phố Hồ Chí Minh")
        target = factories.CityCouncilFactory(unit=province)
        pf.SessionCycleFactory(term=factories.TermFactory(council=target))
    elif case == "same council":
        target = commune_a
    elif case == "missing council":
        target = Council(pk=999_999)
    elif case == "no cycle":
        SessionCycle.objects.filter(council=city_council).delete()
    elif case == "no reason":
        extra["reason"] = " "
    elif case == "answered":
        Petition.objects.filter(pk=petition.pk).update(status=PetitionStatus.ANSWERED)
    elif case == "already moved":
        move(petition, city_council, commune_officer)
        petition.refresh_from_db()
    elif case == "stale":
        extra["expected_version"] = petition.version + 1
    before = Petition.objects.count()
    with pytest.raises(error, match=message):
        move(petition, target, commune_officer, **extra)
    assert Petition.objects.count() == before
