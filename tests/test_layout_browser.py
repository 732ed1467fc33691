"""Pages must fit phone and laptop screens, checked in Chromium.

A summary without spaces (a file path, a URL, an error code) is a single word
to the browser. Unless headings may break it anywhere, it widens the whole
page and the phone shows a horizontal scroll bar. The requests table shows
each request as a block on phones and its default columns without sideways
scrolling at 1280 px.
"""

import shutil

import pytest

from tests.conftest import PASSWORD
from tests.test_csp_browser import CHROMIUM, CHROMIUM_ARGS, log_in
from tickets.models import Status, Ticket

pytestmark = pytest.mark.django_db(transaction=True)

PHONE_WIDTH = 375
LAPTOP_WIDTH = 1280

LONG_WORD = "C:\\Program_Files\\NetworkPlanner\\" + "x" * 200


@pytest.fixture
def long_summary_ticket(make_ticket, reporter):
    return make_ticket(reporter=reporter, summary=LONG_WORD)


def _browser_page(width: int):
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not shutil.which(CHROMIUM):
        pytest.skip(f"needs Chromium at {CHROMIUM}")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield browser.new_page(viewport={"width": width, "height": 800})
        browser.close()


@pytest.fixture
def phone_page():
    yield from _browser_page(PHONE_WIDTH)


@pytest.fixture
def laptop_page():
    yield from _browser_page(LAPTOP_WIDTH)


# The database fixtures come before phone_page in the arguments, because
# Django rejects ORM calls while Playwright's event loop runs in this thread.
def test_long_summary_fits_phone_width(long_summary_ticket, live_server, phone_page):
    page = phone_page
    email = long_summary_ticket.reporter.email
    log_in(page, live_server, "/accounts/login/", email, PASSWORD)

    page.goto(f"{live_server.url}/requests/{long_summary_ticket.key}/")

    assert page.locator("h1").inner_text().endswith("x" * 200)
    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= PHONE_WIDTH, f"page is {page_width} px wide"


@pytest.fixture
def gearbox_ticket(make_ticket, reporter):
    return make_ticket(reporter=reporter, summary="Gearbox hangs after the update")


def test_request_list_fits_phone_width(gearbox_ticket, live_server, phone_page):
    page = phone_page
    email = gearbox_ticket.reporter.email
    log_in(page, live_server, "/accounts/login/", email, PASSWORD)

    columns = "&".join(
        f"columns={name}"
        for name in ("summary", "status", "components", "reporter", "last_comment")
    )
    page.goto(f"{live_server.url}/requests/?{columns}")

    wrapper = page.locator(".table-responsive")
    # Each request is a block as wide as the card, not a line of a wider
    # table that scrolls sideways.
    assert wrapper.evaluate("box => box.scrollWidth <= box.clientWidth")
    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= PHONE_WIDTH, f"page is {page_width} px wide"
    status_label = page.locator("td.col-status").evaluate(
        "cell => getComputedStyle(cell, '::before').content"
    )
    assert status_label == '"Status: "'
    # The sortable headers stay as a line of links; the others are hidden.
    assert page.get_by_role("link", name="Summary").is_visible()
    assert not page.locator("th.col-components").is_visible()
    # A request without components shows no empty "Components:" line.
    assert not page.locator("td.col-components").is_visible()


@pytest.fixture
def wide_row_ticket(make_ticket, reporter):
    ticket = make_ticket(
        reporter=reporter,
        summary="Load flow calculation times out after 60 minutes on large networks",
    )
    Ticket.objects.filter(pk=ticket.pk).update(status=Status.WAITING_FOR_CUSTOMER)
    return ticket


def test_default_columns_fit_laptop_width(wide_row_ticket, live_server, laptop_page):
    page = laptop_page
    email = wide_row_ticket.reporter.email
    log_in(page, live_server, "/accounts/login/", email, PASSWORD)

    page.goto(f"{live_server.url}/requests/")

    wrapper = page.locator(".table-responsive")
    assert page.locator("td.col-updated").is_visible()
    assert wrapper.evaluate("box => box.scrollWidth <= box.clientWidth")


def test_filter_form_leaves_empty_fields_out(gearbox_ticket, live_server, laptop_page):
    page = laptop_page
    email = gearbox_ticket.reporter.email
    log_in(page, live_server, "/accounts/login/", email, PASSWORD)
    page.goto(f"{live_server.url}/requests/")

    page.locator("summary", has_text="Filters").click()
    page.select_option("select[name=status]", ["open"])
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/requests/?**")

    query = page.url.split("?", 1)[1]
    assert "status=open" in query
    assert "created_after" not in query
    assert "status_group" not in query
    assert "q=" not in query
    assert page.locator("td.col-key").count() == 1
