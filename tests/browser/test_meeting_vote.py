"""A vote in the live room, in Chromium, with two browsers: the chair on the console and a
delegate on the tablet page. The chair opens the poll; the delegate's tablet shows it
without reloading; the delegate votes (over the WebSocket) and is told when it was
recorded; the chair's count moves; the chair closes and both see the sealed result.

The live room needs WebSockets, which Django's live server does not speak: the test runs
the real ASGI app under uvicorn on the test database (its data committed:
`transaction=True`), with the channel layer of the settings (Redis when REDIS_URL is set).
"""

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from hdnd.accounts.models import User
from hdnd.meetings.models import Meeting
from hdnd.testing import factories
from hdnd.testing.meeting_fixtures import *  # noqa: F403
from hdnd.voting.models import Ballot, PollKind, PollStatus
from hdnd.voting.services import cast_ballot, close_poll, create_poll, open_poll
from hdnd.voting.stored import stored_counts, subjects_of

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # The uvicorn subprocess must reach the test database: PostgreSQL (an in-memory SQLite
    # test database exists only inside this process).
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]

ROOT = Path(__file__).resolve().parents[2]
POLL_TITLE = "Thông qua Nghị quyết dự toán ngân sách năm 2027"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class AsgiServer:
    """uvicorn serving config.asgi on the test database, on a fixed port: it can be
    stopped and started again (a server restart) at the same address."""

    def __init__(self) -> None:
        database = connection.settings_dict
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:"
            f"{database['PORT']}/{database['NAME']}"
            if connection.vendor == "postgresql"
            else f"sqlite:///{database['NAME']}",
            "ALLOWED_HOSTS": "127.0.0.1",
            # Static files from the apps (no collectstatic in tests); plain-HTTP cookies.
            "DEBUG": "true",
            "SECURE_COOKIES": "false",
            "SECRET_KEY": settings.SECRET_KEY,
        }
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        # Our own interpreter and fixed arguments: no outside input.
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1",
             "--port", str(self.port), "--log-level", "warning",
             "--timeout-graceful-shutdown", "2"],
            cwd=ROOT, env=self.env,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.process.kill()
                    pytest.fail("uvicorn did not start")
                time.sleep(0.2)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None


@pytest.fixture
def server(transactional_db: None) -> Iterator[AsgiServer]:
    running = AsgiServer()
    running.start()
    yield running
    running.stop()


@pytest.fixture
def asgi_server(server: AsgiServer) -> str:
    """The running server's base URL."""
    return server.url


def _session_cookie(user: User, base_url: str) -> dict[str, Any]:
    """A signed-in session (second factor given when the user has a device)."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    return {"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": base_url}


def _tablet(chromium: Any, user: User, base_url: str) -> Any:
    context = chromium.new_context(locale="vi-VN", viewport={"width": 1024, "height": 1366})
    context.add_cookies([_session_cookie(user, base_url)])
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def test_the_chair_runs_a_vote_and_the_delegate_votes_live(
    reference_data: None,
    asgi_server: str,
    chromium: Any,
    session: Meeting,
    chair: User,
    delegate: User,
    check_in: Callable[..., None],
) -> None:
    factories.add_totp_device(chair)
    check_in(chair, delegate)
    create_poll(meeting_id=session.pk, actor=chair, kind=PollKind.MOTION, title=POLL_TITLE)
    console = _tablet(chromium, chair, asgi_server)
    tablet = _tablet(chromium, delegate, asgi_server)
    try:
        console.goto(f"{asgi_server}/meetings/{session.pk}/console/")
        tablet.goto(f"{asgi_server}/meetings/{session.pk}/room/")
        for page in (console, tablet):
            page.locator(".live-badge[data-state=online]").wait_for()
        ballot = tablet.locator("#voting-ballot")
        assert POLL_TITLE not in ballot.inner_text()

        # The chair opens the poll; the tablet shows it without reloading.
        console.locator('#voting-console form[action*="/open/"] button').first.click()
        ballot.get_by_role("button", name=re.compile("Tán thành|In favour")).wait_for()
        assert POLL_TITLE in ballot.inner_text()

        ballot.get_by_role("button", name=re.compile("Tán thành|In favour")).click()
        recorded = tablet.locator("[data-live-cast-status][data-kind=recorded]")
        recorded.wait_for()
        assert re.search(r"\d{2}:\d{2}:\d{2}", recorded.inner_text())
        assert Ballot.objects.filter(poll__title=POLL_TITLE).count() == 1

        # The chair's console counts the vote live.
        console.locator("#voting-console", has_text=re.compile(r"\b1\b.*\b2\b")).wait_for()

        console.locator('#voting-console form[action*="/close/"] button').first.click()
        for page in (console, tablet):
            page.locator(
                "#voting-ballot, #voting-console",
                has_text=re.compile("Đã thông qua|Không được thông qua|Passed|Not passed"),
            ).first.wait_for()
        poll = session.polls.get(title=POLL_TITLE)
        assert poll.status == PollStatus.CLOSED
        assert hasattr(poll, "seal")
    finally:
        console.context.close()
        tablet.context.close()


def test_the_projector_follows_the_room_live(
    reference_data: None,
    asgi_server: str,
    chromium: Any,
    session: Meeting,
    chair: User,
    delegate: User,
    check_in: Callable[..., None],
) -> None:
    check_in(chair, delegate)
    draft = create_poll(meeting_id=session.pk, actor=chair, kind=PollKind.MOTION, title=POLL_TITLE)
    context = chromium.new_context(locale="vi-VN", viewport={"width": 1920, "height": 1080})
    projector = context.new_page()
    projector.set_default_timeout(15_000)
    try:
        projector.goto(f"{asgi_server}/meetings/display/{session.display_key}/")
        projector.locator(".live-badge[data-state=online]").wait_for()
        assert POLL_TITLE not in projector.inner_text("#display-body")

        open_poll(poll_id=draft.pk, actor=chair)
        projector.locator("#display-body", has_text=POLL_TITLE).wait_for()
        subject_id = draft.subjects.get().pk
        cast_ballot(poll_id=draft.pk, user=delegate, choices={subject_id: "yes"}, channel="web")
        # The count moves on the big screen while the poll is open, without reloading.
        projector.locator("#display-body", has_text=re.compile(r"\b1 đã biểu quyết")).wait_for()
        close_poll(poll_id=draft.pk, actor=chair)
        # 1 in favour of 10 delegates: 10,00% of all (Vietnamese decimals), in the result table.
        projector.locator("table.display-table", has_text="10,00%").wait_for()
    finally:
        context.close()


def test_a_server_restart_during_an_open_poll_loses_no_recorded_vote(
    reference_data: None,
    server: AsgiServer,
    chromium: Any,
    session: Meeting,
    chair: User,
    delegate: User,
    check_in: Callable[..., None],
) -> None:
    check_in(chair, delegate)
    poll = create_poll(meeting_id=session.pk, actor=chair, kind=PollKind.MOTION, title=POLL_TITLE)
    open_poll(poll_id=poll.pk, actor=chair)
    tablet = _tablet(chromium, delegate, server.url)
    try:
        tablet.goto(f"{server.url}/meetings/{session.pk}/room/")
        tablet.locator(".live-badge[data-state=online]").wait_for()
        tablet.locator("#voting-ballot").get_by_role(
            "button", name=re.compile("Tán thành|In favour")
        ).click()
        tablet.locator("[data-live-cast-status][data-kind=recorded]").wait_for()

        server.stop()
        # The tablet sees the connection go, and the server comes back on the same address.
        tablet.locator(".live-badge[data-state=reconnecting]").wait_for()
        # Forget what the tablet was told: after the restart, only the server can say it.
        tablet.evaluate(
            "document.querySelectorAll('[data-live-cast-status]')"
            ".forEach(line => { line.dataset.kind = 'cleared'; line.textContent = ''; })"
        )
        server.start()
        tablet.locator(".live-badge[data-state=online]").wait_for(timeout=30_000)

        # The server's state after the restart still holds the vote, and tells the tablet.
        recorded = tablet.locator("[data-live-cast-status][data-kind=recorded]")
        recorded.wait_for()
        assert re.search(r"\d{2}:\d{2}:\d{2}", recorded.inner_text())
        assert Ballot.objects.filter(poll=poll).count() == 1
        closed = close_poll(poll_id=poll.pk, actor=chair)
        subjects = subjects_of(closed)
        assert stored_counts(closed, subjects)[subjects[0].pk]["yes"] == 1
    finally:
        tablet.context.close()


def test_a_keyboard_user_keeps_the_focus_after_checking_in_and_can_vote(
    reference_data: None,
    asgi_server: str,
    chromium: Any,
    session: Meeting,
    chair: User,
    delegate: User,
    check_in: Callable[..., None],
) -> None:
    check_in(chair)
    poll = create_poll(meeting_id=session.pk, actor=chair, kind=PollKind.MOTION, title=POLL_TITLE)
    open_poll(poll_id=poll.pk, actor=chair)
    tablet = _tablet(chromium, delegate, asgi_server)
    try:
        tablet.goto(f"{asgi_server}/meetings/{session.pk}/room/")
        tablet.locator(".live-badge[data-state=online]").wait_for()
        # Not checked in yet: no ballot to press.
        ballot = tablet.locator("#voting-ballot")
        assert ballot.get_by_role("button", name=re.compile("Tán thành")).count() == 0
        tablet.locator("#check-in-button").focus()
        tablet.keyboard.press("Enter")
        # The ballot opens without a reload (the check-in tells the page to refetch it) …
        ballot.get_by_role("button", name=re.compile("Tán thành")).wait_for()
        # … and the focus stays in the attendance panel instead of going back to the top.
        tablet.wait_for_function(
            "document.activeElement && document.activeElement !== document.body"
            " && document.getElementById('panel-attendance').contains(document.activeElement)"
        )
    finally:
        tablet.context.close()
