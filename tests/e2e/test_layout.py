"""Screenshots of the main pages at phone and desktop width, and no page
wider than a phone's screen."""

import pytest

from e2e import stats
from e2e.conftest import DESKTOP, PHONE
from e2e.helpers import horizontal_overflow, log_in, log_in_admin, screenshot
from e2e.pages import admin_pages, anonymous_pages, customer_pages

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_customer_pages_fit_and_are_captured(new_page, world, viewport):
    page = new_page(viewport=viewport)
    overflowing = []

    for name, path in anonymous_pages(world):
        page.goto(path)
        screenshot(page, f"anonymous-{name}")
        stats.counts["screenshots"] += 1
        if viewport is PHONE and horizontal_overflow(page) > 0:
            overflowing.append(f"{path}: {horizontal_overflow(page)} px")

    log_in(page, world.reporter.email)
    for name, path in customer_pages(world):
        response = page.goto(path)
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue
        screenshot(page, f"customer-{name}")
        stats.counts["screenshots"] += 1
        if viewport is PHONE and horizontal_overflow(page) > 0:
            overflowing.append(f"{path}: {horizontal_overflow(page)} px")

    assert not overflowing, f"pages wider than 375 px: {overflowing}"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_admin_pages_are_captured(new_page, world, viewport):
    page = new_page(viewport=viewport)
    log_in_admin(page, world.agent.email)

    for name, path in admin_pages(world):
        response = page.goto(path)
        assert response.status == 200, path
        screenshot(page, f"agent-{name}")
        stats.counts["screenshots"] += 1
