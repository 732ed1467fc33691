"""The workflow: which status may follow which, and who may make the move.

TRANSITIONS is the single table that models, views, the admin, the help page
and the tests read. An actor is the kind of party making the change: an
agent in the admin, the customer on the request page, or the system acting
on an event (a customer's comment on a request waiting for them).
"""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from tickets.models import Status


class Actor(StrEnum):
    AGENT = "agent"
    CUSTOMER = "customer"
    SYSTEM = "system"


A, C, S = Actor.AGENT, Actor.CUSTOMER, Actor.SYSTEM

# Statuses in which support works or waits on a third party. A customer's
# reply to "Waiting for customer" returns the ticket to one of these.
_WORKING = (
    Status.OPEN,
    Status.IN_PROGRESS,
    Status.WAITING_FOR_SUPPORT,
    Status.REVIEW_DEVELOPMENT,
    Status.UNCLEAR_WAITING,
    Status.ESCALATED,
)

TRANSITIONS: dict[Status, dict[Status, frozenset[Actor]]] = {
    Status.OPEN: {
        Status.IN_PROGRESS: frozenset({A}),
        Status.WAITING_FOR_CUSTOMER: frozenset({A}),
        Status.WAITING_FOR_SUPPORT: frozenset({A}),
        Status.REVIEW_DEVELOPMENT: frozenset({A}),
        Status.UNCLEAR_WAITING: frozenset({A}),
        Status.ESCALATED: frozenset({A, C}),
        Status.RESOLVED: frozenset({A}),
        Status.CANCELED: frozenset({A, C}),
    },
    Status.IN_PROGRESS: {
        Status.OPEN: frozenset({A}),
        Status.WAITING_FOR_CUSTOMER: frozenset({A}),
        Status.WAITING_FOR_SUPPORT: frozenset({A}),
        Status.REVIEW_DEVELOPMENT: frozenset({A}),
        Status.UNCLEAR_WAITING: frozenset({A}),
        Status.ESCALATED: frozenset({A, C}),
        Status.RESOLVED: frozenset({A}),
        Status.CANCELED: frozenset({A, C}),
    },
    Status.WAITING_FOR_CUSTOMER: {
        **{
            status: frozenset({A, S})
            for status in _WORKING
            if status != Status.ESCALATED
        },
        Status.ESCALATED: frozenset({A, C, S}),
        Status.RESOLVED: frozenset({A}),
        Status.CANCELED: frozenset({A, C}),
    },
    Status.WAITING_FOR_SUPPORT: {
        Status.IN_PROGRESS: frozenset({A}),
        Status.WAITING_FOR_CUSTOMER: frozenset({A}),
        Status.REVIEW_DEVELOPMENT: frozenset({A}),
        Status.UNCLEAR_WAITING: frozenset({A}),
        Status.ESCALATED: frozenset({A, C}),
        Status.RESOLVED: frozenset({A}),
        Status.CANCELED: frozenset({A, C}),
    },
    Status.REVIEW_DEVELOPMENT: {
        Status.IN_PROGRESS: frozenset({A}),
        Status.WAITING_FOR_CUSTOMER: frozenset({A}),
        Status.WAITING_FOR_SUPPORT: frozenset({A}),
        Status.UNCLEAR_WAITING: frozenset({A}),
        Status.ESCALATED: frozenset({A, C}),
        Status.RESOLVED: frozenset({A}),
        Status.CANCELED: frozenset({A, C}),
    },
    Status.UNCLEAR_WAITING: {
        Status.IN_PROGRESS: frozenset({A}),
        Status.WAITING_FOR_CUSTOMER: frozenset({A}),
        Status.WAITING_FOR_SUPPORT: frozenset({A}),
        Status.REVIEW_DEVELOPMENT: frozenset({A}),
        Status.ESCALATED: frozenset({A, C}),
        Status.RESOLVED: frozenset({A}),
        Status.CANCELED: frozenset({A, C}),
    },
    Status.ESCALATED: {
        Status.IN_PROGRESS: frozenset({A}),
        Status.WAITING_FOR_CUSTOMER: frozenset({A}),
        Status.WAITING_FOR_SUPPORT: frozenset({A}),
        Status.REVIEW_DEVELOPMENT: frozenset({A}),
        Status.UNCLEAR_WAITING: frozenset({A}),
        Status.RESOLVED: frozenset({A}),
        Status.CANCELED: frozenset({A, C}),
    },
    Status.RESOLVED: {
        Status.OPEN: frozenset({A, C}),
        Status.IN_PROGRESS: frozenset({A}),
    },
    Status.CANCELED: {
        Status.OPEN: frozenset({A}),
    },
}

# The party that acts next in each status, shown with the status badge.
NEXT_ACTOR: dict[Status, str] = {
    Status.OPEN: _("Next: support picks it up."),
    Status.IN_PROGRESS: _("Next: support works on it."),
    Status.WAITING_FOR_CUSTOMER: _("Next: you. Answer with a comment."),
    Status.WAITING_FOR_SUPPORT: _(
        "Next: the product maker's second-level support, then support."
    ),
    Status.REVIEW_DEVELOPMENT: _("Next: development reviews it."),
    Status.UNCLEAR_WAITING: _(
        "Next: the blocking problem is solved first; support follows it."
    ),
    Status.ESCALATED: _("Next: support, with priority."),
    Status.RESOLVED: _("Nobody. Reopen it if the problem comes back."),
    Status.CANCELED: _("Nobody. Support can reopen it."),
}

# The meaning of each status, shown on the help page and in the badge's tooltip.
STATUS_MEANINGS: dict[Status, str] = {
    Status.OPEN: _("Waiting to be worked on; nothing is happening yet."),
    Status.IN_PROGRESS: _("An agent is analysing the problem."),
    Status.WAITING_FOR_CUSTOMER: _(
        "Support asked something and waits for the customer's answer."
    ),
    Status.WAITING_FOR_SUPPORT: _(
        "Support waits for the product maker's second-level support."
    ),
    Status.REVIEW_DEVELOPMENT: _(
        "Filed with development as a bug or an enhancement request."
    ),
    Status.UNCLEAR_WAITING: _(
        "Blocked by something else first, e.g. a related fix in another request."
    ),
    Status.ESCALATED: _(
        "The customer escalated the problem, at the vendor or through it at "
        "the product maker."
    ),
    Status.RESOLVED: _(
        "Done: a fix date was promised, or a misuse or misconfiguration was cleared up."
    ),
    Status.CANCELED: _(
        "Closed without a solution: withdrawn, no longer relevant, already "
        "solved, or a duplicate."
    ),
}


class TransitionError(Exception):
    """A status change the workflow does not allow."""


def actor_for(user) -> Actor:
    """Return the actor kind of a signed-in user."""
    return Actor.AGENT if user.is_staff else Actor.CUSTOMER


def allowed_targets(status: str, actor: Actor) -> list[Status]:
    """Return the statuses an actor may move a ticket in this status to."""
    return [
        target
        for target, actors in TRANSITIONS[Status(status)].items()
        if actor in actors
    ]


def can_transition(from_status: str, to_status: str, actor: Actor) -> bool:
    return actor in TRANSITIONS[Status(from_status)].get(Status(to_status), frozenset())


def check_transition(from_status: str, to_status: str, actor: Actor) -> None:
    """Raise TransitionError unless the actor may make this move."""
    if not can_transition(from_status, to_status, actor):
        raise TransitionError(
            _(
                "A request in status “%(from)s” cannot be moved to “%(to)s” by %(actor)s."
            )
            % {
                "from": Status(from_status).label,
                "to": Status(to_status).label,
                "actor": ACTOR_LABELS[actor],
            }
        )


ACTOR_LABELS = {
    Actor.AGENT: _("an agent"),
    Actor.CUSTOMER: _("the customer"),
    Actor.SYSTEM: _("the system"),
}
