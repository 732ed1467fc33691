"""Celery tasks of the e-mail outbox. Both take ids and read the rows fresh."""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings

from tickets import delivery

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def deliver_notification(notification_id: int) -> str:
    """Send one outbox row unless another worker already has it."""
    return delivery.deliver(notification_id)


@shared_task(ignore_result=True)
def sweep_notifications() -> int:
    """Send rows still pending NOTIFICATION_SWEEP_AFTER seconds after they were due.

    Runs from Celery beat. It catches rows whose after-commit task was never
    queued (Redis down at the time) or was lost, and retries whose delayed
    task was lost. Returns the number of rows sent.
    """
    due = delivery.due_notification_ids(
        older_than=timedelta(seconds=settings.NOTIFICATION_SWEEP_AFTER)
    )
    sent = 0
    for notification_id in due:
        if delivery.deliver(notification_id) == delivery.SENT:
            sent += 1
    if due:
        logger.info("sweep found %s due notifications, sent %s", len(due), sent)
    return sent


@shared_task
def cleanup_staged_uploads() -> int:
    """Delete expired staged uploads; meant for a periodic schedule (hourly)."""
    from tickets.services import staged_uploads_cleanup

    return staged_uploads_cleanup()
