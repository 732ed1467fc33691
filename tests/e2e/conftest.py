"""Browser fixtures: Debian's Chromium driven by Playwright against a live server.

The browser tests run with ``make e2e`` (which sets E2E=1) and stay out of
``make test``. pytest-django's live_server fixture serves the portal from a
thread of this process, on the test database, with static files.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

if os.environ.get("E2E"):
    # Playwright's synchronous API runs an event loop in this thread, and
    # Django refuses ORM calls from a thread with a running loop unless this
    # is set. Only for make e2e: in make test it would leak into the other
    # tests and the subprocesses they start.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
else:
    collect_ignore_glob = ["test_*.py"]

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
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
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("E2E_ARTIFACTS", ROOT / "test-artifacts"))
SCREENSHOTS = ARTIFACTS / "screenshots"
AXE_SCRIPT = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}; install the chromium package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def world(transactional_db):
    from security.world import build_world

    return build_world()


@pytest.fixture
def new_page(browser, live_server) -> Iterator:
    """Return a factory for pages in fresh browser contexts (own cookies).

    bypass_csp lets the tests inject axe-core; the portal's own pages run
    under their Content-Security-Policy as usual otherwise.
    """
    contexts = []

    def make(viewport=DESKTOP, locale="en-GB"):
        context = browser.new_context(
            base_url=live_server.url,
            viewport=viewport,
            locale=locale,
            bypass_csp=True,
            accept_downloads=True,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.js_errors = errors
        return page

    yield make
    for context in contexts:
        context.close()


def pytest_terminal_summary(terminalreporter) -> None:
    from e2e import stats

    if stats.counts:
        figures = ", ".join(f"{k}: {v}" for k, v in sorted(stats.counts.items()))
        terminalreporter.write_line(f"browser suite figures: {figures}")
