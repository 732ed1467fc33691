"""The agents' ticket list: columns, sorting, filters, search, queues, bulk actions."""

from datetime import timedelta

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from helpcenter.models import Project, RequestType, TicketType
from tests.conftest import login
from tickets.admin.paginator import EstimatedCountPaginator
from tickets.models import Comment, Status, StatusChange, Ticket
from tickets.services import comment_create, ticket_transition
from tickets.workflow import Actor

pytestmark = pytest.mark.django_db

LIST_URL = reverse("admin:tickets_ticket_changelist")


@pytest.fixture
def agent_client(agent):
    return login(agent)


def listed(response) -> list[Ticket]:
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def keys(response) -> list[str]:
    return [ticket.key for ticket in listed(response)]


def move(ticket, status, agent) -> None:
    ticket_transition(
        ticket=ticket, to_status=status, actor=Actor.AGENT, changed_by=agent
    )


def bulk_create_tickets(count: int, *, request_type, reporter) -> None:
    project = Project.objects.get(pk=request_type.project_id)
    start = project.last_ticket_number
    Ticket.objects.bulk_create(
        Ticket(
            project=project,
            number=start + offset + 1,
            summary=f"Bulk ticket {offset}",
            type=request_type.type,
            request_type=request_type,
            reporter=reporter,
        )
        for offset in range(count)
    )
    Project.objects.filter(pk=project.pk).update(last_ticket_number=start + count)


def test_list_shows_columns(agent_client, ticket, agent):
    move(ticket, Status.IN_PROGRESS, agent)

    response = agent_client.get(LIST_URL)

    html = response.content.decode()
    assert keys(response) == [ticket.key]
    for text in (ticket.key, ticket.summary, "Clara Customer", "In Progress", "Bug"):
        assert text in html
    headers = [header["text"] for header in response.context["result_headers"]]
    assert [str(text) for text in headers[1:]] == [
        "key",
        "summary",
        "shared with",
        "reporter",
        "status",
        "priority",
        "type",
        "assignee",
        "updated",
        "in status for",
    ]


def test_every_column_sorts(agent_client, make_ticket):
    make_ticket()
    make_ticket()
    columns = len(agent_client.get(LIST_URL).context["result_headers"])

    for index in range(1, columns):
        for prefix in ("", "-"):
            response = agent_client.get(LIST_URL, {"o": f"{prefix}{index}"})
            assert response.status_code == 200, index
            assert len(listed(response)) == 2
            header = response.context["result_headers"][index]
            assert header["sortable"], header["text"]


def test_key_sorts_by_project_then_number(agent_client, make_ticket, reporter):
    other = Project.objects.create(key="ABC", name="Another product")
    other_type = RequestType.objects.create(
        project=other, slug="ask", name="Ask", type=TicketType.QUESTION
    )
    for _ in range(10):
        make_ticket()
    make_ticket(request_type=other_type)

    ascending = keys(agent_client.get(LIST_URL, {"o": "1"}))
    descending = keys(agent_client.get(LIST_URL, {"o": "-1"}))

    expected = ["ABC-1"] + [f"NET-{number}" for number in range(1, 11)]
    assert ascending == expected
    assert descending == expected[::-1]


def test_time_in_status_sorts_longest_last(agent_client, make_ticket):
    old, new = make_ticket(), make_ticket()
    Ticket.objects.filter(pk=old.pk).update(
        status_changed_at=timezone.now() - timedelta(days=5)
    )

    assert keys(agent_client.get(LIST_URL, {"o": "10"})) == [new.key, old.key]
    assert keys(agent_client.get(LIST_URL, {"o": "-10"})) == [old.key, new.key]


def test_state_and_status_filters(agent_client, make_ticket, agent):
    open_ticket, resolved = make_ticket(), make_ticket()
    move(resolved, Status.RESOLVED, agent)

    assert keys(agent_client.get(LIST_URL, {"state": "open"})) == [open_ticket.key]
    assert keys(agent_client.get(LIST_URL, {"state": "closed"})) == [resolved.key]
    assert keys(agent_client.get(LIST_URL, {"status__exact": "resolved"})) == [
        resolved.key
    ]


def test_assignee_filter(agent_client, make_ticket, agent, superuser):
    mine, theirs, nobodys = make_ticket(), make_ticket(), make_ticket()
    Ticket.objects.filter(pk=mine.pk).update(assignee=agent)
    Ticket.objects.filter(pk=theirs.pk).update(assignee=superuser)

    assert keys(agent_client.get(LIST_URL, {"assignee": "mine"})) == [mine.key]
    assert keys(agent_client.get(LIST_URL, {"assignee": "none"})) == [nobodys.key]
    by_id = agent_client.get(LIST_URL, {"assignee": str(superuser.pk)})
    assert keys(by_id) == [theirs.key]


def test_escalated_filter(agent_client, make_ticket, agent):
    now, before, never = make_ticket(), make_ticket(), make_ticket()
    move(now, Status.ESCALATED, agent)
    move(before, Status.ESCALATED, agent)
    move(before, Status.IN_PROGRESS, agent)

    assert keys(agent_client.get(LIST_URL, {"escalated": "now"})) == [now.key]
    assert sorted(keys(agent_client.get(LIST_URL, {"escalated": "ever"}))) == sorted(
        [now.key, before.key]
    )
    assert keys(agent_client.get(LIST_URL, {"escalated": "never"})) == [never.key]


def test_waiting_for_customer_filter(agent_client, make_ticket, agent):
    long_ago, recent = make_ticket(), make_ticket()
    move(long_ago, Status.WAITING_FOR_CUSTOMER, agent)
    move(recent, Status.WAITING_FOR_CUSTOMER, agent)
    Ticket.objects.filter(pk=long_ago.pk).update(
        status_changed_at=timezone.now() - timedelta(days=8)
    )

    assert keys(agent_client.get(LIST_URL, {"waiting_days": "7"})) == [long_ago.key]
    assert keys(agent_client.get(LIST_URL, {"waiting_days": "1"})) == [long_ago.key]
    assert keys(agent_client.get(LIST_URL, {"waiting_days": "14"})) == []
    assert len(listed(agent_client.get(LIST_URL, {"waiting_days": "x"}))) == 2


def test_project_type_priority_organization_filters(
    agent_client, make_ticket, project, alpha
):
    shared = make_ticket(organization=alpha, priority=4)
    make_ticket()

    for params in (
        {"organization__id__exact": alpha.pk},
        {"priority__exact": 4},
    ):
        assert keys(agent_client.get(LIST_URL, params)) == [shared.key], params
    assert (
        len(listed(agent_client.get(LIST_URL, {"project__id__exact": project.pk}))) == 2
    )
    assert len(listed(agent_client.get(LIST_URL, {"type__exact": "bug"}))) == 2


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("net-1", ["NET-1"]),
        ("NET-2", ["NET-2"]),
        ("printer", ["NET-1"]),
        ("colleague@alpha", ["NET-2"]),
        ("stacktrace", ["NET-2"]),
        ("PRINTER offline", ["NET-1"]),
        ("nothing-like-this", []),
    ],
)
def test_search(agent_client, make_ticket, colleague, agent, term, expected):
    make_ticket(summary="Printer offline")
    second = make_ticket(summary="Crash on start", reporter=colleague)
    for _ in range(3):
        comment_create(ticket=second, author=agent, body="Send the stacktrace please")

    assert sorted(keys(agent_client.get(LIST_URL, {"q": term}))) == expected


def test_search_uses_exists_not_join(agent_client, make_ticket):
    make_ticket()

    with CaptureQueriesContext(connection) as queries:
        agent_client.get(LIST_URL, {"q": "export"})

    ticket_queries = [
        query["sql"]
        for query in queries
        if 'FROM "tickets_ticket"' in query["sql"] and "LIMIT" in query["sql"]
    ]
    assert ticket_queries
    assert "EXISTS" in ticket_queries[0]
    assert "DISTINCT" not in ticket_queries[0]


def test_queues_show_counts(agent_client, make_ticket, agent, superuser):
    mine = make_ticket()
    Ticket.objects.filter(pk=mine.pk).update(assignee=agent)
    make_ticket()
    make_ticket()
    escalated = make_ticket()
    move(escalated, Status.ESCALATED, agent)
    resolved = make_ticket()
    move(resolved, Status.RESOLVED, agent)

    response = agent_client.get(LIST_URL)

    counts = {link.queue.slug: link.count for link in response.context["queue_links"]}
    assert counts == {
        "mine": 1,
        "unassigned": 3,
        "open": 3,
        "escalated": 1,
        "waiting_for_support": 0,
        "waiting_for_customer": 0,
        "all_open": 4,
    }
    html = response.content.decode()
    assert "My open tickets" in html
    assert "Waiting for support" in html


def test_queue_link_lists_its_tickets(agent_client, make_ticket, agent):
    make_ticket()
    unassigned = make_ticket()
    Ticket.objects.exclude(pk=unassigned.pk).update(assignee=agent)
    links = agent_client.get(LIST_URL).context["queue_links"]
    link = next(link for link in links if link.queue.slug == "unassigned")

    response = agent_client.get(link.url)

    assert keys(response) == [unassigned.key]
    current = [
        item.queue.slug for item in response.context["queue_links"] if item.is_current
    ]
    assert current == ["unassigned"]


@pytest.mark.parametrize("show_all", [False, True])
def test_list_query_count_is_constant(
    agent_client, request_type, reporter, alpha, show_all
):
    params = {"all": ""} if show_all else {}

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = agent_client.get(LIST_URL, params)
        assert response.status_code == 200
        return len(queries)

    bulk_create_tickets(10, request_type=request_type, reporter=reporter)
    few = count_queries()
    bulk_create_tickets(190, request_type=request_type, reporter=reporter)
    Ticket.objects.update(organization=alpha)

    many = count_queries()

    assert Ticket.objects.count() == 200
    assert many == few


def test_list_counts_exactly_on_small_tables(agent_client, make_ticket):
    make_ticket()

    response = agent_client.get(LIST_URL)

    assert response.context["cl"].paginator.is_estimated is False
    assert response.context["cl"].result_count == 1


def test_paginator_estimates_unfiltered_postgres_list(
    request_type, reporter, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.skip("the row estimate comes from PostgreSQL's pg_class")
    bulk_create_tickets(300, request_type=request_type, reporter=reporter)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE tickets_ticket")
    monkeypatch.setattr("tickets.admin.paginator.ESTIMATE_THRESHOLD", 100)

    unfiltered = EstimatedCountPaginator(Ticket.objects.all(), 50)
    filtered = EstimatedCountPaginator(Ticket.objects.filter(priority=2), 50)

    assert unfiltered.is_estimated is True
    assert 250 <= unfiltered.count <= 350
    assert filtered.is_estimated is False
    assert filtered.count == 300


def post_action(client, action: str, tickets, **extra):
    return client.post(
        LIST_URL,
        {
            "action": action,
            ACTION_CHECKBOX_NAME: [ticket.pk for ticket in tickets],
            **extra,
        },
    )


def test_bulk_resolve_reports_refused_ticket(
    agent_client, make_ticket, agent, on_commit
):
    first, second, third, canceled = (make_ticket() for _ in range(4))
    move(second, Status.IN_PROGRESS, agent)
    move(canceled, Status.CANCELED, agent)

    response = post_action(
        agent_client, "move_to_resolved", [first, second, third, canceled]
    )

    assert response.status_code == 302
    statuses = dict(Ticket.objects.values_list("number", "status"))
    assert statuses == {
        first.number: Status.RESOLVED,
        second.number: Status.RESOLVED,
        third.number: Status.RESOLVED,
        canceled.number: Status.CANCELED,
    }
    texts = [str(message) for message in get_messages(response.wsgi_request)]
    assert texts[0] == (
        f"3 tickets moved to “Resolved”: {first.key}, {second.key}, {third.key}."
    )
    assert texts[1] == (
        f"1 ticket was not moved. {canceled.key}: A request in status “Canceled” "
        "cannot be moved to “Resolved” by an agent."
    )
    assert StatusChange.objects.filter(to_status=Status.RESOLVED).count() == 3


def test_bulk_status_reports_unchanged(agent_client, make_ticket, agent):
    ticket = make_ticket()
    move(ticket, Status.IN_PROGRESS, agent)

    response = post_action(agent_client, "move_to_in_progress", [ticket])

    texts = [str(message) for message in get_messages(response.wsgi_request)]
    assert texts == [f"1 ticket already had this status: {ticket.key}."]


def test_bulk_assign_to_me(agent_client, make_ticket, agent):
    tickets = [make_ticket(), make_ticket()]

    post_action(agent_client, "assign_to_me", tickets)

    assert set(Ticket.objects.values_list("assignee", flat=True)) == {agent.pk}


def test_bulk_assign_to_other_agent(agent_client, make_ticket, superuser):
    tickets = [make_ticket(), make_ticket()]

    page = post_action(agent_client, "assign_to", tickets)
    assert page.status_code == 200
    assert "Assign these tickets" in page.content.decode()

    response = post_action(
        agent_client, "assign_to", tickets, apply="yes", assignee=superuser.pk
    )

    assert response.status_code == 302
    assert set(Ticket.objects.values_list("assignee", flat=True)) == {superuser.pk}


def test_bulk_assign_rejects_customer(agent_client, make_ticket, reporter):
    ticket = make_ticket()

    response = post_action(
        agent_client, "assign_to", [ticket], apply="yes", assignee=reporter.pk
    )

    assert response.status_code == 200
    ticket.refresh_from_db()
    assert ticket.assignee is None


def test_bulk_unassign(agent_client, make_ticket, agent):
    ticket = make_ticket()
    Ticket.objects.filter(pk=ticket.pk).update(assignee=agent)

    post_action(agent_client, "assign_to", [ticket], apply="yes", assignee="")

    ticket.refresh_from_db()
    assert ticket.assignee is None


def test_agent_cannot_add_tickets_in_admin(agent_client):
    response = agent_client.get(reverse("admin:tickets_ticket_add"))

    assert response.status_code == 403


def test_internal_note_found_by_search(agent_client, ticket, agent):
    Comment.objects.create(ticket=ticket, author=agent, body="Zebra", is_internal=True)

    assert keys(agent_client.get(LIST_URL, {"q": "zebra"})) == [ticket.key]


def test_assignee_filter_lists_only_agents(agent_client, agent, reporter):
    response = agent_client.get(LIST_URL)

    spec = next(
        spec
        for spec in response.context["cl"].filter_specs
        if getattr(spec, "parameter_name", "") == "assignee"
    )
    values = [value for value, _ in spec.lookup_choices]
    assert str(agent.pk) in values
    assert str(reporter.pk) not in values
    assert User.objects.filter(pk=reporter.pk, is_staff=False).exists()
