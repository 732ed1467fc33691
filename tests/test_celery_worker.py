"""End to end through a real Celery worker, Redis and an SMTP server."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

from portal.celery import app as celery_app
from tickets.models import Status
from tickets.services import ticket_transition
from tickets.workflow import Actor

ROOT = Path(__file__).resolve().parent.parent


class RecordingHandler:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook
        self.messages.append(envelope.content)
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, handler
    controller.stop()


@pytest.fixture
def worker(smtp_server, tmp_path):
    if not settings.REDIS_URL or connection.vendor != "postgresql":
        pytest.skip("needs REDIS_URL and a PostgreSQL DATABASE_URL")
    controller, _ = smtp_server
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.base",
        "SECRET_KEY": "worker-test-secret",
        "DATABASE_URL": (
            f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
        "REDIS_URL": settings.REDIS_URL,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(controller.port),
        "MEDIA_ROOT": str(tmp_path),
    }
    celery_app.control.purge()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield process
    celery_app.conf.task_always_eager = previous
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_worker_sends_status_email(worker, smtp_server, ticket, agent):
    _, handler = smtp_server

    ticket_transition(
        ticket=ticket, to_status=Status.IN_PROGRESS, actor=Actor.AGENT, changed_by=agent
    )

    deadline = time.monotonic() + 60
    while (
        not handler.messages and time.monotonic() < deadline and worker.poll() is None
    ):
        time.sleep(0.2)
    output = "" if worker.poll() is None else worker.stdout.read().decode()
    assert len(handler.messages) == 1, output
    message = handler.messages[0].decode()
    assert f"[{ticket.key}] Status changed to In Progress" in message
    assert "To: customer@alpha.example" in message
