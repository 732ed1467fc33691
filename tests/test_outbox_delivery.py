"""Delivery of outbox rows against a real SMTP server, with racing workers."""

import errno
import socket
import sys
import threading
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth.models import Group
from django.db import connection, connections
from django.utils import timezone

from accounts.roles import AGENTS_GROUP
from tickets import delivery
from tickets.models import Notification, NotificationState
from tickets.services import comment_create

SMTP_HOST = "127.0.0.1"
# Number of ports tried in turn when another process binds the chosen port
# before the SMTP server does.
SMTP_BIND_ATTEMPTS = 5


def free_port() -> int:
    """Return a TCP port on SMTP_HOST that the kernel reports as unused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((SMTP_HOST, 0))
        return probe.getsockname()[1]


def start_smtp_server(handler) -> Controller:
    """Start an SMTP server for the handler on a free port of SMTP_HOST.

    The port is free when free_port() returns but not reserved, so a bind
    that fails with "address in use" is retried on a new port. aiosmtpd 1.4
    raises that error only after its ready_timeout (5 s by default).
    """
    for _attempt in range(SMTP_BIND_ATTEMPTS - 1):
        controller = Controller(handler, hostname=SMTP_HOST, port=free_port())
        try:
            controller.start()
        except OSError as error:
            if error.errno != errno.EADDRINUSE:
                raise
        else:
            return controller
    controller = Controller(handler, hostname=SMTP_HOST, port=free_port())
    controller.start()
    return controller


class FlakyHandler:
    """Answers DATA with a temporary error for the first `failures` messages."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.messages: list[bytes] = []
        self.rejected = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook
        with self.lock:
            if self.rejected < self.failures:
                self.rejected += 1
                return "451 4.3.0 Temporary failure, try again later"
            self.messages.append(envelope.content)
        return "250 Message accepted"


@pytest.fixture(autouse=True)
def _agents_group(request):
    """Recreate the Agents group, which an earlier transactional test's flush removes."""
    if "transactional_db" in request.fixturenames or request.node.get_closest_marker(
        "django_db"
    ):
        request.getfixturevalue("db")
        Group.objects.get_or_create(name=AGENTS_GROUP)


@pytest.fixture
def smtp(settings):
    def start(failures: int = 0) -> FlakyHandler:
        handler = FlakyHandler(failures)
        controller = start_smtp_server(handler)
        started.append(controller)
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = SMTP_HOST
        settings.EMAIL_PORT = controller.port
        settings.EMAIL_TIMEOUT = 5
        return handler

    started: list[Controller] = []
    yield start
    for controller in started:
        controller.stop()


def test_smtp_server_moves_off_taken_port(monkeypatch):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind((SMTP_HOST, 0))
        taken.listen()
        taken_port = taken.getsockname()[1]
        ports = [taken_port]
        pick_free_port = free_port
        monkeypatch.setattr(
            sys.modules[__name__],
            "free_port",
            lambda: ports.pop() if ports else pick_free_port(),
        )

        controller = start_smtp_server(FlakyHandler())
        try:
            assert ports == []
            assert controller.port != taken_port
            with socket.create_connection((SMTP_HOST, controller.port), 5) as client:
                assert client.recv(1024).startswith(b"220 ")
        finally:
            controller.stop()


@pytest.mark.django_db
def test_smtp_fails_twice_then_accepts(smtp, settings, ticket, agent):
    handler = smtp(failures=2)
    settings.NOTIFICATION_RETRY_DELAY = 30
    comment_create(ticket=ticket, author=agent, body="Please send the log.")
    row = Notification.objects.get()
    now = timezone.now()

    assert delivery.deliver(row.pk, now=now) == delivery.RETRY
    now += timedelta(seconds=30)
    assert delivery.deliver(row.pk, now=now) == delivery.RETRY
    now += timedelta(seconds=60)
    assert delivery.deliver(row.pk, now=now) == delivery.SENT

    row.refresh_from_db()
    assert row.state == NotificationState.SENT
    assert row.attempts == 3
    assert handler.rejected == 2
    assert len(handler.messages) == 1
    assert b"Please send the log." in handler.messages[0]
    assert delivery.deliver(row.pk, now=now + timedelta(days=1)) == delivery.NOT_CLAIMED
    assert len(handler.messages) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_send_each_row_once(smtp, make_ticket, alpha, agent):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent claims need PostgreSQL; SQLite serialises writers")
    from tests.conftest import _make_user

    handler = smtp()
    ticket = make_ticket(organization=alpha)
    colleagues = [
        _make_user(f"colleague{index}@alpha.example", f"Colleague {index}", alpha)
        for index in range(8)
    ]
    ticket.participants.add(*colleagues)
    Notification.objects.all().delete()
    for index in range(5):
        comment_create(ticket=ticket, author=agent, body=f"Reply {index}")
    rows = Notification.objects.count()
    assert rows == 5 * 9
    # The commits above already sent the rows in-process; make them due again.
    Notification.objects.update(
        state=NotificationState.PENDING,
        attempts=0,
        sent_at=None,
        next_attempt_at=timezone.now(),
    )
    handler.messages.clear()

    barrier = threading.Barrier(2)
    outcomes: list[list[str]] = [[], []]

    due = delivery.due_notification_ids(older_than=timedelta(0))
    assert len(due) == rows

    def work(slot: int) -> None:
        # Both workers try every row, in the same order, starting together.
        try:
            barrier.wait()
            for notification_id in due:
                outcomes[slot].append(delivery.deliver(notification_id))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(slot,)) for slot in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    sent = [
        outcome for slot in outcomes for outcome in slot if outcome == delivery.SENT
    ]
    assert len(sent) == rows
    assert len(handler.messages) == rows
    assert Notification.objects.filter(state=NotificationState.SENT).count() == rows
    assert len(outcomes[0]) == len(outcomes[1]) == rows
    assert (
        outcomes[0].count(delivery.NOT_CLAIMED)
        + outcomes[1].count(delivery.NOT_CLAIMED)
        == rows
    )
