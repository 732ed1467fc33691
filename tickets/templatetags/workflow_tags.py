from django import template

from tickets.models import Status
from tickets.workflow import NEXT_ACTOR, STATUS_MEANINGS

register = template.Library()


@register.inclusion_tag("tickets/_status_badge.html")
def status_badge(status: str) -> dict:
    """Render a status badge that explains itself: meaning and who acts next."""
    status = Status(status)
    return {
        "status": status,
        "meaning": STATUS_MEANINGS[status],
        "next_actor": NEXT_ACTOR[status],
    }


@register.simple_tag
def status_explanation(status: str) -> str:
    status = Status(status)
    return f"{STATUS_MEANINGS[status]} {NEXT_ACTOR[status]}"
