"""The "Share" page of a request: organization and named participants."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tickets.forms import ShareForm
from tickets.mentions import eligible_participants
from tickets.selectors import customer_actions, ticket_get_visible
from tickets.services import ticket_share


@login_required
@require_http_methods(["GET", "POST"])
def ticket_share_view(request: HttpRequest, key: str) -> HttpResponse:
    ticket = ticket_get_visible(user=request.user, key=key)
    if not customer_actions(ticket=ticket, user=request.user).share:
        raise PermissionDenied(_("Only the reporter can change who sees this request."))
    candidates = eligible_participants(ticket=ticket)
    form = ShareForm(request.POST or None, ticket=ticket, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            ticket_share(
                ticket=ticket,
                organization=form.cleaned_organization(),
                participants=form.cleaned_data["participants"],
                changed_by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Sharing was updated."))
            return redirect(ticket)
    status = 400 if form.is_bound else 200
    return render(
        request,
        "tickets/ticket_share.html",
        {"ticket": ticket, "form": form},
        status=status,
    )
