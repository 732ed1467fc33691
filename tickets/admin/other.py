"""Comments and attachments on their own, for searching across all tickets.

New ones are written on the ticket page, which sends the notifications and
stores files under safe names, so these lists offer no "Add" button.
"""

from django.contrib import admin
from django.http import HttpRequest

from tickets.models import Attachment, Comment


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["ticket", "author", "is_internal", "created_at"]
    list_filter = ["is_internal"]
    list_select_related = ["ticket__project", "author"]
    search_fields = ["body"]
    raw_id_fields = ["ticket", "author"]
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


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
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
