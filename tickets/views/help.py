"""The help page: what statuses and types mean, and the workflow diagram."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from helpcenter.models import TicketType
from tickets.diagram import workflow_svg
from tickets.models import Status
from tickets.workflow import (
    ACTOR_LABELS,
    NEXT_ACTOR,
    STATUS_MEANINGS,
    TRANSITIONS,
    Actor,
)

TYPE_MEANINGS: dict[str, str] = {
    TicketType.BUG: _(
        "A defect in the product or in a maintained custom solution that stops "
        "intended use. It needs a fix by the developer, and a workaround where "
        "possible."
    ),
    TicketType.QUESTION: _(
        "A problem that is not a product defect: configuration, unexpected use, "
        "interplay with other software, or something an administrator must do."
    ),
    TicketType.TASK: _(
        "No problem in the software but a job for support, e.g. deliver an "
        "update, renew licences, create a portal account, or a low-urgency "
        "enhancement wish."
    ),
    TicketType.SERVICE_REQUEST: _(
        "Extended support based on a separate contract, or a paid service."
    ),
}


@require_GET
def help_page(request: HttpRequest) -> HttpResponse:
    statuses = [
        {
            "status": status,
            "meaning": STATUS_MEANINGS[status],
            "next_actor": NEXT_ACTOR[status],
            "moves": [
                {
                    "target": target,
                    "actors": [
                        ACTOR_LABELS[actor] for actor in Actor if actor in actors
                    ],
                }
                for target, actors in TRANSITIONS[status].items()
            ],
        }
        for status in Status
    ]
    types = [
        {"value": value, "label": label, "meaning": TYPE_MEANINGS[value]}
        for value, label in TicketType.choices
    ]
    return render(
        request,
        "help.html",
        {
            "statuses": statuses,
            "types": types,
            # Built from our own table; every label in it is escaped.
            "diagram": mark_safe(workflow_svg()),  # noqa: S308
        },
    )
