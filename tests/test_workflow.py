import itertools

import pytest

from tickets.models import Status, StatusChange
from tickets.services import ticket_transition
from tickets.workflow import (
    NEXT_ACTOR,
    TRANSITIONS,
    Actor,
    TransitionError,
    allowed_targets,
    can_transition,
)


def test_table_covers_every_status():
    assert set(TRANSITIONS) == set(Status)
    assert set(NEXT_ACTOR) == set(Status)


def test_no_status_moves_to_itself():
    for status, targets in TRANSITIONS.items():
        assert status not in targets, status


def test_every_status_is_reachable_from_open():
    reached = {Status.OPEN}
    frontier = [Status.OPEN]
    while frontier:
        for target in TRANSITIONS[frontier.pop()]:
            if target not in reached:
                reached.add(target)
                frontier.append(target)

    assert reached == set(Status)


@pytest.mark.parametrize(
    "from_status, to_status, actor, allowed",
    [
        (Status.OPEN, Status.CANCELED, Actor.CUSTOMER, True),
        (Status.OPEN, Status.RESOLVED, Actor.CUSTOMER, False),
        (Status.OPEN, Status.RESOLVED, Actor.AGENT, True),
        (Status.RESOLVED, Status.OPEN, Actor.CUSTOMER, True),
        (Status.CANCELED, Status.OPEN, Actor.CUSTOMER, False),
        (Status.WAITING_FOR_CUSTOMER, Status.IN_PROGRESS, Actor.SYSTEM, True),
        (Status.OPEN, Status.IN_PROGRESS, Actor.SYSTEM, False),
        (Status.ESCALATED, Status.ESCALATED, Actor.AGENT, False),
    ],
)
def test_can_transition_examples(from_status, to_status, actor, allowed):
    assert can_transition(from_status, to_status, actor) is allowed


def test_every_pair_and_actor_agrees_with_table():
    for from_status, to_status, actor in itertools.product(Status, Status, Actor):
        expected = actor in TRANSITIONS[from_status].get(to_status, frozenset())
        assert can_transition(from_status, to_status, actor) is expected
        assert (to_status in allowed_targets(from_status, actor)) is expected


def test_customer_can_never_resolve():
    for status in Status:
        assert Status.RESOLVED not in allowed_targets(status, Actor.CUSTOMER)


@pytest.mark.django_db
def test_transition_records_history(ticket, agent):
    change = ticket_transition(
        ticket=ticket,
        to_status=Status.WAITING_FOR_CUSTOMER,
        actor=Actor.AGENT,
        changed_by=agent,
        reason="Need the log file",
    )

    ticket.refresh_from_db()
    assert ticket.status == Status.WAITING_FOR_CUSTOMER
    assert ticket.status_before_waiting == Status.OPEN
    assert change == StatusChange.objects.get()
    assert (change.from_status, change.to_status) == (
        Status.OPEN,
        Status.WAITING_FOR_CUSTOMER,
    )
    assert change.changed_by == agent
    assert change.reason == "Need the log file"


@pytest.mark.django_db
def test_illegal_transition_is_rejected(ticket, reporter):
    with pytest.raises(
        TransitionError, match="cannot be moved to “Resolved” by the customer"
    ):
        ticket_transition(
            ticket=ticket,
            to_status=Status.RESOLVED,
            actor=Actor.CUSTOMER,
            changed_by=reporter,
        )

    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert not StatusChange.objects.exists()


@pytest.mark.django_db
def test_same_status_is_no_change(ticket, agent):
    assert (
        ticket_transition(
            ticket=ticket, to_status=Status.OPEN, actor=Actor.AGENT, changed_by=agent
        )
        is None
    )
    assert not StatusChange.objects.exists()
