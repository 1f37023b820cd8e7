"""The voting API: people only (tokens refused), the one error shape, every operation."""

from collections.abc import Callable
from typing import Any

import pytest
import yaml
from django.test import Client

from hdnd.accounts.models import ApiScope, User
from hdnd.meetings.models import Meeting
from hdnd.petitions.tests.api_support import Api, assert_error, token_api
from hdnd.voting.models import Ballot, Poll, PollStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(client: Client, login: Callable[[Client, User], Client]) -> Callable[[User], Api]:
    def _as(user: User) -> Api:
        return Api(login(Client(), user))

    return _as


def test_the_chair_runs_a_poll_and_a_delegate_casts_through_the_api(
    session: Meeting,
    chair: User,
    delegate: User,
    check_in: Callable[..., None],
    as_user: Callable[[User], Api],
) -> None:
    chair_api = as_user(chair)
    created = chair_api.post(
        "polls/", {"meeting": session.pk, "kind": "motion", "title": "Thông qua dự toán"}
    )
    assert created.status_code == 201, created.json()
    poll = created.json()
    assert poll["status"] == "draft" and poll["rule"] == "majority"
    opened = chair_api.post(f"polls/{poll['id']}/open/", {"expected_version": poll["version"]})
    assert opened.status_code == 200, opened.json()
    assert opened.json()["total_members"] == 10

    check_in(delegate)
    delegate_api = as_user(delegate)
    subject = opened.json()["subjects"][0]["id"]
    cast = delegate_api.post(f"polls/{poll['id']}/ballot/", {"choices": {str(subject): "yes"}})
    assert cast.status_code == 200, cast.json()
    assert cast.json()["recorded"] is True
    again = delegate_api.post(f"polls/{poll['id']}/ballot/", {"choices": {str(subject): "yes"}})
    assert again.json()["already_recorded"] is True
    mine = delegate_api.get(f"polls/{poll['id']}/").json()
    assert mine["my_ballot"]["voted"] is True
    assert mine["my_ballot"]["choices"] == {str(subject): "yes"}

    closed = chair_api.post(f"polls/{poll['id']}/close/", {})
    assert closed.status_code == 200
    body = closed.json()
    assert body["status"] == "closed" and body["passed"] is False
    assert body["seal"]["verified"] is True and len(body["seal"]["hash"]) == 64
    assert body["roll_call"][0]["name"]
    verification = chair_api.get(f"polls/{poll['id']}/verification/").json()
    assert verification == {"poll_id": poll["id"], "sealed": True, "verified": True, "problems": []}

    late = delegate_api.post(f"polls/{poll['id']}/ballot/", {"choices": {str(subject): "no"}})
    assert_error(late, 409, "poll_not_open")

    listed = chair_api.get("polls/", meeting=session.pk)
    assert [row["id"] for row in listed.json()] == [poll["id"]]
    revote = chair_api.post(f"polls/{poll['id']}/revote/", {})
    assert revote.status_code == 201
    assert revote.json()["revote_of"] == poll["id"]


def test_refusals_use_the_error_shape(
    session: Meeting,
    chair: User,
    delegate: User,
    guest: User,
    outsider: User,
    as_user: Callable[[User], Api],
    open_poll: Callable[..., Poll],
) -> None:
    poll = open_poll()
    subject = poll.subjects.get().pk
    assert_error(
        as_user(delegate).post(f"polls/{poll.pk}/ballot/", {"choices": {str(subject): "yes"}}),
        403,
        "not_present",
    )
    assert_error(
        as_user(guest).post(f"polls/{poll.pk}/ballot/", {"choices": {str(subject): "yes"}}),
        403,
        "not_entitled",
    )
    assert_error(as_user(delegate).post(f"polls/{poll.pk}/close/", {}), 403, "permission_denied")
    assert_error(as_user(outsider).get(f"polls/{poll.pk}/"), 404, "not_found")
    assert_error(as_user(outsider).get("polls/", meeting=session.pk), 404, "not_found")
    assert_error(
        as_user(chair).post("polls/", {"meeting": session.pk, "kind": "bogus", "title": "x"}),
        400,
        "invalid",
    )
    assert_error(
        as_user(chair).post(
            "polls/",
            {
                "meeting": session.pk,
                "kind": "motion",
                "title": "x",
                "secret": True,
                "allow_change": True,
            },
        ),
        400,
        "invalid",
    )
    assert_error(as_user(chair).post(f"polls/{poll.pk}/ballot/", {"choices": "x"}), 400, "invalid")
    assert_error(as_user(chair).get("polls/abc/"), 404, "not_found")
    assert_error(as_user(chair).post(f"polls/{poll.pk}/open/", {}), 409, "not_allowed_now")
    assert not Ballot.objects.exists()
    assert Poll.objects.get(pk=poll.pk).status == PollStatus.OPEN


def test_api_tokens_are_refused_person_required(
    client: Client, session: Meeting, city_staff: User, open_poll: Callable[..., Poll]
) -> None:
    poll = open_poll()
    api = token_api(client, session.council, city_staff, [ApiScope.PETITIONS_WRITE])
    subject = poll.subjects.get().pk
    assert_error(
        api.post(f"polls/{poll.pk}/ballot/", {"choices": {str(subject): "yes"}}),
        403,
        "person_required",
    )
    assert_error(api.post(f"polls/{poll.pk}/close/", {}), 403, "person_required")
    assert_error(api.get(f"polls/{poll.pk}/"), 403, "person_required")


def test_a_secret_poll_hides_counts_until_closed(
    chair: User,
    delegate: User,
    check_in: Callable[..., None],
    as_user: Callable[[User], Api],
    open_poll: Callable[..., Poll],
    cast: Callable[..., Any],
) -> None:
    poll = open_poll(is_secret=True)
    check_in(delegate)
    cast(poll, delegate, "no")
    state = as_user(chair).get(f"polls/{poll.pk}/").json()
    assert state["counts_visible"] is False
    assert "counts" not in state["subjects"][0]
    assert state["voted"] == 1
    assert as_user(delegate).get(f"polls/{poll.pk}/").json()["my_ballot"]["choices"] is None


def test_the_schema_lists_the_voting_operations_with_the_error_shape(client: Client) -> None:
    schema = yaml.safe_load(client.get("/api/schema/").content)
    paths = schema["paths"]
    for path, method in [
        ("/api/v1/polls/", "get"),
        ("/api/v1/polls/", "post"),
        ("/api/v1/polls/{poll_id}/", "get"),
        ("/api/v1/polls/{poll_id}/", "put"),
        ("/api/v1/polls/{poll_id}/", "delete"),
        ("/api/v1/polls/{poll_id}/open/", "post"),
        ("/api/v1/polls/{poll_id}/close/", "post"),
        ("/api/v1/polls/{poll_id}/revote/", "post"),
        ("/api/v1/polls/{poll_id}/ballot/", "post"),
        ("/api/v1/polls/{poll_id}/verification/", "get"),
    ]:
        operation = paths[path][method]
        assert operation["tags"] == ["voting"]
        assert "403" in operation["responses"]
