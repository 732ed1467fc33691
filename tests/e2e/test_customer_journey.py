"""The customer's journey through the portal in a real browser.

Each step is its own test on fresh data, so a step whose feature is not
built yet skips with the missing URL or element and the others still run.
"""

import csv
import io
import re

import pytest
from django.urls import reverse

from e2e.helpers import element_or_skip, fill_rich_text, log_in, url_or_skip
from tickets.models import Ticket

pytestmark = pytest.mark.django_db(transaction=True)

# The page of one request, where a new request's form leads.
REQUEST_PAGE = re.compile(r"/requests/[A-Z][A-Z0-9]*-\d+/$")


def open_request_form(page, world) -> None:
    page.goto(reverse("helpcenter:project-list"))
    page.get_by_role("link", name=world.project.name).first.click()
    page.get_by_role("link", name=world.request_type.name).first.click()
    page.wait_for_load_state()


def fill_description(page, text: str) -> None:
    """Type into the rich text editor when there is one, else the text area."""
    editor = page.locator("[contenteditable=true]")
    if editor.count():
        editor.first.click()
        page.keyboard.type(text)
    else:
        page.fill("textarea[name=description]", text)


def test_login_and_help_center(new_page, world):
    page = new_page()

    log_in(page, world.reporter.email)

    page.goto(reverse("helpcenter:project-list"))
    assert page.get_by_role("link", name=world.project.name).count() >= 1
    page.get_by_role("link", name=world.project.name).first.click()
    assert page.get_by_role("link", name=world.request_type.name).count() >= 1
    assert not page.js_errors


def test_new_request_with_attachments(new_page, world, tmp_path):
    page = new_page()
    log_in(page, world.reporter.email)
    trace = tmp_path / "stacktrace.txt"
    trace.write_text("java.lang.IllegalStateException: export failed\n")
    log = tmp_path / "server.log"
    log.write_text("2026-12-04 10:00:00 ERROR export failed\n")

    open_request_form(page, world)
    page.fill("input[name=summary]", "Export to PDF fails in the browser test")
    fill_description(page, "Open a plan, choose Export, pick PDF: error 500.")
    page.locator("input[type=file]").first.set_input_files([str(trace), str(log)])
    page.locator("form[enctype='multipart/form-data'] button[type=submit]").click()
    page.wait_for_url(REQUEST_PAGE)

    ticket = Ticket.objects.get(summary="Export to PDF fails in the browser test")
    assert page.url.endswith(ticket.get_absolute_url())
    assert page.get_by_text(ticket.key).count() >= 1
    names = sorted(ticket.attachments.values_list("original_name", flat=True))
    assert names == ["server.log", "stacktrace.txt"]
    assert page.get_by_text("stacktrace.txt").count() >= 1
    assert not page.js_errors


def test_sending_during_upload_waits_for_the_files(new_page, world, tmp_path):
    """A click on Send while a file is still uploading sends the form once
    the upload is done, with the file, and without a second click."""
    page = new_page()
    log_in(page, world.reporter.email)
    report = tmp_path / "report.txt"
    report.write_text("Stage held back by the test.\n")
    stalled_uploads = []
    page.route(
        "**" + reverse("tickets:upload-stage"),
        lambda route: stalled_uploads.append(route),
    )

    open_request_form(page, world)
    page.fill("input[name=summary]", "Sent while the upload was running")
    fill_description(page, "The report is attached.")
    page.locator("input[type=file]").first.set_input_files(str(report))
    page.wait_for_function("document.querySelector('[data-upload-item] progress')")
    page.locator("form[enctype='multipart/form-data'] button[type=submit]").click()

    status = page.locator("[data-upload-status]")
    status.wait_for()
    assert "still uploading" in status.inner_text()
    assert not Ticket.objects.filter(
        summary="Sent while the upload was running"
    ).exists()
    assert len(stalled_uploads) == 1
    stalled_uploads[0].continue_()
    page.wait_for_url(REQUEST_PAGE)

    ticket = Ticket.objects.get(summary="Sent while the upload was running")
    assert list(ticket.attachments.values_list("original_name", flat=True)) == [
        "report.txt"
    ]
    assert not page.js_errors


def test_request_list_shows_own_requests(new_page, world):
    page = new_page()
    log_in(page, world.reporter.email)

    page.goto(reverse("tickets:list"))

    assert page.get_by_text(world.private.ticket.key, exact=True).count() >= 1
    assert page.get_by_text(world.shared.ticket.key, exact=True).count() >= 1
    assert page.get_by_text(world.foreign.ticket.summary).count() == 0


def test_search_finds_request(new_page, world):
    page = new_page()
    log_in(page, world.reporter.email)
    page.goto(reverse("tickets:list"))
    box = element_or_skip(page, "input[type=search], input[name=q]", "full-text search")

    box.fill("SHAREDALPHA")
    box.press("Enter")
    page.wait_for_load_state()

    assert page.get_by_text(world.shared.ticket.key, exact=True).count() >= 1
    assert page.get_by_text(world.private.ticket.key, exact=True).count() == 0


def test_filter_by_status(new_page, world):
    page = new_page()
    log_in(page, world.reporter.email)
    page.goto(reverse("tickets:list"))
    element_or_skip(page, "[name=status]", "status filter")

    page.goto(reverse("tickets:list") + "?status=resolved")

    assert page.get_by_text(world.private.ticket.key, exact=True).count() == 0
    page.goto(reverse("tickets:list") + "?status=open")
    assert page.get_by_text(world.private.ticket.key, exact=True).count() >= 1


def test_saved_filter(new_page, world):
    page = new_page()
    log_in(page, world.reporter.email)
    page.goto(reverse("tickets:list") + "?q=SHAREDALPHA")
    name_box = element_or_skip(
        page,
        "form[action$='/saved-filters/'] input[name=name]",
        "saving filter settings under a name",
    )
    details = name_box.locator("xpath=ancestor::details")
    if details.count():
        details.first.locator("summary").click()

    name_box.fill("Shared only")
    name_box.press("Enter")
    page.wait_for_load_state()
    page.goto(reverse("tickets:list"))

    link = page.get_by_role("link", name="Shared only", exact=True)
    assert link.count() >= 1
    link.first.click()
    page.wait_for_load_state()
    assert page.get_by_text(world.shared.ticket.key, exact=True).count() >= 1
    assert page.get_by_text(world.private.ticket.key, exact=True).count() == 0


def test_csv_download(new_page, world):
    page = new_page()
    log_in(page, world.reporter.email)
    page.goto(reverse("tickets:list"))
    link = element_or_skip(
        page, "a[href*='csv'], a[href*='export'], a[download]", "CSV export"
    )

    with page.expect_download() as download_info:
        link.click()
    content = download_info.value.path().read_text(encoding="utf-8-sig")

    rows = list(csv.reader(io.StringIO(content)))
    keys = {cell for row in rows for cell in row}
    assert world.private.ticket.key in keys
    assert world.foreign.ticket.key not in keys


def test_comment_on_request(new_page, world):
    page = new_page()
    log_in(page, world.reporter.email)
    page.goto(world.private.ticket.get_absolute_url())

    fill_rich_text(
        page, "form[action$='/comments/']", "body", "Here is the log you asked for."
    )
    page.locator("form[action$='/comments/'] button[type=submit]").click()
    page.wait_for_load_state()

    assert page.get_by_text("Here is the log you asked for.").count() >= 1
    assert world.private.ticket.comments.filter(
        body__contains="Here is the log you asked for."
    ).exists()


def test_share_with_organization(new_page, world):
    page = new_page()
    log_in(page, world.reporter.email)
    page.goto(world.private.ticket.get_absolute_url())
    link = element_or_skip(page, "a[href$='/share/']", "sharing a request")

    link.click()
    page.wait_for_load_state()
    page.locator("[name=sharing]").first.select_option(str(world.alpha.pk))
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()

    world.private.ticket.refresh_from_db()
    assert world.private.ticket.organization == world.alpha
    colleague = new_page()
    log_in(colleague, world.colleague.email)
    response = colleague.goto(world.private.ticket.get_absolute_url())
    assert response.status == 200


def test_notification_switch(new_page, world):
    page = new_page()
    log_in(page, world.reporter.email)
    page.goto(world.private.ticket.get_absolute_url())
    selector = "form[action$='/notifications/'] button[type=submit]"
    switch = element_or_skip(page, selector, "notification switch")
    before = switch.inner_text().strip()

    switch.click()
    page.wait_for_load_state()

    after = page.locator(selector).first.inner_text().strip()
    assert after != before
    assert {before, after} == {"Turn off notifications", "Turn on notifications"}


def test_profile_language_change(new_page, world):
    page = new_page()
    log_in(page, world.reporter.email)
    page.goto(url_or_skip("accounts:profile"))
    language = element_or_skip(page, "select[name=language]", "language choice")

    language.select_option("de")
    language.locator("xpath=ancestor::form").locator("button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(reverse("tickets:list"))

    assert page.locator("html").get_attribute("lang") == "de"
    assert page.get_by_role("heading", name="Anfragen").count() >= 1
    world.reporter.refresh_from_db()
    assert world.reporter.language == "de"
