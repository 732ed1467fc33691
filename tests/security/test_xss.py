"""Cross-site scripting payloads in every field a customer fills, checked
on every page, admin page, e-mail and CSV file that shows them."""

import csv
import io
from email.message import Message

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from security import stats
from security.html_checks import find_injected_markup, find_verbatim_payloads
from security.payloads import (
    CSV_FORMULA_PAYLOADS,
    XSS_FILE_NAMES,
    XSS_MARKER,
    XSS_PAYLOADS,
)
from security.routes import (
    admin_model,
    admin_object_id,
    build_path,
    classified_routes,
    expected_status,
    is_admin,
    path_for,
)
from security.world import Persona, TicketFacts, World
from tickets.models import Status, Ticket
from tickets.services import comment_create, ticket_transition
from tickets.workflow import Actor

pytestmark = pytest.mark.django_db

CUSTOMER_FIELDS = ("summary", "description", "comment", "file name", "display name")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def create_hostile_request(world: World, payload: str, file_name: str, on_commit):
    """Fill every customer field with the payload through the real forms."""
    reporter = world.reporter
    reporter.full_name = payload[:150]
    reporter.save(update_fields=["full_name"])
    client = world.personas["reporter"].client()
    url = reverse(
        "helpcenter:request-create",
        kwargs={
            "project_key": world.project.key,
            "request_type": world.request_type.slug,
        },
    )
    with on_commit(execute=True):
        response = client.post(
            url,
            {
                "summary": payload[:255],
                "description": payload,
                "priority": "2",
                "sharing": str(world.alpha.pk),
                "attachments": [SimpleUploadedFile(file_name, b"trace", "text/plain")],
            },
        )
    assert response.status_code == 302, response.content[:2000]
    ticket = Ticket.objects.order_by("-pk").first()
    with on_commit(execute=True):
        response = client.post(
            reverse("tickets:comment-add", kwargs={"key": ticket.key}),
            {"body": payload},
        )
    assert response.status_code == 302
    with on_commit(execute=True):
        comment_create(ticket=ticket, author=world.agent, body=f"Re: {payload}")
        ticket_transition(
            ticket=ticket,
            to_status=Status.IN_PROGRESS,
            actor=Actor.AGENT,
            changed_by=world.agent,
        )
    stats.counts["xss payloads tried"] += len(CUSTOMER_FIELDS)
    return ticket


def pages_showing(world: World, ticket: Ticket) -> list[tuple[str, str]]:
    """Return (persona name, path) for every page that can show the request."""
    facts = TicketFacts(
        ticket=ticket, attachment=ticket.attachments.first(), fragments=()
    )
    personas = [
        Persona("reporter", world.reporter, facts, True),
        Persona("agent", world.agent, facts, True),
    ]
    pages = []
    for route in classified_routes():
        for persona in personas:
            if expected_status(route, persona, "GET", world) != 200:
                continue
            if is_admin(route):
                found = admin_model(route)
                if found is None or found[1] not in {"changelist", "change"}:
                    continue
                kwargs = {}
                if "object_id" in route.parameters:
                    model = found[0]
                    if model is Ticket:
                        kwargs["object_id"] = ticket.pk
                    else:
                        kwargs["object_id"] = admin_object_id(model, world)
                pages.append((persona.name, build_path(route, kwargs)))
            else:
                pages.append((persona.name, path_for(route, world, persona)))
    return pages


def check_response(label: str, response, failures: list[str]) -> None:
    content_type = response.get("Content-Type", "")
    if hasattr(response, "streaming_content"):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    text = body.decode("utf-8", errors="replace")
    if content_type.startswith("text/html"):
        for finding in find_injected_markup(text):
            failures.append(f"{label}: {finding}")
        for payload in find_verbatim_payloads(text, XSS_PAYLOADS + XSS_FILE_NAMES):
            failures.append(f"{label}: unescaped {payload!r}")
    elif content_type.startswith("text/csv"):
        check_csv(label, text, failures)
    elif (
        "attachment" not in response.get("Content-Disposition", "")
        and XSS_MARKER in text
        and content_type.startswith(("application/json", "text/"))
    ):
        failures.append(f"{label}: marker in {content_type} body")


def check_csv(label: str, text: str, failures: list[str]) -> None:
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            if XSS_MARKER in cell and cell.startswith(FORMULA_PREFIXES):
                failures.append(f"{label}: CSV cell runs as a formula: {cell!r}")


@pytest.mark.parametrize(
    "payload", XSS_PAYLOADS + CSV_FORMULA_PAYLOADS, ids=lambda p: p[:30]
)
def test_payload_is_inert_everywhere(world, payload, on_commit):
    file_name = XSS_FILE_NAMES[hash(payload) % len(XSS_FILE_NAMES)]
    mail.outbox = []
    ticket = create_hostile_request(world, payload, file_name, on_commit)
    clients = {name: world.personas[name].client() for name in ("reporter", "agent")}
    failures: list[str] = []

    for persona_name, path in pages_showing(world, ticket):
        stats.counts["xss page checks"] += 1
        response = clients[persona_name].get(path)
        if response.status_code != 200:
            failures.append(f"{persona_name} {path}: {response.status_code}")
            continue
        check_response(f"{persona_name} {path}", response, failures)

    assert mail.outbox, "no e-mail was sent for the reply and the status change"
    for message in mail.outbox:
        stats.counts["xss e-mail checks"] += 1
        assert "\n" not in message.subject
        for html, mimetype in message.alternatives:
            if mimetype == "text/html":
                for finding in find_injected_markup(html):
                    failures.append(f"e-mail {message.subject!r}: {finding}")
                for found in find_verbatim_payloads(html, XSS_PAYLOADS):
                    failures.append(f"e-mail {message.subject!r}: unescaped {found!r}")

    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("file_name", XSS_FILE_NAMES)
def test_download_name_is_quoted(world, file_name, on_commit):
    ticket = create_hostile_request(world, "plain text", file_name, on_commit)
    attachment = ticket.attachments.get()
    client = world.personas["reporter"].client()

    response = client.get(attachment.get_absolute_url())

    disposition = response["Content-Disposition"]
    header = Message()
    header["Content-Disposition"] = disposition
    assert response.status_code == 200
    assert header.get_content_disposition() == "attachment"
    assert header.get_filename() == attachment.original_name
    assert "\n" not in disposition
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"
