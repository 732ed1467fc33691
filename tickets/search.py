"""Search over requests: the search document, the query and the snippets.

Every ticket carries a search document: the plain text of its summary,
description, public comments and attachment names (never internal notes).
On PostgreSQL a tsvector built from it with English and German stemming is
covered by a GIN index. The query matches either language's stems and the
last word as a prefix, and results are ranked. On other databases (the SQLite demo) the
search is a case-insensitive substring match of every word in that text.

A request key such as "NET-17", or just "17", also finds that request.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection
from django.db.models import Case, F, Q, QuerySet, Value, When
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Left, Right
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from tickets.models import Attachment, Comment, Ticket
from tickets.richtext import html_to_text

# Maximum length of an indexed search document, in characters. PostgreSQL rejects a
# tsvector over 1 MB; the first 100,000 characters of a request (dozens of
# long comments) stay well below that.
MAX_DOCUMENT_CHARS = 100_000
# The query keeps at most this many words of at most this many characters,
# so a pasted 10,000-character text costs no more than a short query.
MAX_QUERY_WORDS = 12
MAX_WORD_CHARS = 60
SEARCH_CONFIGS = ("english", "german")

_WORD = re.compile(r"\w+")
_NON_WORD = re.compile(r"[\W_]+")
_KEY = re.compile(r"^\s*([A-Za-z][A-Za-z0-9]{1,9})-([1-9][0-9]{0,8})\s*$")
_NUMBER = re.compile(r"^\s*#?([1-9][0-9]{0,8})\s*$")
# An XML or HTML tag such as "<div>" as PostgreSQL's default parser reads it.
# ts_headline replaces tags with spaces, so the edge comparison drops them too.
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Markers ts_headline puts around a match; the text never contains them
# because _CONTROL_CHARS removes them from the document.
_MARK_START = "\x02"
_MARK_STOP = "\x03"
SNIPPET_CHARS = 200
# Characters of a document's start and end read to tell whether a snippet
# reaches them, and the characters of the snippet compared with them.
SNIPPET_EDGE_CHARS = 400
SNIPPET_EDGE_MATCH = 40


def uses_full_text_search() -> bool:
    return connection.vendor == "postgresql"


def plain_text(value: str) -> str:
    """Return rich text or plain text as plain text without control characters.

    Paragraphs, list items and line breaks become line breaks, so the words
    on either side of a tag stay two words ("reboot</p><p>then" must not
    become "rebootthen", which full-text search would not find).
    """
    if "<" in value or "&" in value:
        value = html_to_text(value)
    return _CONTROL_CHARS.sub(" ", value)


def search_document_build(*, ticket: Ticket) -> str:
    """Build the plain-text search document of a ticket from the database."""
    comments = Comment.objects.filter(ticket=ticket, is_internal=False).order_by(
        "created_at", "pk"
    )
    names = (
        Attachment.objects.filter(ticket=ticket)
        .exclude(comment__is_internal=True)
        .order_by("created_at", "pk")
        .values_list("original_name", flat=True)
    )
    texts = [ticket.summary, ticket.description]
    texts += comments.values_list("body", flat=True)
    return search_document_join(texts, file_names=names)


def search_document_join(texts: Iterable[str], *, file_names: Iterable[str]) -> str:
    """Join texts and file names into one document.

    PostgreSQL's parser reads "trace-kraken.txt" as a single file token, so
    each name is followed by its words split at punctuation.
    """
    parts = [plain_text(text) for text in texts if text]
    parts += [f"{name} {_NON_WORD.sub(' ', name)}" for name in file_names]
    return "\n".join(parts)[:MAX_DOCUMENT_CHARS]


def search_vector_expression() -> CombinedExpression:
    """Return the tsvector of a ticket row: summary weighted above the rest."""
    vector = None
    for weight, field in (("A", "summary"), ("B", "search_text")):
        for config in SEARCH_CONFIGS:
            part = SearchVector(field, config=config, weight=weight)
            vector = part if vector is None else vector + part
    return vector


def ticket_search_document_update(*, ticket: Ticket) -> None:
    """Store the ticket's current search document (and vector on PostgreSQL).

    Call it after anything a search covers has changed: summary,
    description, a comment or an attachment.
    """
    text = search_document_build(ticket=ticket)
    tickets = Ticket.objects.filter(pk=ticket.pk)
    tickets.update(search_text=text)
    if uses_full_text_search():
        tickets.update(search_vector=search_vector_expression())
    ticket.search_text = text


def search_vectors_rebuild(*, batch_size: int = 5000) -> int:
    """Compute the vector of every ticket from its stored search text.

    Returns the number of tickets updated; does nothing off PostgreSQL.
    """
    if not uses_full_text_search():
        return 0
    ids = list(Ticket.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        batch = ids[start : start + batch_size]
        Ticket.objects.filter(pk__in=batch).update(
            search_vector=search_vector_expression()
        )
    return len(ids)


@dataclass(frozen=True)
class SearchTerms:
    """A user's search input reduced to what the database is given."""

    words: tuple[str, ...]
    key: tuple[str, int] | None
    number: int | None

    @property
    def is_empty(self) -> bool:
        return not self.words and self.key is None and self.number is None


def search_terms_parse(text: str) -> SearchTerms:
    """Reduce any input to words of letters and digits, and a key or number.

    Quotes, operators, backslashes and NUL bytes never reach the database:
    only runs of word characters do.
    """
    text = _CONTROL_CHARS.sub(" ", text)[: MAX_QUERY_WORDS * (MAX_WORD_CHARS + 1) * 4]
    words = tuple(
        word[:MAX_WORD_CHARS] for word in _WORD.findall(text)[:MAX_QUERY_WORDS]
    )
    key = None
    number = None
    if match := _KEY.match(text):
        key = (match[1].upper(), int(match[2]))
    elif match := _NUMBER.match(text):
        number = int(match[1])
    return SearchTerms(words=words, key=key, number=number)


def _search_query(words: tuple[str, ...]) -> SearchQuery | None:
    """Match every word in English or German; the last word as a prefix.

    Each word consists of word characters only, so it is a valid single
    lexeme in to_tsquery's syntax and cannot carry an operator.
    """
    query = None
    for index, word in enumerate(words):
        lexeme = f"{word}:*" if index == len(words) - 1 else word
        either = None
        for config in SEARCH_CONFIGS:
            part = SearchQuery(lexeme, config=config, search_type="raw")
            either = part if either is None else either | part
        query = either if query is None else query & either
    return query


def _key_condition(terms: SearchTerms) -> Q | None:
    if terms.key is not None:
        project_key, number = terms.key
        return Q(project__key=project_key, number=number)
    if terms.number is not None:
        return Q(number=terms.number)
    return None


def ticket_search(tickets: QuerySet[Ticket], text: str) -> QuerySet[Ticket]:
    """Narrow tickets to those matching the search text.

    Adds `search_key_match` (the key or number matched) and, on PostgreSQL,
    `search_rank`, so callers can order by relevance.
    """
    terms = search_terms_parse(text)
    if terms.is_empty:
        return tickets.annotate(
            search_key_match=Value(False), search_rank=Value(0.0)
        ).none()

    key_condition = _key_condition(terms)
    key_match = (
        Case(When(key_condition, then=Value(True)), default=Value(False))
        if key_condition is not None
        else Value(False)
    )
    tickets = tickets.annotate(
        search_key_match=key_match,
    )
    text_condition = Q()
    if uses_full_text_search():
        query = _search_query(terms.words)
        if query is not None:
            text_condition = Q(search_vector=query)
            tickets = tickets.annotate(
                search_rank=SearchRank(F("search_vector"), query)
            )
        else:
            tickets = tickets.annotate(search_rank=Value(0.0))
    else:
        for word in terms.words:
            text_condition &= Q(search_text__icontains=word)

    if key_condition is None:
        return tickets.filter(text_condition)
    if not terms.words:
        return tickets.filter(key_condition)
    return tickets.filter(text_condition | key_condition)


def search_order_by() -> list[str]:
    """Return the relevance ordering for results of ticket_search."""
    if uses_full_text_search():
        return ["-search_key_match", "-search_rank", "project__key", "number"]
    return ["-search_key_match", "-updated_at", "project__key", "number"]


def search_snippets(*, ticket_ids: list[int], text: str) -> dict[int, SafeString]:
    """Return an HTML snippet per ticket with the matching words in <mark>.

    Runs one query for the given tickets, so callers pass only the rows of
    the current page. The text is escaped before the marks are added.
    """
    terms = search_terms_parse(text)
    if not ticket_ids or not terms.words:
        return {}
    tickets = Ticket.objects.filter(pk__in=ticket_ids)
    if uses_full_text_search():
        query = _search_query(terms.words)
        options = {
            "start_sel": _MARK_START,
            "stop_sel": _MARK_STOP,
            "max_words": 20,
            "min_words": 8,
            "max_fragments": 2,
            "fragment_delimiter": " … ",
        }
        # A German stem is only found with the German parser and vice versa,
        # so both headlines are made and the one with more matches is shown.
        rows = tickets.annotate(
            **{
                f"headline_{config}": SearchHeadline(
                    "search_text", query, config=config, **options
                )
                for config in SEARCH_CONFIGS
            },
            document_start=Left("search_text", SNIPPET_EDGE_CHARS),
            document_end=Right("search_text", SNIPPET_EDGE_CHARS),
        ).values_list(
            "pk",
            "document_start",
            "document_end",
            *(f"headline_{config}" for config in SEARCH_CONFIGS),
        )
        snippets = {}
        for pk, start, end, *headlines in rows:
            best = max(headlines, key=lambda headline: headline.count(_MARK_START))
            if _MARK_START in best:
                snippets[pk] = _marked(_with_ellipses(best, start=start, end=end))
        return snippets

    snippets = {}
    for pk, document in tickets.values_list("pk", "search_text"):
        snippet = _substring_snippet(document, terms.words)
        if snippet:
            snippets[pk] = _marked(snippet)
    return snippets


def _with_ellipses(headline: str, *, start: str, end: str) -> str:
    """Mark with "…" the sides where a headline does not reach the document's edge.

    ts_headline returns words from inside the document without saying so,
    and a fragment that starts inside a compound such as "Second-Level"
    would otherwise read as the beginning of the text.
    """
    words = _words_only(headline.replace(_MARK_START, "").replace(_MARK_STOP, ""))
    start_words = _words_only(_TAG.sub(" ", start))
    end_words = _words_only(_TAG.sub(" ", end))
    prefix = "" if start_words.startswith(words[:SNIPPET_EDGE_MATCH]) else "… "
    suffix = "" if end_words.endswith(words[-SNIPPET_EDGE_MATCH:]) else " …"
    return prefix + headline + suffix


def _words_only(text: str) -> str:
    # ts_headline leaves out punctuation at a fragment's edges, so only the
    # words are compared.
    return _NON_WORD.sub(" ", text).strip()


def _substring_snippet(document: str, words: tuple[str, ...]) -> str:
    lowered = document.lower()
    positions = [
        (lowered.find(word.lower()), word) for word in words if word.lower() in lowered
    ]
    if not positions:
        return ""
    first, _ = min(positions)
    start = max(0, first - SNIPPET_CHARS // 3)
    excerpt = document[start : start + SNIPPET_CHARS]
    pattern = re.compile(
        "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True)),
        re.IGNORECASE,
    )
    marked = pattern.sub(lambda match: _MARK_START + match[0] + _MARK_STOP, excerpt)
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + SNIPPET_CHARS < len(document) else ""
    return prefix + marked + suffix


def _marked(snippet: str) -> SafeString:
    escaped = escape(" ".join(snippet.split()))
    return mark_safe(  # noqa: S308 - escaped above, only <mark> tags added
        escaped.replace(_MARK_START, "<mark>").replace(_MARK_STOP, "</mark>")
    )
