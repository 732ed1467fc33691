"""Sanitising, plain-text conversion and rendering of descriptions and comments."""

import re
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.urls import reverse

from tests.conftest import login
from tickets.models import Comment
from tickets.richtext import (
    ALLOWED_TAGS,
    html_to_text,
    mentioned_user_ids,
    render_rich_text,
    sanitize_html,
    text_to_html,
)
from tickets.services import comment_create

# Each payload tries to run script or load something when rendered as HTML.
XSS_PAYLOADS = [
    "<script>alert('xss-1')</script>",
    "<img src=x onerror=alert('xss-2')>",
    "<svg onload=alert('xss-3')>",
    "<svg><script>alert('xss-4')</script></svg>",
    "<a href=\"javascript:alert('xss-5')\">click</a>",
    "<a href=\"JaVaScRiPt:alert('xss-6')\">click</a>",
    "<a href=\"&#106;avascript:alert('xss-7')\">click</a>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgneHNzLTgnKTwvc2NyaXB0Pg==">x</a>',
    '<iframe src="https://evil.example/xss-9"></iframe>',
    "<p style=\"background:url(javascript:alert('xss-10'))\">styled</p>",
    '<form action="https://evil.example/xss-11"><input name=q></form>',
    "<p onclick=\"alert('xss-12')\">click</p>",
    "<details open ontoggle=alert('xss-13')>",
    '<object data="https://evil.example/xss-14.swf"></object>',
    '<embed src="https://evil.example/xss-15.swf">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('xss-16')>",
    "<style>body{background:url(\"javascript:alert('xss-17')\")}</style>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(\'xss-18\')">',
    "<base href=\"javascript:alert('xss-19')//\">",
    "<noscript><p title=\"</noscript><img src=x onerror=alert('xss-20')>\">",
    "<<script>script>alert('xss-21')<</script>/script>",
    '<span data-mention="1" onmouseover="alert(\'xss-22\')">@x</span>',
    "<a href=\"vbscript:msgbox('xss-23')\">x</a>",
    "<template><img src=x onerror=alert('xss-24')></template>",
]
SAFE_ATTRIBUTES = {"href", "title", "data-mention", "start", "rel"}


class _TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append((tag, dict(attrs)))


def assert_harmless(html: str) -> None:
    """Check that every tag and attribute is on the allowlist and links are safe."""
    collector = _TagCollector()
    collector.feed(html)
    collector.close()
    for tag, attributes in collector.tags:
        assert tag in ALLOWED_TAGS, f"<{tag}> survived in {html!r}"
        assert set(attributes) <= SAFE_ATTRIBUTES, f"{attributes} on <{tag}>"
        href = (attributes.get("href") or "").strip().lower()
        if href:
            assert href.startswith(("http://", "https://", "mailto:")), href


def rich_text_blocks(content: str) -> list[str]:
    """Return the inner HTML of each rendered description and comment."""
    return re.findall(r'<div class="[^"]*rich-text[^"]*">(.*?)</div>', content, re.S)


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_sanitize_html_removes_payload(payload):
    assert_harmless(sanitize_html(payload))


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_plain_text_payload_is_escaped(payload):
    html = text_to_html(payload)

    assert_harmless(html)
    assert re.findall(r"<(\w+)", html) == ["p"]


def test_sanitize_keeps_editor_formatting():
    html = (
        "<h2>Title</h2><h3>Sub</h3><p><strong>b</strong> <em>i</em> <s>s</s> "
        "<code>x = 1</code></p><ul><li>a</li></ul><ol><li>b</li></ol>"
        "<blockquote><p>quoted</p></blockquote>"
        '<pre><code>  at Foo.bar(Foo.java:1)\n    indented</code></pre><span data-mention="7">@Carl</span>'
    )

    assert sanitize_html(html) == html


def test_sanitize_adds_rel_to_links():
    html = sanitize_html('<a href="https://example.com/x" target="_blank">x</a>')

    assert html == (
        '<a href="https://example.com/x" rel="noopener noreferrer nofollow">x</a>'
    )


def test_sanitize_drops_malformed_mention_id():
    assert sanitize_html('<span data-mention="7 or 1=1">@x</span>') == "<span>@x</span>"


def test_text_to_html_makes_paragraphs():
    html = text_to_html("First line\nsecond line\n\nNew paragraph <b>")

    assert html == "<p>First line<br>second line</p><p>New paragraph &lt;b&gt;</p>"


def test_text_to_html_keeps_trace_whitespace():
    trace = (
        "Traceback (most recent call last):\n"
        '  File "app.py", line 3, in <module>\n'
        "    main()\n"
        "ValueError: bad"
    )

    html = text_to_html(f"It crashed:\n\n{trace}")

    assert html.startswith("<p>It crashed:</p><pre><code>Traceback")
    assert '  File "app.py", line 3, in &lt;module&gt;\n    main()' in html


def test_html_to_text_structure():
    html = (
        "<h2>Title</h2><p>Hello <strong>you</strong> "
        '<a href="https://example.com">site</a></p>'
        "<ul><li>one</li><li>two</li></ul><ol><li>first</li><li>second</li></ol>"
        "<pre><code>  at x\n    at y</code></pre>"
    )

    text = html_to_text(html)

    assert text == (
        "Title\n\nHello you site <https://example.com>\n\n- one\n- two\n\n"
        "1. first\n2. second\n\n  at x\n    at y"
    )


def test_html_to_text_decodes_entities_and_drops_script():
    text = html_to_text("<p>a &lt; b &amp; c</p><script>alert(1)</script>")

    assert text == "a < b & c"


def test_html_to_text_passes_plain_text_through():
    assert html_to_text("Legacy row\nwith two lines") == "Legacy row\nwith two lines"


def test_render_rich_text_escapes_legacy_plain_text():
    assert render_rich_text("1 < 2 <script>") == "<p>1 &lt; 2 &lt;script&gt;</p>"


def test_mentioned_user_ids_in_order_once():
    html = (
        '<p><span data-mention="3">@A</span> <span data-mention="1">@B</span> '
        '<span data-mention="3">@A</span></p>'
    )

    assert mentioned_user_ids(html) == [3, 1]


# Rendering: every rich-text field in the portal, the admin and e-mails.

PAYLOAD_HTML = "".join(XSS_PAYLOADS)


@pytest.mark.django_db
def test_portal_renders_payloads_harmless(make_ticket, reporter, agent):
    ticket = make_ticket(description=PAYLOAD_HTML)
    comment_create(ticket=ticket, author=reporter, body=PAYLOAD_HTML)
    # Rows written around the services, e.g. by the admin, are cleaned on output.
    Comment.objects.create(ticket=ticket, author=agent, body=PAYLOAD_HTML)

    response = login(reporter).get(ticket.get_absolute_url())

    assert response.status_code == 200
    blocks = rich_text_blocks(response.content.decode())
    assert len(blocks) == 3
    for block in blocks:
        assert_harmless(block)


@pytest.mark.django_db
def test_stored_description_is_sanitised(make_ticket):
    ticket = make_ticket(description=PAYLOAD_HTML)

    assert_harmless(ticket.description)


@pytest.mark.django_db
def test_admin_renders_payloads_harmless(make_ticket, reporter, superuser, agent):
    ticket = make_ticket(description=PAYLOAD_HTML)
    Comment.objects.create(ticket=ticket, author=agent, body=PAYLOAD_HTML)
    client = login(superuser)

    change = client.get(reverse("admin:tickets_ticket_change", args=[ticket.pk]))
    listing = client.get(reverse("admin:tickets_ticket_changelist"))

    assert change.status_code == 200
    assert listing.status_code == 200
    for response in (change, listing):
        content = response.content.decode()
        start = content.index('id="content"')
        for payload in XSS_PAYLOADS:
            assert payload not in content[start:]


@pytest.mark.django_db
def test_reply_email_renders_payloads_harmless(make_ticket, agent, on_commit):
    ticket = make_ticket()
    with on_commit(execute=True):
        comment_create(ticket=ticket, author=agent, body="<p>Start</p>" + PAYLOAD_HTML)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    html = message.alternatives[0][0]
    start = html.index("<blockquote")
    quoted = html[start : html.index("</blockquote>", start)]
    assert_harmless(quoted[quoted.index(">") + 1 :])
    assert "Start" in message.body
    assert "<script" not in message.body
    assert "<p>" not in message.body


@pytest.mark.django_db
def test_data_migration_converts_plain_text_rows(make_ticket, reporter):
    from importlib import import_module

    from django.apps import apps

    from tickets.models import Ticket

    migration = import_module("tickets.migrations.0009_plain_text_to_html")
    ticket = make_ticket()
    Ticket.objects.filter(pk=ticket.pk).update(description="Old <b>text</b>\nline 2")
    comment = Comment.objects.create(ticket=ticket, author=reporter, body="Plain & old")
    rich = Comment.objects.create(ticket=ticket, author=reporter, body="<p>New</p>")

    migration.forwards(apps, None)

    ticket.refresh_from_db()
    assert ticket.description == "<p>Old &lt;b&gt;text&lt;/b&gt;<br>line 2</p>"
    assert Comment.objects.get(pk=comment.pk).body == "<p>Plain &amp; old</p>"
    assert Comment.objects.get(pk=rich.pk).body == "<p>New</p>"

    migration.backwards(apps, None)

    ticket.refresh_from_db()
    assert ticket.description == "Old <b>text</b>\nline 2"
    assert Comment.objects.get(pk=comment.pk).body == "Plain & old"


@pytest.mark.django_db
def test_plain_text_comment_is_escaped_once(ticket, agent):
    comment = comment_create(ticket=ticket, author=agent, body="a < b\nnext line")

    assert comment.body == "<p>a &lt; b<br>next line</p>"


@pytest.mark.django_db
def test_agent_workspace_renders_rich_text(make_ticket, superuser):
    ticket = make_ticket(description="<p>Steps <strong>one</strong></p>")

    response = login(superuser).get(
        reverse("admin:tickets_ticket_change", args=[ticket.pk])
    )

    content = response.content.decode()
    assert '<div class="ws-body ws-rich-text"><p>Steps <strong>one</strong></p>' in (
        content
    )
    assert "&lt;p&gt;" not in content
