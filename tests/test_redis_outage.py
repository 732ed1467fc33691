"""A comment saved while Redis is down is e-mailed once Redis is back.

The test starts its own Redis server on its own port, a Celery worker with
an embedded beat scheduler against it, and an SMTP server; it never touches
the shared Redis.
"""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth.models import Group
from django.db import connection
from django.urls import reverse

from accounts.roles import AGENTS_GROUP
from portal.celery import app as celery_app
from tests.test_outbox_delivery import FlakyHandler
from tickets.models import Notification, NotificationState

ROOT = Path(__file__).resolve().parent.parent
REDIS_PORT = 18530
SMTP_PORT = 18521
REDIS_URL = f"redis://127.0.0.1:{REDIS_PORT}/0"
REDIS_SERVER = shutil.which("redis-server") or "redis-server"
REDIS_CLI = shutil.which("redis-cli") or "redis-cli"


def start_redis() -> subprocess.Popen:
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            REDIS_SERVER,
            "--port",
            str(REDIS_PORT),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        ping = subprocess.run(  # noqa: S603 - fixed arguments
            [REDIS_CLI, "-p", str(REDIS_PORT), "ping"],
            capture_output=True,
            text=True,
            check=False,
        )
        if ping.stdout.strip() == "PONG":
            return process
        time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"redis-server did not start on port {REDIS_PORT}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def use_broker(url: str) -> None:
    """Point this process's Celery app at another broker, dropping pooled connections."""
    celery_app.conf.broker_url = url
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture(autouse=True)
def _agents_group(request):
    """Recreate the Agents group, which an earlier transactional test's flush removes."""
    if "transactional_db" in request.fixturenames or request.node.get_closest_marker(
        "django_db"
    ):
        request.getfixturevalue("db")
        Group.objects.get_or_create(name=AGENTS_GROUP)


@pytest.fixture
def own_redis():
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs the PostgreSQL test database")
    if not Path(REDIS_SERVER).is_absolute():
        pytest.skip("redis-server is not installed")
    processes = [start_redis()]
    previous_url = celery_app.conf.broker_url
    previous_eager = celery_app.conf.task_always_eager
    use_broker(REDIS_URL)
    celery_app.conf.task_always_eager = False
    yield processes
    celery_app.conf.task_always_eager = previous_eager
    use_broker(previous_url)
    for process in processes:
        if process.poll() is None:
            stop(process)


@pytest.fixture
def smtp_server():
    handler = FlakyHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=SMTP_PORT)
    controller.start()
    yield handler
    controller.stop()


@pytest.fixture
def worker_with_beat(own_redis, smtp_server, tmp_path):
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.base",
        "SECRET_KEY": "worker-test-secret",
        "DATABASE_URL": (
            f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
        "REDIS_URL": REDIS_URL,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(SMTP_PORT),
        "MEDIA_ROOT": str(tmp_path),
        "NOTIFICATION_SWEEP_INTERVAL": "1",
        "NOTIFICATION_SWEEP_AFTER": "0",
    }
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--beat",
            f"--schedule={tmp_path / 'beat-schedule'}",
            "--pool=solo",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=open(tmp_path / "worker.log", "wb"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
    )
    yield process, tmp_path / "worker.log"
    stop(process)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_comment_during_outage_is_mailed_after(
    worker_with_beat, own_redis, smtp_server, personas, ticket, agent
):
    worker, log = worker_with_beat
    stop(own_redis[0])

    started = time.monotonic()
    response = personas["reporter"].post(
        reverse("tickets:comment-add", kwargs={"key": ticket.key}),
        {"body": "Written while Redis is down."},
    )
    elapsed = time.monotonic() - started

    assert response.status_code == 302
    assert ticket.comments.get().body == "<p>Written while Redis is down.</p>"
    assert elapsed < 5, f"saving the comment took {elapsed:.1f} s"
    row = Notification.objects.get(comment__isnull=False)
    assert row.state == NotificationState.PENDING
    time.sleep(2)
    assert smtp_server.messages == []

    own_redis.append(start_redis())
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and not comment_mails(smtp_server):
        assert worker.poll() is None, log.read_text()
        time.sleep(0.5)

    assert len(comment_mails(smtp_server)) == 1, log.read_text()
    row.refresh_from_db()
    assert row.state == NotificationState.SENT
    time.sleep(3)
    assert len(comment_mails(smtp_server)) == 1
    # The ticket's own "created" e-mail went out too, once.
    assert len(smtp_server.messages) == Notification.objects.count()


def comment_mails(handler: FlakyHandler) -> list[bytes]:
    return [
        message
        for message in handler.messages
        if b"Written while Redis is down." in message
    ]
