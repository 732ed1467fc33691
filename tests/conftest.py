"""Shared fixtures: the personas every view is tested with, and a ticket factory.

Personas: the reporter and a colleague at Alpha Industries, an outsider at
Beta Logistics, an agent of the support desk, and the anonymous visitor
(the plain test client).
"""

import itertools
from collections.abc import Callable

import pytest
from django.test import Client

from accounts.models import Membership, Organization, User
from accounts.roles import make_agent
from helpcenter.models import Component, Project, RequestType, TicketType, Version
from tickets.models import Comment, Ticket
from tickets.services import ticket_create

PASSWORD = "correct horse battery staple"

_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _make_user(
    email: str, name: str, organization: Organization | None = None, **extra
) -> User:
    user = User.objects.create_user(
        email=email, password=PASSWORD, full_name=name, **extra
    )
    if organization is not None:
        Membership.objects.create(user=user, organization=organization)
    return user


@pytest.fixture
def alpha(db) -> Organization:
    return Organization.objects.create(name="Alpha Industries")


@pytest.fixture
def beta(db) -> Organization:
    return Organization.objects.create(name="Beta Logistics")


@pytest.fixture
def reporter(alpha) -> User:
    return _make_user("customer@alpha.example", "Clara Customer", alpha)


@pytest.fixture
def colleague(alpha) -> User:
    return _make_user("colleague@alpha.example", "Carl Colleague", alpha)


@pytest.fixture
def outsider(beta) -> User:
    return _make_user("outsider@beta.example", "Olga Outsider", beta)


@pytest.fixture
def agent(db) -> User:
    return make_agent(_make_user("agent@support.example", "Anna Agent"))


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser(
        email="admin@support.example", password=PASSWORD
    )


@pytest.fixture
def project(db) -> Project:
    project = Project.objects.create(key="NET", name="Network Planner Support")
    Version.objects.create(project=project, name="2026.1")
    Component.objects.create(project=project, name="Simulation")
    Component.objects.create(project=project, name="Reports")
    return project


@pytest.fixture
def request_type(project) -> RequestType:
    return RequestType.objects.create(
        project=project, slug="report-bug", name="Report a bug", type=TicketType.BUG
    )


@pytest.fixture
def make_ticket(request_type, reporter) -> Callable[..., Ticket]:
    def make(**fields) -> Ticket:
        fields.setdefault("reporter", reporter)
        fields.setdefault("request_type", request_type)
        fields.setdefault("summary", f"Export fails #{next(_counter)}")
        fields.setdefault("description", "Steps to reproduce: open, click, error.")
        return ticket_create(**fields)

    return make


@pytest.fixture
def ticket(make_ticket) -> Ticket:
    """A private request of the reporter, with one public reply and one internal note."""
    ticket = make_ticket(summary="Simulation hangs at 99 percent")
    return ticket


@pytest.fixture
def shared_ticket(make_ticket, alpha) -> Ticket:
    return make_ticket(summary="Reports show wrong totals", organization=alpha)


@pytest.fixture
def internal_note(ticket, agent) -> Comment:
    return Comment.objects.create(
        ticket=ticket,
        author=agent,
        body="Internal: customer runs an old patch.",
        is_internal=True,
    )


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def personas(reporter, colleague, outsider, agent) -> dict[str, Client]:
    """A signed-in client for each persona, plus "anonymous"."""
    return {
        "reporter": login(reporter),
        "colleague": login(colleague),
        "outsider": login(outsider),
        "agent": login(agent),
        "anonymous": Client(),
    }


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run transaction.on_commit callbacks, which the test transaction never commits."""
    return django_capture_on_commit_callbacks


def pytest_sessionstart(session) -> None:
    """Compile stale translation catalogs, so a plain `pytest` run sees German."""
    from django.conf import settings as django_settings

    from accounts.catalogs import compile_catalogs

    compile_catalogs(django_settings.LOCALE_PATHS)


def pytest_collection_modifyitems(config, items) -> None:
    """Run the tests that use the live server (the browser tests) last.

    They need committed data, so the database is flushed after each of them,
    which also removes rows that migrations created (such as the Agents
    group) that later tests rely on.
    """
    items.sort(key=lambda item: "live_server" in getattr(item, "fixturenames", ()))


def admin_change_data(client: Client, url: str, **overrides) -> dict:
    """Return the data an admin change form at url would send, with overrides."""
    form = client.get(url).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if isinstance(value, list):
            data[name] = [getattr(item, "pk", item) for item in value]
        else:
            data[name] = getattr(value, "pk", value)
    data.update(overrides)
    return data
