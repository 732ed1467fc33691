"""Content-Security-Policy: strict header, and pages that work under it."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse


class InlineCodeFinder(HTMLParser):
    """Collect what a strict CSP blocks: inline scripts, style attributes, handlers."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script" and not names.get("src"):
            kind = names.get("type") or ""
            if kind not in {"application/json", "application/ld+json"}:
                self.problems.append(f"inline <script> at {self.getpos()}")
        if tag == "style":
            self.problems.append(f"<style> element at {self.getpos()}")
        for name, value in attrs:
            if name == "style":
                self.problems.append(f'style="{value}" on <{tag}> at {self.getpos()}')
            if name.startswith("on"):
                self.problems.append(f"{name} handler on <{tag}> at {self.getpos()}")
            if value and value.strip().lower().startswith("javascript:"):
                self.problems.append(f"javascript: URL on <{tag}> at {self.getpos()}")


def inline_code(html: str) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(html)
    return finder.problems


def test_policy_header_is_strict(personas):
    response = personas["anonymous"].get(reverse("accounts:login"))

    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_download_keeps_its_sandbox_policy(personas, make_ticket):
    from django.core.files.uploadedfile import SimpleUploadedFile

    ticket = make_ticket(files=[SimpleUploadedFile("a.html", b"<script>x</script>")])
    response = personas["reporter"].get(ticket.attachments.get().get_absolute_url())

    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


@pytest.mark.parametrize(
    "persona, url_name",
    [
        ("anonymous", "accounts:login"),
        ("reporter", "helpcenter:project-list"),
        ("reporter", "tickets:list"),
        ("agent", "admin:index"),
        ("agent", "admin:tickets_ticket_changelist"),
        ("agent", "admin:accounts_organization_add"),
        ("agent", "admin:accounts_user_changelist"),
    ],
)
def test_page_has_no_inline_code(personas, ticket, persona, url_name):
    response = personas[persona].get(reverse(url_name))

    assert response.status_code == 200
    assert inline_code(response.content.decode()) == []


@pytest.mark.parametrize(
    "persona, url",
    [
        ("reporter", lambda t: t.get_absolute_url()),
        ("reporter", lambda t: t.project.get_absolute_url()),
        ("reporter", lambda t: t.request_type.get_absolute_url()),
        ("agent", lambda t: reverse("admin:tickets_ticket_change", args=[t.pk])),
    ],
    ids=["request page", "project page", "request form", "admin change form"],
)
def test_object_page_has_no_inline_code(personas, ticket, persona, url):
    response = personas[persona].get(url(ticket))

    assert response.status_code == 200
    assert inline_code(response.content.decode()) == []
