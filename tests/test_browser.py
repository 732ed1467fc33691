"""The editor and the attachments in a real browser (Chromium via Playwright).

Skipped when /usr/bin/chromium or the playwright package is missing. The
live server listens on a random port unless pytest is given --liveserver.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.test import Client

from tickets.models import Attachment, StagedUpload, Ticket

CHROMIUM = Path("/usr/bin/chromium")
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

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.skipif(
        not CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is None,
        reason="needs Chromium at /usr/bin/chromium",
    ),
    pytest.mark.browser,
    # The live server needs committed data. The flush after each test also
    # removes rows that migrations created, so tests/conftest.py runs these last.
    pytest.mark.django_db(transaction=True),
]

SUBMIT = "main form button[type=submit]"
TRACE = (
    'Exception in thread "main" java.lang.IllegalStateException: no route\n'
    "\tat com.example.planner.Router.route(Router.java:88)\n"
    "\tat com.example.planner.Main.main(Main.java:12)"
)

# Builds files inside the page and sends them as a drop or a paste event, the
# way the browser does for a real drag from the desktop or a clipboard paste.
DROP_FILES_JS = """([selector, files]) => {
  const transfer = new DataTransfer();
  for (const [name, text] of files) {
    transfer.items.add(new File([text], name, {type: "text/plain"}));
  }
  const target = document.querySelector(selector);
  for (const type of ["dragenter", "dragover", "drop"]) {
    target.dispatchEvent(new DragEvent(type, {dataTransfer: transfer, bubbles: true, cancelable: true}));
  }
}"""
PASTE_IMAGE_JS = """async (selector) => {
  const canvas = document.createElement("canvas");
  canvas.width = 120; canvas.height = 80;
  const context = canvas.getContext("2d");
  context.fillStyle = "#c00"; context.fillRect(0, 0, 120, 80);
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
  const transfer = new DataTransfer();
  transfer.items.add(new File([blob], "image.png", {type: "image/png"}));
  document.querySelector(selector).dispatchEvent(
    new ClipboardEvent("paste", {clipboardData: transfer, bubbles: true, cancelable: true}));
}"""
PASTE_TEXT_JS = """([selector, text]) => {
  const transfer = new DataTransfer();
  transfer.setData("text/plain", text);
  document.querySelector(selector).dispatchEvent(
    new ClipboardEvent("paste", {clipboardData: transfer, bubbles: true, cancelable: true}));
}"""


@pytest.fixture(scope="module")
def chromium():
    # Playwright's sync API keeps an event loop running in this thread while
    # the browser is open, and Django refuses ORM calls (the tests' own and
    # the database flush after each test) in such a thread without this flag.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with playwright_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browser_page(chromium, live_server):
    """Return a function that opens a page signed in as the given user."""
    contexts = []

    def open_as(user):
        client = Client()
        client.force_login(user)
        context = chromium.new_context(
            base_url=live_server.url, viewport={"width": 1280, "height": 900}
        )
        context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        return page

    yield open_as
    for context in contexts:
        context.close()


def wait_until_uploaded(page, count: int) -> None:
    page.wait_for_function(
        "n => document.querySelectorAll('[data-upload-list] input[name=staged]').length === n",
        arg=count,
    )


def test_editor_formatting_is_stored(browser_page, reporter, request_type):
    page = browser_page(reporter)
    page.goto(request_type.get_absolute_url())
    page.fill("#id_summary", "Formatting")
    editor = page.locator(".ProseMirror")
    editor.click()
    page.select_option("[data-editor-style]", "2")
    page.keyboard.type("Heading")
    page.keyboard.press("Enter")
    page.click("[data-editor-command=bold]")
    page.keyboard.type("bold")
    page.click("[data-editor-command=bold]")
    page.keyboard.type(" and")
    page.keyboard.press("Control+i")
    page.keyboard.type("italic")
    page.keyboard.press("Control+i")
    page.keyboard.press("Enter")
    page.click("[data-editor-command=bulletList]")
    page.keyboard.type("item")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.click("[data-editor-command=codeBlock]")
    page.keyboard.type("  at   spaced")
    page.click(SUBMIT)
    page.wait_for_url(re.compile(r"/requests/NET-1/$"))

    description = Ticket.objects.get().description
    assert "<h2>Heading</h2>" in description
    assert "<strong>bold</strong>" in description
    assert "<em>italic</em>" in description
    assert "<ul><li><p>item</p></li></ul>" in description
    assert "<pre><code>  at   spaced</code></pre>" in description
    assert page.errors == []


def test_mention_suggestions(browser_page, reporter, colleague, outsider, request_type):
    page = browser_page(reporter)
    page.goto(request_type.get_absolute_url())
    page.fill("#id_summary", "Mention")
    page.locator(".ProseMirror").click()
    page.keyboard.type("Please ask @Ca")
    option = page.locator("[data-mention-option]")
    option.first.wait_for()

    assert option.all_inner_texts() == ["Carl Colleague"]

    page.keyboard.press("Enter")
    page.click(SUBMIT)
    page.wait_for_url(re.compile(r"/requests/NET-1/$"))

    description = Ticket.objects.get().description
    assert f'<span data-mention="{colleague.pk}">@Carl Colleague</span>' in description
    assert page.locator(".ticket-description span[data-mention]").inner_text() == (
        "@Carl Colleague"
    )


def test_stack_trace_offer_attaches_text_file(browser_page, reporter, request_type):
    page = browser_page(reporter)
    page.goto(request_type.get_absolute_url())
    page.fill("#id_summary", "Router fails")
    page.locator(".ProseMirror").click()
    page.keyboard.type("It fails: ")
    page.evaluate(PASTE_TEXT_JS, [".ProseMirror", TRACE])

    page.locator("[data-trace-offer]").wait_for(state="visible")
    page.click("[data-trace-attach]")
    wait_until_uploaded(page, 1)
    name = page.locator("[data-upload-list] .upload-name").inner_text()
    page.click(SUBMIT)
    page.wait_for_url(re.compile(r"/requests/NET-1/$"))

    assert re.fullmatch(r"stack-trace-\d{4}-\d{2}-\d{2}-\d{4}\.txt", name)
    attachment = Ticket.objects.get().attachments.get()
    assert attachment.original_name == name
    assert attachment.content_type == "text/plain"
    assert attachment.file.read().decode() == TRACE
    assert "Router.java" not in Ticket.objects.get().description


def test_stack_trace_can_go_into_code_block(browser_page, reporter, request_type):
    page = browser_page(reporter)
    page.goto(request_type.get_absolute_url())
    page.fill("#id_summary", "Inline trace")
    page.locator(".ProseMirror").click()
    page.evaluate(PASTE_TEXT_JS, [".ProseMirror", TRACE])
    page.click("[data-trace-insert]")
    page.click(SUBMIT)
    page.wait_for_url(re.compile(r"/requests/NET-1/$"))

    description = Ticket.objects.get().description
    assert "<pre><code>Exception in thread" in description
    assert (
        "\n\tat com.example.planner.Main.main(Main.java:12)</code></pre>" in description
    )


def test_file_over_limit_is_refused_in_browser(
    browser_page, reporter, request_type, settings
):
    settings.ATTACHMENT_MAX_SIZE = 100
    page = browser_page(reporter)
    page.goto(request_type.get_absolute_url())

    page.evaluate(DROP_FILES_JS, ["main form", [["big.log", "x" * 101]]])

    error = page.locator("[data-upload-errors] .invalid-feedback")
    error.wait_for()
    assert (
        error.inner_text() == "big.log is larger than the limit of 100 bytes per file."
    )
    assert page.locator("[data-upload-item]").count() == 0
    assert not StagedUpload.objects.exists()


def test_remove_staged_file_before_sending(browser_page, reporter, request_type):
    page = browser_page(reporter)
    page.goto(request_type.get_absolute_url())
    page.evaluate(DROP_FILES_JS, ["main form", [["a.log", "a"], ["b.log", "b"]]])
    wait_until_uploaded(page, 2)

    page.locator("[data-upload-item]", has_text="a.log").locator(
        "[data-upload-remove]"
    ).click()
    page.wait_for_function(
        "() => document.querySelectorAll('[data-upload-item]').length === 1"
    )
    page.fill("#id_summary", "Only b")
    page.click(SUBMIT)
    page.wait_for_url(re.compile(r"/requests/NET-1/$"))

    names = Ticket.objects.get().attachments.values_list("original_name", flat=True)
    assert list(names) == ["b.log"]
    assert not StagedUpload.objects.exists()


def test_customer_flow_with_typo(browser_page, reporter, request_type):
    """Paste a screenshot and a trace, drop two logs, fail validation, fix, send."""
    page = browser_page(reporter)
    page.goto(request_type.get_absolute_url())
    page.locator(".ProseMirror").click()
    page.keyboard.type("The router stops.")
    page.evaluate(PASTE_IMAGE_JS, ".ProseMirror")
    page.evaluate(PASTE_TEXT_JS, [".ProseMirror", TRACE])
    page.click("[data-trace-attach]")
    page.evaluate(
        DROP_FILES_JS,
        [
            "main form",
            [["server.log", "12:00 start\n12:01 <error>\n"], ["client.log", "ok\n"]],
        ],
    )
    wait_until_uploaded(page, 4)
    # The summary is left empty: the form comes back with an error.
    page.click(SUBMIT)
    page.locator(".alert-danger").first.wait_for()

    kept = page.locator("[data-upload-list] .upload-name").all_inner_texts()
    assert len(kept) == 4
    page.fill("#id_summary", "Router stops")
    page.click(SUBMIT)
    page.wait_for_url(re.compile(r"/requests/NET-1/$"))

    ticket = Ticket.objects.get()
    assert "The router stops." in ticket.description
    attachments = {a.original_name: a for a in ticket.attachments.all()}
    assert sorted(attachments) == sorted(kept)
    screenshot = next(a for a in attachments.values() if a.content_type == "image/png")
    assert re.fullmatch(
        r"screenshot-\d{4}-\d{2}-\d{2}-\d{4}\.png", screenshot.original_name
    )
    trace = next(
        a for name, a in attachments.items() if name.startswith("stack-trace-")
    )
    assert trace.content_type == "text/plain"

    thumbnail = page.locator(f'img[src="{screenshot.get_thumbnail_url()}"]').first
    thumbnail.scroll_into_view_if_needed()
    page.wait_for_function(
        "image => image.complete && image.naturalWidth > 0",
        arg=thumbnail.element_handle(),
    )
    assert thumbnail.evaluate("image => image.naturalWidth") == 120

    page.click(f'a[href="{attachments["server.log"].get_preview_url()}"]')
    lines = page.locator(".text-preview li code")
    assert lines.all_inner_texts() == ["12:00 start", "12:01 <error>"]
    assert page.errors == []


def test_svg_with_script_downloads(browser_page, reporter, ticket):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="document.title=\'pwned\'"><script>document.title="pwned"</script></svg>'
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tickets.services import attachment_create

    attachment = attachment_create(
        ticket=ticket,
        uploaded_by=reporter,
        upload=SimpleUploadedFile("drawing.svg", svg, "image/svg+xml"),
    )
    page = browser_page(reporter)
    page.goto(ticket.get_absolute_url())

    with page.expect_download() as download_info:
        page.click(f'a[href="{attachment.get_absolute_url()}"]')

    download = download_info.value
    assert download.suggested_filename == "drawing.svg"
    assert page.title() != "pwned"
    assert Attachment.objects.get().content_type == "image/svg+xml"
