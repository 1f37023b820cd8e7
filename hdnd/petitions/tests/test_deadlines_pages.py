"""The due and overdue lists, and each person's notifications."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from hdnd.accounts.models import User
from hdnd.councils.models import Agency, Council
from hdnd.petitions.models import (
    Notification,
    NotificationKind,
    Petition,
    PetitionStatus,
    SessionCycle,
)
from hdnd.petitions.queries.deadlines import due_soon, overdue, overdue_by_agency
from hdnd.testing import factories
from hdnd.testing import petition_factories as pf

pytestmark = pytest.mark.django_db

Login = Callable[[Client, User], Client]
TODAY = dt.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _today(time_machine: Any, settings: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 3, 10, 2, 0, tzinfo=dt.UTC), tick=False)
    settings.LANGUAGE_CODE = "en"


def awaiting(cycle: SessionCycle, agency: Agency | None, due_on: dt.date, **extra: Any) -> Petition:
    values: dict[str, Any] = {
        "raised_in": cycle,
        "field": pf.field(),
        "status": PetitionStatus.ASSIGNED if agency else PetitionStatus.FORWARDED,
        "lead_agency": agency,
        "due_on": due_on,
    }
    values.update(extra)
    return pf.PetitionFactory(**values)


@pytest.fixture
def lists(cycle: SessionCycle, agency_a: Agency, agency_b: Agency) -> dict[str, Petition]:
    coordinated = awaiting(cycle, agency_b, dt.date(2026, 3, 1), title="B dẫn, A phối hợp")
    coordinated.coordinating_agencies.add(agency_a)
    return {
        "a_soon": awaiting(cycle, agency_a, dt.date(2026, 3, 12), title="A sắp đến hạn"),
        "a_late": awaiting(cycle, agency_a, dt.date(2026, 3, 2), title="A quá hạn"),
        "b_soon": awaiting(cycle, agency_b, dt.date(2026, 3, 10), title="B đến hạn hôm nay"),
        "b_late": awaiting(
            cycle, agency_b, dt.date(2026, 2, 20), title="B quá hạn", escalated_on=TODAY
        ),
        "coordinated": coordinated,
        "central": awaiting(cycle, None, dt.date(2026, 3, 5), title="Trung ương quá hạn"),
        "far": awaiting(cycle, agency_a, dt.date(2026, 4, 30), title="A còn xa"),
        "answered": awaiting(
            cycle,
            agency_a,
            dt.date(2026, 3, 1),
            title="A đã trả lời",
            status=PetitionStatus.ANSWERED,
        ),
    }


def titles(petitions: Any) -> set[str]:
    return {petition.title for petition in petitions}


def test_the_lists_hold_what_awaits_an_answer(
    city_council: Council, agency_a: Agency, agency_b: Agency, lists: dict[str, Petition]
) -> None:
    assert titles(due_soon(council_id=city_council.pk, days=7)) == {
        "A sắp đến hạn",
        "B đến hạn hôm nay",
    }
    assert [p.title for p in overdue(council_id=city_council.pk)] == [
        "B quá hạn",
        "B dẫn, A phối hợp",
        "A quá hạn",
        "Trung ương quá hạn",
    ]
    counts = {
        row.agency_name: (row.count, row.escalated)
        for row in overdue_by_agency(council_id=city_council.pk)
    }
    assert counts == {"Sở Giao thông vận tải": (2, 1), "Sở Xây dựng": (1, 0), "": (1, 0)}
    # An agency sees what it leads or coordinates.
    assert titles(overdue(council_id=city_council.pk, agency_ids=[agency_a.pk])) == {
        "A quá hạn",
        "B dẫn, A phối hợp",
    }
    assert [
        row.agency_id
        for row in overdue_by_agency(council_id=city_council.pk, agency_ids=[agency_a.pk])
    ] == [agency_a.pk]


def deadlines_url(council: Council) -> str:
    return reverse("petitions:deadlines", args=[council.pk])


def test_the_office_sees_every_agencys_deadlines(
    client: Client,
    login: Login,
    city_staff: User,
    city_council: Council,
    lists: dict[str, Petition],
) -> None:
    login(client, city_staff)
    body = client.get(deadlines_url(city_council)).content.decode()
    for key in ("a_soon", "a_late", "b_soon", "b_late", "central"):
        assert lists[key].title in body
    assert lists["far"].title not in body
    assert lists["answered"].title not in body
    assert "Forwarded to central level" in body
    wider = client.get(deadlines_url(city_council), {"days": 60}).content.decode()
    assert lists["far"].title in wider


def test_a_responder_sees_only_their_agencys_deadlines(
    client: Client,
    login: Login,
    responder_a: User,
    city_council: Council,
    lists: dict[str, Petition],
) -> None:
    login(client, responder_a)
    body = client.get(deadlines_url(city_council)).content.decode()
    for key in ("a_soon", "a_late", "coordinated"):
        assert lists[key].title in body
    for key in ("b_soon", "b_late", "central"):
        assert lists[key].title not in body
    assert (
        "Sở Giao thông vận tải"
        not in body.split('id="by-agency-heading"')[1].split("</section>")[0]
    )


def test_the_other_agencys_responder_does_not_see_agency_as_deadlines(
    client: Client,
    login: Login,
    responder_b: User,
    city_council: Council,
    lists: dict[str, Petition],
) -> None:
    login(client, responder_b)
    body = client.get(deadlines_url(city_council)).content.decode()
    assert lists["a_soon"].title not in body
    assert lists["a_late"].title not in body
    assert lists["b_late"].title in body


@pytest.mark.parametrize("persona", ["outsider", "anonymous"])
def test_outsiders_see_no_deadlines(
    client: Client, login: Login, city_council: Council, persona: str, request: Any, lists: Any
) -> None:
    if persona != "anonymous":
        login(client, request.getfixturevalue(persona))
    assert client.get(deadlines_url(city_council)).status_code == 403


def test_the_deadlines_page_makes_a_fixed_number_of_queries(
    client: Client,
    login: Login,
    city_staff: User,
    city_council: Council,
    cycle: SessionCycle,
    agency_a: Agency,
    django_assert_max_num_queries: Any,
) -> None:
    login(client, city_staff)
    url = deadlines_url(city_council)
    awaiting(cycle, agency_a, dt.date(2026, 3, 12))
    awaiting(cycle, agency_a, dt.date(2026, 3, 2))
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    rule = pf.DeadlineRuleFactory(council=city_council, counting="working")
    for day in range(1, 9):
        agency = factories.AgencyFactory(council=city_council)
        awaiting(cycle, agency, dt.date(2026, 3, 10 + day % 5), deadline_rule=rule)
        awaiting(cycle, agency, dt.date(2026, 2, day), deadline_rule=rule)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


# Notifications.


def notice(
    user: User, petition: Petition, kind: str = NotificationKind.DUE_SOON, **extra: Any
) -> Notification:
    values: dict[str, Any] = {
        "user": user,
        "petition": petition,
        "kind": kind,
        "due_on": petition.due_on,
        "message": f"{petition.code}: đến hạn",
        "created_at": dt.datetime(2026, 3, 9, 1, 0, tzinfo=dt.UTC),
    }
    values.update(extra)
    return Notification.objects.create(**values)


def test_a_person_reads_their_notifications_and_marks_them_read(
    client: Client,
    login: Login,
    responder_a: User,
    responder_b: User,
    cycle: SessionCycle,
    agency_a: Agency,
) -> None:
    petition = awaiting(cycle, agency_a, dt.date(2026, 3, 12))
    mine = notice(responder_a, petition)
    notice(responder_a, petition, NotificationKind.ASSIGNED)
    theirs = notice(responder_b, petition, NotificationKind.OVERDUE, message="của người khác")
    login(client, responder_a)
    unread = client.get(reverse("petitions:notifications_unread")).content.decode()
    assert "2 unread notifications" in unread
    page = client.get(reverse("petitions:notifications")).content.decode()
    assert mine.message in page
    assert "của người khác" not in page
    # Someone else's notice is not theirs to mark, nor is a made-up one.
    for other in (theirs.pk, "abc"):
        response = client.post(reverse("petitions:notifications"), {"notification": other})
        assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert Notification.objects.filter(user=responder_a, read_at__isnull=True).count() == 2
    response = client.post(
        reverse("petitions:notifications"), {"notification": mine.pk, "next": "petition"}
    )
    assert response["Location"] == reverse("petitions:detail", args=[petition.pk])
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert (
        "1 unread notification"
        in client.get(reverse("petitions:notifications_unread")).content.decode()
    )
    client.post(reverse("petitions:notifications"))
    assert not Notification.objects.filter(user=responder_a, read_at__isnull=True).exists()


def test_notifications_need_a_sign_in(client: Client) -> None:
    assert client.get(reverse("petitions:notifications")).status_code == 302
    assert client.get(reverse("petitions:notifications_unread")).content == b""
