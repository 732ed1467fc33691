"""The German catalog is complete and every template's visible text is translatable.

The template check tokenizes each template with Django's own lexer, replaces
every tag and variable by a placeholder, drops the contents of translation and
comment blocks, and then parses the remaining HTML. Any text node or visible
attribute that still contains a letter was written outside a translation tag.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.template.base import Lexer, TokenType
from django.utils import translation

from tickets.models import Status

ROOT = Path(settings.BASE_DIR)
CATALOG = ROOT / "locale" / "de" / "LC_MESSAGES" / "django.po"
TEMPLATE_DIRS = [ROOT / "templates"] + [
    ROOT / app / "templates" for app in ("accounts", "helpcenter", "tickets")
]

# Attributes whose values a person reads or hears.
VISIBLE_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "label"}
# Elements whose text is not shown as such.
HIDDEN_ELEMENTS = {"script", "style"}
# Block tags whose contents are translated or never rendered.
SKIPPED_BLOCKS = {
    "blocktranslate": "endblocktranslate",
    "blocktrans": "endblocktrans",
    "comment": "endcomment",
}
PLACEHOLDER = "\x00"
# A string literal given to a filter that prints it, e.g. {{ x|default:"None" }}.
PRINTED_LITERAL = re.compile(r"\|default(?:_if_none)?:(?:\"([^\"]*)\"|'([^']*)')")
LETTER = re.compile(r"[^\W\d_]")


def template_files() -> list[Path]:
    files = []
    for directory in TEMPLATE_DIRS:
        if directory.is_dir():
            files.extend(sorted(directory.rglob("*.html")))
            files.extend(sorted(directory.rglob("*.txt")))
    return files


def untranslated_source(source: str) -> str:
    """Return the template text that reaches the output untranslated.

    Tags and variables become a placeholder without letters, except for
    literals that a filter such as default prints. The bodies of translation
    and comment blocks disappear.
    """
    parts: list[str] = []
    closing: str | None = None
    for token in Lexer(source).tokenize():
        if closing is not None:
            if (
                token.token_type == TokenType.BLOCK
                and token.contents.split()[0] == closing
            ):
                closing = None
            parts.append(PLACEHOLDER)
            continue
        if token.token_type == TokenType.TEXT:
            parts.append(token.contents)
            continue
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0]
            closing = SKIPPED_BLOCKS.get(name)
        elif token.token_type == TokenType.VAR:
            parts.append(printed_literals(token.contents))
        parts.append(PLACEHOLDER)
    return "".join(parts)


class VisibleTextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden_depth = 0
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDDEN_ELEMENTS:
            self.hidden_depth += 1
        for name, value in attrs:
            if name in VISIBLE_ATTRIBUTES and value and LETTER.search(value):
                self.found.append(f'{name}="{value.replace(PLACEHOLDER, "")}"')

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN_ELEMENTS and self.hidden_depth:
            self.hidden_depth -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden_depth and LETTER.search(data):
            self.found.append(data.replace(PLACEHOLDER, " ").strip())


def printed_literals(contents: str) -> str:
    """Return the string literals that a variable tag's filters print as they are."""
    return " ".join(
        match.group(1) or match.group(2) or ""
        for match in PRINTED_LITERAL.finditer(contents)
    )


def visible_untranslated_text(path: Path) -> list[str]:
    text = untranslated_source(path.read_text(encoding="utf-8"))
    if path.suffix == ".txt":
        lines = [line.replace(PLACEHOLDER, " ").strip() for line in text.splitlines()]
        return [line for line in lines if LETTER.search(line)]
    collector = VisibleTextCollector()
    collector.feed(text)
    collector.close()
    return collector.found


def test_checker_finds_text_outside_tags():
    found = VisibleTextCollector()
    found.feed(
        untranslated_source(
            '{% load i18n %}<p title="Hint">{% translate "Fine" %} Plain</p>'
            "{% blocktranslate %}Also fine{% endblocktranslate %}"
            "{% comment %}Ignored{% endcomment %}<script>let a = 1;</script>"
            "<p>{{ name }} · {% if x %}:{% endif %}</p>"
        )
    )
    assert found.found == ['title="Hint"', "Plain"]


def test_checker_reads_text_templates_line_by_line(tmp_path):
    template = tmp_path / "mail.txt"
    template.write_text('{% load i18n %}{% translate "Hi" %}\nPlain line\n{{ url }}\n')
    assert visible_untranslated_text(template) == ["Plain line"]


def test_checker_finds_printed_filter_literals(tmp_path):
    template = tmp_path / "page.html"
    template.write_text(
        '<p>{{ a|default:"Unknown" }} {{ b|default:"-" }} {{ c|date:"SHORT_DATE_FORMAT" }}'
        "{{ d|default:_('Fine') }}</p><p class=\"{{ e|default:'info' }}\"></p>"
    )
    found = visible_untranslated_text(template)
    assert len(found) == 1
    assert found[0].split() == ["Unknown", "-"]


def test_template_list_is_not_empty():
    assert len(template_files()) > 10


@pytest.mark.parametrize(
    "path", template_files(), ids=lambda path: str(path.relative_to(ROOT))
)
def test_template_has_no_untranslated_text(path):
    assert visible_untranslated_text(path) == []


def test_german_catalog_is_complete():
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle, locale="de")
    untranslated = [
        message.id
        for message in catalog
        if message.id
        and not (
            all(message.string) if isinstance(message.string, tuple) else message.string
        )
    ]
    fuzzy = [message.id for message in catalog if message.id and message.fuzzy]
    assert untranslated == []
    assert fuzzy == []


def test_german_catalog_is_compiled_and_used():
    compiled = CATALOG.with_suffix(".mo")
    assert compiled.exists()
    assert compiled.stat().st_mtime >= CATALOG.stat().st_mtime
    with translation.override("de"):
        assert translation.gettext("Waiting for customer") == "Warten auf Kunde"
        assert str(Status.WAITING_FOR_CUSTOMER.label) == "Warten auf Kunde"
