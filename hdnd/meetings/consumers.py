"""The room's WebSocket: tablets, the chair's console and the projector follow the meeting
live, and a delegate's tablet casts its votes here.

The server is the only source of truth: on connect, and whenever the client asks
(`{"action": "sync"}`), it sends the whole public state and the viewer's own state (their
attendance, whether their vote in the room's poll was recorded). After that, each committed
change comes through the group `meeting-<id>` (`live.publish`), which each process joins
once and relays to its own clients (`live.join_room`).

A refused connection is accepted and closed at once with a code the client reads (no
retry): 4401 sign in first (or give the second factor), 4403 not allowed, 4404 no such
meeting or display key.
"""

import json
import time
from dataclasses import dataclass
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import translation
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import Device

from hdnd.accounts.second_factor import needs_second_factor
from hdnd.core.errors import DomainError, NotFound, PermissionDenied
from hdnd.meetings import live
from hdnd.meetings.access import access_meeting, access_meeting_display, participant_of
from hdnd.meetings.models import Meeting, Participant
from hdnd.meetings.queries.room import room_state, viewer_state
from hdnd.voting.models import Poll

CLOSE_SIGN_IN = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404


class BadMessage(DomainError):
    code = "bad_request"


class SignInRequired(PermissionDenied):
    code = "sign_in_required"


def _language(scope: dict[str, Any]) -> str:
    """The page's language: the language switcher's cookie, else Vietnamese (as pages)."""
    chosen = scope.get("cookies", {}).get(settings.LANGUAGE_COOKIE_NAME, "")
    available = {code for code, _name in settings.LANGUAGES}
    return chosen if chosen in available else settings.LANGUAGE_CODE


def _second_factor_given(scope: dict[str, Any], user: Any) -> bool:
    """Staff roles must have passed TOTP in this session, as for every page."""
    if not needs_second_factor(user):
        return True
    session = scope.get("session")
    persistent_id = session.get(DEVICE_ID_SESSION_KEY) if session is not None else None
    if not persistent_id:
        return False
    device = Device.from_persistent_id(persistent_id)
    return device is not None and device.user_id == user.pk and device.confirmed


@dataclass
class Viewer:
    meeting: Meeting
    participant: Participant | None


def _authorise(scope: dict[str, Any], meeting_id: int) -> Viewer:
    user = scope.get("user")
    if user is None or not user.is_authenticated or not _second_factor_given(scope, user):
        raise SignInRequired(_("Please sign in to see this page."))
    meeting = access_meeting(user=user, meeting_id=meeting_id)
    return Viewer(meeting=meeting, participant=participant_of(user, meeting))


def _state_text(meeting_id: int, participant_id: int | None, *, with_viewer: bool) -> str:
    """The full state, and the viewer's own, as sent on connect and on `sync`."""
    # As in live.snapshot_text: stamped before reading, so the client keeps the latest.
    stamp = time.time()
    meeting = Meeting.objects.select_related("current_sitting").get(id=meeting_id)
    participant = Participant.objects.filter(id=participant_id).first() if participant_id else None
    message: dict[str, Any] = {
        "type": "state",
        "topics": ["all"],
        "at": stamp,
        "state": room_state(meeting),
    }
    if with_viewer:
        message["viewer"] = viewer_state(meeting, participant)
    return json.dumps(message, cls=DjangoJSONEncoder, ensure_ascii=False)


def _choices(raw: Any) -> dict[int, str]:
    """The ballot as the client sent it ({"<subject id>": "<choice>"}), checked for shape;
    the voting service checks the rest."""
    if not isinstance(raw, dict) or not raw:
        raise BadMessage(_("The ballot is empty or not readable. Choose again and resend."))
    choices: dict[int, str] = {}
    for key, value in raw.items():
        if not isinstance(value, str) or not str(key).isdigit():
            raise BadMessage(_("The ballot is empty or not readable. Choose again and resend."))
        choices[int(key)] = value
    return choices


def _cast(user: Any, meeting_id: int, poll_id: Any, raw_choices: Any) -> dict[str, Any]:
    from hdnd.voting.services import cast_ballot

    if not isinstance(poll_id, int) or isinstance(poll_id, bool):
        raise BadMessage(_("The ballot is empty or not readable. Choose again and resend."))
    choices = _choices(raw_choices)
    # A poll of another meeting is not this room's to vote on.
    if not Poll.objects.filter(id=poll_id, meeting_id=meeting_id).exists():
        raise NotFound(_("This poll does not exist."))
    result = cast_ballot(poll_id=poll_id, user=user, choices=choices, channel="tablet")
    return {
        "recorded": result.recorded,
        "already_recorded": result.already_recorded,
        "changed": result.changed,
        "cast_at": result.cast_at.isoformat(),
        "poll": result.poll_id,
    }


class RoomConsumer(AsyncWebsocketConsumer):
    """Common to the signed-in room and the projector: the group, the updates, `sync`."""

    meeting_id: int | None = None
    participant_id: int | None = None
    language: str = "vi"
    # The projector has no viewer of its own.
    with_viewer = True
    # Updates relayed before the first state is sent (None once it is).
    waiting_updates: list[str] | None = None

    async def join(self, meeting_id: int) -> None:
        """Join the room, then send the whole state (with the viewer's own) FIRST: updates
        relayed while it is being built wait and follow it, in order."""
        self.meeting_id = meeting_id
        self.waiting_updates: list[str] | None = []
        await self.accept()
        await live.join_room(meeting_id, self)
        await self.send_state()
        while self.waiting_updates:
            await self.send(text_data=self.waiting_updates.pop(0))
        self.waiting_updates = None

    async def relay(self, text: str) -> None:
        """An update of the room (called by live.py's relay)."""
        waiting = self.waiting_updates
        if waiting is not None:
            waiting.append(text)
            return
        await self.send(text_data=text)

    async def refuse(self, error: DomainError) -> None:
        code = CLOSE_FORBIDDEN
        if isinstance(error, NotFound):
            code = CLOSE_NOT_FOUND
        if isinstance(error, SignInRequired):
            code = CLOSE_SIGN_IN
        await self.accept()
        await self.close(code=code)

    async def disconnect(self, code: int) -> None:
        if self.meeting_id is not None:
            await live.leave_room(self.meeting_id, self)

    async def send_state(self) -> None:
        if self.meeting_id is None:
            return
        text = await database_sync_to_async(_state_text, thread_sensitive=False)(
            self.meeting_id, self.participant_id, with_viewer=self.with_viewer
        )
        await self.send(text_data=text)

    async def send_json(self, message: dict[str, Any]) -> None:
        await self.send(text_data=json.dumps(message, cls=DjangoJSONEncoder, ensure_ascii=False))

    async def send_error(self, request_id: Any, error: DomainError) -> None:
        await self.send_json(
            {
                "type": "error",
                "request_id": request_id,
                "code": error.code,
                "message": error.message,
            }
        )

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        with translation.override(self.language):
            try:
                message = json.loads(text_data or "")
            except ValueError:
                message = None
            if not isinstance(message, dict):
                await self.send_error(None, BadMessage(_("This message is not understood.")))
                return
            await self.handle(message)

    async def handle(self, message: dict[str, Any]) -> None:
        if message.get("action") == "sync":
            await self.send_state()
            return
        await self.send_error(
            message.get("request_id"), BadMessage(_("This message is not understood."))
        )


class MeetingConsumer(RoomConsumer):
    """ws/meetings/<id>/: participants, the office and the chair, signed in."""

    async def connect(self) -> None:
        self.language = _language(self.scope)
        meeting_id = int(self.scope["url_route"]["kwargs"]["meeting_id"])
        with translation.override(self.language):
            try:
                viewer = await database_sync_to_async(_authorise)(self.scope, meeting_id)
            except DomainError as error:
                await self.refuse(error)
                return
        self.participant_id = viewer.participant.pk if viewer.participant else None
        await self.join(viewer.meeting.pk)

    async def handle(self, message: dict[str, Any]) -> None:
        if message.get("action") != "cast":
            await super().handle(message)
            return
        request_id = message.get("request_id")
        try:
            # Not thread-sensitive: ballots from many tablets are cast in parallel threads
            # (the database serialises what must be: one ballot per delegate).
            result = await database_sync_to_async(_cast, thread_sensitive=False)(
                self.scope["user"], self.meeting_id, message.get("poll"), message.get("choices")
            )
        except DomainError as error:
            await self.send_error(request_id, error)
            return
        await self.send_json({"type": "cast_result", "request_id": request_id, **result})


class DisplayConsumer(RoomConsumer):
    """ws/meetings/display/<key>/: the projector, read-only, through the display key."""

    with_viewer = False

    async def connect(self) -> None:
        self.language = _language(self.scope)
        key = str(self.scope["url_route"]["kwargs"]["key"])
        with translation.override(self.language):
            try:
                meeting = await database_sync_to_async(access_meeting_display)(key=key)
            except DomainError as error:
                await self.refuse(error)
                return
        await self.join(meeting.pk)
