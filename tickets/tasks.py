import smtplib

from celery import shared_task

from tickets.models import Comment, Ticket
from tickets.notifications import send_ticket_email


@shared_task(
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=8,
)
def send_ticket_notification(
    ticket_id: int, event: str, comment_id: int | None, old_status: str | None
) -> None:
    ticket = (
        Ticket.objects.select_related("project", "reporter")
        .filter(pk=ticket_id)
        .first()
    )
    if ticket is None:
        return
    comment = None
    if comment_id is not None:
        comment = Comment.objects.filter(pk=comment_id, is_internal=False).first()
        if comment is None:
            return
    send_ticket_email(
        ticket=ticket, event=event, comment=comment, old_status=old_status
    )
