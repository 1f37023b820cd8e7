"""Live updates of the room (Django Channels): after a change commits, every client of the
meeting (tablets, the chair's console, the projector) gets the room's new state.

`services.common.announce` calls `publish(meeting_id, topics)` once the transaction
commits. The snapshot (`queries.room.room_state`) is built once per change and sent to
the group `meeting-<id>` already serialised: each consumer only forwards the text.

Votes come in bursts (hundreds within seconds), and each changes only the poll's counts,
so "poll"-only updates are coalesced per meeting and per process: at most one every
`POLL_INTERVAL` seconds, the first at once and always a trailing one, read after the last
vote committed, so the final count reaches every client. Any other change goes out at
once (with the poll's state as it is then).
"""

import asyncio
import json
import logging
import os
import threading
import time
from collections.abc import Iterable
from typing import Any

from asgiref.sync import sync_to_async
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.core.serializers.json import DjangoJSONEncoder
from django.db import close_old_connections

from hdnd.meetings.models import Meeting
from hdnd.meetings.queries.room import room_state

logger = logging.getLogger(__name__)

POLL_INTERVAL = 0.2
# The consumer's handler for a room update (channels maps "room.update" to room_update).
UPDATE_TYPE = "room.update"


def group_name(meeting_id: int) -> str:
    return f"meeting-{meeting_id}"


def snapshot_text(meeting_id: int, topics: Iterable[str]) -> str | None:
    """The room's state as the message a client gets; None if the meeting is gone."""
    # Taken before reading: a later stamp has seen every change committed before it, so a
    # client keeps the latest and ignores an older snapshot that arrives after it.
    stamp = time.time()
    meeting = Meeting.objects.select_related("current_sitting").filter(id=meeting_id).first()
    if meeting is None:
        return None
    message = {
        "type": "state",
        "topics": sorted(set(topics)),
        "at": stamp,
        "state": room_state(meeting),
    }
    return json.dumps(message, cls=DjangoJSONEncoder, ensure_ascii=False)


class _Coalescer:
    """Per meeting: when the last poll update went out, and the topics waiting for the
    trailing one (a meeting is in `pending` while its trailing update is scheduled)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.last_sent: dict[int, float] = {}
        self.pending: dict[int, set[str]] = {}

    def admit(self, meeting_id: int, topics: set[str]) -> float | None:
        """None: send now. A delay: a trailing update was scheduled by this call (send
        it after the delay). Negative: an update already scheduled will carry these."""
        with self.lock:
            now = time.monotonic()
            if meeting_id in self.pending:
                self.pending[meeting_id] |= topics
                return -1.0
            wait = self.last_sent.get(meeting_id, -POLL_INTERVAL) + POLL_INTERVAL - now
            if wait > 0 and topics <= {"poll"}:
                self.pending[meeting_id] = set(topics)
                return wait
            self.last_sent[meeting_id] = now
            return None

    def take(self, meeting_id: int) -> set[str]:
        """The trailing update's topics, when it is sent."""
        with self.lock:
            self.last_sent[meeting_id] = time.monotonic()
            return self.pending.pop(meeting_id, set())


_coalescer = _Coalescer()
# Tasks scheduled on an event loop, kept referenced until done.
_tasks: set[asyncio.Future[Any]] = set()


async def _send(meeting_id: int, text: str | None) -> None:
    if text is None:
        return
    layer = get_channel_layer()
    if layer is None:
        return
    await layer.group_send(group_name(meeting_id), {"type": UPDATE_TYPE, "text": text})


def _snapshot_in_thread(meeting_id: int, topics: Iterable[str]) -> str | None:
    try:
        return snapshot_text(meeting_id, topics)
    finally:
        # This worker thread's own database connection: closed when it has expired.
        close_old_connections()


async def _publish_now(meeting_id: int, topics: set[str]) -> None:
    try:
        text = await sync_to_async(_snapshot_in_thread, thread_sensitive=False)(meeting_id, topics)
        await _send(meeting_id, text)
    except Exception:
        logger.exception("live update of meeting %s failed", meeting_id)


async def _publish_later(meeting_id: int, delay: float) -> None:
    await asyncio.sleep(delay)
    await _publish_now(meeting_id, _coalescer.take(meeting_id))


async def apublish(meeting_id: int, topics: Iterable[str]) -> None:
    """`publish` on an event loop (the snapshot is read in a worker thread); returns once
    sent, or once the trailing update that carries it is sent."""
    wanted = set(topics)
    if not wanted:
        return
    delay = _coalescer.admit(meeting_id, wanted)
    if delay is None:
        await _publish_now(meeting_id, wanted)
    elif delay > 0:
        await _publish_later(meeting_id, delay)


class _Publisher:
    """The process's publishing loop, in a thread of its own: sync code (a service that
    just committed, maybe in a thread of the ASGI server) hands the update over and goes
    on, and the Redis connections of the loop are kept from one update to the next."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.pid = 0

    def _loop(self) -> asyncio.AbstractEventLoop:
        with self.lock:
            # A forked worker (Celery) gets its own thread: threads do not survive a fork.
            if self.loop is None or self.pid != os.getpid():
                loop = asyncio.new_event_loop()
                thread = threading.Thread(
                    target=loop.run_forever, name="meeting-live-publisher", daemon=True
                )
                thread.start()
                self.loop, self.pid = loop, os.getpid()
            return self.loop

    def submit(self, meeting_id: int, topics: set[str]) -> None:
        loop = self._loop()
        loop.call_soon_threadsafe(_schedule, loop, meeting_id, topics)


def _schedule(loop: asyncio.AbstractEventLoop, meeting_id: int, topics: set[str]) -> None:
    task = loop.create_task(apublish(meeting_id, topics))
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)


_publisher = _Publisher()


def flush(timeout: float = 5.0) -> None:
    """Wait until the updates handed to the process's publishing thread are sent. A
    command that changes meetings calls it before it exits: at interpreter shutdown the
    thread could no longer send them."""
    loop = _publisher.loop
    if loop is None or _publisher.pid != os.getpid():
        return

    async def drain() -> None:
        while _tasks:
            await asyncio.gather(*list(_tasks), return_exceptions=True)

    try:
        asyncio.run_coroutine_threadsafe(drain(), loop).result(timeout)
    except TimeoutError:
        logger.warning("live updates still pending after %s s", timeout)


def publish(meeting_id: int, topics: Iterable[str]) -> None:
    """Push the meeting's new state for `topics` to every client of the room. Call it after
    the change committed (`announce` does). It returns at once: the update is sent from
    an event loop (the caller's, or the process's publishing thread). A failure to push is
    logged, never raised: the change is made, and clients resynchronise from the server."""
    wanted = set(topics)
    if not wanted:
        return
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        if isinstance(get_channel_layer(), InMemoryChannelLayer):
            # The in-memory layer (`make run`) lives on the loops of this process's rooms
            # and is not thread-safe: the update is sent from each room's own loop.
            for room_loop in {key[0] for key in list(_rooms) if key[1] == meeting_id}:
                room_loop.call_soon_threadsafe(_schedule, room_loop, meeting_id, wanted)
            return
        _publisher.submit(meeting_id, wanted)
        return
    _schedule(loop, meeting_id, wanted)


class _LocalRoom:
    """The clients of one meeting in this process (on one event loop). The process joins
    the group once and relays each update to its own clients: per update, Redis carries
    one message per process, not one per tablet."""

    def __init__(self) -> None:
        self.members: set[Any] = set()
        self.ready = asyncio.Event()
        self.channel = ""
        self.task: asyncio.Task[None] | None = None


_rooms: dict[tuple[asyncio.AbstractEventLoop, int], _LocalRoom] = {}


async def _relay(meeting_id: int, room: _LocalRoom) -> None:
    layer = get_channel_layer()
    room.channel = await layer.new_channel()
    await layer.group_add(group_name(meeting_id), room.channel)
    room.ready.set()
    while True:
        message = await layer.receive(room.channel)
        if message.get("type") != UPDATE_TYPE:
            continue
        for consumer in list(room.members):
            try:
                await consumer.relay(message["text"])
            except Exception:
                # A client that went away: its consumer leaves the room on disconnect.
                logger.debug("live update to a closed client dropped", exc_info=True)


async def join_room(meeting_id: int, consumer: Any) -> None:
    """Relay the meeting's updates to `consumer` (a WebSocket consumer) from now on."""
    key = (asyncio.get_running_loop(), meeting_id)
    room = _rooms.get(key)
    if room is None:
        room = _rooms[key] = _LocalRoom()
        room.task = asyncio.create_task(_relay(meeting_id, room))
    room.members.add(consumer)
    await room.ready.wait()


async def leave_room(meeting_id: int, consumer: Any) -> None:
    key = (asyncio.get_running_loop(), meeting_id)
    room = _rooms.get(key)
    if room is None:
        return
    room.members.discard(consumer)
    if room.members:
        return
    del _rooms[key]
    if room.task is not None:
        room.task.cancel()
    if room.channel:
        await get_channel_layer().group_discard(group_name(meeting_id), room.channel)
