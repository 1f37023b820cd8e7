"""Playwright driving Debian's Chromium (/usr/bin/chromium), never a downloaded browser.

Outside CI a missing Chromium skips these tests; under CI=true it fails them. A failing
test leaves a screenshot in test-artifacts/.

Browser tests run with `transaction=True` (the live server is another thread, so the
data must be committed), and such a test empties every table when it ends, rows the
migrations wrote included. A test that needs those rows asks for `reference_data`.
"""

import importlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


# The migrations that write reference rows, and their functions: the audit chain's head
# (every audited change needs it) and the 16 standard fields of work (lĩnh vực). Add any
# new seeding migration here; each function must be safe to run on rows already there.
SEEDING_MIGRATIONS = [
    ("hdnd.core.migrations.0002_audit_chain_head_and_append_only", "create_chain_head"),
    ("hdnd.petitions.migrations.0002_standard_fields", "add_fields"),
]


@pytest.fixture
def reference_data(transactional_db: None) -> None:
    """The rows the migrations seed, written again: an earlier transactional test may have
    emptied the tables."""
    for module, function in SEEDING_MIGRATIONS:
        getattr(importlib.import_module(module), function)(apps, None)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def chromium(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """One browser per test: Playwright's event loop must not outlive the test, or the
    tests after it would find a running loop in their thread."""
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium is missing at {CHROMIUM}; .ci/run installs it with apt-get")
        pytest.skip(f"Chromium is not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread while the test's own ORM
    # calls stay synchronous, which is safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any, request: pytest.FixtureRequest, settings: Any) -> Iterator[Any]:
    # The live server speaks plain HTTP.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    context = chromium.new_context(locale="vi-VN", viewport={"width": 1024, "height": 1366})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
