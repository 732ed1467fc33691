"""Log failed and locked-out logins without passwords or e-mail addresses."""

import logging
from typing import Any

from django.apps import apps
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from portal.logging_config import fingerprint

logger = logging.getLogger("portal.security")


def _client_ip(request: HttpRequest | None) -> str | None:
    # REMOTE_ADDR is the front proxy when there is one; its access log has the
    # client, and the request id links the two lines.
    return request.META.get("REMOTE_ADDR") if request is not None else None


def _login_fingerprint(login: Any) -> str | None:
    return fingerprint(login) if isinstance(login, str) and login else None


@receiver(user_login_failed, dispatch_uid="portal.security_log.login_failed")
def log_login_failed(
    sender: Any,
    credentials: dict[str, Any],
    request: HttpRequest | None = None,
    **kwargs,
) -> None:
    login = credentials.get("username") or credentials.get("email")
    logger.warning(
        "login failed",
        extra={
            "event": "login_failed",
            "login_fingerprint": _login_fingerprint(login),
            "client_ip": _client_ip(request),
        },
    )


def log_locked_out(
    sender: Any,
    request: HttpRequest | None = None,
    username: str | None = None,
    ip_address: str | None = None,
    **kwargs: Any,
) -> None:
    """Log a lockout by django-axes (its user_locked_out signal)."""
    logger.warning(
        "login locked out after repeated failures",
        extra={
            "event": "login_locked_out",
            "login_fingerprint": _login_fingerprint(username),
            "client_ip": ip_address or _client_ip(request),
        },
    )


def connect_lockout_signal() -> None:
    """Connect to django-axes's lockout signal when axes is in INSTALLED_APPS."""
    if not apps.is_installed("axes"):
        return
    from axes.signals import user_locked_out

    user_locked_out.connect(
        log_locked_out, dispatch_uid="portal.security_log.locked_out"
    )
