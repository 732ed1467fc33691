"""The request page: facts, exchange, comments and file downloads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.sendfile import private_file_response
from tickets.forms import CommentForm
from tickets.notifications import notifications_enabled
from tickets.selectors import (
    attachment_list_visible,
    customer_actions,
    ticket_get_visible,
    timeline_entries,
)
from tickets.services import comment_create


def _render_detail(
    request: HttpRequest, ticket, comment_form: CommentForm, status: int = 200
):
    attachments = attachment_list_visible(user=request.user, ticket=ticket)
    return render(
        request,
        "tickets/ticket_detail.html",
        {
            "ticket": ticket,
            "timeline": timeline_entries(user=request.user, ticket=ticket),
            "actions": customer_actions(ticket=ticket, user=request.user),
            "notifications_on": notifications_enabled(ticket=ticket, user=request.user),
            "description_attachments": [a for a in attachments if a.comment_id is None],
            "attachments": attachments,
            "comment_form": comment_form,
        },
        status=status,
    )


@login_required
@require_GET
def ticket_detail(request: HttpRequest, key: str) -> HttpResponse:
    ticket = ticket_get_visible(user=request.user, key=key)
    return _render_detail(request, ticket, CommentForm())


@login_required
@require_POST
def comment_add(request: HttpRequest, key: str) -> HttpResponse:
    ticket = ticket_get_visible(user=request.user, key=key)
    form = CommentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_detail(request, ticket, form, status=400)

    comment_create(
        ticket=ticket,
        author=request.user,
        body=form.cleaned_data["body"],
        files=form.cleaned_data["attachments"],
    )
    messages.success(request, _("Your comment was added."))
    return redirect(ticket)


@login_required
@require_GET
def attachment_download(
    request: HttpRequest, key: str, attachment_id: int
) -> HttpResponseBase:
    ticket = ticket_get_visible(user=request.user, key=key)
    attachment = get_object_or_404(
        attachment_list_visible(user=request.user, ticket=ticket), pk=attachment_id
    )
    return private_file_response(attachment.file, filename=attachment.original_name)
