"""Supervision reads over the API: the statistics, duplicate suggestions waiting for a
decision, similar petitions while typing, and a person's notifications."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from hdnd.accounts.models import ApiScope, User
from hdnd.councils.models import Agency, Council
from hdnd.petitions.models import (
    DuplicateSuggestion,
    Notification,
    NotificationKind,
    PetitionStatus,
    SessionCycle,
    SuggestionStatus,
)
from hdnd.petitions.tests.api_support import Api, assert_error, token_api
from hdnd.testing import petition_factories as pf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def as_user(login: Callable[[Client, Any], Client]) -> Callable[[Any], Api]:
    def _as(user: Any) -> Api:
        return Api(login(Client(), user))

    return _as


@pytest.fixture
def reader_token(city_council: Council, city_staff: User) -> Api:
    return token_api(Client(), city_council, city_staff, [ApiScope.PETITIONS_READ])


# Statistics


def test_the_statistics_count_by_status_agency_and_field(
    reader_token: Api, cycle: SessionCycle, agency_a: Agency, agency_b: Agency
) -> None:
    for agency, due in [(agency_a, dt.date(2026, 11, 1)), (agency_a, None), (agency_b, None)]:
        pf.PetitionFactory(
            raised_in=cycle,
            status=PetitionStatus.ASSIGNED,
            lead_agency=agency,
            field=pf.field("giao-thong"),
            due_on=due,
            item_count=2,
            voter_count=10,
        )
    pf.PetitionFactory(raised_in=cycle)
    response = reader_token.get(f"councils/{cycle.council_id}/petition-statistics/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["summary"]["petitions"] == 4
    assert body["summary"]["overdue"] == 1
    assert body["summary"]["voters"] == 30
    assert {row["status"]: row["count"] for row in body["by_status"]} == {
        "assigned": 3,
        "consolidating": 1,
    }
    by_agency = {row["label"]: row["counts"]["petitions"] for row in body["by_agency"]}
    assert by_agency["Sở Xây dựng"] == 2
    assert by_agency["Sở Giao thông vận tải"] == 1
    narrowed = reader_token.get(
        f"councils/{cycle.council_id}/petition-statistics/", agency=agency_b.pk
    ).json()
    assert narrowed["summary"]["petitions"] == 1


def test_bad_statistics_filters_are_a_400(reader_token: Api, cycle: SessionCycle) -> None:
    path = f"councils/{cycle.council_id}/petition-statistics/"
    assert list(assert_error(reader_token.get(path, cycle="x"), 400)["fields"]) == ["cycle"]
    assert list(assert_error(reader_token.get(path, level="moon"), 400)["fields"]) == ["level"]


def test_an_agency_responder_sees_no_council_statistics(
    as_user: Callable[[Any], Api], responder_a: User, city_council: Council
) -> None:
    response = as_user(responder_a).get(f"councils/{city_council.pk}/petition-statistics/")
    assert_error(response, 403, "permission_denied")


def test_another_councils_token_sees_no_statistics(
    city_council: Council, commune_b: Council, outsider: User
) -> None:
    api = token_api(Client(), commune_b, outsider, [ApiScope.PETITIONS_READ])
    assert_error(api.get(f"councils/{city_council.pk}/petition-statistics/"), 403)


# Duplicates


def test_pending_duplicate_suggestions_are_listed_most_similar_first(
    reader_token: Api, cycle: SessionCycle, city_council: Council
) -> None:
    petition = pf.PetitionFactory(raised_in=cycle, title="Sửa đường Láng")
    items = [pf.VoterItemFactory(council=city_council) for _ in range(3)]
    for item, score, status in [
        (items[0], 0.6, SuggestionStatus.PENDING),
        (items[1], 0.9, SuggestionStatus.PENDING),
        (items[2], 0.95, SuggestionStatus.REJECTED),
    ]:
        DuplicateSuggestion.objects.create(
            council=city_council,
            item=item,
            candidate=petition,
            score=score,
            method="trigram",
            suggested_at=timezone.now(),
            status=status,
        )
    body = reader_token.get(f"councils/{city_council.pk}/duplicate-suggestions/").json()
    assert [row["item"]["id"] for row in body["results"]] == [items[1].pk, items[0].pk]
    assert body["results"][0]["candidate"]["title"] == "Sửa đường Láng"


def test_similar_petitions_are_found_while_typing(
    reader_token: Api, cycle: SessionCycle, city_council: Council
) -> None:
    near = pf.PetitionFactory(
        raised_in=cycle,
        title="Cải tạo nút giao Kim Mã – Nguyễn Thái Học",
        text="Cử tri đề nghị cải tạo nút giao Kim Mã – Nguyễn Thái Học thường xuyên ùn tắc.",
    )
    pf.PetitionFactory(raised_in=cycle, title="Xây trường mầm non", text="Xây trường mầm non.")
    response = reader_token.get(
        f"councils/{city_council.pk}/petitions/similar/",
        text="nut giao kim ma nguyen thai hoc un tac gio cao diem",
    )
    assert response.status_code == 200, response.content
    assert [row["petition_id"] for row in response.json()] == [near.pk]
    error = assert_error(reader_token.get(f"councils/{city_council.pk}/petitions/similar/"), 400)
    assert list(error["fields"]) == ["text"]


def test_an_agency_responder_sees_no_duplicates(
    as_user: Callable[[Any], Api], responder_a: User, city_council: Council
) -> None:
    api = as_user(responder_a)
    assert_error(api.get(f"councils/{city_council.pk}/duplicate-suggestions/"), 403)
    assert_error(api.get(f"councils/{city_council.pk}/petitions/similar/", text="đường"), 403)


# Notifications


def test_a_person_reads_and_marks_their_notifications(
    as_user: Callable[[Any], Api], responder_a: User, responder_b: User, cycle: SessionCycle
) -> None:
    petition = pf.PetitionFactory(raised_in=cycle)
    now = timezone.now()
    mine = [
        Notification.objects.create(
            user=responder_a,
            petition=petition,
            kind=kind,
            message=f"{petition.code}: {kind}",
            created_at=now,
        )
        for kind in (NotificationKind.ASSIGNED, NotificationKind.DUE_SOON)
    ]
    theirs = Notification.objects.create(
        user=responder_b,
        petition=petition,
        kind=NotificationKind.ASSIGNED,
        message="x",
        created_at=now,
    )
    api = as_user(responder_a)
    listed = api.get("me/petition-notifications/", unread="true").json()
    assert {row["id"] for row in listed["results"]} == {n.pk for n in mine}
    assert api.post("me/petition-notifications/read/", {"id": theirs.pk}).json() == {"marked": 0}
    assert api.post("me/petition-notifications/read/", {"id": mine[0].pk}).json() == {"marked": 1}
    assert api.get("me/petition-notifications/", unread="true").json()["count"] == 1
    assert api.post("me/petition-notifications/read/", {}).json() == {"marked": 1}
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert list(
        assert_error(api.post("me/petition-notifications/read/", {"id": "all"}), 400)["fields"]
    ) == ["id"]


def test_a_token_has_no_notifications(reader_token: Api) -> None:
    assert_error(reader_token.get("me/petition-notifications/"), 403, "person_required")
