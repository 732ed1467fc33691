"""E-mails rendered by a real Celery worker use the recipient's language."""

import email
import time
from email import policy

import pytest
from django.utils import translation

from accounts.services import invitation_send
from tests.test_celery_worker import smtp_server, worker  # noqa: F401 - fixtures
from tickets.models import Status
from tickets.services import ticket_transition
from tickets.workflow import Actor


def wait_for_messages(
    handler, process, count: int = 1
) -> list[email.message.EmailMessage]:
    deadline = time.monotonic() + 60
    while (
        len(handler.messages) < count
        and time.monotonic() < deadline
        and process.poll() is None
    ):
        time.sleep(0.2)
    output = "" if process.poll() is None else process.stdout.read().decode()
    assert len(handler.messages) == count, output
    return [
        email.message_from_bytes(raw, policy=policy.default) for raw in handler.messages
    ]


def text_part(message: email.message.EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_worker_writes_status_email_in_german(worker, smtp_server, ticket, agent):  # noqa: F811
    _, handler = smtp_server
    ticket.reporter.language = "de"
    ticket.reporter.save()

    with translation.override("en"):
        ticket_transition(
            ticket=ticket,
            to_status=Status.IN_PROGRESS,
            actor=Actor.AGENT,
            changed_by=agent,
        )

    [message] = wait_for_messages(handler, worker)
    assert str(message["Subject"]).strip() == (
        f"[{ticket.key}] Status geändert zu In Bearbeitung: {ticket.summary}"
    )
    body = text_part(message)
    assert "Hallo Clara Customer," in body
    assert "„Offen“ zu „In Bearbeitung“" in body


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_worker_writes_invitation_in_german(worker, smtp_server, reporter):  # noqa: F811
    _, handler = smtp_server
    reporter.language = "de"
    reporter.set_unusable_password()
    reporter.save()

    with translation.override("en"):
        invitation_send(user=reporter)

    [message] = wait_for_messages(handler, worker)
    assert str(message["Subject"]).strip() == "Ihr Konto bei Customer Care Center"
    body = text_part(message)
    assert "Wählen Sie Ihr Passwort:" in body
    assert "/accounts/invitation/" in body
