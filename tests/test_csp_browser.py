"""The strict Content-Security-Policy in a real browser: nothing is blocked.

The static check in test_csp.py finds inline code in the HTML. This test also
catches what only a browser sees: scripts that add inline styles or handlers
at run time, and assets the policy forbids.
"""

import shutil

import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


@pytest.fixture
def browser_page():
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not shutil.which(CHROMIUM):
        pytest.skip("needs Chromium at /usr/bin/chromium")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        page = browser.new_page()
        violations: list[str] = []
        page.on(
            "console",
            lambda message: (
                violations.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )
        yield page, violations
        browser.close()


def log_in(page, live_server, path: str, email: str, password: str) -> None:
    page.goto(f"{live_server.url}{path}")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.click("[type=submit]")
    page.wait_for_load_state()


# Fixtures that touch the database come before browser_page in each test's
# arguments: Playwright runs an event loop, and Django rejects ORM calls while
# one is running in the same thread.


@pytest.fixture
def portal_paths(ticket) -> list[str]:
    return [
        "/help-center/",
        ticket.get_absolute_url(),
        ticket.request_type.get_absolute_url(),
        "/requests/",
        "/no-such-page",
    ]


def test_admin_ticket_form_runs_under_policy(live_server, agent, ticket, browser_page):
    page, violations = browser_page
    log_in(page, live_server, "/admin/login/", agent.email, PASSWORD)

    page.goto(f"{live_server.url}/admin/tickets/ticket/{ticket.pk}/change/")
    # The participants' autocomplete box exists only when the admin's
    # JavaScript (jQuery and select2) ran.
    autocomplete = page.locator(".select2-container")
    autocomplete.first.wait_for(state="attached", timeout=10_000)
    page.goto(f"{live_server.url}/admin/tickets/ticket/")

    assert violations == []


def test_portal_pages_run_under_policy(
    live_server, reporter, portal_paths, browser_page
):
    page, violations = browser_page
    log_in(page, live_server, "/accounts/login/", reporter.email, PASSWORD)

    for path in portal_paths:
        page.goto(f"{live_server.url}{path}")

    assert violations == []


def test_editor_pages_log_no_warnings(live_server, reporter, ticket, browser_page):
    page, _violations = browser_page
    messages: list[str] = []
    page.on(
        "console",
        lambda message: (
            messages.append(f"{message.type}: {message.text}")
            if message.type in ("warning", "error")
            else None
        ),
    )
    log_in(page, live_server, "/accounts/login/", reporter.email, PASSWORD)

    for path in (ticket.get_absolute_url(), ticket.request_type.get_absolute_url()):
        page.goto(f"{live_server.url}{path}")
        page.locator(".ProseMirror").first.wait_for(timeout=10_000)

    assert messages == []
