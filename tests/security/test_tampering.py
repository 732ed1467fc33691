"""Requests a browser form never sends: open redirects, crafted list
parameters, fields the form does not show, and swapped attachment ids."""

from urllib.parse import urlencode, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User
from security import stats
from security.payloads import (
    CRAFTED_PARAM_NAMES,
    CRAFTED_PARAM_VALUES,
    OPEN_REDIRECT_TARGETS,
)
from security.routes import RULES, SIGNED_IN, classified_routes, path_for
from security.world import PASSWORD
from tickets.models import Comment, Status, Ticket

pytestmark = pytest.mark.django_db


def body_text(response) -> str:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", errors="replace")


def is_local(location: str) -> bool:
    """Return whether a browser would stay on this site following location."""
    stripped = location.strip().replace("\\", "/")
    parts = urlsplit(stripped)
    return not parts.scheme and not parts.netloc and not stripped.startswith("//")


# --- ?next= ------------------------------------------------------------------


@pytest.mark.parametrize("target", OPEN_REDIRECT_TARGETS)
def test_login_next_stays_on_site(world, client, target):
    stats.counts["open redirect attempts"] += 1
    url = reverse("accounts:login") + "?" + urlencode({"next": target})

    response = client.post(
        url, {"username": world.reporter.email, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert is_local(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", OPEN_REDIRECT_TARGETS)
def test_signed_in_login_page_next_stays_on_site(world, target):
    stats.counts["open redirect attempts"] += 1
    client = world.personas["reporter"].client()

    response = client.get(reverse("accounts:login"), {"next": target})

    assert response.status_code == 302
    assert is_local(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", OPEN_REDIRECT_TARGETS)
def test_admin_login_next_stays_on_site(world, client, target):
    stats.counts["open redirect attempts"] += 1
    url = reverse("admin:login") + "?" + urlencode({"next": target})

    response = client.post(url, {"username": world.agent.email, "password": PASSWORD})

    assert response.status_code == 302
    assert is_local(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", OPEN_REDIRECT_TARGETS)
def test_language_switch_next_stays_on_site(world, target):
    stats.counts["open redirect attempts"] += 1
    client = world.personas["reporter"].client()

    response = client.post(reverse("set_language"), {"language": "de", "next": target})

    assert response.status_code == 302
    assert is_local(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", OPEN_REDIRECT_TARGETS)
def test_logout_next_stays_on_site(world, target):
    stats.counts["open redirect attempts"] += 1
    client = world.personas["reporter"].client()

    response = client.post(reverse("accounts:logout"), {"next": target})

    assert response.status_code == 302
    assert is_local(response["Location"]), response["Location"]


# --- Crafted query parameters on every page a customer lists things on -------

# Pages without URL parameters that signed-in customers open: the lists,
# searches and exports that read query parameters.
LIST_ROUTES = [
    route
    for route in classified_routes()
    if route.name in RULES
    and RULES[route.name].access == SIGNED_IN
    and RULES[route.name].get == 200
    and not route.parameters
]


@pytest.mark.parametrize("route", LIST_ROUTES, ids=[r.label for r in LIST_ROUTES])
def test_crafted_parameters_leak_nothing(world, route):
    persona = world.personas["reporter"]
    # A server error must show up as a 500 response, as a browser sees it.
    client = persona.client(raise_request_exception=False)
    path = path_for(route, world, persona)
    failures = []

    for name in CRAFTED_PARAM_NAMES:
        for value in CRAFTED_PARAM_VALUES:
            stats.counts["crafted parameter requests"] += 1
            response = client.get(path, {name: value})
            if response.status_code >= 500:
                failures.append(f"{name}={value[:40]!r}: {response.status_code}")
                continue
            text = body_text(response)
            leaked = [f for f in persona.forbidden_fragments if f in text]
            if leaked:
                failures.append(f"{name}={value[:40]!r}: shows {leaked}")

    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("route", LIST_ROUTES, ids=[r.label for r in LIST_ROUTES])
def test_foreign_ids_in_filters_leak_nothing(world, route):
    """Filtering by another organization's ids must not widen the list."""
    persona = world.personas["reporter"]
    client = persona.client()
    path = path_for(route, world, persona)
    foreign_values = {
        "organization": world.beta.pk,
        "reporter": world.outsider.pk,
        "scope": "all",
        "q": world.foreign.ticket.key,
        "search": world.foreign.fragments[0],
    }
    failures = []

    for name, value in foreign_values.items():
        stats.counts["crafted parameter requests"] += 1
        response = client.get(path, {name: value})
        text = body_text(response)
        leaked = [f for f in persona.forbidden_fragments if f in text]
        if leaked:
            failures.append(f"{name}={value!r}: shows {leaked}")

    assert not failures, "\n".join(failures)


# --- Fields the forms do not show ----------------------------------------------


def test_request_form_ignores_hidden_fields(world):
    client = world.personas["reporter"].client()
    url = reverse(
        "helpcenter:request-create",
        kwargs={
            "project_key": world.project.key,
            "request_type": world.request_type.slug,
        },
    )

    response = client.post(
        url,
        {
            "summary": "Mass assignment probe",
            "priority": "2",
            "sharing": "private",
            "reporter": world.outsider.pk,
            "reporter_id": world.outsider.pk,
            "status": Status.RESOLVED,
            "organization": world.beta.pk,
            "organization_id": world.beta.pk,
            "assignee": world.agent.pk,
            "participants": [world.outsider.pk],
            "number": 1,
            "project": world.project.pk,
        },
    )

    assert response.status_code == 302
    ticket = Ticket.objects.get(summary="Mass assignment probe")
    assert ticket.reporter == world.reporter
    assert ticket.status == Status.OPEN
    assert ticket.organization is None
    assert ticket.assignee is None
    assert not ticket.participants.exists()
    assert ticket.number == 4


def test_request_form_rejects_foreign_organization(world):
    client = world.personas["reporter"].client()
    url = reverse(
        "helpcenter:request-create",
        kwargs={
            "project_key": world.project.key,
            "request_type": world.request_type.slug,
        },
    )

    response = client.post(
        url, {"summary": "Share probe", "priority": "2", "sharing": world.beta.pk}
    )

    assert response.status_code == 400
    assert not Ticket.objects.filter(summary="Share probe").exists()


def test_comment_form_ignores_hidden_fields(world):
    client = world.personas["reporter"].client()
    ticket = world.private.ticket

    response = client.post(
        reverse("tickets:comment-add", kwargs={"key": ticket.key}),
        {
            "body": "Mass assignment comment probe",
            "is_internal": "on",
            "author": world.agent.pk,
            "ticket": world.foreign.ticket.pk,
            "status": Status.RESOLVED,
        },
    )

    assert response.status_code == 302
    comment = Comment.objects.get(body__contains="Mass assignment comment probe")
    assert comment.author == world.reporter
    assert comment.is_internal is False
    assert comment.ticket == ticket
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN


def test_agent_cannot_make_self_superuser(world):
    client = world.personas["agent"].client()
    agent = world.agent
    url = reverse("admin:accounts_user_change", args=[agent.pk])
    form = client.get(url)
    assert form.status_code == 200

    client.post(
        url,
        {
            "email": agent.email,
            "full_name": agent.full_name,
            "language": "en",
            "time_zone": "Europe/Berlin",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
            "membership_set-TOTAL_FORMS": "0",
            "membership_set-INITIAL_FORMS": "0",
        },
    )

    agent = User.objects.get(pk=agent.pk)
    assert agent.is_superuser is False
    assert not agent.user_permissions.exists()


def test_agent_cannot_set_customer_password(world):
    client = world.personas["agent"].client()
    url = reverse("admin:auth_user_password_change", args=[world.reporter.pk])

    response = client.post(
        url,
        {"password1": "agent-chosen-secret-1", "password2": "agent-chosen-secret-1"},
    )

    world.reporter.refresh_from_db()
    assert response.status_code == 403
    assert world.reporter.check_password(PASSWORD)


# --- Attachment ids ------------------------------------------------------------


def attachment_routes():
    return [
        route for route in classified_routes() if "attachment_id" in route.parameters
    ]


def test_attachment_routes_exist():
    assert attachment_routes()


@pytest.mark.parametrize(
    "persona_name", ["reporter", "colleague_shared", "participant"]
)
def test_swapped_attachment_ids_are_not_found(world, persona_name):
    """Own request key with another request's file, or an internal note's."""
    persona = world.personas[persona_name]
    client = persona.client()
    own = persona.target
    others = [
        world.foreign.attachment,
        world.internal_attachment,
        *(
            facts.attachment
            for facts in (world.private, world.shared)
            if facts is not own
        ),
    ]
    failures = []

    for route in attachment_routes():
        for attachment in others:
            stats.counts["attachment id swaps"] += 1
            kwargs = {
                name: value
                for name, value in {
                    "key": own.ticket.key,
                    "attachment_id": attachment.pk,
                }.items()
                if name in route.parameters
            }
            url = reverse(route.name, kwargs=kwargs)
            response = client.get(url)
            if response.status_code != 404:
                failures.append(f"{url} ({attachment}): {response.status_code}")

    assert not failures, "\n".join(failures)


def test_uploaded_file_name_cannot_escape_storage(world, settings):
    client = world.personas["reporter"].client()
    ticket = world.private.ticket
    upload = SimpleUploadedFile("../../../../etc/passwd", b"x", "text/plain")

    response = client.post(
        reverse("tickets:comment-add", kwargs={"key": ticket.key}),
        {"body": "Traversal probe", "attachments": [upload]},
    )

    assert response.status_code == 302
    attachment = ticket.attachments.order_by("-pk").first()
    stored = (settings.MEDIA_ROOT / attachment.file.name).resolve()
    assert stored.is_relative_to(settings.MEDIA_ROOT.resolve())
    assert ".." not in attachment.original_name
