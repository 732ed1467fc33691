"""The notification switch on the request page and the e-mail unsubscribe link."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from tickets.models import Ticket
from tickets.notifications import (
    notifications_set,
    read_unsubscribe_token,
)
from tickets.selectors import ticket_get_visible


@login_required
@require_POST
def notifications_toggle(request: HttpRequest, key: str) -> HttpResponse:
    ticket = ticket_get_visible(user=request.user, key=key)
    enabled = request.POST.get("enabled") == "on"
    notifications_set(ticket=ticket, user=request.user, enabled=enabled)
    if enabled:
        messages.success(request, _("You will get e-mails about this request."))
    else:
        messages.success(
            request, _("You will no longer get e-mails about this request.")
        )
    return redirect(ticket)


# The signed token is the credential: mail clients send the one-click POST
# (RFC 8058) without cookies or a CSRF token.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Turn off one user's e-mails about one request, without signing in.

    GET shows a confirmation page, so that link scanners that follow every
    link change nothing; POST makes the change.
    """
    ids = read_unsubscribe_token(token)
    ticket = user = None
    if ids is not None:
        ticket = Ticket.objects.select_related("project").filter(pk=ids[0]).first()
        user = User.objects.filter(pk=ids[1]).first()
    if ticket is None or user is None:
        return render(
            request, "tickets/unsubscribe.html", {"invalid": True}, status=404
        )
    done = request.method == "POST"
    if done:
        notifications_set(ticket=ticket, user=user, enabled=False)
    return render(
        request,
        "tickets/unsubscribe.html",
        {"ticket": ticket, "done": done, "token": token},
    )
