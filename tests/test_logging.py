"""Logs: request ids, one JSON object per line, failed logins without secrets."""

import io
import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from portal.logging_config import JsonFormatter, PlainFormatter, RequestIdFilter
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def json_lines():
    """Capture the portal's log records as the JSON lines LOG_FORMAT=json writes."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


def test_request_id_is_generated():
    response = Client().get("/healthz")

    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_request_id_from_proxy_is_kept():
    response = Client().get("/healthz", headers={"X-Request-ID": "lb-7f3a.2:9_x"})

    assert response["X-Request-ID"] == "lb-7f3a.2:9_x"


@pytest.mark.parametrize(
    "incoming", ["has space", "x" * 129, "<script>", "-leading-dash", "ä-umlaut"]
)
def test_unsafe_request_id_is_replaced(incoming):
    response = Client().get("/healthz", headers={"X-Request-ID": incoming})

    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


@pytest.mark.django_db
def test_request_line_is_one_json_object(json_lines):
    response = Client().get("/no-such-page", headers={"X-Request-ID": "abc-123"})

    lines = [line for line in json_lines() if line["logger"] == "portal.request"]
    assert len(lines) == 1
    line = lines[0]
    assert line["request_id"] == "abc-123" == response["X-Request-ID"]
    assert line["message"] == "GET /no-such-page 404"
    assert line["level"] == "WARNING"
    assert line["method"] == "GET"
    assert line["path"] == "/no-such-page"
    assert line["status"] == 404
    assert isinstance(line["duration_ms"], float)
    assert line["user_id"] is None


def test_request_line_names_signed_in_user(personas, reporter, json_lines):
    personas["reporter"].get(reverse("helpcenter:project-list"))

    lines = [line for line in json_lines() if line["logger"] == "portal.request"]
    assert lines[-1]["user_id"] == reporter.pk
    assert lines[-1]["level"] == "INFO"


def test_json_formatter_keeps_traceback_on_one_line():
    logger = logging.getLogger("tests.json")
    try:
        raise ValueError("boom\nsecond line")
    except ValueError:
        record = logger.makeRecord(
            "tests.json",
            logging.ERROR,
            __file__,
            1,
            "failed %s",
            ("x",),
            sys.exc_info(),
            extra={"ticket_id": 7},
        )
    RequestIdFilter().filter(record)

    text = JsonFormatter().format(record)

    assert "\n" not in text
    entry = json.loads(text)
    assert entry["message"] == "failed x"
    assert entry["ticket_id"] == 7
    assert entry["request_id"] == "-"
    assert "ValueError: boom" in entry["exception"]


def test_plain_formatter_writes_one_line():
    record = logging.makeLogRecord(
        {"name": "tests.plain", "levelname": "INFO", "msg": "two\nlines", "args": ()}
    )

    text = PlainFormatter().format(record)

    assert "\n" not in text
    assert "tests.plain [-] two\\nlines" in text


def test_failed_login_is_logged_without_secrets(reporter, json_lines):
    Client().post(
        reverse("accounts:login"),
        {"username": "Customer@Alpha.example", "password": "wrong-" + PASSWORD},
    )

    lines = [line for line in json_lines() if line["logger"] == "portal.security"]
    assert len(lines) == 1
    line = lines[0]
    assert line["event"] == "login_failed"
    assert re.fullmatch(r"[0-9a-f]{16}", line["login_fingerprint"])
    assert line["client_ip"] == "127.0.0.1"
    text = json.dumps(json_lines()).lower()
    assert "customer@alpha.example" not in text
    assert PASSWORD not in text


def test_login_fingerprint_ignores_case(reporter, json_lines):
    for login in ("customer@alpha.example", " CUSTOMER@alpha.example"):
        Client().post(
            reverse("accounts:login"), {"username": login, "password": "wrong"}
        )

    fingerprints = {
        line["login_fingerprint"]
        for line in json_lines()
        if line["logger"] == "portal.security"
    }
    assert len(fingerprints) == 1


def test_settings_write_json_to_stdout(tmp_path):
    """The real LOGGING from the environment: stdout carries one JSON object a line."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.base",
        "DEBUG": "true",
        "LOG_FORMAT": "json",
        "VAR_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('portal.example').warning("
        "'retry %s of %s', 2, 8, extra={'ticket_id': 5})"
    )
    result = subprocess.run(  # noqa: S603 - fixed code, this interpreter
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[-1]["message"] == "retry 2 of 8"
    assert lines[-1]["ticket_id"] == 5
    assert lines[-1]["logger"] == "portal.example"


def test_settings_reject_unknown_log_format():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.base",
        "DEBUG": "true",
        "LOG_FORMAT": "xml",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "LOG_FORMAT='xml' is not one of plain, json" in result.stderr


def test_lockout_is_logged_without_secrets(settings, reporter, json_lines):
    settings.AXES_FAILURE_LIMIT = 2
    client = Client()

    for _ in range(3):
        client.post(
            reverse("accounts:login"),
            {"username": reporter.email, "password": "wrong-" + PASSWORD},
        )

    events = [
        line["event"] for line in json_lines() if line["logger"] == "portal.security"
    ]
    assert "login_locked_out" in events
    locked = next(
        line for line in json_lines() if line.get("event") == "login_locked_out"
    )
    assert re.fullmatch(r"[0-9a-f]{16}", locked["login_fingerprint"])
    text = json.dumps(json_lines()).lower()
    assert reporter.email not in text
    assert PASSWORD not in text
