import logging
import smtplib

from celery import shared_task

from accounts.emails import send_invitation_email, send_password_reset_email
from accounts.models import User

logger = logging.getLogger(__name__)

RETRY = {
    "autoretry_for": (smtplib.SMTPException, ConnectionError, TimeoutError),
    "retry_backoff": 30,
    "retry_backoff_max": 3600,
    "max_retries": 8,
}


@shared_task(**RETRY)
def send_invitation(user_id: int) -> None:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        logger.info("invitation for user %s not sent: inactive or deleted", user_id)
        return
    send_invitation_email(user)


@shared_task(**RETRY)
def send_password_reset(email: str) -> None:
    """Send a reset link when an active account has this address, else nothing.

    The request only queues this task, so the page cannot tell by its answer
    or its timing whether the address exists.
    """
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        logger.info("password reset requested for an unknown address")
        return
    send_password_reset_email(user)
