"""Account e-mails (invitation, password reset), written in the recipient's language."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User
from accounts.tokens import invitation_token_generator

logger = logging.getLogger(__name__)


def _send(*, user: User, template: str, context: dict) -> None:
    context = {
        **context,
        "recipient": user,
        "support_name": settings.SUPPORT_NAME,
        "portal_url": settings.PORTAL_URL,
    }
    with translation.override(user.language), timezone.override(user.time_zone):
        subject = render_to_string(f"accounts/emails/{template}_subject.txt", context)
        text = render_to_string(f"accounts/emails/{template}.txt", context)
        html = render_to_string(f"accounts/emails/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        to=[user.email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(html, "text/html")
    message.send()
    logger.info("sent %s e-mail to user %s", template, user.pk)


def _link(url_name: str, user: User, token: str) -> str:
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse(url_name, kwargs={"uidb64": uidb64, "token": token})
    return settings.PORTAL_URL + path


def send_invitation_email(user: User) -> None:
    token = invitation_token_generator.make_token(user)
    _send(
        user=user,
        template="invitation",
        context={
            "link": _link("accounts:invitation", user, token),
            "valid_hours": settings.INVITATION_TIMEOUT_HOURS,
        },
    )


def send_password_reset_email(user: User) -> None:
    from django.contrib.auth.tokens import default_token_generator

    token = default_token_generator.make_token(user)
    _send(
        user=user,
        template="password_reset",
        context={
            "link": _link("accounts:password-reset-confirm", user, token),
            "valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        },
    )
