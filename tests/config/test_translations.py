"""Every user-facing message has a Vietnamese translation (ADR 0005)."""

import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"
# The strings of the JavaScript (the live room), served by /jsi18n/.
JS_CATALOG = ROOT / "locale" / "vi" / "LC_MESSAGES" / "djangojs.po"
CATALOGS = [CATALOG, JS_CATALOG]
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


def _entries(po_text: str) -> list[tuple[str, str, bool]]:
    """(msgid, first msgstr, fuzzy) of each entry but the header."""
    entries = []
    for block in po_text.strip().split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        field: str | None = None
        parts: dict[str, list[str]] = {"msgid": [], "msgstr": []}
        for line in lines:
            if line.startswith("msgid "):
                field = "msgid"
            elif line.startswith(("msgstr ", "msgstr[0]")):
                field = "msgstr"
            elif line.startswith(("msgid_plural", "msgstr[")):
                field = None
            if field and (match := _STRING.search(line)):
                parts[field].append(match.group(1))
        msgid = "".join(parts["msgid"])
        if msgid:
            entries.append((msgid, "".join(parts["msgstr"]), fuzzy))
    return entries


@pytest.mark.parametrize("catalog", CATALOGS, ids=["django", "djangojs"])
def test_the_vietnamese_catalog_translates_every_message(catalog: Path) -> None:
    entries = _entries(catalog.read_text(encoding="utf-8"))
    assert entries
    missing = [msgid for msgid, msgstr, fuzzy in entries if not msgstr or fuzzy]
    assert missing == []


@pytest.mark.parametrize("catalog", CATALOGS, ids=["django", "djangojs"])
def test_the_catalog_keeps_every_placeholder(catalog: Path) -> None:
    placeholder = re.compile(r"%\(\w+\)[sd]|%[sd]")
    wrong = [
        msgid
        for msgid, msgstr, _ in _entries(catalog.read_text(encoding="utf-8"))
        if sorted(placeholder.findall(msgid)) != sorted(placeholder.findall(msgstr))
    ]
    assert wrong == []


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_no_message_in_the_code_is_missing_from_the_catalog(tmp_path, settings, monkeypatch):
    # Extract into a copy of the catalog, from links to the sources, so that the real
    # catalog is never rewritten by a test.
    target = tmp_path / "locale" / "vi" / "LC_MESSAGES"
    target.mkdir(parents=True)
    shutil.copy(CATALOG, target / "django.po")
    sources = tmp_path / "src"
    sources.mkdir()
    for name in ("hdnd", "templates", "config"):
        (sources / name).symlink_to(ROOT / name)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(sources)
    call_command("makemessages", locale=["vi"], symlinks=True, no_obsolete=True, verbosity=0)
    entries = _entries((target / "django.po").read_text(encoding="utf-8"))
    missing = [msgid for msgid, msgstr, fuzzy in entries if not msgstr or fuzzy]
    assert missing == []


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_no_message_in_the_javascript_is_missing_from_its_catalog(tmp_path, settings, monkeypatch):
    target = tmp_path / "locale" / "vi" / "LC_MESSAGES"
    target.mkdir(parents=True)
    shutil.copy(JS_CATALOG, target / "djangojs.po")
    sources = tmp_path / "src"
    sources.mkdir()
    (sources / "hdnd").symlink_to(ROOT / "hdnd")
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(sources)
    call_command(
        "makemessages",
        locale=["vi"],
        domain="djangojs",
        symlinks=True,
        no_obsolete=True,
        verbosity=0,
    )
    entries = _entries((target / "djangojs.po").read_text(encoding="utf-8"))
    assert "Live" in [msgid for msgid, _, _ in entries]
    missing = [msgid for msgid, msgstr, fuzzy in entries if not msgstr or fuzzy]
    assert missing == []


@pytest.mark.django_db
def test_the_javascript_catalog_is_vietnamese(client):
    catalog = client.get("/jsi18n/")
    assert catalog.status_code == 200
    assert "Tr\\u1ef1c tuy\\u1ebfn" in catalog.text or "Trực tuyến" in catalog.text


@pytest.mark.django_db
@pytest.mark.smoke
def test_pages_are_vietnamese_by_default_and_english_on_request(client):
    page = client.get("/accounts/login/")
    assert 'lang="vi"' in page.text
    assert "Đăng nhập" in page.text

    client.cookies["django_language"] = "en"
    page = client.get("/accounts/login/")
    assert 'lang="en"' in page.text
    assert "Sign in" in page.text
    assert "Đăng nhập" not in page.text


@pytest.mark.django_db
def test_the_browsers_language_does_not_switch_the_interface(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="vi"' in page.text


@pytest.mark.parametrize(
    ("typed", "day"), [("03/04/2026", 3), ("03-04-2026", 3), ("2026-04-03", 3)]
)
def test_dates_are_read_day_first_in_vietnamese(typed, day):
    from django import forms
    from django.utils import translation

    with translation.override("vi"):
        field = forms.DateField()
        value = field.clean(typed)
    assert (value.day, value.month) == (day, 4)
