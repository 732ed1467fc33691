"""The ticket page of the agents' admin: exchange, reply box, status, assignment."""

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import admin_change_data, login
from tickets.models import Attachment, Comment, Status, StatusChange
from tickets.services import comment_create, ticket_transition
from tickets.workflow import Actor

pytestmark = pytest.mark.django_db


def change_url(ticket) -> str:
    return reverse("admin:tickets_ticket_change", args=[ticket.pk])


def reply_url(ticket) -> str:
    return reverse("admin:tickets_ticket_reply", args=[ticket.pk])


def transition_url(ticket) -> str:
    return reverse("admin:tickets_ticket_transition", args=[ticket.pk])


def message_texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def agent_client(agent):
    return login(agent)


@pytest.mark.parametrize("persona", ["reporter", "colleague", "outsider", "anonymous"])
def test_customers_cannot_open_admin(personas, ticket, persona):
    response = personas[persona].get(change_url(ticket))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize("persona", ["reporter", "anonymous"])
def test_customers_cannot_post_reply(personas, ticket, persona):
    response = personas[persona].post(
        reply_url(ticket), {"body": "Hello", "kind": "reply"}
    )

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert not Comment.objects.exists()


def test_ticket_page_shows_exchange_in_order(agent_client, ticket, agent, reporter):
    comment_create(ticket=ticket, author=agent, body="Which version do you run?")
    ticket_transition(
        ticket=ticket,
        to_status=Status.WAITING_FOR_CUSTOMER,
        actor=Actor.AGENT,
        changed_by=agent,
    )
    comment_create(ticket=ticket, author=agent, body="Old patch.", is_internal=True)
    comment_create(ticket=ticket, author=reporter, body="Version 2026.1.")

    response = agent_client.get(change_url(ticket))

    html = response.content.decode()
    assert response.status_code == 200
    positions = [
        html.index("Steps to reproduce"),
        html.index("Which version do you run?"),
        html.index("changed the status from “Open” to “Waiting for customer”"),
        html.index("Old patch."),
        html.index("Version 2026.1."),
    ]
    assert positions == sorted(positions)
    assert "Internal note: not visible to the customer" in html


def test_ticket_page_sanitises_comment_html(agent_client, ticket, reporter):
    comment_create(
        ticket=ticket, author=reporter, body="<p>Hi</p><script>alert(1)</script>"
    )

    html = agent_client.get(change_url(ticket)).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert '<div class="ws-body ws-rich-text"><p>Hi</p></div>' in html


def test_ticket_page_previews_log_file(agent_client, make_ticket):
    log = SimpleUploadedFile(
        "server.log", b"ERROR java.lang.OutOfMemoryError", content_type="text/plain"
    )
    ticket = make_ticket(files=[log])
    attachment = Attachment.objects.get(ticket=ticket)

    html = agent_client.get(change_url(ticket)).content.decode()

    download = reverse(
        "tickets:attachment-download",
        kwargs={"key": ticket.key, "attachment_id": attachment.pk},
    )
    assert f'href="{download}"' in html
    assert "<pre>ERROR java.lang.OutOfMemoryError</pre>" in html


def test_ticket_page_query_count_is_constant(agent_client, ticket, agent, reporter):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = agent_client.get(change_url(ticket))
        assert response.status_code == 200
        return len(queries)

    comment_create(ticket=ticket, author=agent, body="First reply")
    few = count_queries()
    for number in range(15):
        comment_create(ticket=ticket, author=reporter, body=f"Answer {number}")
        comment_create(
            ticket=ticket, author=agent, body=f"Note {number}", is_internal=True
        )
    ticket_transition(
        ticket=ticket, to_status=Status.IN_PROGRESS, actor=Actor.AGENT, changed_by=agent
    )

    assert count_queries() == few


def test_status_buttons_follow_workflow(agent_client, ticket, agent):
    ticket_transition(
        ticket=ticket, to_status=Status.CANCELED, actor=Actor.AGENT, changed_by=agent
    )

    response = agent_client.get(change_url(ticket))

    buttons = [value for value, _ in response.context["transition_choices"]]
    assert buttons == [Status.OPEN]
    html = response.content.decode()
    assert 'name="to_status" value="open"' in html
    assert 'name="to_status" value="resolved"' not in html


def test_reply_button_emails_reporter(agent_client, ticket, agent, on_commit):
    with on_commit(execute=True):
        response = agent_client.post(
            reply_url(ticket),
            {"body": "Please send the server log.", "kind": "reply"},
        )

    comment = Comment.objects.get(ticket=ticket)
    assert response.status_code == 302
    assert response["Location"] == f"{change_url(ticket)}#comment-{comment.pk}"
    assert comment.author == agent
    assert comment.is_internal is False
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["customer@alpha.example"]
    assert message.subject == f"[{ticket.key}] New reply: {ticket.summary}"
    assert "Please send the server log." in message.body


def test_note_button_never_mails_customer(agent_client, ticket, on_commit):
    upload = SimpleUploadedFile("trace.txt", b"at Main.run", content_type="text/plain")

    with on_commit(execute=True):
        response = agent_client.post(
            reply_url(ticket),
            {
                "body": "Looks like a config issue.",
                "kind": "note",
                "attachments": upload,
            },
        )

    assert response.status_code == 302
    comment = Comment.objects.get(ticket=ticket)
    assert comment.is_internal is True
    assert comment.attachments.get().original_name == "trace.txt"
    assert mail.outbox == []


def test_note_is_hidden_in_portal(agent_client, ticket, reporter):
    agent_client.post(reply_url(ticket), {"body": "Secret remark", "kind": "note"})

    page = login(reporter).get(ticket.get_absolute_url())

    assert page.status_code == 200
    assert "Secret remark" not in page.content.decode()


def test_reply_with_attachment_and_status(agent_client, ticket, on_commit):
    upload = SimpleUploadedFile("fix.txt", b"set limit=10", content_type="text/plain")

    with on_commit(execute=True):
        response = agent_client.post(
            reply_url(ticket),
            {
                "body": "Which version do you run?",
                "kind": "reply",
                "status": Status.WAITING_FOR_CUSTOMER,
                "attachments": upload,
            },
        )

    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.WAITING_FOR_CUSTOMER
    assert Comment.objects.get(ticket=ticket).attachments.count() == 1
    subjects = sorted(message.subject for message in mail.outbox)
    assert subjects == [
        f"[{ticket.key}] New reply: {ticket.summary}",
        f"[{ticket.key}] Status changed to Waiting for customer: {ticket.summary}",
    ]


def test_reply_without_text_is_rejected(agent_client, ticket):
    response = agent_client.post(reply_url(ticket), {"body": " ", "kind": "reply"})

    assert response.status_code == 400
    assert "Write a message before sending." in response.content.decode()
    assert not Comment.objects.exists()


def test_reply_with_forbidden_status_saves_nothing(agent_client, ticket, on_commit):
    with on_commit(execute=True):
        response = agent_client.post(
            reply_url(ticket),
            {"body": "Reopening", "kind": "reply", "status": Status.OPEN},
        )

    assert response.status_code == 400
    assert not Comment.objects.exists()
    assert mail.outbox == []


def test_status_button_with_message(agent_client, ticket, agent, on_commit):
    with on_commit(execute=True):
        response = agent_client.post(
            transition_url(ticket),
            {"to_status": Status.RESOLVED, "message": "Fixed in 2026.2."},
        )

    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED
    change = StatusChange.objects.get(ticket=ticket)
    assert change.changed_by == agent
    comment = Comment.objects.get(ticket=ticket)
    assert comment.body == "<p>Fixed in 2026.2.</p>"
    assert comment.is_internal is False
    assert len(mail.outbox) == 2


def test_status_button_without_message(agent_client, ticket, on_commit):
    with on_commit(execute=True):
        agent_client.post(transition_url(ticket), {"to_status": Status.IN_PROGRESS})

    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS
    assert not Comment.objects.exists()
    assert [message.subject for message in mail.outbox] == [
        f"[{ticket.key}] Status changed to In Progress: {ticket.summary}"
    ]


def test_forbidden_status_button_is_refused(agent_client, ticket, agent):
    ticket_transition(
        ticket=ticket, to_status=Status.CANCELED, actor=Actor.AGENT, changed_by=agent
    )

    response = agent_client.post(
        transition_url(ticket), {"to_status": Status.RESOLVED, "message": "Done"}
    )

    ticket.refresh_from_db()
    assert ticket.status == Status.CANCELED
    assert not Comment.objects.exists()
    assert "cannot be moved to “Resolved”" in message_texts(response)[0]


def test_assign_to_me(agent_client, ticket, agent):
    response = agent_client.post(
        reverse("admin:tickets_ticket_assign_to_me", args=[ticket.pk])
    )

    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.assignee == agent


def test_get_on_reply_url_is_not_allowed(agent_client, ticket):
    assert agent_client.get(reply_url(ticket)).status_code == 405


def admin_form(client, ticket, **overrides) -> dict:
    """Return the ticket change form's current data, with overrides applied."""
    return admin_change_data(client, change_url(ticket), **overrides)


def test_fields_form_edits_work_fields(agent_client, ticket, agent, project, alpha):
    component = project.components.get(name="Reports")
    version = project.versions.get()
    data = admin_form(
        agent_client,
        ticket,
        assignee=agent.pk,
        priority=4,
        type="question",
        affected_version=version.pk,
        components=[component.pk],
        organization=alpha.pk,
    )

    response = agent_client.post(change_url(ticket), data)

    assert response.status_code == 302, response.context["errors"]
    ticket.refresh_from_db()
    assert ticket.assignee == agent
    assert ticket.priority == 4
    assert ticket.type == "question"
    assert ticket.affected_version == version
    assert list(ticket.components.all()) == [component]
    assert ticket.organization == alpha


def test_fields_form_keeps_status_changed_meanwhile(agent_client, ticket, agent):
    data = admin_form(agent_client, ticket, priority=3)
    ticket_transition(
        ticket=ticket, to_status=Status.IN_PROGRESS, actor=Actor.AGENT, changed_by=agent
    )

    agent_client.post(change_url(ticket), data)

    ticket.refresh_from_db()
    assert ticket.priority == 3
    assert ticket.status == Status.IN_PROGRESS


def test_sharing_only_with_reporters_organization(agent_client, ticket, beta):
    data = admin_form(agent_client, ticket, organization=beta.pk)

    response = agent_client.post(change_url(ticket), data)

    assert response.status_code == 200
    assert "organization" in response.context["adminform"].form.errors
