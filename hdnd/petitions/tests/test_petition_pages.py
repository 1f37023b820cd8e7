"""The council's petition list and the petition page: who sees what."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext

from hdnd.accounts.models import User
from hdnd.councils.models import Agency
from hdnd.petitions.models import EventKind, PetitionEvent, SessionCycle
from hdnd.testing import petition_factories as pf

pytestmark = pytest.mark.django_db


def test_office_staff_see_the_council_list_and_page(
    client: Client, login: Callable[[Client, User], Client], city_staff: User, cycle: SessionCycle
) -> None:
    petition = pf.PetitionFactory(raised_in=cycle, title="Cải tạo nút giao Ngã Tư Sở")
    login(client, city_staff)
    listing = client.get(reverse("petitions:council", args=[cycle.council_id]))
    assert listing.status_code == 200
    assert "Cải tạo nút giao Ngã Tư Sở" in listing.content.decode()
    page = client.get(reverse("petitions:detail", args=[petition.pk]))
    assert page.status_code == 200
    assert petition.code in page.content.decode()


def test_the_list_finds_petitions_without_diacritics(
    client: Client, login: Callable[[Client, User], Client], city_staff: User, cycle: SessionCycle
) -> None:
    pf.PetitionFactory(raised_in=cycle, title="Cải tạo nút giao Ngã Tư Sở")
    pf.PetitionFactory(raised_in=cycle, title="Xây trường mầm non")
    login(client, city_staff)
    listing = client.get(reverse("petitions:council", args=[cycle.council_id]), {"q": "nga tu so"})
    body = listing.content.decode()
    assert "Cải tạo nút giao Ngã Tư Sở" in body
    assert "Xây trường mầm non" not in body


def test_an_agency_responder_sees_only_their_agencys_petitions(
    client: Client,
    login: Callable[[Client, User], Client],
    responder_a: User,
    agency_a: Agency,
    agency_b: Agency,
    cycle: SessionCycle,
) -> None:
    mine = pf.PetitionFactory(raised_in=cycle, title="Việc của Sở Xây dựng", lead_agency=agency_a)
    theirs = pf.PetitionFactory(
        raised_in=cycle, title="Việc của Sở Giao thông", lead_agency=agency_b
    )
    login(client, responder_a)
    body = client.get(reverse("petitions:council", args=[cycle.council_id])).content.decode()
    assert mine.title in body
    assert theirs.title not in body
    assert client.get(reverse("petitions:detail", args=[theirs.pk])).status_code == 404


def test_an_officer_of_another_commune_sees_nothing(
    client: Client, login: Callable[[Client, User], Client], outsider: User, cycle: SessionCycle
) -> None:
    petition = pf.PetitionFactory(raised_in=cycle)
    login(client, outsider)
    assert client.get(reverse("petitions:council", args=[cycle.council_id])).status_code == 403
    assert client.get(reverse("petitions:detail", args=[petition.pk])).status_code == 404


def test_the_list_page_makes_a_fixed_number_of_queries(
    client: Client,
    login: Callable[[Client, User], Client],
    city_staff: User,
    cycle: SessionCycle,
    agency_a: Agency,
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    login(client, city_staff)
    url = reverse("petitions:council", args=[cycle.council_id])
    pf.PetitionFactory.create_batch(3, raised_in=cycle, lead_agency=agency_a, field=pf.field())
    client.get(url)
    with django_assert_max_num_queries(14) as few:  # type: ignore[attr-defined]
        client.get(url)
    pf.PetitionFactory.create_batch(20, raised_in=cycle, lead_agency=agency_a, field=pf.field())
    with django_assert_max_num_queries(len(few.captured_queries)):  # type: ignore[attr-defined]
        client.get(url)


def test_the_list_narrows_as_the_dashboards_drill_down_links_ask(
    client: Client, login: Callable[[Client, User], Client], city_staff: User, cycle: SessionCycle
) -> None:
    pf.PetitionFactory(raised_in=cycle, title="Trả lời đúng hạn", status="resolved",
                       answered_on_time=True, result="resolved", verdict="satisfactory")  # fmt: skip
    pf.PetitionFactory(raised_in=cycle, title="Trả lời muộn", status="monitoring",
                       answered_on_time=False, result="in_progress")  # fmt: skip
    pf.PetitionFactory(raised_in=cycle, title="Chất vấn tại kỳ họp", status="answered",
                       is_questioning_topic=True, verdict="unsatisfactory")  # fmt: skip
    login(client, city_staff)
    url = reverse("petitions:council", args=[cycle.council_id])

    def titles(**params: str) -> set[str]:
        page = client.get(url, params).context["page"]
        return {petition.title for petition in page.object_list}

    assert titles(state="answered", timing="late") == {"Trả lời muộn"}
    assert titles(result="resolved") == {"Trả lời đúng hạn"}
    assert titles(verdict="unsatisfactory", questioning="1") == {"Chất vấn tại kỳ họp"}
    assert titles(state="awaiting") == set()


def test_the_created_event_is_translated_apart_from_the_created_column(
    client: Client, login: Callable[[Client, User], Client], city_staff: User, cycle: SessionCycle
) -> None:
    """ "Created" heads columns ("Ngày tạo"); on the timeline the event reads "Đã tạo", so
    it has its own message context."""
    petition = pf.PetitionFactory(raised_in=cycle)
    PetitionEvent.objects.create(
        petition=petition, kind=EventKind.CREATED, occurred_at=timezone.now()
    )
    with translation.override("vi"):
        event_label = str(EventKind.CREATED.label)
        assert event_label == pgettext("petition event", "Created")
        assert event_label != gettext("Created")
    login(client, city_staff)
    page = client.get(
        reverse("petitions:detail", args=[petition.pk]), headers={"Accept-Language": "vi"}
    )
    assert f"<strong>{event_label}</strong>" in page.content.decode()
