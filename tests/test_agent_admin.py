import pytest
from django.core import mail
from django.urls import reverse

from tickets.models import Comment, Status

pytestmark = pytest.mark.django_db


def change_url(ticket) -> str:
    return reverse("admin:tickets_ticket_change", args=[ticket.pk])


def admin_form(client, ticket, **overrides) -> dict:
    """Return the admin change form's current data, with overrides applied."""
    response = client.get(change_url(ticket))
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if isinstance(value, list):
            data[name] = [getattr(item, "pk", item) for item in value]
        else:
            data[name] = getattr(value, "pk", value)
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        prefix = formset.formset.prefix
        for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{prefix}-{name}"] = management[name].value()
        for index, inline in enumerate(formset.formset.initial_forms):
            data[f"{prefix}-{index}-id"] = inline.instance.pk
            data[f"{prefix}-{index}-ticket"] = ticket.pk
    data.update(overrides)
    return data


@pytest.fixture
def agent_client(personas):
    return personas["agent"]


def test_agent_opens_ticket_list_and_page(agent_client, ticket):
    assert (
        agent_client.get(reverse("admin:tickets_ticket_changelist")).status_code == 200
    )
    assert agent_client.get(change_url(ticket)).status_code == 200


@pytest.mark.parametrize("persona", ["reporter", "colleague", "outsider", "anonymous"])
def test_customers_cannot_open_admin(personas, ticket, persona):
    response = personas[persona].get(change_url(ticket))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_admin_search_finds_key(superuser, client, ticket, make_ticket):
    make_ticket(summary="Another one")
    client.force_login(superuser)

    response = client.get(
        reverse("admin:tickets_ticket_changelist"), {"q": ticket.key.lower()}
    )

    assert list(response.context["cl"].result_list) == [ticket]


def test_agent_public_reply_emails_reporter(superuser, client, ticket, on_commit):
    client.force_login(superuser)
    data = admin_form(
        client, ticket, **{"comments-0-body": "Please send the server log."}
    )

    with on_commit(execute=True):
        response = client.post(change_url(ticket), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    comment = Comment.objects.get(ticket=ticket)
    assert comment.author == superuser
    assert comment.is_internal is False
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["customer@alpha.example"]
    assert message.subject == f"[{ticket.key}] New reply: {ticket.summary}"
    assert "Please send the server log." in message.body
    assert f"http://127.0.0.1:8000/requests/{ticket.key}/" in message.body
    assert "Replies by e-mail are not read" in message.body
    html = message.alternatives[0][0]
    assert "Please send the server log." in html


def test_agent_internal_note_sends_nothing(superuser, client, ticket, on_commit):
    client.force_login(superuser)
    data = admin_form(
        client,
        ticket,
        **{
            "comments-0-body": "Looks like a config issue.",
            "comments-0-is_internal": "on",
        },
    )

    with on_commit(execute=True):
        client.post(change_url(ticket), data)

    assert Comment.objects.get(ticket=ticket).is_internal is True
    assert mail.outbox == []


def test_agent_status_change_emails_reporter(superuser, client, ticket, on_commit):
    client.force_login(superuser)
    data = admin_form(client, ticket, status=Status.WAITING_FOR_CUSTOMER)

    with on_commit(execute=True):
        client.post(change_url(ticket), data)

    ticket.refresh_from_db()
    assert ticket.status == Status.WAITING_FOR_CUSTOMER
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == (
        f"[{ticket.key}] Status changed to Waiting for customer: {ticket.summary}"
    )
    assert '"Open" to "Waiting for customer"' in mail.outbox[0].body


def test_unchanged_ticket_sends_nothing(superuser, client, ticket, on_commit):
    client.force_login(superuser)

    with on_commit(execute=True):
        client.post(change_url(ticket), admin_form(client, ticket))

    assert mail.outbox == []


def test_status_choices_follow_workflow(agent_client, ticket, agent):
    from tickets.services import ticket_transition
    from tickets.workflow import Actor

    ticket_transition(
        ticket=ticket, to_status=Status.CANCELED, actor=Actor.AGENT, changed_by=agent
    )

    response = agent_client.get(change_url(ticket))

    choices = [
        value
        for value, _ in response.context["adminform"].form.fields["status"].choices
    ]
    assert sorted(choices) == sorted([Status.CANCELED, Status.OPEN])
