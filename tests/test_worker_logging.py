"""A real Celery worker logs in the project's format: start, retries, stop."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from portal.celery import app as celery_app
from tests.test_celery_worker import free_port
from tickets.models import Status
from tickets.services import ticket_transition
from tickets.workflow import Actor

ROOT = Path(__file__).resolve().parent.parent


def json_events(path: Path) -> list[dict]:
    events = []
    for line in path.read_text(errors="replace").splitlines():
        if line.startswith("{"):
            events.append(json.loads(line))
    return events


def wait_for_event(path: Path, process, match, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        for event in json_events(path):
            if match(event):
                return event
        time.sleep(0.2)
    pytest.fail(f"no matching log line; worker output:\n{path.read_text()[-3000:]}")


@pytest.fixture
def worker_without_smtp(tmp_path):
    """A worker whose SMTP server refuses connections, logging JSON to a file."""
    if not settings.REDIS_URL or connection.vendor != "postgresql":
        pytest.skip("needs REDIS_URL and a PostgreSQL DATABASE_URL")
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.base",
        "SECRET_KEY": "worker-logging-test-secret",
        "DATABASE_URL": (
            f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
        "REDIS_URL": settings.REDIS_URL,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(free_port()),  # nothing listens there
        "MEDIA_ROOT": str(tmp_path),
        "LOG_FORMAT": "json",
    }
    celery_app.control.purge()
    log_path = tmp_path / "worker.log"
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(  # noqa: S603 - fixed command, this interpreter
            [
                sys.executable,
                *("-m", "celery", "--app", "portal", "--quiet", "worker"),
                *("--pool", "solo", "--without-heartbeat", "--without-gossip"),
                "--without-mingle",
            ],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield process, log_path
    celery_app.conf.task_always_eager = previous
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
    celery_app.control.purge()


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_worker_logs_start_retry_and_stop(worker_without_smtp, ticket, agent):
    process, log_path = worker_without_smtp
    wait_for_event(log_path, process, lambda e: e["message"] == "worker started")

    ticket_transition(
        ticket=ticket, to_status=Status.IN_PROGRESS, actor=Actor.AGENT, changed_by=agent
    )

    retry = wait_for_event(
        log_path,
        process,
        lambda e: e["logger"] == "tickets.delivery" and "next try in" in e["message"],
    )
    assert "ConnectionRefusedError" in retry["message"]
    assert retry["level"] == "WARNING"
    assert retry["request_id"] != "-"
    process.terminate()
    process.wait(timeout=20)
    messages = [event["message"] for event in json_events(log_path)]
    assert "worker stopped" in messages
    assert ticket.reporter.email not in log_path.read_text()
