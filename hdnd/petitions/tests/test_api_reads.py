"""Reading petition work over the API: lists with filters and strict paging, one petition,
items, meetings, cycles, the catalogue and the routing configuration — and who may read
what (other agency, other commune, tokens of another council or without the scope), with
voters' identities shown only to those allowed."""

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from hdnd.accounts.models import ApiScope, Role
from hdnd.petitions.models import (
    AgencyRole,
    Channel,
    CompetenceLevel,
    EventKind,
    PetitionEvent,
    PetitionRoute,
    PetitionStatus,
    Tag,
    TriageStatus,
)
from hdnd.petitions.tests.api_support import Api, assert_error, token_api
from hdnd.testing import factories
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
def reader_token(city_council: Any, city_staff: Any) -> Api:
    return token_api(Client(), city_council, city_staff, [ApiScope.PETITIONS_READ])


@pytest.fixture
def work(
    city_council: Any, cycle: Any, next_cycle: Any, meeting: Any, agency_a: Any, agency_b: Any
) -> SimpleNamespace:
    """Agency A's overdue transport petition with a voter's identity, agency B's
    construction petition due soon, one still being consolidated, and an item waiting
    for triage."""
    petition_a = pf.PetitionFactory(
        raised_in=cycle,
        title="Sửa đường Nguyễn Trãi",
        field=pf.field("giao-thong"),
        status=PetitionStatus.ASSIGNED,
        lead_agency=agency_a,
        assigned_on=dt.date(2026, 10, 1),
        due_on=dt.date(2026, 11, 1),
    )
    PetitionRoute.objects.create(
        petition=petition_a, agency=agency_a, role=AgencyRole.LEAD, started_on=dt.date(2026, 10, 1)
    )
    item_a = pf.VoterItemFactory(
        council=city_council,
        channel=Channel.MEETING,
        meeting=meeting,
        cycle=cycle,
        petition=petition_a,
        voter_name="Nguyễn Văn An",
        voter_phone="0912345678",
        voter_email="an@example.vn",
        voter_address="Số 5 ngõ 12",
    )
    petition_b = pf.PetitionFactory(
        raised_in=cycle,
        title="Xây trường học",
        field=pf.field("quy-hoach-xay-dung"),
        level=CompetenceLevel.COMMUNE,
        status=PetitionStatus.ASSIGNED,
        lead_agency=agency_b,
        assigned_on=dt.date(2026, 11, 1),
        due_on=dt.date(2026, 11, 25),
    )
    petition_c = pf.PetitionFactory(raised_in=next_cycle, title="Chiếu sáng công cộng")
    waiting = pf.VoterItemFactory(
        council=city_council,
        channel=Channel.WEB,
        cycle=next_cycle,
        triage_status=TriageStatus.NEW,
        voter_name="Trần Thị Bình",
    )
    now = timezone.now()
    PetitionEvent.objects.create(
        petition=petition_a, kind=EventKind.CREATED, occurred_at=now, summary="internal"
    )
    PetitionEvent.objects.create(
        petition=petition_a,
        kind=EventKind.ASSIGNED,
        occurred_at=now,
        summary="sent",
        is_public=True,
    )
    return SimpleNamespace(
        council=city_council,
        cycle=cycle,
        next_cycle=next_cycle,
        meeting=meeting,
        agency_a=agency_a,
        agency_b=agency_b,
        a=petition_a,
        b=petition_b,
        c=petition_c,
        item_a=item_a,
        waiting=waiting,
    )


def codes(response: Any) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["code"] for row in response.json()["results"]}


# The petition list


def test_the_office_lists_the_councils_petitions(
    as_user: Callable[[Any], Api], city_staff: Any, work: SimpleNamespace
) -> None:
    body = as_user(city_staff).get(f"councils/{work.council.pk}/petitions/").json()
    assert body["count"] == 3
    row = next(row for row in body["results"] if row["code"] == work.a.code)
    assert row["status"] == "assigned"
    assert row["field"] == {"code": "giao-thong", "name": "Giao thông"}
    assert row["lead_agency"]["name"] == "Sở Xây dựng"
    assert row["days_overdue"] == 19
    assert row["version"] == 1


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "consolidating"}, {"c"}),
        ({"field": "giao-thong"}, {"a"}),
        ({"level": "commune"}, {"b"}),
        ({"due": "overdue"}, {"a"}),
        ({"due": "due_soon"}, {"b"}),
        ({"q": "nguyen trai"}, {"a"}),
    ],
)
def test_the_petition_list_filters(
    reader_token: Api, work: SimpleNamespace, params: dict[str, str], expected: set[str]
) -> None:
    response = reader_token.get(f"councils/{work.council.pk}/petitions/", **params)
    assert codes(response) == {getattr(work, name).code for name in expected}


def test_the_petition_list_filters_by_agency_and_cycle_ids(
    reader_token: Api, work: SimpleNamespace
) -> None:
    path = f"councils/{work.council.pk}/petitions/"
    assert codes(reader_token.get(path, agency=work.agency_b.pk)) == {work.b.code}
    assert codes(reader_token.get(path, cycle=work.next_cycle.pk)) == {work.c.code}


@pytest.mark.parametrize(
    ("params", "status", "field"),
    [
        ({"page": "999"}, 404, "page"),
        ({"page": "0"}, 400, "page"),
        ({"page_size": "501"}, 400, "page_size"),
        ({"status": "lost"}, 400, "status"),
        ({"field": "no-such-field"}, 400, "field"),
        ({"agency": "abc"}, 400, "agency"),
        ({"due": "tomorrow"}, 400, "due"),
        ({"q": "x" * 201}, 400, "q"),
    ],
)
def test_bad_paging_and_filters_answer_400_or_404_naming_the_parameter(
    reader_token: Api,
    work: SimpleNamespace,
    params: dict[str, str],
    status: int,
    field: str,
) -> None:
    error = assert_error(
        reader_token.get(f"councils/{work.council.pk}/petitions/", **params), status
    )
    assert list(error["fields"]) == [field]


def test_an_agency_or_cycle_of_another_council_is_an_unknown_filter_value(
    reader_token: Api, work: SimpleNamespace, commune_b: Any
) -> None:
    foreign_agency = factories.AgencyFactory(council=commune_b)
    error = assert_error(
        reader_token.get(f"councils/{work.council.pk}/petitions/", agency=foreign_agency.pk),
        400,
        "invalid",
    )
    assert list(error["fields"]) == ["agency"]


def test_the_petition_list_runs_a_fixed_number_of_queries(
    reader_token: Api,
    work: SimpleNamespace,
    django_assert_max_num_queries: Any,
) -> None:
    path = f"councils/{work.council.pk}/petitions/"
    with django_assert_max_num_queries(4):
        small = reader_token.get(path, page_size=100)
    for _ in range(20):
        pf.PetitionFactory(
            raised_in=work.cycle,
            field=pf.field("y-te"),
            lead_agency=factories.AgencyFactory(council=work.council),
            status=PetitionStatus.ASSIGNED,
        )
    with django_assert_max_num_queries(4):
        large = reader_token.get(path, page_size=100)
    assert large.json()["count"] - small.json()["count"] == 20


# Who reads what


def test_an_agency_responder_sees_only_their_agencys_petitions(
    as_user: Callable[[Any], Api], responder_b: Any, work: SimpleNamespace
) -> None:
    api = as_user(responder_b)
    assert codes(api.get(f"councils/{work.council.pk}/petitions/")) == {work.b.code}
    assert api.get(f"petitions/{work.b.pk}/").status_code == 200
    assert_error(api.get(f"petitions/{work.a.pk}/"), 404, "not_found")
    assert_error(api.get(f"petitions/{work.a.pk}/events/"), 404, "not_found")
    # Voter items and meetings are the council's work, not the agency's.
    assert_error(api.get(f"councils/{work.council.pk}/items/"), 403, "permission_denied")
    assert_error(api.get(f"items/{work.item_a.pk}/"), 404, "not_found")
    assert_error(api.get(f"meetings/{work.meeting.pk}/"), 404, "not_found")


def test_an_officer_of_another_commune_sees_nothing(
    as_user: Callable[[Any], Api], outsider: Any, work: SimpleNamespace
) -> None:
    api = as_user(outsider)
    for path in ["petitions/", "items/", "meetings/", "cycles/", "routing-rules/"]:
        assert_error(api.get(f"councils/{work.council.pk}/{path}"), 403, "permission_denied")
    assert_error(api.get(f"petitions/{work.a.pk}/"), 404, "not_found")
    assert_error(api.get(f"items/{work.item_a.pk}/"), 404, "not_found")
    assert_error(api.get(f"meetings/{work.meeting.pk}/"), 404, "not_found")


def test_a_token_of_another_council_is_refused(
    work: SimpleNamespace, commune_b: Any, outsider: Any
) -> None:
    api = token_api(Client(), commune_b, outsider, [ApiScope.PETITIONS_READ])
    error = assert_error(api.get(f"councils/{work.council.pk}/petitions/"), 403)
    assert error["message"] == "This API token belongs to another council."
    assert_error(api.get(f"councils/{work.council.pk}/items/"), 403)
    assert_error(api.get(f"petitions/{work.a.pk}/"), 404, "not_found")
    assert_error(api.get(f"items/{work.item_a.pk}/"), 404, "not_found")
    assert_error(api.get(f"meetings/{work.meeting.pk}/"), 404, "not_found")


def test_a_token_without_the_petitions_scope_is_refused(
    work: SimpleNamespace, city_staff: Any
) -> None:
    api = token_api(Client(), work.council, city_staff, [ApiScope.DIRECTORY_READ])
    error = assert_error(api.get(f"councils/{work.council.pk}/petitions/"), 403, "missing_scope")
    assert "petitions:read" in error["message"]
    assert_error(api.get(f"petitions/{work.a.pk}/"), 403, "missing_scope")


def test_anonymous_callers_get_a_401(client: Client, work: SimpleNamespace) -> None:
    assert_error(Api(client).get(f"councils/{work.council.pk}/petitions/"), 401)
    assert_error(Api(client).get(f"petitions/{work.a.pk}/"), 401)


@pytest.mark.parametrize("bad_id", ["abc", "0", "99999999", "99999999999999999999999"])
def test_unknown_or_malformed_ids_are_a_404(
    reader_token: Api, work: SimpleNamespace, bad_id: str
) -> None:
    for path in [
        f"councils/{bad_id}/petitions/",
        f"petitions/{bad_id}/",
        f"items/{bad_id}/",
        f"meetings/{bad_id}/",
    ]:
        assert_error(reader_token.get(path), 404, "not_found")


# One petition, and the voter's identity


def test_the_petition_shows_items_routes_answer_and_public_events(
    as_user: Callable[[Any], Api], city_staff: Any, work: SimpleNamespace
) -> None:
    body = as_user(city_staff).get(f"petitions/{work.a.pk}/").json()
    assert body["code"] == work.a.code
    assert [item["code"] for item in body["items"]] == [work.item_a.code]
    assert body["items"][0]["voter"] == {
        "name": "Nguyễn Văn An",
        "phone": "0912345678",
        "email": "an@example.vn",
        "address": "Số 5 ngõ 12",
    }
    assert [(route["agency"]["name"], route["role"]) for route in body["routes"]] == [
        ("Sở Xây dựng", "lead")
    ]
    assert body["current_answer"] is None
    assert body["ratings"] == []
    assert [event["kind"] for event in body["public_events"]] == ["assigned"]
    assert body["sessions_open"] == 0
    assert body["version"] == 1


@pytest.mark.parametrize("persona", ["delegate_user", "committee_member", "responder_a"])
def test_people_without_the_right_never_see_who_asked(
    as_user: Callable[[Any], Api],
    work: SimpleNamespace,
    request: pytest.FixtureRequest,
    persona: str,
) -> None:
    api = as_user(request.getfixturevalue(persona))
    body = api.get(f"petitions/{work.a.pk}/").json()
    assert body["items"][0]["voter"] is None
    assert "Nguyễn Văn An" not in str(body)


def test_tokens_never_see_who_asked(reader_token: Api, work: SimpleNamespace) -> None:
    for path in [
        f"petitions/{work.a.pk}/",
        f"items/{work.item_a.pk}/",
        f"councils/{work.council.pk}/items/",
        f"meetings/{work.meeting.pk}/",
    ]:
        response = reader_token.get(path)
        assert response.status_code == 200, path
        assert "Nguyễn Văn An" not in response.content.decode(), path
        assert "0912345678" not in response.content.decode(), path


def test_the_standing_committee_sees_who_asked(
    as_user: Callable[[Any], Api], standing_member: Any, work: SimpleNamespace
) -> None:
    body = as_user(standing_member).get(f"items/{work.item_a.pk}/").json()
    assert body["voter"]["name"] == "Nguyễn Văn An"


def test_the_timeline_lists_every_event_to_those_who_read_the_petition(
    reader_token: Api, work: SimpleNamespace
) -> None:
    body = reader_token.get(f"petitions/{work.a.pk}/events/").json()
    assert [(event["kind"], event["is_public"]) for event in body["results"]] == [
        ("created", False),
        ("assigned", True),
    ]


# Voter items


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"triage_status": "new"}, {"waiting"}),
        ({"channel": "meeting"}, {"item_a"}),
        ({"unconsolidated": "true"}, {"waiting"}),
        ({"unconsolidated": "false"}, {"item_a"}),
        ({}, {"item_a", "waiting"}),
    ],
)
def test_the_item_list_filters(
    reader_token: Api, work: SimpleNamespace, params: dict[str, str], expected: set[str]
) -> None:
    response = reader_token.get(f"councils/{work.council.pk}/items/", **params)
    assert codes(response) == {getattr(work, name).code for name in expected}


def test_the_item_list_filters_by_meeting_and_cycle(
    reader_token: Api, work: SimpleNamespace
) -> None:
    path = f"councils/{work.council.pk}/items/"
    assert codes(reader_token.get(path, meeting=work.meeting.pk)) == {work.item_a.code}
    assert codes(reader_token.get(path, cycle=work.next_cycle.pk)) == {work.waiting.code}
    error = assert_error(reader_token.get(path, meeting="12345678"), 400, "invalid")
    assert list(error["fields"]) == ["meeting"]


def test_a_delegate_lists_items_without_identities(
    as_user: Callable[[Any], Api], delegate_user: Any, work: SimpleNamespace
) -> None:
    body = as_user(delegate_user).get(f"councils/{work.council.pk}/items/").json()
    assert body["count"] == 2
    assert {row["voter"] is None for row in body["results"]} == {True}


def test_the_item_list_runs_a_fixed_number_of_queries(
    reader_token: Api, work: SimpleNamespace, django_assert_max_num_queries: Any
) -> None:
    path = f"councils/{work.council.pk}/items/"
    with django_assert_max_num_queries(11):
        small = reader_token.get(path, page_size=100)
    for _ in range(20):
        item = pf.VoterItemFactory(
            council=work.council,
            channel=Channel.MEETING,
            meeting=work.meeting,
            cycle=work.cycle,
            field=pf.field("y-te"),
            petition=work.b,
        )
        item.tags.add(Tag.objects.create(name=f"t{item.pk}", slug=f"t{item.pk}"))
    with django_assert_max_num_queries(11):
        large = reader_token.get(path, page_size=100)
    assert large.json()["count"] - small.json()["count"] == 20


# Meetings and cycles


def test_meetings_and_cycles_are_listed(reader_token: Api, work: SimpleNamespace) -> None:
    meetings = reader_token.get(f"councils/{work.council.pk}/meetings/").json()
    assert [row["id"] for row in meetings["results"]] == [work.meeting.pk]
    assert meetings["results"][0]["item_count"] == 1
    assert meetings["results"][0]["status"] == "held"
    cycles = reader_token.get(f"councils/{work.council.pk}/cycles/").json()
    assert [row["name"] for row in cycles["results"]] == ["Kỳ họp thứ tư", "Kỳ họp thứ ba"]
    filtered = reader_token.get(f"councils/{work.council.pk}/meetings/", status="planned")
    assert filtered.json()["count"] == 0


def test_the_meeting_shows_its_items_without_identities_to_delegates(
    as_user: Callable[[Any], Api], delegate_user: Any, city_staff: Any, work: SimpleNamespace
) -> None:
    body = as_user(delegate_user).get(f"meetings/{work.meeting.pk}/").json()
    assert [item["code"] for item in body["items"]] == [work.item_a.code]
    assert body["items"][0]["voter"] is None
    staff_body = as_user(city_staff).get(f"meetings/{work.meeting.pk}/").json()
    assert staff_body["items"][0]["voter"]["name"] == "Nguyễn Văn An"


# The catalogue and configuration


def test_the_fields_are_public(client: Client, work: SimpleNamespace) -> None:
    response = Api(client).get("fields/")
    assert response.status_code == 200
    assert {"code": "giao-thong", "name": "Giao thông"}.items() <= response.json()[2].items()


def test_the_routing_table_shows_history_or_only_the_rules_in_force(
    reader_token: Api, work: SimpleNamespace
) -> None:
    old = pf.RoutingRuleFactory(
        council=work.council,
        agency=work.agency_b,
        valid_from=dt.date(2026, 1, 1),
        valid_until=dt.date(2026, 6, 30),
    )
    new = pf.RoutingRuleFactory(
        council=work.council, agency=work.agency_a, valid_from=dt.date(2026, 7, 1)
    )
    path = f"councils/{work.council.pk}/routing-rules/"
    history = reader_token.get(path).json()["results"]
    assert [(row["id"], row["in_force"]) for row in history] == [(new.pk, True), (old.pk, False)]
    current = reader_token.get(path, current="true").json()["results"]
    assert [row["id"] for row in current] == [new.pk]
    assert ids_of(reader_token.get(path, field="y-te")) == []


def ids_of(response: Any) -> list[Any]:
    assert response.status_code == 200
    return [row["id"] for row in response.json()["results"]]


def test_the_deadline_rules_are_listed(
    reader_token: Api, work: SimpleNamespace, deadline_rules: dict[str, Any]
) -> None:
    body = reader_token.get(f"councils/{work.council.pk}/deadline-rules/", current="true").json()
    assert {(row["route"], row["days"]) for row in body["results"]} == {
        ("central", 60),
        ("own_agency", 30),
        ("reopened", 15),
    }


def test_a_delegate_of_the_council_reads_but_a_commune_delegate_does_not(
    as_user: Callable[[Any], Api], work: SimpleNamespace, commune_a: Any
) -> None:
    commune_delegate = factories.RoleAssignmentFactory(council=commune_a, role=Role.DELEGATE).user
    assert_error(as_user(commune_delegate).get(f"councils/{work.council.pk}/petitions/"), 403)


def test_the_petition_detail_runs_a_fixed_number_of_queries(
    reader_token: Api,
    work: SimpleNamespace,
    django_assert_max_num_queries: Any,
) -> None:
    with django_assert_max_num_queries(11):
        small = reader_token.get(f"petitions/{work.a.pk}/")
    for _ in range(10):
        pf.VoterItemFactory(
            council=work.council,
            channel=Channel.MEETING,
            meeting=pf.ContactMeetingFactory(cycle=work.cycle),
            petition=work.a,
        )
        PetitionEvent.objects.create(
            petition=work.a, kind=EventKind.EDITED, occurred_at=timezone.now(), is_public=True
        )
    with django_assert_max_num_queries(11):
        large = reader_token.get(f"petitions/{work.a.pk}/")
    assert len(large.json()["items"]) - len(small.json()["items"]) == 10


def test_the_meeting_list_runs_a_fixed_number_of_queries(
    reader_token: Api, work: SimpleNamespace, django_assert_max_num_queries: Any
) -> None:
    path = f"councils/{work.council.pk}/meetings/"
    with django_assert_max_num_queries(4):
        small = reader_token.get(path, page_size=100)
    for _ in range(15):
        pf.ContactMeetingFactory(
            cycle=work.cycle, delegate_group=factories.DelegateGroupFactory(term=work.cycle.term)
        )
    with django_assert_max_num_queries(4):
        large = reader_token.get(path, page_size=100)
    assert large.json()["count"] - small.json()["count"] == 15
