"""Search of the requests overview: parsing on every database, and the
full-text features (stemming, prefixes, ranking, snippets) on PostgreSQL."""

import re
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.urls import reverse

from tickets.models import Ticket
from tickets.search import search_terms_parse, ticket_search
from tickets.services import comment_create

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="full-text search needs PostgreSQL; SQLite uses substring matching",
)


def keys_for(client, text: str) -> list[str]:
    url = reverse("tickets:list") + "?" + urlencode({"scope": "all", "q": text})
    content = client.get(url).content.decode()
    return re.findall(r'<td class="col-key"><a [^>]*>([A-Z0-9]+-\d+)</a>', content)


def test_terms_keep_only_word_characters():
    terms = search_terms_parse("a&b | !c:* 'd' (e) \\f \x00g")

    assert terms.words == ("a", "b", "c", "d", "e", "f", "g")


def test_terms_limit_long_input():
    terms = search_terms_parse("word " * 5000 + "x" * 10_000)

    assert len(terms.words) == 12
    assert all(len(word) <= 60 for word in terms.words)


@pytest.mark.parametrize(
    "text, key, number",
    [
        ("NET-17", ("NET", 17), None),
        ("net-17", ("NET", 17), None),
        ("17", None, 17),
        ("#17", None, 17),
        ("NET-0", None, None),
        ("17 18", None, None),
        ("9999999999", None, None),
    ],
)
def test_terms_recognise_keys(text, key, number):
    terms = search_terms_parse(text)

    assert terms.key == key
    assert terms.number == number


def test_search_document_follows_comments(ticket, agent):
    comment_create(ticket=ticket, author=agent, body="<p>Use the <b>turbo</b> mode</p>")

    ticket.refresh_from_db()

    assert "Use the turbo mode" in ticket.search_text
    assert "<b>" not in ticket.search_text


def test_search_document_leaves_out_internal_notes(ticket, agent):
    comment_create(ticket=ticket, author=agent, body="secret plan", is_internal=True)

    ticket.refresh_from_db()

    assert "secret plan" not in ticket.search_text


def test_empty_search_matches_nothing(ticket):
    assert not ticket_search(Ticket.objects.all(), "!!! ''' :*").exists()


@postgres_only
def test_search_vector_is_filled(ticket):
    ticket.refresh_from_db()

    assert ticket.search_vector


@postgres_only
@pytest.mark.parametrize(
    "summary, query",
    [
        ("Exports fail after update", "exporting"),
        ("Der Drucker druckt nicht", "Druckers"),
        ("Berechnungen dauern zu lange", "Berechnung"),
        ("Simulation hangs", "simul"),
    ],
)
def test_stemming_and_prefix(personas, make_ticket, summary, query):
    ticket = make_ticket(summary=summary)

    assert ticket.key in keys_for(personas["reporter"], query)


@postgres_only
def test_prefix_applies_to_last_word_only(personas, make_ticket):
    ticket = make_ticket(summary="Gearbox hangs")

    assert keys_for(personas["reporter"], "gearb hangs") == []
    assert keys_for(personas["reporter"], "hangs gearb") == [ticket.key]


@postgres_only
def test_summary_match_ranks_first(personas, make_ticket, agent):
    in_comment = make_ticket(summary="Something else")
    comment_create(ticket=in_comment, author=agent, body="The gearbox is fine.")
    in_summary = make_ticket(summary="Gearbox broken")

    assert keys_for(personas["reporter"], "gearbox") == [
        in_summary.key,
        in_comment.key,
    ]


@postgres_only
def test_snippet_highlights_german_stem(personas, make_ticket):
    make_ticket(summary="Problem", description="Die Drucker im Lager sind offline.")

    url = reverse("tickets:list") + "?" + urlencode({"q": "Druckers"})
    content = personas["reporter"].get(url).content.decode()

    assert "<mark>Drucker</mark>" in content
