"""Whatever JSON a caller sends, the petitions API answers in the error shape with a 4xx
(or succeeds), never a 500: random bodies, with and without the expected keys, to some
of the write endpoints."""

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hdnd.accounts.models import ApiScope, User
from hdnd.councils.models import Agency, Council
from hdnd.petitions.models import (
    ContactMeeting,
    Petition,
    PetitionStatus,
    SessionCycle,
    VoterItem,
)
from hdnd.petitions.tests.api_support import Api, token_api
from hdnd.testing import petition_factories as pf

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
    | st.sampled_from(["", "0", "-1", "2026-02-30", "giao-thong", "city", "\x00", "9" * 30])
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)


def bodies(keys: list[str]) -> st.SearchStrategy[Any]:
    """Any JSON at all, or an object with some of the endpoint's own keys."""
    known = st.fixed_dictionaries({}, optional={key: json_values for key in keys})
    return st.one_of(json_values, known)


@pytest.fixture(autouse=True)
def _today(time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC), tick=False)


def assert_no_server_error(response: Any) -> None:
    assert response.status_code < 500, response.content
    if response.status_code >= 400:
        body = response.json()
        assert set(body["error"]) == {"code", "message", "fields"}


def send(api: Api, method: str, path: str, body: Any) -> Any:
    return api.send(method, path, raw=json.dumps(body))


ITEM_KEYS = [
    "channel",
    "text",
    "received_on",
    "voter_count",
    "voter_email",
    "unit",
    "field",
    "level",
    "tags",
    "meeting",
    "cycle",
    "source_id",
]


def test_random_items_sent_by_a_system_never_break_the_api(
    city_council: Council, city_staff: User, meeting: ContactMeeting
) -> None:
    api = token_api(
        Client(), city_council, city_staff, [ApiScope.PETITIONS_READ, ApiScope.PETITIONS_WRITE]
    )

    @FUZZ
    @given(body=bodies(ITEM_KEYS))
    def run(body: Any) -> None:
        assert_no_server_error(send(api, "post", f"councils/{city_council.pk}/items/", body))

    run()


MEETING_KEYS = [
    "cycle",
    "timing",
    "starts_at",
    "unit",
    "format",
    "organisers",
    "delegate_group",
    "delegates_present",
    "voters_attending",
]


def test_random_meetings_never_break_the_api(
    client: Client, login: Any, city_staff: User, cycle: SessionCycle
) -> None:
    api = Api(login(client, city_staff))

    @FUZZ
    @given(body=bodies(MEETING_KEYS))
    def run(body: Any) -> None:
        assert_no_server_error(send(api, "post", f"councils/{cycle.council_id}/meetings/", body))

    run()


ASSIGN_KEYS = ["expected_version", "lead_agency", "coordinating_agencies", "reason"]


def test_random_routing_decisions_never_break_the_api(
    client: Client,
    login: Any,
    city_staff: User,
    cycle: SessionCycle,
    agency_a: Agency,
    deadline_rules: Any,
) -> None:
    api = Api(login(client, city_staff))

    @FUZZ
    @given(body=bodies(ASSIGN_KEYS))
    def run(body: Any) -> None:
        # A fresh petition each time: a random body may well assign it.
        petition = pf.PetitionFactory(raised_in=cycle, field=pf.field("giao-thong"))
        assert_no_server_error(send(api, "post", f"petitions/{petition.pk}/assign/", body))

    run()


ITEM_EDIT_KEYS = ["expected_version", "text", "voter_count", "unit", "field", "level", "tags"]


def test_random_item_corrections_never_break_the_api(
    client: Client, login: Any, city_staff: User, city_council: Council, cycle: SessionCycle
) -> None:
    api = Api(login(client, city_staff))
    item = pf.VoterItemFactory(council=city_council, cycle=cycle)

    @FUZZ
    @given(body=bodies(ITEM_EDIT_KEYS))
    def run(body: Any) -> None:
        assert_no_server_error(send(api, "patch", f"items/{item.pk}/", body))
        VoterItem.objects.filter(pk=item.pk).update(version=1)

    run()


MERGE_KEYS = ["expected_version", "sources"]
merge_sources = st.lists(
    st.fixed_dictionaries({}, optional={"id": json_values, "expected_version": json_values}),
    max_size=3,
)


def test_random_merges_never_break_the_api(
    client: Client, login: Any, city_staff: User, cycle: SessionCycle
) -> None:
    api = Api(login(client, city_staff))
    target = pf.PetitionFactory(raised_in=cycle)
    source = pf.PetitionFactory(raised_in=cycle)

    @FUZZ
    @given(
        body=bodies(MERGE_KEYS)
        | st.fixed_dictionaries(
            {"expected_version": st.just(1), "sources": merge_sources},
        ),
        with_source=st.booleans(),
    )
    def run(body: Any, with_source: bool) -> None:
        if with_source and isinstance(body, dict) and isinstance(body.get("sources"), list):
            body["sources"].append({"id": source.pk, "expected_version": 1})
        assert_no_server_error(send(api, "post", f"petitions/{target.pk}/merge/", body))

    run()


SUPERVISION_KEYS = ["expected_version", "reason"]


def test_random_escalations_and_topic_withdrawals_never_break_the_api(
    login: Any, city_staff: User, standing_member: User, cycle: SessionCycle, agency_a: Agency
) -> None:
    office = Api(login(Client(), city_staff))
    standing = Api(login(Client(), standing_member))
    overdue = pf.PetitionFactory(
        raised_in=cycle,
        status=PetitionStatus.ASSIGNED,
        lead_agency=agency_a,
        due_on=dt.date(2026, 10, 31),
    )
    topic = pf.PetitionFactory(
        raised_in=cycle, status=PetitionStatus.ANSWERED, is_questioning_topic=True
    )

    @FUZZ
    @given(body=bodies(SUPERVISION_KEYS))
    def run(body: Any) -> None:
        assert_no_server_error(send(office, "post", f"petitions/{overdue.pk}/escalate/", body))
        assert_no_server_error(
            send(standing, "post", f"petitions/{topic.pk}/questioning/withdraw/", body)
        )
        # A random body may well succeed: start again from the same state.
        Petition.objects.filter(pk=overdue.pk).update(version=1, escalated_on=None)
        Petition.objects.filter(pk=topic.pk).update(version=1, is_questioning_topic=True)

    run()
