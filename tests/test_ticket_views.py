from urllib.parse import quote

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tickets.models import Attachment, Comment

pytestmark = pytest.mark.django_db

# Expected status of the request page by persona: private and shared requests.
PRIVATE_ACCESS = {"reporter": 200, "colleague": 404, "outsider": 404, "agent": 200}
SHARED_ACCESS = {"reporter": 200, "colleague": 200, "outsider": 404, "agent": 200}


@pytest.mark.parametrize("persona, expected", PRIVATE_ACCESS.items())
def test_private_request_page_by_persona(personas, ticket, persona, expected):
    response = personas[persona].get(ticket.get_absolute_url())

    assert response.status_code == expected


@pytest.mark.parametrize("persona, expected", SHARED_ACCESS.items())
def test_shared_request_page_by_persona(personas, shared_ticket, persona, expected):
    response = personas[persona].get(shared_ticket.get_absolute_url())

    assert response.status_code == expected


def test_request_page_redirects_anonymous(personas, ticket):
    response = personas["anonymous"].get(ticket.get_absolute_url())

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_hidden_request_answers_like_missing_one(personas, ticket):
    hidden = personas["outsider"].get(ticket.get_absolute_url())
    missing = personas["outsider"].get(
        reverse("tickets:detail", kwargs={"key": "NET-9999"})
    )

    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content


@pytest.mark.parametrize(
    "key", ["net-1", "NET-0", "NET-01", "NET", "-1", "NET-1-1", "X-1"]
)
def test_malformed_key_is_not_found(personas, ticket, key):
    response = personas["agent"].get(f"/requests/{quote(key)}/")

    assert response.status_code == 404


def test_request_page_shows_facts_and_public_exchange(
    personas, ticket, agent, internal_note
):
    Comment.objects.create(
        ticket=ticket, author=agent, body="Please send the log file."
    )

    response = personas["reporter"].get(ticket.get_absolute_url())

    content = response.content.decode()
    assert ticket.key in content
    assert "Simulation hangs at 99 percent" in content
    assert "Please send the log file." in content
    assert "Network Planner Support" in content
    assert internal_note.body not in content


def test_agent_sees_internal_note_on_portal_page(personas, ticket, internal_note):
    response = personas["agent"].get(ticket.get_absolute_url())

    assert internal_note.body in response.content.decode()


@pytest.mark.parametrize(
    "persona, listed",
    {"reporter": True, "colleague": False, "outsider": False, "agent": True}.items(),
)
def test_request_list_by_persona(personas, ticket, persona, listed):
    response = personas[persona].get(reverse("tickets:list") + "?scope=all")

    assert response.status_code == 200
    assert (ticket.summary in response.content.decode()) is listed


def test_request_list_shows_shared_request_to_colleague(personas, shared_ticket):
    response = personas["colleague"].get(reverse("tickets:list") + "?scope=all")

    assert shared_ticket.summary in response.content.decode()


def test_request_list_redirects_anonymous(personas):
    response = personas["anonymous"].get(reverse("tickets:list"))

    assert response.status_code == 302


def test_request_list_orders_newest_first(personas, make_ticket):
    older = make_ticket(summary="Older request")
    newer = make_ticket(summary="Newer request")

    content = personas["reporter"].get(reverse("tickets:list")).content.decode()

    assert content.index(newer.summary) < content.index(older.summary)


def test_request_list_paginates(personas, make_ticket):
    for _ in range(27):
        make_ticket()

    first = personas["reporter"].get(reverse("tickets:list"))
    past_end = personas["reporter"].get(reverse("tickets:list") + "?page=99")

    assert first.content.decode().count('<tr role="row">') == 26  # header and 25 rows
    assert past_end.status_code == 200


def test_request_list_query_count_is_constant(
    personas, make_ticket, django_assert_max_num_queries
):
    for _ in range(30):
        make_ticket()

    # Session, user, column choice, count, page, organizations, saved
    # filters and the four filter choices: none of them grows with the rows.
    with django_assert_max_num_queries(11):
        personas["reporter"].get(reverse("tickets:list"))


@pytest.mark.parametrize(
    "persona, expected",
    {
        "reporter": 302,
        "colleague": 404,
        "outsider": 404,
        "agent": 302,
        "anonymous": 302,
    }.items(),
)
def test_comment_post_by_persona(personas, ticket, persona, expected):
    url = reverse("tickets:comment-add", kwargs={"key": ticket.key})

    response = personas[persona].post(url, {"body": f"Comment by {persona}"})

    assert response.status_code == expected
    # Plain text from the text area is stored as an escaped HTML paragraph.
    created = Comment.objects.filter(
        ticket=ticket, body=f"<p>Comment by {persona}</p>"
    ).exists()
    assert created is (persona in {"reporter", "agent"})


def test_colleague_can_comment_on_shared_request(personas, shared_ticket):
    url = reverse("tickets:comment-add", kwargs={"key": shared_ticket.key})

    response = personas["colleague"].post(url, {"body": "Same problem here."})

    assert response.status_code == 302
    assert shared_ticket.comments.get().author.email == "colleague@alpha.example"


def test_comment_with_attachments_is_stored(personas, ticket):
    url = reverse("tickets:comment-add", kwargs={"key": ticket.key})
    files = [
        SimpleUploadedFile("server.log", b"ERROR 1\nERROR 2\n", "text/plain"),
        SimpleUploadedFile("Prüfbericht.txt", "Größe: 12 µm".encode(), "text/plain"),
    ]

    personas["reporter"].post(url, {"body": "Logs attached.", "attachments": files})

    comment = ticket.comments.get()
    assert sorted(a.original_name for a in comment.attachments.all()) == [
        "Prüfbericht.txt",
        "server.log",
    ]


def test_empty_comment_is_rejected(personas, ticket):
    url = reverse("tickets:comment-add", kwargs={"key": ticket.key})

    response = personas["reporter"].post(url, {"body": "   "})

    assert response.status_code == 400
    assert "Write a comment before sending." in response.content.decode()
    assert not ticket.comments.exists()


def test_comment_page_rejects_get(personas, ticket):
    url = reverse("tickets:comment-add", kwargs={"key": ticket.key})

    response = personas["reporter"].get(url)

    assert response.status_code == 405


def test_customer_comment_mails_agents_not_author(personas, ticket, on_commit):
    url = reverse("tickets:comment-add", kwargs={"key": ticket.key})

    with on_commit(execute=True):
        personas["reporter"].post(url, {"body": "Any news?"})

    recipients = [address for message in mail.outbox for address in message.to]
    assert "customer@alpha.example" not in recipients
    assert recipients == ["agent@support.example"]


@pytest.fixture
def attachment(make_ticket) -> Attachment:
    upload = SimpleUploadedFile(
        "Prüfbericht (final) ü.log", b"line 1\nline 2\n", "text/plain"
    )
    ticket = make_ticket(files=[upload])
    return ticket.attachments.get()


@pytest.mark.parametrize(
    "persona, expected",
    {"reporter": 200, "colleague": 404, "outsider": 404, "agent": 200}.items(),
)
def test_attachment_download_by_persona(personas, attachment, persona, expected):
    response = personas[persona].get(attachment.get_absolute_url())

    assert response.status_code == expected


def test_attachment_download_redirects_anonymous(personas, attachment):
    response = personas["anonymous"].get(attachment.get_absolute_url())

    assert response.status_code == 302


def test_attachment_download_is_intact_with_unicode_name(personas, attachment):
    response = personas["reporter"].get(attachment.get_absolute_url())

    assert b"".join(response.streaming_content) == b"line 1\nline 2\n"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''Pr%C3%BCfbericht%20%28final%29%20%C3%BC.log" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"


def test_attachment_of_other_request_is_not_found(personas, attachment, make_ticket):
    other = make_ticket(summary="Another request")
    url = reverse(
        "tickets:attachment-download",
        kwargs={"key": other.key, "attachment_id": attachment.pk},
    )

    response = personas["reporter"].get(url)

    assert response.status_code == 404


def test_attachment_of_internal_note_is_hidden_from_customer(personas, ticket, agent):
    from tickets.services import comment_create

    comment_create(
        ticket=ticket,
        author=agent,
        body="Internal analysis",
        is_internal=True,
        files=[SimpleUploadedFile("analysis.txt", b"secret", "text/plain")],
    )
    attachment = ticket.attachments.get()

    customer = personas["reporter"].get(attachment.get_absolute_url())
    page = personas["reporter"].get(ticket.get_absolute_url())

    assert customer.status_code == 404
    assert "analysis.txt" not in page.content.decode()


def test_media_files_have_no_public_url(personas, attachment, settings):
    response = personas["reporter"].get("/media/" + attachment.file.name)

    assert response.status_code == 404
