"""The outbox: who gets a row for which event, and how rows are delivered."""

import zoneinfo
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.formats import date_format

from accounts.roles import make_agent
from tests.conftest import _make_user
from tickets import delivery
from tickets.models import Comment, Notification, NotificationEvent, NotificationState
from tickets.services import comment_create, ticket_share, ticket_transition
from tickets.workflow import Actor

pytestmark = pytest.mark.django_db


def recipients(**filters) -> list[str]:
    return sorted(
        Notification.objects.filter(**filters).values_list(
            "recipient__email", flat=True
        )
    )


def test_created_request_notifies_agents(make_ticket, agent):
    second = make_agent(_make_user("second@support.example", "Second Agent"))

    new = make_ticket(summary="Another")

    assert recipients(ticket=new, event=NotificationEvent.CREATED) == sorted(
        [agent.email, second.email]
    )


def test_reply_rows_one_per_recipient(shared_ticket, colleague, agent):
    shared_ticket.participants.add(colleague)

    comment_create(ticket=shared_ticket, author=agent, body="Please restart.")

    assert recipients(event=NotificationEvent.REPLY) == [
        colleague.email,
        "customer@alpha.example",
    ]


def test_author_never_gets_own_event(ticket, reporter, agent):
    comment_create(ticket=ticket, author=reporter, body="More details")

    assert reporter.email not in recipients()
    assert recipients(event=NotificationEvent.COMMENT) == [agent.email]


def test_assignee_instead_of_all_agents(ticket, reporter, agent):
    assignee = make_agent(_make_user("assignee@support.example", "Assigned Agent"))
    ticket.assignee = assignee
    ticket.save()

    comment_create(ticket=ticket, author=reporter, body="More details")

    assert recipients(event=NotificationEvent.COMMENT) == [assignee.email]


def test_internal_note_writes_nothing_sends_nothing(ticket, agent, on_commit):
    with on_commit(execute=True):
        comment_create(ticket=ticket, author=agent, body="Internal", is_internal=True)

    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_internal_row_is_never_sent(ticket, agent, reporter):
    note = Comment.objects.create(
        ticket=ticket, author=agent, body="x", is_internal=True
    )
    row = Notification.objects.create(
        ticket=ticket, recipient=reporter, event=NotificationEvent.REPLY, comment=note
    )

    assert delivery.deliver(row.pk) == delivery.SKIPPED
    assert mail.outbox == []


def test_participant_removed_before_delivery(ticket, colleague, reporter, agent):
    ticket_share(
        ticket=ticket, organization=None, participants=[colleague], changed_by=reporter
    )
    comment_create(ticket=ticket, author=agent, body="Reply for both")
    ticket_share(ticket=ticket, organization=None, participants=[], changed_by=reporter)

    for row in Notification.objects.filter(event=NotificationEvent.REPLY):
        delivery.deliver(row.pk)

    assert [message.to for message in mail.outbox] == [[reporter.email]]
    skipped = Notification.objects.get(
        recipient=colleague, event=NotificationEvent.REPLY
    )
    assert skipped.state == NotificationState.SKIPPED
    assert "no longer see" in skipped.last_error


def test_mention_adds_participant_and_notifies_once(
    ticket, colleague, reporter, outsider, on_commit
):
    with on_commit(execute=True):
        comment_create(
            ticket=ticket,
            author=reporter,
            body=f"@{colleague.email} please look, and @{outsider.email} too",
        )

    assert list(ticket.participants.all()) == [colleague]
    colleague_mail = [m for m in mail.outbox if m.to == [colleague.email]]
    assert len(colleague_mail) == 1
    assert "You were mentioned" in colleague_mail[0].subject
    assert not [m for m in mail.outbox if m.to == [outsider.email]]


def test_mention_by_data_attribute(ticket, colleague, reporter):
    from tickets.mentions import resolve_mentions

    text = f'<p>Hi <span data-mention="{colleague.pk}">@Carl</span></p>'

    mentions = resolve_mentions(text=text, ticket=ticket, author=reporter)

    assert mentions.notify == [colleague]
    assert mentions.add_as_participants == [colleague]


def test_mention_of_address_inside_word_is_ignored(ticket, colleague, reporter):
    from tickets.mentions import find_mentions

    emails, ids = find_mentions(f"mail x{colleague.email} or a@{colleague.email}")

    assert emails == set()
    assert ids == set()


def test_email_content_and_headers(ticket, agent, reporter, on_commit):
    reporter.time_zone = "America/New_York"
    reporter.save()
    ticket.summary = "Line one\nline two"
    ticket.save()

    with on_commit(execute=True):
        comment_create(ticket=ticket, author=agent, body="Please send the log.")

    message = mail.outbox[0]
    assert message.subject == f"[{ticket.key}] New reply: Line one line two"
    assert "Please send the log." in message.body
    assert "Replies by e-mail are not read" in message.body
    assert f"/requests/{ticket.key}/" in message.body
    html = message.alternatives[0][0]
    assert "Please send the log." in html
    row = Notification.objects.get()
    new_york = timezone.localtime(row.created_at, zoneinfo.ZoneInfo("America/New_York"))
    berlin = timezone.localtime(row.created_at, zoneinfo.ZoneInfo("Europe/Berlin"))
    # The reporter reads English; an earlier test's request may have left
    # another language active in this thread.
    with translation.override(reporter.language):
        assert date_format(new_york, "DATETIME_FORMAT") in message.body
        assert date_format(berlin, "DATETIME_FORMAT") not in message.body


def test_status_change_mail(ticket, agent, on_commit):
    with on_commit(execute=True):
        ticket_transition(
            ticket=ticket,
            to_status="waiting_for_customer",
            actor=Actor.AGENT,
            changed_by=agent,
            reason="Which version?",
        )

    assert mail.outbox[0].subject == (
        f"[{ticket.key}] Status changed to Waiting for customer: {ticket.summary}"
    )
    assert "Which version?" in mail.outbox[0].body


def test_row_is_claimed_once(ticket, agent):
    comment_create(ticket=ticket, author=agent, body="Reply")
    row = Notification.objects.get()

    assert delivery.claim(row.pk) is True
    assert delivery.claim(row.pk) is False


def test_retry_backoff_then_failed(ticket, agent, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 18599  # nothing listens here
    settings.EMAIL_TIMEOUT = 2
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    settings.NOTIFICATION_RETRY_DELAY = 10
    comment_create(ticket=ticket, author=agent, body="Reply")
    row = Notification.objects.get()
    now = timezone.now()

    assert delivery.deliver(row.pk, now=now) == delivery.RETRY
    row.refresh_from_db()
    assert row.next_attempt_at == now + timedelta(seconds=10)
    assert (
        delivery.deliver(row.pk, now=now + timedelta(seconds=5)) == delivery.NOT_CLAIMED
    )
    now += timedelta(seconds=10)
    assert delivery.deliver(row.pk, now=now) == delivery.RETRY
    row.refresh_from_db()
    assert row.next_attempt_at == now + timedelta(seconds=20)
    assert delivery.deliver(row.pk, now=now + timedelta(seconds=20)) == delivery.FAILED
    row.refresh_from_db()
    assert row.state == NotificationState.FAILED
    assert row.attempts == 3
    assert "Connection" in row.last_error or "refused" in row.last_error


def test_admin_retry_action(ticket, agent, personas, on_commit):
    comment_create(ticket=ticket, author=agent, body="Reply")
    row = Notification.objects.get()
    Notification.objects.filter(pk=row.pk).update(
        state=NotificationState.FAILED, attempts=6
    )

    with on_commit(execute=True):
        response = personas["agent"].post(
            "/admin/tickets/notification/",
            {"action": "retry", "_selected_action": [row.pk]},
        )

    assert response.status_code == 302
    row.refresh_from_db()
    assert row.state == NotificationState.SENT
    assert len(mail.outbox) == 1


def test_agent_sees_outbox_admin(personas):
    assert personas["agent"].get("/admin/tickets/notification/").status_code == 200
    assert personas["reporter"].get("/admin/tickets/notification/").status_code == 302


def test_mention_mail_in_recipients_language(ticket, colleague, reporter, on_commit):
    colleague.language = "de"
    colleague.save()

    with on_commit(execute=True):
        comment_create(ticket=ticket, author=reporter, body=f"@{colleague.email} bitte")

    (message,) = [m for m in mail.outbox if m.to == [colleague.email]]
    assert message.subject == f"[{ticket.key}] Sie wurden erwähnt: {ticket.summary}"
    assert "Antworten per E-Mail werden nicht gelesen" in message.body
    assert "Clara Customer hat Sie in der Anfrage" in message.body
