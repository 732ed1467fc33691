"""Hooks for django-axes, which locks sign-in after repeated failures."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def lockout_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """Return the e-mail address a login attempt is for (AXES_USERNAME_CALLABLE).

    The login form posts it as "username". Lower-casing it makes attempts
    with different capitalisation count against the same account.
    """
    source = credentials if credentials else getattr(request, "POST", {})
    username = source.get("username") or source.get("email")
    return username.strip().lower() if username else None


def lockout_response(
    request: HttpRequest, response=None, credentials=None
) -> HttpResponse:
    """Render the lockout page with status 429 (AXES_LOCKOUT_CALLABLE)."""
    return render(
        request,
        "accounts/lockout.html",
        {"cooloff_minutes": round(settings.AXES_COOLOFF_TIME * 60)},
        status=429,
    )
