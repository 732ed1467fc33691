"""Sending of outbox rows: claim, check, render, send, retry.

A row is claimed with a conditional UPDATE (pending and due -> sending), so
of several workers that try the same row only one goes on to send it. SMTP
errors put the row back to pending with an exponentially growing wait; after
NOTIFICATION_MAX_ATTEMPTS tries it is marked failed for the agents' admin.
"""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from tickets.models import (
    Notification,
    NotificationEvent,
    NotificationSetting,
    NotificationState,
)
from tickets.notifications import BROKER_ERRORS, unsubscribe_token
from tickets.selectors import ticket_list_visible

logger = logging.getLogger(__name__)

SENT = "sent"
SKIPPED = "skipped"
RETRY = "retry"
FAILED = "failed"
NOT_CLAIMED = "not-claimed"

# Errors of the mail server or the connection to it; anything else is a bug
# and propagates.
DELIVERY_ERRORS = (smtplib.SMTPException, OSError)


def claim(notification_id: int, *, now=None) -> bool:
    """Mark a due, pending row as being sent; return False if another worker has it."""
    now = now or timezone.now()
    claimed = Notification.objects.filter(
        pk=notification_id,
        state=NotificationState.PENDING,
        next_attempt_at__lte=now,
    ).update(
        state=NotificationState.SENDING,
        attempts=F("attempts") + 1,
        next_attempt_at=now + timedelta(seconds=settings.NOTIFICATION_CLAIM_TIMEOUT),
    )
    return claimed == 1


def due_notification_ids(*, older_than: timedelta, now=None) -> list[int]:
    """Return pending rows due at least older_than ago, releasing stale claims.

    A row stays "sending" only while a worker holds it. One still sending
    after NOTIFICATION_CLAIM_TIMEOUT belongs to a worker that died, so it
    becomes pending again. NOTE: if that worker was only slow and still
    sends, the recipient gets the e-mail twice.
    """
    now = now or timezone.now()
    Notification.objects.filter(
        state=NotificationState.SENDING, next_attempt_at__lte=now
    ).update(state=NotificationState.PENDING, next_attempt_at=now)
    return list(
        Notification.objects.filter(
            state=NotificationState.PENDING, next_attempt_at__lte=now - older_than
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:500]
    )


def skip_reason(notification: Notification) -> str:
    """Return why a claimed row must not be sent now, or "" to send it."""
    recipient = notification.recipient
    if not recipient.is_active or not recipient.email:
        return "recipient inactive or without e-mail address"
    if (
        not ticket_list_visible(user=recipient)
        .filter(pk=notification.ticket_id)
        .exists()
    ):
        return "recipient can no longer see the request"
    if NotificationSetting.objects.filter(
        ticket_id=notification.ticket_id, user=recipient, enabled=False
    ).exists():
        return "recipient turned notifications off"
    if notification.comment is not None and notification.comment.is_internal:
        return "internal note"
    return ""


def public_text(notification: Notification) -> str:
    """Return the customer-visible text the event added, or ""."""
    if notification.comment is not None:
        return notification.comment.body
    if notification.status_change is not None:
        return notification.status_change.reason
    if notification.event in (NotificationEvent.CREATED, NotificationEvent.MENTION):
        return notification.ticket.description
    return ""


def build_message(notification: Notification) -> EmailMultiAlternatives:
    """Render the e-mail in the recipient's language and time zone."""
    ticket = notification.ticket
    recipient = notification.recipient
    token = unsubscribe_token(ticket_id=ticket.pk, user_id=recipient.pk)
    unsubscribe_url = settings.PORTAL_URL + reverse(
        "notifications-unsubscribe", kwargs={"token": token}
    )
    change = notification.status_change
    context = {
        "notification": notification,
        "event": notification.event,
        "ticket": ticket,
        "recipient": recipient,
        "actor": notification.actor,
        "comment": notification.comment,
        "change": change,
        "happened_at": notification.created_at,
        "ticket_url": settings.PORTAL_URL + ticket.get_absolute_url(),
        "unsubscribe_url": unsubscribe_url,
        "support_name": settings.SUPPORT_NAME,
        "public_text": public_text(notification),
    }
    with (
        translation.override(recipient.language),
        timezone.override(recipient.time_zone),
    ):
        if change is not None:
            context["old_status"] = change.get_from_status_display()
            context["new_status"] = change.get_to_status_display()
        context["ticket_type"] = ticket.get_type_display()
        subject = render_to_string("emails/notification_subject.txt", context)
        text = render_to_string("emails/notification.txt", context)
        html = render_to_string("emails/notification.html", context)

    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        to=[recipient.email],
        headers={
            "Auto-Submitted": "auto-generated",
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def retry_delay(attempts: int) -> timedelta:
    """Return the wait after the given number of failed tries: 1, 2, 4, ... times the base."""
    return timedelta(seconds=settings.NOTIFICATION_RETRY_DELAY * 2 ** (attempts - 1))


def deliver(notification_id: int, *, now=None) -> str:
    """Claim, check and send one row; return what happened (SENT, RETRY, ...)."""
    now = now or timezone.now()
    if not claim(notification_id, now=now):
        return NOT_CLAIMED
    notification = Notification.objects.select_related(
        "ticket__project", "recipient", "actor", "comment__author", "status_change"
    ).get(pk=notification_id)

    reason = skip_reason(notification)
    if reason:
        Notification.objects.filter(pk=notification_id).update(
            state=NotificationState.SKIPPED, last_error=reason
        )
        logger.info("notification %s skipped: %s", notification_id, reason)
        return SKIPPED

    try:
        build_message(notification).send()
    except DELIVERY_ERRORS as error:
        return _record_failure(notification, error, now=now)

    Notification.objects.filter(pk=notification_id).update(
        state=NotificationState.SENT, sent_at=timezone.now(), last_error=""
    )
    logger.info(
        "sent %s notification %s for ticket %s to user %s",
        notification.event,
        notification_id,
        notification.ticket_id,
        notification.recipient_id,
    )
    return SENT


def _record_failure(notification: Notification, error: Exception, *, now) -> str:
    message = f"{type(error).__name__}: {error}"[:2000]
    if notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
        Notification.objects.filter(pk=notification.pk).update(
            state=NotificationState.FAILED, last_error=message
        )
        logger.error(
            "notification %s failed after %s tries: %s",
            notification.pk,
            notification.attempts,
            message,
        )
        return FAILED

    delay = retry_delay(notification.attempts)
    Notification.objects.filter(pk=notification.pk).update(
        state=NotificationState.PENDING,
        next_attempt_at=now + delay,
        last_error=message,
    )
    logger.warning(
        "notification %s try %s failed, next try in %s s: %s",
        notification.pk,
        notification.attempts,
        int(delay.total_seconds()),
        message,
    )
    schedule_retry(notification.pk, delay)
    return RETRY


def schedule_retry(notification_id: int, delay: timedelta) -> None:
    """Queue the next try; without a broker the periodic sweep finds the row."""
    from tickets.tasks import deliver_notification

    if deliver_notification.app.conf.task_always_eager:
        # In-process mode has no delayed tasks: an immediate call would find
        # the row not yet due. The sweep (or a retry in the admin) sends it.
        return
    try:
        deliver_notification.apply_async(
            (notification_id,), countdown=delay.total_seconds(), retry=False
        )
    except BROKER_ERRORS as error:
        logger.warning(
            "could not queue retry of notification %s: %s", notification_id, error
        )


def retry_failed(notification_ids: list[int]) -> int:
    """Put failed or skipped rows back to pending with fresh tries; return the count."""
    count = Notification.objects.filter(
        pk__in=notification_ids,
        state__in=[NotificationState.FAILED, NotificationState.SKIPPED],
    ).update(
        state=NotificationState.PENDING,
        attempts=0,
        next_attempt_at=timezone.now(),
    )
    return count
