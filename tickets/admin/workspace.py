"""The ticket page of the admin: exchange, reply box, status buttons, fields."""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tickets.admin.forms import ReplyForm, TransitionForm, agent_status_choices
from tickets.admin.timeline import ticket_timeline
from tickets.models import Ticket
from tickets.search import ticket_search_document_update
from tickets.services import comment_create, ticket_assign, ticket_transition
from tickets.workflow import Actor, TransitionError

post_only = method_decorator(require_POST)


class TicketWorkspaceMixin:
    """Ticket page parts of TicketAdmin; the forms post to their own URLs."""

    change_form_template = "admin/tickets/ticket/change_form.html"
    fieldsets = [
        (None, {"fields": ["summary"]}),
        (
            gettext_lazy("Work"),
            {
                "fields": [
                    "assignee",
                    "priority",
                    "type",
                    "affected_version",
                    "components",
                ]
            },
        ),
        (
            gettext_lazy("People and sharing"),
            {"fields": ["organization", "participants"]},
        ),
    ]
    autocomplete_fields = ["participants"]
    # The template links to the portal's page of the ticket itself.
    view_on_site = False

    # URLs

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        own = [
            path(
                "<path:object_id>/reply/",
                self.admin_site.admin_view(self.reply_view),
                name="{}_{}_reply".format(*info),
            ),
            path(
                "<path:object_id>/transition/",
                self.admin_site.admin_view(self.transition_view),
                name="{}_{}_transition".format(*info),
            ),
            path(
                "<path:object_id>/assign-to-me/",
                self.admin_site.admin_view(self.assign_to_me_view),
                name="{}_{}_assign_to_me".format(*info),
            ),
        ]
        # Before the admin's own URLs, whose "<path:object_id>/" would match.
        return own + super().get_urls()

    # The change form

    def formfield_for_dbfield(self, db_field, request: HttpRequest, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "components":
            formfield.widget = forms.CheckboxSelectMultiple(
                choices=formfield.widget.choices
            )
            formfield.help_text = ""
        # Agents pick users, versions and organizations here; editing them
        # happens on their own pages, so the add/change/view icons go.
        widget = getattr(formfield, "widget", None)
        if isinstance(widget, RelatedFieldWidgetWrapper):
            widget.can_add_related = False
            widget.can_change_related = False
            widget.can_view_related = False
        return formfield

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None:
            fields = form.base_fields
            if "affected_version" in fields:
                fields["affected_version"].queryset = obj.project.versions.all()
            if "components" in fields:
                fields["components"].queryset = obj.project.components.all()
            if "organization" in fields:
                # A ticket is shared with one of its reporter's organizations.
                fields["organization"].queryset = obj.reporter.organizations.all()
        return form

    def save_model(self, request: HttpRequest, obj: Ticket, form, change: bool):
        if not change:
            super().save_model(request, obj, form, change)
            return
        # Write only the edited columns, so a status change made meanwhile
        # on another page is not overwritten with the value this form read.
        many_to_many = {field.name for field in obj._meta.many_to_many}
        columns = [name for name in form.changed_data if name not in many_to_many]
        obj.save(update_fields=[*columns, "updated_at"])
        if {"summary", "description"} & set(columns):
            ticket_search_document_update(ticket=obj)

    def change_view(
        self, request: HttpRequest, object_id, form_url="", extra_context=None
    ):
        ticket = self.get_object(request, unquote(object_id))
        context = dict(extra_context or {})
        if ticket is not None:
            context.update(self.workspace_context(request, ticket, context))
        return super().change_view(request, object_id, form_url, context)

    def workspace_context(
        self, request: HttpRequest, ticket: Ticket, given: dict
    ) -> dict:
        description_files, entries = ticket_timeline(ticket=ticket)
        can_change = self.has_change_permission(request, ticket)
        return {
            "title": ticket.key,
            "subtitle": ticket.summary,
            "description_files": description_files,
            "timeline": entries,
            "can_work": can_change,
            "can_comment": can_change and request.user.has_perm("tickets.add_comment"),
            "reply_form": given.get("reply_form") or ReplyForm(ticket=ticket),
            "transition_form": given.get("transition_form") or TransitionForm(),
            "transition_choices": agent_status_choices(ticket),
        }

    def _render_with_errors(
        self, request: HttpRequest, object_id: str, **forms
    ) -> HttpResponse:
        """Show the ticket page again with a rejected form and its errors."""
        # change_view processes the main form on POST; the page is shown
        # as on GET, with the rejected form passed in.
        request.method = "GET"
        response = self.change_view(request, object_id, extra_context=forms)
        response.status_code = 400
        return response

    def _ticket_to_change(self, request: HttpRequest, object_id: str) -> Ticket:
        ticket = self.get_object(request, unquote(object_id))
        if ticket is None:
            raise Http404(_("No such ticket."))
        if not self.has_change_permission(request, ticket):
            raise PermissionDenied
        return ticket

    def _ticket_page(self, ticket: Ticket, anchor: str = "") -> HttpResponseRedirect:
        url = reverse(
            "admin:tickets_ticket_change",
            args=[quote(ticket.pk)],
            current_app=self.admin_site.name,
        )
        return HttpResponseRedirect(f"{url}#{anchor}" if anchor else url)

    # Views of the ticket page's own forms

    @post_only
    def reply_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Add a public reply or an internal note, then change the status."""
        ticket = self._ticket_to_change(request, object_id)
        if not request.user.has_perm("tickets.add_comment"):
            raise PermissionDenied
        form = ReplyForm(request.POST, request.FILES, ticket=ticket)
        if not form.is_valid():
            return self._render_with_errors(request, object_id, reply_form=form)
        files = form.cleaned_data["attachments"]
        if files and not request.user.has_perm("tickets.add_attachment"):
            raise PermissionDenied

        to_status = form.cleaned_data["status"]
        try:
            with transaction.atomic():
                comment = comment_create(
                    ticket=ticket,
                    author=request.user,
                    body=form.cleaned_data["body"],
                    is_internal=form.is_internal,
                    files=files,
                )
                if to_status:
                    ticket_transition(
                        ticket=ticket,
                        to_status=to_status,
                        actor=Actor.AGENT,
                        changed_by=request.user,
                    )
        except TransitionError as error:
            form.add_error("status", str(error))
            return self._render_with_errors(request, object_id, reply_form=form)

        if form.is_internal:
            text = _("Internal note added. The customer does not see it.")
        else:
            text = _("Reply sent to the customer.")
        if to_status:
            text += " " + _("Status is now “%(status)s”.") % {
                "status": ticket.get_status_display()
            }
        self.log_change(request, ticket, text)
        messages.success(request, text)
        return self._ticket_page(ticket, f"comment-{comment.pk}")

    @post_only
    def transition_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Move the ticket to another status, with an optional public reply."""
        ticket = self._ticket_to_change(request, object_id)
        form = TransitionForm(request.POST)
        if not form.is_valid():
            return self._render_with_errors(request, object_id, transition_form=form)
        message = form.cleaned_data["message"].strip()
        if message and not request.user.has_perm("tickets.add_comment"):
            raise PermissionDenied

        try:
            with transaction.atomic():
                if message:
                    comment_create(ticket=ticket, author=request.user, body=message)
                ticket_transition(
                    ticket=ticket,
                    to_status=form.cleaned_data["to_status"],
                    actor=Actor.AGENT,
                    changed_by=request.user,
                )
        except TransitionError as error:
            messages.error(request, str(error))
            return self._ticket_page(ticket)

        text = _("Status is now “%(status)s”.") % {
            "status": ticket.get_status_display()
        }
        self.log_change(request, ticket, text)
        messages.success(request, text)
        return self._ticket_page(ticket)

    @post_only
    def assign_to_me_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        ticket = self._ticket_to_change(request, object_id)
        if ticket_assign(ticket=ticket, assignee=request.user):
            text = _("%(key)s is assigned to you.") % {"key": ticket.key}
            self.log_change(request, ticket, text)
            messages.success(request, text)
        return self._ticket_page(ticket)
