"""Find markup that a cross-site scripting payload injected into HTML."""

from html.parser import HTMLParser

from security.payloads import XSS_MARKER

# Tags whose text content runs or loads code.
_ACTIVE_TEXT_TAGS = {"script", "style", "iframe", "object", "embed", "noscript"}
_URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "srcdoc",
    "data",
    "xlink:href",
}


class _InjectionFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.findings: list[str] = []
        self._open_active: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if XSS_MARKER in tag:
            self.findings.append(f"injected tag <{tag}>")
        for name, value in attrs:
            value = value or ""
            if XSS_MARKER in name:
                self.findings.append(f"injected attribute {name!r} on <{tag}>")
            elif XSS_MARKER in value and name.startswith("on"):
                self.findings.append(f"event handler {name}={value!r} on <{tag}>")
            elif XSS_MARKER in value and name in _URL_ATTRIBUTES:
                self.findings.append(f"active URL {name}={value!r} on <{tag}>")
            elif XSS_MARKER in value and name in {"autofocus", "style"}:
                self.findings.append(f"attribute breakout {name}={value!r}")
        if tag in _ACTIVE_TEXT_TAGS:
            self._open_active.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._open_active and self._open_active[-1] == tag:
            self._open_active.pop()

    def handle_data(self, data: str) -> None:
        if self._open_active and XSS_MARKER in data:
            self.findings.append(f"marker inside <{self._open_active[-1]}>: {data!r}")


def find_injected_markup(html: str) -> list[str]:
    """Return a description of every place where a payload became live markup.

    Escaped payloads appear only as text, so an empty list means every payload
    in the document was rendered harmless.
    """
    finder = _InjectionFinder()
    finder.feed(html)
    finder.close()
    return finder.findings


def find_verbatim_payloads(html: str, payloads: tuple[str, ...]) -> list[str]:
    """Return the payloads with a tag that appear unescaped in html.

    Quotes alone are harmless in text content (sanitised rich text keeps
    them); inside attributes the parser check above finds them.
    """
    return [payload for payload in payloads if "<" in payload and payload in html]
