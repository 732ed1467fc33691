"""Cancel, escalate, reopen, sharing, the notification switch and /help/."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tickets.models import Notification, NotificationEvent, Status, Ticket
from tickets.services import comment_create, ticket_transition
from tickets.workflow import Actor

pytestmark = pytest.mark.django_db


def url(name: str, ticket: Ticket) -> str:
    return reverse(f"tickets:{name}", kwargs={"key": ticket.key})


@pytest.fixture
def participant_ticket(shared_ticket, colleague):
    """A shared request on which the colleague is a named participant."""
    shared_ticket.participants.add(colleague)
    return shared_ticket


# Status codes of POSTs by persona on the reporter's shared request, where
# the colleague merely sees it: 302 = done, 403 = visible but not allowed.
@pytest.mark.parametrize(
    "persona, expected",
    {
        "reporter": 302,
        "colleague": 403,
        "outsider": 404,
        "agent": 403,
    }.items(),
)
def test_cancel_by_persona(personas, shared_ticket, persona, expected):
    response = personas[persona].post(url("cancel", shared_ticket), {"reason": "Fixed"})

    assert response.status_code == expected
    shared_ticket.refresh_from_db()
    expected_status = Status.CANCELED if persona == "reporter" else Status.OPEN
    assert shared_ticket.status == expected_status


@pytest.mark.parametrize("name", ["cancel", "escalate", "reopen", "share"])
def test_actions_redirect_anonymous(personas, ticket, name):
    response = personas["anonymous"].post(url(name, ticket), {"reason": "x"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_cancel_needs_reason(personas, ticket):
    response = personas["reporter"].post(
        url("cancel", ticket), {"reason": " "}, follow=True
    )

    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert "Please give a reason." in response.content.decode()


def test_cancel_records_reason_in_timeline(personas, ticket):
    personas["reporter"].post(url("cancel", ticket), {"reason": "Found the cause"})

    change = ticket.status_changes.get()
    assert change.reason == "Found the cause"
    page = personas["reporter"].get(ticket.get_absolute_url()).content.decode()
    assert "Found the cause" in page
    assert f'id="status-change-{change.pk}"' in page


def test_participant_may_escalate_not_cancel(
    personas, participant_ticket, on_commit, agent
):
    client = personas["colleague"]
    assert (
        client.post(url("cancel", participant_ticket), {"reason": "x"}).status_code
        == 403
    )

    with on_commit(execute=True):
        response = client.post(
            url("escalate", participant_ticket), {"reason": "Urgent"}
        )

    assert response.status_code == 302
    participant_ticket.refresh_from_db()
    assert participant_ticket.status == Status.ESCALATED
    escalation = Notification.objects.filter(event=NotificationEvent.ESCALATION)
    recipients = set(escalation.values_list("recipient__email", flat=True))
    assert recipients == {"agent@support.example", "customer@alpha.example"}
    assert any("Escalated" in message.subject for message in mail.outbox)


def test_escalation_once_per_period(personas, ticket, agent, settings):
    settings.ESCALATION_PERIOD_HOURS = 24
    client = personas["reporter"]
    client.post(url("escalate", ticket), {"reason": "Production down"})
    ticket_transition(
        ticket=ticket, to_status=Status.IN_PROGRESS, actor=Actor.AGENT, changed_by=agent
    )

    response = client.post(url("escalate", ticket), {"reason": "Again"}, follow=True)

    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS
    assert "already escalated recently" in response.content.decode()


def test_escalation_allowed_after_period(personas, ticket, agent, settings):
    settings.ESCALATION_PERIOD_HOURS = 24
    client = personas["reporter"]
    client.post(url("escalate", ticket), {"reason": "Production down"})
    ticket.status_changes.update(created_at=timezone.now() - timedelta(hours=25))
    ticket_transition(
        ticket=ticket, to_status=Status.IN_PROGRESS, actor=Actor.AGENT, changed_by=agent
    )

    client.post(url("escalate", ticket), {"reason": "Again"})

    ticket.refresh_from_db()
    assert ticket.status == Status.ESCALATED


def test_reopen_within_period(personas, ticket, agent, settings):
    settings.REOPEN_DAYS = 14
    ticket_transition(
        ticket=ticket, to_status=Status.RESOLVED, actor=Actor.AGENT, changed_by=agent
    )

    response = personas["reporter"].post(url("reopen", ticket), {"reason": ""})

    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN


def test_reopen_after_period_rejected(personas, ticket, agent, settings):
    settings.REOPEN_DAYS = 14
    ticket_transition(
        ticket=ticket, to_status=Status.RESOLVED, actor=Actor.AGENT, changed_by=agent
    )
    Ticket.objects.filter(pk=ticket.pk).update(
        status_changed_at=timezone.now() - timedelta(days=15)
    )

    response = personas["reporter"].post(
        url("reopen", ticket), {"reason": ""}, follow=True
    )

    assert "can no longer be reopened" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED


def test_illegal_move_shows_clear_message(personas, ticket, agent):
    ticket_transition(
        ticket=ticket, to_status=Status.ESCALATED, actor=Actor.AGENT, changed_by=agent
    )

    page = personas["reporter"].get(ticket.get_absolute_url()).content.decode()

    assert url("escalate", ticket) not in page
    response = personas["reporter"].post(
        url("escalate", ticket), {"reason": "x"}, follow=True
    )
    assert "cannot be moved to “Escalated” by the customer" in response.content.decode()
    assert ticket.status_changes.count() == 1


def test_customer_answer_returns_from_waiting(ticket, agent, reporter):
    ticket_transition(
        ticket=ticket, to_status=Status.IN_PROGRESS, actor=Actor.AGENT, changed_by=agent
    )
    ticket_transition(
        ticket=ticket,
        to_status=Status.WAITING_FOR_CUSTOMER,
        actor=Actor.AGENT,
        changed_by=agent,
    )

    comment_create(ticket=ticket, author=reporter, body="Here is the log.")

    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS
    change = ticket.status_changes.order_by("pk").last()
    assert change.changed_by is None
    assert not Notification.objects.filter(status_change=change).exists()


def test_timeline_orders_changes_between_comments(personas, ticket, agent, reporter):
    comment_create(ticket=ticket, author=agent, body="FIRST-REPLY")
    ticket_transition(
        ticket=ticket,
        to_status=Status.WAITING_FOR_CUSTOMER,
        actor=Actor.AGENT,
        changed_by=agent,
    )
    comment_create(ticket=ticket, author=reporter, body="SECOND-ANSWER")

    page = personas["reporter"].get(ticket.get_absolute_url()).content.decode()

    first = page.index("FIRST-REPLY")
    waiting = page.index("Anna Agent changed the status")
    answer = page.index("SECOND-ANSWER")
    automatic = page.index("changed automatically")
    assert first < waiting < answer < automatic


# Sharing


SHARE_GET = {"reporter": 200, "colleague": 403, "outsider": 404, "agent": 403}


@pytest.mark.parametrize("persona, expected", SHARE_GET.items())
def test_share_page_by_persona(personas, shared_ticket, persona, expected):
    assert personas[persona].get(url("share", shared_ticket)).status_code == expected


def test_share_with_participant_grants_access(personas, ticket, colleague, on_commit):
    assert personas["colleague"].get(ticket.get_absolute_url()).status_code == 404

    with on_commit(execute=True):
        response = personas["reporter"].post(
            url("share", ticket), {"sharing": "private", "participants": [colleague.pk]}
        )

    assert response.status_code == 302
    assert personas["colleague"].get(ticket.get_absolute_url()).status_code == 200
    assert [message.to for message in mail.outbox] == [["colleague@alpha.example"]]
    assert "You were added to" in mail.outbox[0].subject


def test_share_rejects_outsider_participant(personas, ticket, outsider):
    response = personas["reporter"].post(
        url("share", ticket), {"sharing": "private", "participants": [outsider.pk]}
    )

    assert response.status_code == 400
    assert not ticket.participants.exists()


def test_removed_share_takes_effect_at_once(personas, shared_ticket):
    assert (
        personas["colleague"].get(shared_ticket.get_absolute_url()).status_code == 200
    )

    personas["reporter"].post(url("share", shared_ticket), {"sharing": "private"})

    assert (
        personas["colleague"].get(shared_ticket.get_absolute_url()).status_code == 404
    )


# The notification switch and unsubscribe links


@pytest.mark.parametrize(
    "persona, expected, label",
    [
        ("reporter", 200, "Turn off notifications"),
        ("colleague", 200, "Turn on notifications"),
        ("agent", 200, "Turn on notifications"),
    ],
)
def test_switch_label_names_action(personas, shared_ticket, persona, expected, label):
    response = personas[persona].get(shared_ticket.get_absolute_url())

    assert response.status_code == expected
    assert label in response.content.decode()


@pytest.mark.parametrize(
    "persona, expected",
    {"reporter": 302, "colleague": 302, "outsider": 404, "agent": 302}.items(),
)
def test_switch_post_by_persona(personas, shared_ticket, persona, expected):
    response = personas[persona].post(
        url("notifications", shared_ticket), {"enabled": "on"}
    )

    assert response.status_code == expected


def test_switch_redirects_anonymous(personas, ticket):
    response = personas["anonymous"].post(
        url("notifications", ticket), {"enabled": "on"}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_switch_off_stops_mail(personas, ticket, agent, on_commit):
    personas["reporter"].post(url("notifications", ticket), {"enabled": "off"})
    page = personas["reporter"].get(ticket.get_absolute_url()).content.decode()
    assert "Turn on notifications" in page

    with on_commit(execute=True):
        comment_create(ticket=ticket, author=agent, body="Reply")

    assert mail.outbox == []


def test_colleague_switch_on_gets_mail(personas, shared_ticket, agent, on_commit):
    personas["colleague"].post(url("notifications", shared_ticket), {"enabled": "on"})

    with on_commit(execute=True):
        comment_create(ticket=shared_ticket, author=agent, body="Reply")

    assert sorted(message.to[0] for message in mail.outbox) == [
        "colleague@alpha.example",
        "customer@alpha.example",
    ]


def unsubscribe_url(message) -> str:
    header = message.extra_headers["List-Unsubscribe"]
    return header.strip("<>").removeprefix("http://127.0.0.1:8000")


def test_unsubscribe_link_get_confirms_post_changes(ticket, agent, on_commit, client):
    with on_commit(execute=True):
        comment_create(ticket=ticket, author=agent, body="Reply")
    message = mail.outbox[0]
    assert (
        message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    )
    link = unsubscribe_url(message)
    assert link in message.body

    page = client.get(link)
    assert page.status_code == 200
    assert "Turn off notifications" in page.content.decode()
    assert ticket.notification_settings.count() == 0

    done = client.post(link, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert ticket.notification_settings.get().enabled is False


def test_forged_unsubscribe_link_is_rejected(ticket, client):
    response = client.post("/notifications/unsubscribe/forged:token/")

    assert response.status_code == 404
    assert ticket.notification_settings.count() == 0


# Help page


@pytest.mark.parametrize(
    "persona", ["reporter", "colleague", "outsider", "agent", "anonymous"]
)
def test_help_page_by_persona(personas, persona):
    response = personas[persona].get(reverse("help"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page
    assert "Waiting for customer" in page
    assert "Service Request" in page
    assert "<script>" not in page


def test_help_diagram_draws_every_transition(client):
    from tickets.workflow import TRANSITIONS

    page = client.get(reverse("help")).content.decode()

    edges = sum(len(targets) for targets in TRANSITIONS.values())
    assert page.count('class="wf-edge ') == edges


def test_help_page_in_german(client):
    client.cookies["django_language"] = "de"

    response = client.get(reverse("help"), HTTP_ACCEPT_LANGUAGE="de")

    assert response.status_code == 200
