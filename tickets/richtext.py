"""Rich text of descriptions and comments: sanitising, plain-text conversion.

Every description and comment body is stored as HTML that went through
sanitize_html(). The same allowlist applies again when the HTML is rendered
(the rich_text template filter), so rows written by other paths, such as the
admin's plain text area, are safe in the portal, the admin, e-mails and
exports alike.
"""

import html
import re
from html.parser import HTMLParser

import nh3

from tickets.stacktrace import looks_like_stack_trace

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "h2",
        "h3",
        "h4",
        "strong",
        "b",
        "em",
        "i",
        "s",
        "del",
        "u",
        "ul",
        "ol",
        "li",
        "a",
        "code",
        "pre",
        "blockquote",
        "span",
        "hr",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "span": {"data-mention"},
    "ol": {"start"},
}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer nofollow"

_DIGITS = re.compile(r"^[0-9]{1,18}$")
_EMPTY_PARAGRAPHS = re.compile(r"<p>(\s|<br>)*</p>")
_MENTION = re.compile(r'<span data-mention="([0-9]{1,18})"')


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Drop attribute values that the allowlist of names cannot check."""
    if attribute in {"data-mention", "start"} and not _DIGITS.match(value):
        return None
    return value


_cleaner = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags={"script", "style", "template", "iframe", "object", "svg"},
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    attribute_filter=_filter_attribute,
    url_schemes=set(ALLOWED_URL_SCHEMES),
    link_rel=LINK_REL,
    strip_comments=True,
)


def sanitize_html(value: str) -> str:
    """Return the HTML reduced to the editor's allowlist.

    Removes scripts, event handlers, styles, iframes, forms and links with
    schemes other than http, https and mailto (javascript: and data: among
    them); every remaining link gets rel="noopener noreferrer nofollow".
    """
    if not value:
        return ""
    # The editor leaves an empty paragraph after a final list or code block.
    return _EMPTY_PARAGRAPHS.sub("", _cleaner.clean(value)).strip()


def text_to_html(text: str) -> str:
    """Convert plain text into escaped HTML paragraphs.

    A blank line starts a new paragraph and a single line break becomes <br>.
    A block that looks like a stack trace becomes a code block, so its
    indentation survives.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    if not text.strip():
        return ""
    blocks = re.split(r"\n[ \t]*\n", text)
    parts = []
    for block in blocks:
        if not block.strip():
            continue
        if looks_like_stack_trace(block):
            parts.append(f"<pre><code>{html.escape(block, quote=False)}</code></pre>")
        else:
            lines = [
                html.escape(line.strip(), quote=False) for line in block.split("\n")
            ]
            parts.append("<p>" + "<br>".join(lines) + "</p>")
    return "".join(parts)


def looks_like_html(value: str) -> bool:
    """Tell stored HTML from legacy or admin-entered plain text."""
    return value.lstrip().startswith("<")


def normalize_rich_text(value: str) -> str:
    """Return the HTML to store for a description or comment body.

    HTML from the editor is sanitised. Plain text, e.g. from the agents'
    text area, is escaped and split into paragraphs.
    """
    if looks_like_html(value or ""):
        return sanitize_html(value)
    return text_to_html(value or "")


def render_rich_text(value: str) -> str:
    """Return safe HTML for a stored description or comment body."""
    if not value:
        return ""
    if looks_like_html(value):
        return sanitize_html(value)
    return text_to_html(value)


class _TextExtractor(HTMLParser):
    """Collect the text of sanitised HTML, keeping block and line structure."""

    BLOCKS = frozenset(
        {"p", "h2", "h3", "h4", "pre", "blockquote", "ul", "ol", "hr", "div"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.list_stack: list[list[int]] = []
        self.in_pre = 0
        self.link_href: str | None = None
        self.link_text: list[str] = []

    def _block_break(self) -> None:
        if self.parts and not "".join(self.parts[-2:]).endswith("\n\n"):
            self.parts.append("\n\n" if not self.list_stack else "\n")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BLOCKS:
            self._block_break()
        if tag == "pre":
            self.in_pre += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in {"ul", "ol"}:
            start = dict(attrs).get("start") or "1"
            self.list_stack.append([int(start) if start.isdigit() else 1, tag == "ol"])
        elif tag == "li" and self.list_stack:
            counter = self.list_stack[-1]
            if self.parts and not self.parts[-1].endswith("\n"):
                self.parts.append("\n")
            indent = "  " * (len(self.list_stack) - 1)
            if counter[1]:
                self.parts.append(f"{indent}{counter[0]}. ")
                counter[0] += 1
            else:
                self.parts.append(f"{indent}- ")
        elif tag == "a":
            self.link_href = dict(attrs).get("href")
            self.link_text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre":
            self.in_pre = max(0, self.in_pre - 1)
        if tag in {"ul", "ol"} and self.list_stack:
            self.list_stack.pop()
        if tag == "a":
            text = "".join(self.link_text).strip()
            if self.link_href and self.link_href != text:
                self.parts.append(f" <{self.link_href}>")
            self.link_href = None
        if tag in self.BLOCKS:
            self._block_break()

    def handle_data(self, data: str) -> None:
        if not self.in_pre:
            data = re.sub(r"\s+", " ", data)
            if self.parts and self.parts[-1].endswith("\n"):
                data = data.lstrip()
        if self.link_href is not None:
            self.link_text.append(data)
        self.parts.append(data)

    def text(self) -> str:
        lines = "".join(self.parts).split("\n")
        return "\n".join(line.rstrip() for line in lines).strip("\n")


def html_to_text(value: str) -> str:
    """Return the plain text of a description or comment body.

    For e-mails' text part, search indexing and CSV export: paragraphs are
    separated by blank lines, list items start with "- " or "1. ", code
    blocks keep their whitespace and a link's address follows its text.
    """
    if not value:
        return ""
    if not looks_like_html(value):
        return value.replace("\r\n", "\n").strip()
    parser = _TextExtractor()
    parser.feed(sanitize_html(value))
    parser.close()
    return parser.text()


def mentioned_user_ids(value: str) -> list[int]:
    """Return the ids of users mentioned in sanitised HTML, in order, once each.

    The editor writes a mention as <span data-mention="42">@Name</span>.
    """
    seen: dict[int, None] = {}
    for match in _MENTION.finditer(value or ""):
        seen.setdefault(int(match.group(1)), None)
    return list(seen)
