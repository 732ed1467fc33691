"""Saved views of the ticket list: the queues agents open most, with counts."""

from dataclasses import dataclass
from functools import reduce
from operator import and_
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.http import QueryDict
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from tickets.admin.filters import (
    ASSIGNEE_PARAM,
    CONDITIONS,
    STATE_PARAM,
    STATUS_PARAM,
    WAITING_PARAM,
)
from tickets.models import OPEN_STATUSES, Status, Ticket


@dataclass(frozen=True)
class Queue:
    """A named set of list filters, shown as a link with its ticket count."""

    slug: str
    label: str | Promise
    params: tuple[tuple[str, str], ...]

    def condition(self, user: User) -> Q:
        conditions = [CONDITIONS[name](value, user) for name, value in self.params]
        return reduce(and_, [c for c in conditions if c is not None], Q())

    def url(self) -> str:
        changelist = reverse("admin:tickets_ticket_changelist")
        return f"{changelist}?{urlencode(self.params)}"

    def matches(self, query: QueryDict) -> bool:
        """Return True when the list's filters are exactly this queue's."""
        filters = {
            name: value
            for name, value in query.items()
            if name in CONDITIONS or name.endswith("__exact") or "__id" in name
        }
        return filters == dict(self.params)


# Every queue holds open tickets only, so one pass over the open tickets
# (found through the status index) counts them all.
QUEUES: tuple[Queue, ...] = (
    Queue(
        "mine",
        _("My open tickets"),
        ((STATE_PARAM, "open"), (ASSIGNEE_PARAM, "mine")),
    ),
    Queue(
        "unassigned",
        _("Unassigned"),
        ((STATE_PARAM, "open"), (ASSIGNEE_PARAM, "none")),
    ),
    Queue("open", _("Open"), ((STATUS_PARAM, Status.OPEN),)),
    Queue("escalated", _("Escalated"), ((STATUS_PARAM, Status.ESCALATED),)),
    Queue(
        "waiting_for_support",
        _("Waiting for support"),
        ((STATUS_PARAM, Status.WAITING_FOR_SUPPORT),),
    ),
    Queue(
        "waiting_for_customer",
        _("Waiting for customer over 7 days"),
        ((WAITING_PARAM, "7"),),
    ),
    Queue("all_open", _("All open tickets"), ((STATE_PARAM, "open"),)),
)


def ticket_list_link(text: object, **params: object) -> str:
    """Return a link to the ticket list with these filters applied."""
    changelist = reverse("admin:tickets_ticket_changelist")
    return format_html('<a href="{}?{}">{}</a>', changelist, urlencode(params), text)


@dataclass(frozen=True)
class QueueLink:
    queue: Queue
    count: int
    url: str
    is_current: bool


def queue_links(*, user: User, query: QueryDict | None = None) -> list[QueueLink]:
    """Count every queue's tickets in one query and return the links in order."""
    counts = Ticket.objects.filter(status__in=OPEN_STATUSES).aggregate(
        **{queue.slug: Count("pk", filter=queue.condition(user)) for queue in QUEUES}
    )
    return [
        QueueLink(
            queue=queue,
            count=counts[queue.slug],
            url=queue.url(),
            is_current=query is not None and queue.matches(query),
        )
        for queue in QUEUES
    ]
