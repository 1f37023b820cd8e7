"""The settings refuse unsafe or unreadable configuration."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parents[2]


def _load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import config.settings as s; print(s.DEBUG, s.ALLOWED_HOSTS)"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_it_requires_a_secret_key_when_debug_is_off():
    result = _load_settings()
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_debug_is_off_by_default():
    result = _load_settings(SECRET_KEY="k")
    assert result.stdout.startswith("False ['127.0.0.1', 'localhost']")


def test_the_dev_command_may_run_without_a_secret_key():
    result = _load_settings(DEBUG="true")
    assert result.returncode == 0
    assert result.stdout.startswith("True")


def test_it_refuses_a_boolean_it_cannot_read(monkeypatch):
    monkeypatch.setenv("HDND_TEST_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured):
        env_bool("HDND_TEST_FLAG", False)


def test_it_refuses_a_number_it_cannot_read(monkeypatch):
    monkeypatch.setenv("HDND_TEST_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured):
        env_int("HDND_TEST_NUMBER", 1)


def test_it_reads_lists_and_secret_files(monkeypatch, tmp_path):
    monkeypatch.setenv("HDND_TEST_HOSTS", "a.vn, b.vn,")
    assert env_list("HDND_TEST_HOSTS", []) == ["a.vn", "b.vn"]
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n")
    monkeypatch.setenv("HDND_TEST_SECRET_FILE", str(secret))
    assert env_str("HDND_TEST_SECRET") == "s3cret"


def test_timezone_and_languages_are_vietnamese_first(settings):
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.LANGUAGE_CODE == "vi"
    assert [code for code, _ in settings.LANGUAGES] == ["vi", "en"]
