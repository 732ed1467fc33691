"""Customer actions on the request page: cancel, escalate, reopen."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tickets.forms import ReasonForm
from tickets.selectors import customer_roles, ticket_get_visible
from tickets.services import ticket_cancel, ticket_escalate, ticket_reopen
from tickets.workflow import TransitionError


def _run_action(
    request: HttpRequest,
    key: str,
    *,
    action: str,
    perform: Callable,
    done: str,
) -> HttpResponse:
    ticket = ticket_get_visible(user=request.user, key=key)
    if not getattr(customer_roles(ticket=ticket, user=request.user), action):
        raise PermissionDenied(_("Only the reporter or a participant can do this."))
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("reason", [])))
        return redirect(ticket)
    try:
        perform(ticket=ticket, user=request.user, reason=form.cleaned_data["reason"])
    except (ValidationError, TransitionError) as error:
        text = (
            " ".join(error.messages)
            if isinstance(error, ValidationError)
            else str(error)
        )
        messages.error(request, text)
        return redirect(ticket)
    messages.success(request, done)
    return redirect(ticket)


@login_required
@require_POST
def ticket_cancel_view(request: HttpRequest, key: str) -> HttpResponse:
    return _run_action(
        request,
        key,
        action="cancel",
        perform=ticket_cancel,
        done=_("The request was canceled."),
    )


@login_required
@require_POST
def ticket_escalate_view(request: HttpRequest, key: str) -> HttpResponse:
    return _run_action(
        request,
        key,
        action="escalate",
        perform=ticket_escalate,
        done=_("The request was escalated. Support has been told."),
    )


@login_required
@require_POST
def ticket_reopen_view(request: HttpRequest, key: str) -> HttpResponse:
    return _run_action(
        request,
        key,
        action="reopen",
        perform=ticket_reopen,
        done=_("The request was reopened."),
    )
