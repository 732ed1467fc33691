"""E-mails to customers about their requests.

Events are queued as Celery tasks once the transaction that caused them has
committed, so a rolled-back change never sends mail.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import User
from tickets.models import Comment, Status, Ticket

logger = logging.getLogger(__name__)

EVENTS = ("reply", "status")


def notify_reporter(
    *,
    ticket: Ticket,
    event: str,
    comment: Comment | None = None,
    old_status: str | None = None,
    actor: User | None = None,
) -> None:
    """Queue an e-mail to the reporter after the current transaction commits."""
    if event not in EVENTS:
        raise ValueError(f"Unknown notification event: {event!r}")
    if actor is not None and actor.pk == ticket.reporter_id:
        return

    from tickets.tasks import send_ticket_notification

    def enqueue() -> None:
        try:
            send_ticket_notification.delay(
                ticket.pk, event, comment.pk if comment else None, old_status
            )
        except Exception:
            # The change itself is saved; a broker outage must not turn it into
            # an error page. NOTE: the e-mail is lost in this case.
            logger.exception(
                "could not queue %s notification for ticket %s", event, ticket.pk
            )

    transaction.on_commit(enqueue)


def send_ticket_email(
    *, ticket: Ticket, event: str, comment: Comment | None, old_status: str | None
) -> None:
    """Render and send one notification to the reporter, in their language."""
    recipient = ticket.reporter
    if not recipient.is_active or not recipient.email:
        return
    context = {
        "ticket": ticket,
        "event": event,
        "comment": comment,
        "old_status": Status(old_status).label if old_status else "",
        "new_status": ticket.get_status_display(),
        "recipient": recipient,
        "ticket_url": settings.PORTAL_URL + ticket.get_absolute_url(),
        "support_name": settings.SUPPORT_NAME,
    }
    with (
        translation.override(recipient.language),
        timezone.override(recipient.time_zone),
    ):
        context["new_status"] = Status(ticket.status).label
        context["old_status"] = Status(old_status).label if old_status else ""
        subject = render_to_string(f"emails/ticket_{event}_subject.txt", context)
        text = render_to_string(f"emails/ticket_{event}.txt", context)
        html = render_to_string(f"emails/ticket_{event}.html", context)

    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        to=[recipient.email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(html, "text/html")
    message.send()
    logger.info(
        "sent %s notification for ticket %s to user %s", event, ticket.pk, recipient.pk
    )
