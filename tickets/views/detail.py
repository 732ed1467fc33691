"""The request page: facts, exchange, comments and file downloads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tickets.forms import CommentForm, attachment_limits
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
            "upload_limits": attachment_limits(),
        },
        status=status,
    )


@login_required
@require_GET
def ticket_detail(request: HttpRequest, key: str) -> HttpResponse:
    ticket = ticket_get_visible(user=request.user, key=key)
    return _render_detail(request, ticket, _comment_form(request, ticket))


def _comment_form(request: HttpRequest, ticket, *args) -> CommentForm:
    return CommentForm(
        *args,
        author=request.user,
        mention_url=reverse("tickets:mentions", kwargs={"key": ticket.key}),
    )


@login_required
@require_POST
def comment_add(request: HttpRequest, key: str) -> HttpResponse:
    ticket = ticket_get_visible(user=request.user, key=key)
    form = _comment_form(request, ticket, request.POST, request.FILES)
    if not form.is_valid():
        form.keep_uploaded_files()
        return _render_detail(request, ticket, form, status=400)

    comment_create(
        ticket=ticket,
        author=request.user,
        body=form.cleaned_data["body"],
        files=form.cleaned_data["attachments"],
        staged=form.cleaned_data["staged"],
    )
    messages.success(request, _("Your comment was added."))
    return redirect(ticket)
