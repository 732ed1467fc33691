"""Comments and attachments on their own, for searching across all tickets.

New ones are written on the ticket page, which sends the notifications and
stores files under safe names, so these lists offer no "Add" button.
"""

from collections.abc import Iterable

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from tickets.models import Attachment, Comment, Ticket
from tickets.search import ticket_search_document_update


def search_documents_refresh(ticket_ids: Iterable[int | None]) -> None:
    """Rebuild the search documents of the given tickets from the database."""
    for ticket in Ticket.objects.filter(pk__in=[pk for pk in ticket_ids if pk]):
        ticket_search_document_update(ticket=ticket)


class SearchDocumentRefreshMixin:
    """An admin mixin that rebuilds the search documents an edit or delete touches.

    The fields named in search_document_fields feed the ticket's search
    document. Customers search the public comments and file names of a
    request, so a changed body, a comment made internal or a renamed file
    must reach the search at once.
    """

    search_document_fields: tuple[str, ...] = ()
    # Fixed once written: moving a comment or file to another ticket could
    # show it to another organization, and a file's ticket must stay its
    # comment's ticket.
    fixed_after_creation: tuple[str, ...] = ("ticket",)

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields += [name for name in self.fixed_after_creation if name not in fields]
        return fields

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if set(form.changed_data) & set(self.search_document_fields):
            search_documents_refresh({obj.ticket_id})

    def delete_model(self, request: HttpRequest, obj) -> None:
        ticket_id = obj.ticket_id
        super().delete_model(request, obj)
        search_documents_refresh({ticket_id})

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        ticket_ids = set(queryset.values_list("ticket_id", flat=True))
        super().delete_queryset(request, queryset)
        search_documents_refresh(ticket_ids)


@admin.register(Comment)
class CommentAdmin(SearchDocumentRefreshMixin, admin.ModelAdmin):
    search_document_fields = ("body", "is_internal")
    list_display = ["ticket", "author", "is_internal", "created_at"]
    list_filter = ["is_internal"]
    list_select_related = ["ticket__project", "author"]
    search_fields = ["body"]
    raw_id_fields = ["ticket", "author"]
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Attachment)
class AttachmentAdmin(SearchDocumentRefreshMixin, admin.ModelAdmin):
    search_document_fields = ("original_name",)
    fixed_after_creation = ("ticket", "comment")
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
