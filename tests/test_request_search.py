"""Search of the requests overview: parsing on every database, and the
full-text features (stemming, prefixes, ranking, snippets) on PostgreSQL."""

import io
import re
from urllib.parse import urlencode

import pytest
from django.contrib.postgres.search import SearchVector
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.db.models import Value
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import admin_change_data
from tickets.models import Comment, Ticket
from tickets.search import (
    search_terms_parse,
    ticket_search,
    ticket_search_document_update,
)
from tickets.services import comment_create

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="full-text search needs PostgreSQL; SQLite uses substring matching",
)


def keys_for(client, text: str) -> list[str]:
    url = reverse("tickets:list") + "?" + urlencode({"scope": "all", "q": text})
    content = client.get(url).content.decode()
    return re.findall(r'<td class="col-key"[^>]*><a [^>]*>([A-Z0-9]+-\d+)</a>', content)


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


def test_search_pages_cover_matches(personas, make_ticket, settings):
    settings.REQUEST_LIST_COUNT_LIMIT = 20
    for number in range(23):
        make_ticket(summary=f"Gearbox {number}", description="gearbox " * number)
    client = personas["reporter"]

    def page(number: int) -> str:
        url = (
            reverse("tickets:list")
            + "?"
            + urlencode({"q": "gearbox", "per_page": 10, "page": number})
        )
        return client.get(url).content.decode()

    pages = [page(1), page(2), page(3)]
    keys = [
        re.findall(r'class="col-key"[^>]*><a [^>]*>([A-Z0-9]+-\d+)<', html)
        for html in pages
    ]

    assert [len(found) for found in keys] == [10, 10, 10]
    assert keys[2] == keys[1]  # beyond the counted rows: the last page again
    assert len(set(keys[0] + keys[1])) == 20
    assert "More than 20 requests" in pages[0]
    assert "The pages show the first 20 requests" in pages[1]


def test_search_matches_once_per_page(personas, make_ticket):
    for _ in range(3):
        make_ticket(summary="Gearbox hangs")
    url = reverse("tickets:list") + "?" + urlencode({"q": "gearbox"})

    with CaptureQueriesContext(connection) as context:
        response = personas["reporter"].get(url)

    assert response.status_code == 200
    matching = [
        query["sql"]
        for query in context.captured_queries
        if "@@" in query["sql"] or " LIKE " in query["sql"]
    ]
    # One query finds, counts and orders the matches; the snippets are
    # made for the rows of the page only.
    assert len(matching) == 1, matching


@postgres_only
def test_snippet_ellipses_mark_cut_text(personas, make_ticket):
    filler = " ".join(f"word{number}" for number in range(80))
    make_ticket(summary="Middle", description=f"{filler} gearbox {filler}")
    make_ticket(summary="Whole", description="The gearbox hangs.")

    url = reverse("tickets:list") + "?" + urlencode({"q": "gearbox"})
    content = personas["reporter"].get(url).content.decode()
    snippets = re.findall(r'<div class="search-snippet[^"]*">(.*?)</div>', content)

    assert len(snippets) == 2
    cut = next(snippet for snippet in snippets if "word" in snippet)
    whole = next(snippet for snippet in snippets if "word" not in snippet)
    assert cut.startswith("… ")
    assert cut.endswith(" …")
    assert not whole.startswith("…")
    assert not whole.endswith("…")


@postgres_only
def test_snippet_with_tag_keeps_edges(personas, make_ticket):
    # PostgreSQL's parser reads "<div>" as a tag, which ts_headline leaves out.
    make_ticket(
        summary="Layout",
        description="<p>The gearbox &lt;div&gt; hangs.</p>",
    )

    url = reverse("tickets:list") + "?" + urlencode({"q": "gearbox"})
    content = personas["reporter"].get(url).content.decode()
    snippets = re.findall(r'<div class="search-snippet[^"]*">(.*?)</div>', content)

    assert len(snippets) == 1
    assert not snippets[0].startswith("…"), snippets[0]
    assert not snippets[0].endswith("…"), snippets[0]


# Edits in the admin reach the search at once.


@pytest.fixture
def admin_client(superuser):
    client = Client()
    client.force_login(superuser)
    return client


def admin_url(obj, action: str = "change") -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{action}", args=[obj.pk])


def test_summary_edited_in_admin_is_searched(personas, admin_client, ticket):
    data = admin_change_data(
        admin_client, admin_url(ticket), summary="Zeppelin dashboard freezes"
    )

    response = admin_client.post(admin_url(ticket), data)

    assert response.status_code == 302
    assert keys_for(personas["reporter"], "zeppelin") == [ticket.key]
    assert keys_for(personas["reporter"], "Simulation") == []


def comment_data(comment, **changes) -> dict:
    data = {
        "ticket": comment.ticket_id,
        "author": comment.author_id,
        "body": comment.body,
    }
    if comment.is_internal:
        data["is_internal"] = "on"
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


@pytest.fixture
def answered(ticket, agent):
    comment = comment_create(
        ticket=ticket, author=agent, body="<p>Reinstall the quasar driver.</p>"
    )
    return comment


def test_comment_edited_in_admin_is_searched(personas, admin_client, answered):
    data = comment_data(answered, body="<p>Update the nebula driver.</p>")

    response = admin_client.post(admin_url(answered), data)

    assert response.status_code == 302
    assert keys_for(personas["reporter"], "nebula") == [answered.ticket.key]
    assert keys_for(personas["reporter"], "quasar") == []


def test_comment_made_internal_leaves_search(personas, admin_client, answered):
    assert keys_for(personas["reporter"], "quasar") == [answered.ticket.key]

    response = admin_client.post(
        admin_url(answered), comment_data(answered, is_internal="on")
    )

    assert response.status_code == 302
    assert keys_for(personas["reporter"], "quasar") == []


def test_comment_deleted_in_admin_leaves_search(personas, admin_client, ticket, agent):
    # A comment without notifications: the admin rejects deleting a comment
    # with notifications, because the outbox keeps them.
    comment = Comment.objects.create(
        ticket=ticket, author=agent, body="<p>Reinstall the quasar driver.</p>"
    )
    ticket_search_document_update(ticket=ticket)
    assert keys_for(personas["reporter"], "quasar") == [ticket.key]

    response = admin_client.post(admin_url(comment, "delete"), {"post": "yes"})

    assert response.status_code == 302
    assert keys_for(personas["reporter"], "quasar") == []


def test_attachment_renamed_in_admin_is_searched(personas, admin_client, make_ticket):
    upload = SimpleUploadedFile("trace-kraken.txt", b"stack trace")
    ticket = make_ticket(summary="Crash on start", files=[upload])
    attachment = ticket.attachments.get()
    data = {
        "ticket": ticket.pk,
        "original_name": "heap-walrus.txt",
        "uploaded_by": attachment.uploaded_by_id,
    }

    response = admin_client.post(admin_url(attachment), data)

    assert response.status_code == 302, response.context["errors"]
    assert keys_for(personas["reporter"], "walrus") == [ticket.key]
    assert keys_for(personas["reporter"], "kraken") == []


def test_words_at_paragraph_borders_stay_apart(personas, make_ticket):
    ticket = make_ticket(
        summary="Import stops",
        description="<p>Reinstall the driver</p><p>reboot</p><ul><li>alpha</li>"
        "<li>gamma</li></ul>",
    )

    for word in ("driver", "reboot", "alpha", "gamma"):
        assert keys_for(personas["reporter"], word) == [ticket.key], word


def test_rebuild_command_replaces_stale_documents(personas, make_ticket):
    ticket = make_ticket(summary="Import stops", description="<p>walrus</p>")
    Ticket.objects.filter(pk=ticket.pk).update(search_text="stale")
    if connection.vendor == "postgresql":
        Ticket.objects.filter(pk=ticket.pk).update(
            search_vector=SearchVector(Value("stale"))
        )
    assert keys_for(personas["reporter"], "walrus") == []

    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)

    assert keys_for(personas["reporter"], "walrus") == [ticket.key]
    assert "Search documents rebuilt: 1." in out.getvalue()


def test_comment_and_file_stay_on_their_ticket(admin_client, answered, make_ticket):
    other = make_ticket(summary="Another request")
    upload = SimpleUploadedFile("trace-kraken.txt", b"stack trace")
    ticket = make_ticket(summary="Crash on start", files=[upload])
    attachment = ticket.attachments.get()

    comment_page = admin_client.get(admin_url(answered)).content.decode()
    file_page = admin_client.get(admin_url(attachment)).content.decode()
    admin_client.post(admin_url(answered), comment_data(answered, ticket=other.pk))

    assert 'name="ticket"' not in comment_page
    assert 'name="ticket"' not in file_page
    assert 'name="comment"' not in file_page
    answered.refresh_from_db()
    assert answered.ticket_id != other.pk
