"""The agent's journey in the admin: find a request, reply, change its
status, and the customer sees the reply in the portal."""

import pytest
from django.urls import reverse

from e2e.helpers import fill_rich_text, log_in, log_in_admin
from tickets.models import Status

pytestmark = pytest.mark.django_db(transaction=True)


def test_agent_replies_and_changes_status(new_page, world):
    ticket = world.private.ticket
    page = new_page()
    log_in_admin(page, world.agent.email)

    page.goto(reverse("admin:tickets_ticket_changelist"))
    page.fill("#searchbar", ticket.key)
    page.press("#searchbar", "Enter")
    page.wait_for_load_state()
    page.get_by_role("link", name=ticket.key).first.click()
    page.wait_for_load_state()
    assert str(ticket.pk) in page.url

    page.locator("form[action$='/assign-to-me/'] button[type=submit]").click()
    page.wait_for_load_state()
    fill_rich_text(
        page,
        "form[action$='/reply/']",
        "body",
        "We reproduced the problem and are working on a fix.",
    )
    page.locator("form[action$='/reply/'] button[name=kind][value=reply]").click()
    page.wait_for_load_state()
    assert page.locator(".errornote").count() == 0
    page.locator(f"button[name=to_status][value={Status.IN_PROGRESS}]").click()
    page.wait_for_load_state()

    assert page.locator(".errornote").count() == 0
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS
    assert ticket.assignee == world.agent
    assert ticket.comments.filter(
        body__contains="We reproduced the problem and are working on a fix.",
        author=world.agent,
        is_internal=False,
    ).exists()

    customer = new_page()
    log_in(customer, world.reporter.email)
    customer.goto(ticket.get_absolute_url())
    assert customer.get_by_text("We reproduced the problem").count() >= 1
    assert customer.get_by_text("INTERNALNOTE").count() == 0
