"""Bulk actions of the ticket list: assignment and status changes.

Every ticket of a bulk status change is checked against the workflow on
its own, so one rejected move does not stop the others. The result message
names the tickets that did not move and why.
"""

from collections.abc import Callable

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import User
from tickets.admin.forms import AssignForm
from tickets.models import Status, Ticket
from tickets.services import ticket_assign, ticket_transition
from tickets.workflow import Actor, TransitionError


def bulk_transition(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet[Ticket],
    to_status: Status,
) -> None:
    """Move each selected ticket and report the moved, unchanged and rejected."""
    moved: list[Ticket] = []
    unchanged: list[Ticket] = []
    rejected: list[str] = []
    for ticket in queryset.select_related("project").order_by("project__key", "number"):
        try:
            change = ticket_transition(
                ticket=ticket,
                to_status=to_status,
                actor=Actor.AGENT,
                changed_by=request.user,
            )
        except TransitionError as error:
            rejected.append(f"{ticket.key}: {error}")
            continue
        if change is None:
            unchanged.append(ticket)
            continue
        moved.append(ticket)
        modeladmin.log_change(
            request, ticket, [{"changed": {"fields": [str(_("status"))]}}]
        )

    if moved:
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d ticket moved to “%(status)s”: %(keys)s.",
                "%(count)d tickets moved to “%(status)s”: %(keys)s.",
                len(moved),
            )
            % {
                "count": len(moved),
                "status": to_status.label,
                "keys": ", ".join(ticket.key for ticket in moved),
            },
            messages.SUCCESS,
        )
    if unchanged:
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d ticket already had this status: %(keys)s.",
                "%(count)d tickets already had this status: %(keys)s.",
                len(unchanged),
            )
            % {
                "count": len(unchanged),
                "keys": ", ".join(ticket.key for ticket in unchanged),
            },
            messages.INFO,
        )
    if rejected:
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d ticket was not moved. %(reasons)s",
                "%(count)d tickets were not moved. %(reasons)s",
                len(rejected),
            )
            % {"count": len(rejected), "reasons": " ".join(rejected)},
            messages.WARNING,
        )


def make_transition_action(to_status: Status) -> Callable:
    def action(modeladmin, request, queryset) -> None:
        bulk_transition(modeladmin, request, queryset, to_status)

    action.__name__ = f"move_to_{to_status.value}"
    action.short_description = lazy(
        lambda: _("Move to “%(status)s”") % {"status": to_status.label}, str
    )()
    action.allowed_permissions = ("change",)
    return action


TRANSITION_ACTIONS = [make_transition_action(status) for status in Status]


def bulk_assign(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet[Ticket],
    assignee: User | None,
) -> None:
    changed = 0
    for ticket in queryset.select_related("project"):
        try:
            if ticket_assign(ticket=ticket, assignee=assignee):
                changed += 1
                modeladmin.log_change(
                    request, ticket, [{"changed": {"fields": [str(_("assignee"))]}}]
                )
        except ValidationError as error:
            modeladmin.message_user(request, " ".join(error.messages), messages.ERROR)
            return
    if assignee is None:
        text = ngettext(
            "%(count)d ticket is now unassigned.",
            "%(count)d tickets are now unassigned.",
            changed,
        ) % {"count": changed}
    else:
        text = ngettext(
            "%(count)d ticket assigned to %(name)s.",
            "%(count)d tickets assigned to %(name)s.",
            changed,
        ) % {"count": changed, "name": assignee.display_name}
    modeladmin.message_user(request, text, messages.SUCCESS)


@admin.action(description=gettext_lazy("Assign to me"), permissions=["change"])
def assign_to_me(modeladmin, request, queryset) -> None:
    bulk_assign(modeladmin, request, queryset, request.user)


@admin.action(description=gettext_lazy("Assign to…"), permissions=["change"])
def assign_to(modeladmin, request, queryset):
    """Ask for the assignee on an intermediate page, then assign."""
    if "apply" in request.POST:
        form = AssignForm(request.POST)
        if form.is_valid():
            bulk_assign(modeladmin, request, queryset, form.cleaned_data["assignee"])
            return None
    else:
        form = AssignForm()

    opts = modeladmin.model._meta
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Assign tickets"),
        "opts": opts,
        "form": form,
        "queryset": queryset.select_related("project"),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "action_name": "assign_to",
        "media": modeladmin.media,
    }
    return TemplateResponse(
        request, "admin/tickets/ticket/assign_intermediate.html", context
    )
