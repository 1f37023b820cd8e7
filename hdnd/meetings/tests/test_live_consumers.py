"""The room's WebSocket against the Redis channel layer (set REDIS_URL): who may connect,
what they get on connect, and that committed changes — and only those — reach them.

The consumer reads the database in other threads, so these tests commit their data
(`transaction=True`). Each test drives one event loop from start to end (`_run`).
"""

import asyncio
import importlib
import json
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import unquote, urlparse

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from asgiref.testing import ApplicationCommunicator
from django.apps import apps
from django.db import transaction
from django.test import Client
from django.utils import timezone

from config.asgi import application
from hdnd.accounts.models import User
from hdnd.meetings.consumers import CLOSE_NOT_FOUND, CLOSE_SIGN_IN
from hdnd.meetings.models import AgendaItem, ItemStatus, Meeting
from hdnd.meetings.services.common import announce
from hdnd.voting.models import Ballot, Poll, PollKind, PollSubject
from hdnd.voting.services import cast_ballot, close_poll, create_poll, open_poll

pytestmark = pytest.mark.django_db(transaction=True)

# Long enough for a message through Redis on a loaded machine; only waited in full when
# the test expects nothing.
WAIT = 5
QUIET = 1


class WebsocketCommunicator(ApplicationCommunicator):
    """A WebSocket client for an ASGI app, in the test's event loop. (Channels' own
    `channels.testing` needs Daphne, which the project does not install.)"""

    def __init__(self, app: Any, path: str, headers: list[tuple[bytes, bytes]]) -> None:
        parsed = urlparse(path)
        scope = {
            "type": "websocket",
            "path": unquote(parsed.path),
            "query_string": parsed.query.encode(),
            "headers": headers,
            "subprotocols": [],
        }
        super().__init__(app, scope)

    async def connect(self, timeout: float) -> tuple[bool, Any]:
        await self.send_input({"type": "websocket.connect"})
        response = await self.receive_output(timeout)
        if response["type"] == "websocket.close":
            return False, response.get("code", 1000)
        return True, response.get("subprotocol")

    async def send_to(self, text_data: str) -> None:
        await self.send_input({"type": "websocket.receive", "text": text_data})

    async def send_json_to(self, data: Any) -> None:
        await self.send_to(json.dumps(data))

    async def receive_json_from(self, timeout: float) -> Any:
        response = await self.receive_output(timeout)
        assert response["type"] == "websocket.send", response
        return json.loads(response["text"])

    async def disconnect(self, code: int = 1000, timeout: float = 1) -> None:
        await self.send_input({"type": "websocket.disconnect", "code": code})
        await self.wait(timeout)


def _run(body: Callable[[], Awaitable[None]]) -> None:
    async_to_sync(body)()


def _cookie(client: Client) -> bytes:
    return "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items()).encode()


Headers = list[tuple[bytes, bytes]]


@pytest.fixture
def signed_in(login: Callable[[Client, User], Client]) -> Callable[..., Headers]:
    """The headers of a browser signed in as `user` (or anonymous): made before the
    test's event loop starts, since signing in writes the session."""

    def _headers(user: User | None = None) -> Headers:
        headers = [(b"origin", b"http://localhost"), (b"host", b"localhost")]
        if user is not None:
            headers.append((b"cookie", _cookie(login(Client(), user))))
        return headers

    return _headers


def _socket(path: str, headers: Headers) -> WebsocketCommunicator:
    return WebsocketCommunicator(application, path, headers=headers)


async def _refused_with(socket: WebsocketCommunicator) -> int:
    connected, _subprotocol = await socket.connect(timeout=WAIT)
    assert connected
    closing = await socket.receive_output(timeout=WAIT)
    assert closing["type"] == "websocket.close"
    return int(closing["code"])


def test_a_participant_gets_the_room_and_their_own_state_on_connect(
    session: Meeting, delegate: User, signed_in: Callable[..., Headers]
) -> None:
    headers = signed_in(delegate)

    async def body() -> None:
        socket = _socket(f"/ws/meetings/{session.pk}/", headers)
        connected, _subprotocol = await socket.connect(timeout=WAIT)
        assert connected
        message = await socket.receive_json_from(timeout=WAIT)
        assert message["type"] == "state"
        assert message["state"]["meeting"]["id"] == session.pk
        assert message["state"]["attendance"]["total"] == 10
        assert message["viewer"]["participant"]["role"] == "delegate"
        assert message["viewer"]["attendance"] is None
        await socket.send_json_to({"action": "sync"})
        again = await socket.receive_json_from(timeout=WAIT)
        assert again["state"]["meeting"]["id"] == session.pk
        await socket.disconnect()

    _run(body)


def test_the_office_follows_the_room_without_a_ballot(
    session: Meeting, city_staff: User, signed_in: Callable[..., Headers]
) -> None:
    headers = signed_in(city_staff)

    async def body() -> None:
        socket = _socket(f"/ws/meetings/{session.pk}/", headers)
        connected, _subprotocol = await socket.connect(timeout=WAIT)
        assert connected
        message = await socket.receive_json_from(timeout=WAIT)
        assert message["viewer"] == {"participant": None, "attendance": None, "my_ballot": None}
        await socket.disconnect()

    _run(body)


def test_an_outsider_is_refused_as_if_the_meeting_did_not_exist(
    session: Meeting, outsider: User, signed_in: Callable[..., Headers]
) -> None:
    headers = signed_in(outsider)

    async def body() -> None:
        socket = _socket(f"/ws/meetings/{session.pk}/", headers)
        assert await _refused_with(socket) == CLOSE_NOT_FOUND

    _run(body)


def test_an_anonymous_visitor_is_asked_to_sign_in(
    session: Meeting, signed_in: Callable[..., Headers]
) -> None:
    headers = signed_in()

    async def body() -> None:
        socket = _socket(f"/ws/meetings/{session.pk}/", headers)
        assert await _refused_with(socket) == CLOSE_SIGN_IN

    _run(body)


def test_office_staff_without_the_second_factor_are_refused(
    session: Meeting, city_staff: User, signed_in: Callable[..., Headers]
) -> None:
    client = Client()
    client.force_login(city_staff)

    async def body() -> None:
        socket = WebsocketCommunicator(
            application,
            f"/ws/meetings/{session.pk}/",
            headers=[(b"origin", b"http://localhost"), (b"cookie", _cookie(client))],
        )
        assert await _refused_with(socket) == CLOSE_SIGN_IN

    _run(body)


def test_the_projector_follows_the_room_with_its_display_key(
    session: Meeting, signed_in: Callable[..., Headers]
) -> None:
    headers = signed_in()

    async def body() -> None:
        socket = _socket(f"/ws/meetings/display/{session.display_key}/", headers)
        connected, _subprotocol = await socket.connect(timeout=WAIT)
        assert connected
        message = await socket.receive_json_from(timeout=WAIT)
        assert message["state"]["meeting"]["id"] == session.pk
        assert "viewer" not in message
        await socket.disconnect()

    _run(body)


def test_a_wrong_display_key_is_refused(
    session: Meeting, signed_in: Callable[..., Headers]
) -> None:
    headers = signed_in()

    async def body() -> None:
        socket = _socket(f"/ws/meetings/display/{session.display_key}x/", headers)
        assert await _refused_with(socket) == CLOSE_NOT_FOUND

    _run(body)


def _make_item_current(meeting: Meeting, *, then_fail: bool) -> None:
    """A change as a service makes it: write, announce, commit (or roll back)."""
    with transaction.atomic():
        AgendaItem.objects.create(
            meeting=meeting,
            position=1,
            title="Báo cáo kinh tế - xã hội",
            status=ItemStatus.CURRENT,
            started_at=timezone.now(),
        )
        announce(meeting.pk, "agenda")
        if then_fail:
            raise RuntimeError("rolled back")


def test_a_committed_change_reaches_the_room_and_a_rolled_back_one_does_not(
    session: Meeting, delegate: User, signed_in: Callable[..., Headers]
) -> None:
    headers = signed_in(delegate)

    async def body() -> None:
        socket = _socket(f"/ws/meetings/{session.pk}/", headers)
        await socket.connect(timeout=WAIT)
        await socket.receive_json_from(timeout=WAIT)

        with pytest.raises(RuntimeError):
            await sync_to_async(_make_item_current)(session, then_fail=True)
        assert await socket.receive_nothing(timeout=QUIET)

        await sync_to_async(_make_item_current)(session, then_fail=False)
        message = await socket.receive_json_from(timeout=WAIT)
        assert message["topics"] == ["agenda"]
        assert message["state"]["agenda_item"]["title"] == "Báo cáo kinh tế - xã hội"
        # Sent to the group, not per client: no viewer's own state in it.
        assert "viewer" not in message
        await socket.disconnect()

    _run(body)


def test_the_projector_gets_the_same_updates(
    session: Meeting, signed_in: Callable[..., Headers]
) -> None:
    headers = signed_in()

    async def body() -> None:
        socket = _socket(f"/ws/meetings/display/{session.display_key}/", headers)
        await socket.connect(timeout=WAIT)
        await socket.receive_json_from(timeout=WAIT)
        await sync_to_async(_make_item_current)(session, then_fail=False)
        message = await socket.receive_json_from(timeout=WAIT)
        assert message["state"]["agenda_item"]["number"] == "1"
        await socket.disconnect()

    _run(body)


def test_a_message_the_room_does_not_understand_gets_an_error_not_a_crash(
    session: Meeting, delegate: User, signed_in: Callable[..., Headers]
) -> None:
    headers = signed_in(delegate)

    async def body() -> None:
        socket = _socket(f"/ws/meetings/{session.pk}/", headers)
        await socket.connect(timeout=WAIT)
        await socket.receive_json_from(timeout=WAIT)
        await socket.send_to(text_data="not json")
        error = await socket.receive_json_from(timeout=WAIT)
        assert error["type"] == "error"
        assert error["code"] == "bad_request"
        await socket.send_json_to({"action": "dance", "request_id": "r1"})
        error = await socket.receive_json_from(timeout=WAIT)
        assert error == {**error, "type": "error", "request_id": "r1", "code": "bad_request"}
        await socket.disconnect()

    _run(body)


@pytest.fixture
def audit_chain(transactional_db: None) -> None:
    """The audit chain's head, which a migration seeds and an earlier transactional test
    may have emptied: every audited change (a ballot) needs it."""
    module = importlib.import_module("hdnd.core.migrations.0002_audit_chain_head_and_append_only")
    module.create_chain_head(apps, None)


@pytest.fixture
def open_motion(
    session: Meeting, chair: User, audit_chain: None, check_in: Callable[..., None]
) -> Poll:
    """A named motion opened by the chair through the voting services."""
    draft = create_poll(
        meeting_id=session.pk, actor=chair, kind=PollKind.MOTION, title="Thông qua dự toán 2027"
    )
    return open_poll(poll_id=draft.pk, actor=chair)


def _yes(poll: Poll) -> dict[str, str]:
    subject = PollSubject.objects.get(poll=poll)
    return {str(subject.pk): "yes"}


def test_a_delegate_votes_over_the_socket_once_and_a_late_vote_is_refused(
    session: Meeting,
    chair: User,
    delegate: User,
    open_motion: Poll,
    check_in: Callable[..., None],
    signed_in: Callable[..., Headers],
) -> None:
    check_in(delegate)
    headers = signed_in(delegate)
    ballot = _yes(open_motion)

    async def body() -> None:
        socket = _socket(f"/ws/meetings/{session.pk}/", headers)
        await socket.connect(timeout=WAIT)
        first = await socket.receive_json_from(timeout=WAIT)
        assert first["state"]["poll"]["id"] == open_motion.pk
        assert first["viewer"]["my_ballot"]["voted"] is False

        cast = {"action": "cast", "poll": open_motion.pk, "choices": ballot, "request_id": "a1"}
        await socket.send_json_to(cast)
        answers = [await socket.receive_json_from(timeout=WAIT) for _ in range(2)]
        result = next(one for one in answers if one["type"] == "cast_result")
        update = next(one for one in answers if one["type"] == "state")
        assert result["request_id"] == "a1"
        assert result["recorded"] is True
        assert result["already_recorded"] is False
        assert result["cast_at"]
        assert update["topics"] == ["poll"]

        # The tablet resends (it lost the answer): counted once, and told so.
        await socket.send_json_to({**cast, "request_id": "a2"})
        again = await socket.receive_json_from(timeout=WAIT)
        assert again["type"] == "cast_result"
        assert again["request_id"] == "a2"
        assert again["recorded"] is False
        assert again["already_recorded"] is True

        await sync_to_async(close_poll)(poll_id=open_motion.pk, actor=chair)
        closed = await socket.receive_json_from(timeout=WAIT)
        assert closed["state"]["poll"]["status"] == "closed"
        await socket.send_json_to({**cast, "request_id": "a3"})
        late = await socket.receive_json_from(timeout=WAIT)
        assert late["type"] == "error"
        assert late["request_id"] == "a3"
        assert late["code"] == "poll_not_open"
        assert late["message"]
        await socket.disconnect()

    _run(body)
    assert Ballot.objects.filter(poll=open_motion).count() == 1


def test_a_reconnecting_tablet_learns_its_vote_was_recorded(
    session: Meeting,
    delegate: User,
    open_motion: Poll,
    check_in: Callable[..., None],
    signed_in: Callable[..., Headers],
) -> None:
    check_in(delegate)
    headers = signed_in(delegate)
    ballot = _yes(open_motion)

    async def body() -> None:
        socket = _socket(f"/ws/meetings/{session.pk}/", headers)
        await socket.connect(timeout=WAIT)
        await socket.receive_json_from(timeout=WAIT)
        await socket.send_json_to(
            {"action": "cast", "poll": open_motion.pk, "choices": ballot, "request_id": "b1"}
        )
        # The connection drops before the tablet reads the answer; the server still
        # records the ballot (its thread runs on).
        await socket.disconnect()
        ballots = Ballot.objects.filter(poll=open_motion)
        for _attempt in range(WAIT * 20):
            if await sync_to_async(ballots.exists)():
                break
            await asyncio.sleep(0.05)

        again = _socket(f"/ws/meetings/{session.pk}/", headers)
        await again.connect(timeout=WAIT)
        state = await again.receive_json_from(timeout=WAIT)
        assert state["viewer"]["my_ballot"]["poll"] == open_motion.pk
        assert state["viewer"]["my_ballot"]["voted"] is True
        assert state["viewer"]["my_ballot"]["cast_at"]
        assert state["state"]["poll"]["voted"] == 1
        await again.disconnect()

    _run(body)


@pytest.mark.parametrize(
    ("message", "code"),
    [
        ({"action": "cast", "poll": "1", "choices": {}}, "bad_request"),
        ({"action": "cast", "poll": 0, "choices": {"x": "yes"}}, "bad_request"),
        ({"action": "cast", "poll": 0, "choices": {"1": "yes"}}, "not_found"),
    ],
)
def test_a_malformed_ballot_is_refused_with_a_code(
    session: Meeting,
    delegate: User,
    signed_in: Callable[..., Headers],
    message: dict[str, Any],
    code: str,
) -> None:
    headers = signed_in(delegate)

    async def body() -> None:
        socket = _socket(f"/ws/meetings/{session.pk}/", headers)
        await socket.connect(timeout=WAIT)
        await socket.receive_json_from(timeout=WAIT)
        await socket.send_json_to({**message, "request_id": "c1"})
        error = await socket.receive_json_from(timeout=WAIT)
        assert error["type"] == "error"
        assert error["code"] == code
        await socket.disconnect()

    _run(body)


def test_a_guest_cannot_vote_over_the_socket(
    session: Meeting,
    guest: User,
    open_motion: Poll,
    check_in: Callable[..., None],
    signed_in: Callable[..., Headers],
) -> None:
    check_in(guest)
    headers = signed_in(guest)
    ballot = _yes(open_motion)

    async def body() -> None:
        socket = _socket(f"/ws/meetings/{session.pk}/", headers)
        await socket.connect(timeout=WAIT)
        first = await socket.receive_json_from(timeout=WAIT)
        assert first["viewer"]["my_ballot"] is None
        await socket.send_json_to(
            {"action": "cast", "poll": open_motion.pk, "choices": ballot, "request_id": "d1"}
        )
        error = await socket.receive_json_from(timeout=WAIT)
        assert error["code"] == "not_entitled"
        await socket.disconnect()

    _run(body)
    assert not Ballot.objects.filter(poll=open_motion).exists()


def _cast_as(users: list[User], poll: Poll) -> None:
    ballot = {int(key): value for key, value in _yes(poll).items()}
    for user in users:
        cast_ballot(poll_id=poll.pk, user=user, choices=ballot, channel="tablet")


def test_a_burst_of_votes_ends_with_the_final_count_on_every_client(
    session: Meeting,
    members: list[Any],
    open_motion: Poll,
    check_in: Callable[..., None],
    signed_in: Callable[..., Headers],
) -> None:
    voters = list(User.objects.filter(person__in=[seat.person for seat in members]))
    check_in(*voters)
    headers = signed_in(voters[0])

    async def body() -> None:
        tablet = _socket(f"/ws/meetings/{session.pk}/", headers)
        projector = _socket(f"/ws/meetings/display/{session.display_key}/", signed_in_none)
        for socket in (tablet, projector):
            await socket.connect(timeout=WAIT)
            await socket.receive_json_from(timeout=WAIT)
        await sync_to_async(_cast_as)(voters, open_motion)
        for socket in (tablet, projector):
            voted = 0
            while voted < len(voters):
                message = await socket.receive_json_from(timeout=WAIT)
                voted = message["state"]["poll"]["voted"]
            await socket.disconnect()

    signed_in_none = signed_in()
    _run(body)
