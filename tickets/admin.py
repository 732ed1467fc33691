from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from tickets.models import Attachment, Comment, Ticket
from tickets.selectors import parse_ticket_key
from tickets.services import comment_create, ticket_transition
from tickets.workflow import Actor, allowed_targets


class CommentInline(admin.StackedInline):
    """The exchange in order: past entries read-only, a new one below."""

    model = Comment
    extra = 1
    fields = ["author", "created_at", "body", "is_internal"]
    readonly_fields = ["author", "created_at"]
    ordering = ["created_at", "pk"]
    verbose_name = _("reply or internal note")
    verbose_name_plural = _("exchange")

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = [
        "download",
        "size",
        "content_type",
        "uploaded_by",
        "comment",
        "created_at",
    ]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=_("file"))
    def download(self, attachment: Attachment) -> str:
        url = reverse(
            "tickets:attachment-download",
            kwargs={"key": attachment.ticket.key, "attachment_id": attachment.pk},
        )
        return format_html('<a href="{}">{}</a>', url, attachment.original_name)


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = [
        "key_display",
        "summary",
        "status",
        "priority",
        "type",
        "project",
        "reporter",
        "organization",
        "assignee",
        "updated_at",
    ]
    list_filter = ["status", "project", "type", "priority", "organization"]
    list_select_related = ["project", "reporter", "organization", "assignee"]
    search_fields = ["summary", "reporter__email"]
    readonly_fields = [
        "key_display",
        "reporter",
        "request_type",
        "created_at",
        "updated_at",
    ]
    autocomplete_fields = ["participants"]
    fieldsets = [
        (None, {"fields": ["key_display", "summary", "description"]}),
        (
            _("Work"),
            {
                "fields": [
                    "status",
                    "assignee",
                    "priority",
                    "type",
                    "affected_version",
                    "components",
                ]
            },
        ),
        (
            _("People and sharing"),
            {"fields": ["reporter", "organization", "participants"]},
        ),
        (_("Dates"), {"fields": ["request_type", "created_at", "updated_at"]}),
    ]
    inlines = [CommentInline, AttachmentInline]
    list_per_page = 50

    @admin.display(description=_("key"), ordering="number")
    def key_display(self, ticket: Ticket) -> str:
        return ticket.key

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ):
        parsed = parse_ticket_key(search_term.strip().upper())
        if parsed is not None:
            project_key, number = parsed
            return queryset.filter(project__key=project_key, number=number), False
        return super().get_search_results(request, queryset, search_term)

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and "status" in form.base_fields:
            allowed = {obj.status, *allowed_targets(obj.status, Actor.AGENT)}
            field = form.base_fields["status"]
            field.choices = [
                (value, label) for value, label in field.choices if value in allowed
            ]
        return form

    def save_model(self, request: HttpRequest, obj: Ticket, form, change: bool) -> None:
        new_status = obj.status
        if change and "status" in form.changed_data:
            obj.status = form.initial["status"]
        super().save_model(request, obj, form, change)
        if change and new_status != obj.status:
            ticket_transition(
                ticket=obj,
                to_status=new_status,
                actor=Actor.AGENT,
                changed_by=request.user,
            )

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        if formset.model is not Comment:
            super().save_formset(request, form, formset, change)
            return
        # The admin's change message reads these three lists.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = (
            [],
            [],
            [],
        )
        for inline_form in formset.forms:
            if inline_form.instance.pk or not inline_form.has_changed():
                continue
            data = inline_form.cleaned_data
            if data.get("DELETE") or not data.get("body", "").strip():
                continue
            comment = comment_create(
                ticket=form.instance,
                author=request.user,
                body=data["body"].strip(),
                is_internal=data.get("is_internal", False),
            )
            formset.new_objects.append(comment)


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["ticket", "author", "is_internal", "created_at"]
    list_filter = ["is_internal"]
    list_select_related = ["ticket__project", "author"]
    search_fields = ["body"]
    raw_id_fields = ["ticket", "author"]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = [
        "original_name",
        "ticket",
        "size",
        "content_type",
        "uploaded_by",
        "created_at",
    ]
    list_select_related = ["ticket__project", "uploaded_by"]
    search_fields = ["original_name"]
    raw_id_fields = ["ticket", "comment", "uploaded_by"]
    readonly_fields = ["file", "size", "content_type"]
