"""axe-core on every customer page and the main admin pages, and the
customer journey by keyboard alone with a visible focus."""

import pytest
from django.urls import reverse
from security.world import PASSWORD

from e2e import stats
from e2e.helpers import (
    COMMENT_INPUT,
    DJANGO_ADMIN_STOCK,
    axe_violations,
    drop_known_findings,
    focus_is_visible,
    focused_description,
    format_violations,
    log_in,
    log_in_admin,
    press_and_wait,
    tab_to,
)
from e2e.pages import admin_pages, anonymous_pages, customer_pages
from tickets.models import Ticket

pytestmark = pytest.mark.django_db(transaction=True)


def check_pages(page, pages, exclude=()) -> list[str]:
    failures = []
    for name, path in pages:
        response = page.goto(path)
        assert response is not None and response.status == 200, f"{name} {path}"
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue  # JSON endpoints are not pages
        violations = drop_known_findings(axe_violations(page, exclude))
        stats.counts["pages checked by axe"] += 1
        if violations:
            failures.append(f"{name} {path}:\n{format_violations(violations)}")
    return failures


def test_axe_anonymous_pages(new_page, world):
    page = new_page()

    failures = check_pages(page, anonymous_pages(world))

    assert not failures, "\n".join(failures)


def test_axe_customer_pages(new_page, world):
    page = new_page()
    log_in(page, world.reporter.email)
    pages = customer_pages(world)
    assert len(pages) >= 5, pages

    failures = check_pages(page, pages)

    assert not failures, "\n".join(failures)


def test_axe_admin_pages(new_page, world):
    page = new_page()
    log_in_admin(page, world.agent.email)

    failures = check_pages(page, admin_pages(world), exclude=DJANGO_ADMIN_STOCK)

    assert not failures, "\n".join(failures)


def test_keyboard_only_customer_journey(new_page, world):
    """Sign in, open a request and comment on it without touching the mouse."""
    page = new_page()
    invisible: list[str] = []
    page.goto(reverse("accounts:login"))

    invisible += tab_to(page, "input[name=username]")
    page.keyboard.type(world.reporter.email)
    invisible += tab_to(page, "input[name=password]")
    page.keyboard.type(PASSWORD)
    press_and_wait(page)
    assert reverse("helpcenter:project-list") in page.url

    invisible += tab_to(page, f"a[href$='/{world.project.key}/']")
    press_and_wait(page)
    invisible += tab_to(page, f"a[href$='/{world.request_type.slug}/']")
    press_and_wait(page)

    invisible += tab_to(page, "input[name=summary]")
    page.keyboard.type("Typed without a mouse")
    invisible += tab_to(page, "form[enctype='multipart/form-data'] button[type=submit]")
    press_and_wait(page)
    ticket = Ticket.objects.get(summary="Typed without a mouse")
    assert page.url.endswith(ticket.get_absolute_url())

    invisible += tab_to(page, COMMENT_INPUT)
    page.keyboard.type("A comment typed by keyboard.")
    invisible += tab_to(page, "form[action$='/comments/'] button[type=submit]")
    assert focus_is_visible(page), focused_description(page)
    press_and_wait(page)
    assert ticket.comments.filter(
        body__contains="A comment typed by keyboard."
    ).exists()

    assert not invisible, f"focused elements without a visible focus: {invisible}"


def test_skip_link_is_first_and_visible(new_page, world):
    page = new_page()
    log_in(page, world.reporter.email)
    page.goto(reverse("tickets:list"))

    page.keyboard.press("Tab")

    assert page.evaluate("() => document.activeElement.getAttribute('href')") == "#main"
    assert focus_is_visible(page)
