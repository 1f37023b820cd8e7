"""Live voting on PostgreSQL + Redis: 500 delegates on WebSocket vote within 10 seconds.
Prints JSON; never part of `make test`.

Run through bench/run.py (`make bench BENCH_ARGS="--only meetings"`), which gives this
script a fresh database and a Redis URL (a Redis database of its own: it is emptied
first). In its own process it
- migrates and seeds a council with N delegates (default 500), a session in progress with
  its sitting open, every delegate present, and a named motion opened by the chair (the
  voting services);
- starts the real ASGI app (`config.asgi:application`) under uvicorn in a subprocess;
- opens N WebSocket clients, each signed in as its delegate (a session cookie), and waits
  for each one's first state;
- each client casts one vote at its moment, spread evenly over the window (10 s), and
  times the answer (`cast_result`);
- the chair closes the poll; each client waits for the closed result.

Reports: ballots in the database (each delegate exactly once), cast latency p50/p95/p99,
the time from the last vote to the final count on every client, the time from the close to
the result on every client, the number of state messages each client got, and the peak
memory (RSS) of the server and of the clients' process.
"""

import asyncio
import io
import json
import os
import random
import resource
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

import redis  # noqa: E402
import websockets  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402
from websockets.typing import Origin  # noqa: E402

from hdnd.accounts.models import Role, RoleAssignment, User  # noqa: E402
from hdnd.councils.models import (  # noqa: E402
    AdministrativeUnit,
    Council,
    Membership,
    Person,
    Position,
    Term,
)
from hdnd.meetings.models import (  # noqa: E402
    Attendance,
    AttendanceStatus,
    CheckInMethod,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Participant,
    ParticipantRole,
    Sitting,
    SittingPart,
    SittingStatus,
)
from hdnd.voting.models import Ballot, PollKind, PollSubject  # noqa: E402
from hdnd.voting.services import close_poll, create_poll, open_poll  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def seed(count: int) -> dict[str, Any]:
    """A council of `count` delegates (the first chairs), all present, a motion open."""
    call_command("migrate", "--noinput", stdout=io.StringIO())
    today = timezone.localdate()
    unit = AdministrativeUnit.objects.create(
        code="01", name="Thành phố Hà Nội", kind="thanh_pho_trung_uong", level="province",
        search_text="thanh pho ha noi",
    )  # fmt: skip
    council = Council.objects.create(
        unit=unit, level="province", name="Hội đồng nhân dân thành phố Hà Nội",
        search_text="hoi dong nhan dan thanh pho ha noi",
    )  # fmt: skip
    term = Term.objects.create(
        council=council, number=17, name="Khóa XVII", start_date=today.replace(year=today.year - 1),
        end_date=today.replace(year=today.year + 4),
    )  # fmt: skip
    people = Person.objects.bulk_create(
        Person(full_name=f"Đại Biểu Số {index + 1}", search_text=f"dai bieu so {index + 1}")
        for index in range(count)
    )
    seats = Membership.objects.bulk_create(
        Membership(
            person=person,
            council=council,
            term=term,
            start_date=term.start_date,
            position=Position.CHAIR if index == 0 else Position.DELEGATE,
        )
        for index, person in enumerate(people)
    )
    users = User.objects.bulk_create(
        User(username=f"daibieu{index + 1}", person=person) for index, person in enumerate(people)
    )
    # The chair runs the room from the console: a delegate of the council, as in the
    # personas (no staff role, so no second factor for the benchmark's sessions).
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=user, council=council, role=Role.DELEGATE, start_date=term.start_date)
        for user in users
    )
    meeting = Meeting.objects.create(
        council=council, term=term, kind=MeetingKind.REGULAR, number=1,
        title="Kỳ họp thứ nhất (benchmark)", starts_on=today, ends_on=today,
        status=MeetingStatus.IN_PROGRESS,
    )  # fmt: skip
    participants = Participant.objects.bulk_create(
        Participant(
            meeting=meeting,
            person=seat.person,
            membership=seat,
            role=ParticipantRole.CHAIR if index == 0 else ParticipantRole.DELEGATE,
            seat=str(index + 1),
            sort_key=f"{index:04d}",
        )
        for index, seat in enumerate(seats)
    )
    sitting = Sitting.objects.create(
        meeting=meeting, number=1, date=today, part=SittingPart.MORNING,
        status=SittingStatus.OPEN, opened_at=timezone.now(),
    )  # fmt: skip
    meeting.current_sitting = sitting
    meeting.save(update_fields=["current_sitting"])
    Attendance.objects.bulk_create(
        Attendance(
            sitting=sitting,
            participant=participant,
            status=AttendanceStatus.PRESENT,
            method=CheckInMethod.TABLET,
            recorded_at=timezone.now(),
        )
        for participant in participants
    )
    chair = users[0]
    draft = create_poll(
        meeting_id=meeting.pk, actor=chair, kind=PollKind.MOTION, title="Thông qua nghị quyết"
    )
    poll = open_poll(poll_id=draft.pk, actor=chair)
    subject = PollSubject.objects.get(poll=poll)
    cookies = []
    for user in users:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={session.session_key}")
    return {
        "meeting_id": meeting.pk,
        "poll_id": poll.pk,
        "subject_id": subject.pk,
        "chair": chair,
        "cookies": cookies,
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1,localhost"}
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning", "--no-access-log",
         "--timeout-graceful-shutdown", "5"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    sys.exit("uvicorn did not start")


def peak_rss_mib(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)

    def pct(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(len(ordered) * p))], 1)

    return {"count": len(ordered), "p50_ms": pct(0.5), "p95_ms": pct(0.95),
            "p99_ms": pct(0.99), "max_ms": round(ordered[-1], 1)}  # fmt: skip


class Client:
    def __init__(self, index: int, cookie: str) -> None:
        self.index = index
        self.cookie = cookie
        self.connection: Any = None
        self.first_state = asyncio.Event()
        self.result = asyncio.Event()
        self.final = asyncio.Event()
        self.closed = asyncio.Event()
        self.sent_at = 0.0
        self.answer: dict[str, Any] = {}
        self.answered_at = 0.0
        self.final_at = 0.0
        self.closed_at = 0.0
        self.states = 0
        self.expected = 0

    async def run(self, url: str, origin: str) -> None:
        self.connection = await websockets.connect(
            url, additional_headers={"Cookie": self.cookie}, origin=Origin(origin), open_timeout=120,
            max_size=2**22,
        )  # fmt: skip
        async for raw in self.connection:
            message = json.loads(raw)
            now = time.perf_counter()
            if message["type"] == "state":
                self.states += 1
                self.first_state.set()
                poll = message["state"]["poll"] or {}
                if poll.get("voted") == self.expected and not self.final.is_set():
                    self.final_at = now
                    self.final.set()
                if poll.get("status") == "closed" and not self.closed.is_set():
                    self.closed_at = now
                    self.closed.set()
            elif message["type"] in ("cast_result", "error"):
                self.answer = message
                self.answered_at = now
                self.result.set()

    async def cast(self, poll_id: int, subject_id: int) -> None:
        self.sent_at = time.perf_counter()
        await self.connection.send(json.dumps({
            "action": "cast", "poll": poll_id, "choices": {str(subject_id): random.choice(
                ["yes", "yes", "yes", "no", "abstain"])}, "request_id": f"r{self.index}",
        }))  # fmt: skip
        await self.result.wait()


async def clients_phase(
    port: int, seeded: dict[str, Any], count: int, window: float
) -> dict[str, Any]:
    url = f"ws://127.0.0.1:{port}/ws/meetings/{seeded['meeting_id']}/"
    origin = f"http://127.0.0.1:{port}"
    clients = [Client(index, cookie) for index, cookie in enumerate(seeded["cookies"])]
    for client in clients:
        client.expected = count
    started = time.perf_counter()
    readers: list[asyncio.Task[None]] = []
    # Connect in waves, as tablets switched on in a room would.
    for offset in range(0, count, 50):
        wave = clients[offset : offset + 50]
        readers.extend(asyncio.create_task(client.run(url, origin)) for client in wave)
        await asyncio.wait_for(
            asyncio.gather(*(client.first_state.wait() for client in wave)), timeout=120
        )
    connect_seconds = time.perf_counter() - started

    random.seed(2026)
    order = list(range(count))
    random.shuffle(order)

    async def vote(client: Client, at: float) -> None:
        await asyncio.sleep(at)
        await client.cast(seeded["poll_id"], seeded["subject_id"])

    vote_started = time.perf_counter()
    await asyncio.gather(
        *(vote(clients[index], window * place / count) for place, index in enumerate(order))
    )
    voting_seconds = time.perf_counter() - vote_started
    last_sent = max(client.sent_at for client in clients)
    last_answered = max(client.answered_at for client in clients)
    await asyncio.wait_for(asyncio.gather(*(client.final.wait() for client in clients)), timeout=30)
    final_on_all = max(client.final_at for client in clients)

    # The chair closes the poll (in a thread: the ORM is synchronous).
    close_started = time.perf_counter()
    await asyncio.to_thread(close_poll, poll_id=seeded["poll_id"], actor=seeded["chair"])
    await asyncio.wait_for(
        asyncio.gather(*(client.closed.wait() for client in clients)), timeout=30
    )
    closed_on_all = max(client.closed_at for client in clients)

    for client in clients:
        await client.connection.close()
    for reader in readers:
        reader.cancel()
    answers = [client.answer for client in clients]
    states = sorted(client.states for client in clients)
    return {
        "connect_seconds": round(connect_seconds, 2),
        "voting_seconds": round(voting_seconds, 2),
        "recorded": sum(1 for answer in answers if answer.get("recorded")),
        "errors": sorted(
            {answer.get("code", "") for answer in answers if answer["type"] == "error"}
        ),
        "cast_latency": percentiles(
            [(client.answered_at - client.sent_at) * 1000 for client in clients]
        ),
        "last_vote_to_final_count_on_every_client_ms": round((final_on_all - last_sent) * 1000, 1),
        "last_answer_to_final_count_on_every_client_ms": round(
            (final_on_all - last_answered) * 1000, 1
        ),
        "close_to_result_on_every_client_ms": round((closed_on_all - close_started) * 1000, 1),
        "state_messages_per_client": {"min": states[0], "max": states[-1]},
    }


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    window = float(sys.argv[2]) if len(sys.argv) > 2 else 10.0
    if not os.environ.get("REDIS_URL"):
        sys.exit("bench/meetings.py needs REDIS_URL (the channel layer of the server)")
    # The benchmark's own Redis database: groups left by an earlier run (a fresh database
    # gives the same meeting id) would be sent to as well.
    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
    seed_started = time.perf_counter()
    seeded = seed(count)
    seed_seconds = time.perf_counter() - seed_started
    port = free_port()
    server = start_server(port)
    try:
        measured = asyncio.run(clients_phase(port, seeded, count, window))
        server_peak = peak_rss_mib(server.pid)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    ballots = Ballot.objects.filter(poll_id=seeded["poll_id"])
    print(json.dumps({
        "delegates": count,
        "window_seconds": window,
        "seed_seconds": round(seed_seconds, 1),
        "ballots_in_database": ballots.count(),
        "distinct_voters": ballots.values("person_id").distinct().count(),
        **measured,
        "server_peak_rss_mib": server_peak,
        "clients_peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }, ensure_ascii=False))  # fmt: skip


if __name__ == "__main__":
    main()
