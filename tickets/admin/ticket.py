"""The agents' ticket queue and ticket page."""

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timesince import timesince
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from tickets.admin.actions import TRANSITION_ACTIONS, assign_to, assign_to_me
from tickets.admin.filters import (
    AssigneeFilter,
    EscalatedFilter,
    StateFilter,
    WaitingForCustomerFilter,
)
from tickets.admin.paginator import EstimatedCountPaginator
from tickets.admin.queues import queue_links
from tickets.admin.workspace import TicketWorkspaceMixin
from tickets.models import Comment, Ticket
from tickets.selectors import parse_ticket_key


class TicketChangeList(ChangeList):
    """The ticket list, where sorting by key means project key, then number."""

    def get_ordering(self, request: HttpRequest, queryset: QuerySet) -> list:
        ordering = []
        for field in super().get_ordering(request, queryset):
            ordering.append(field)
            if field == "project__key":
                ordering.append("number")
            elif field == "-project__key":
                ordering.append("-number")
        return ordering


@admin.register(Ticket)
class TicketAdmin(TicketWorkspaceMixin, admin.ModelAdmin):
    list_display = [
        "key_display",
        "summary",
        "organization",
        "reporter",
        "status_display",
        "priority",
        "type",
        "assignee",
        "updated",
        "time_in_status",
    ]
    list_display_links = ["key_display", "summary"]
    list_filter = [
        StateFilter,
        "status",
        AssigneeFilter,
        "project",
        "organization",
        "type",
        "priority",
        EscalatedFilter,
        WaitingForCustomerFilter,
    ]
    list_select_related = ["project", "reporter", "organization", "assignee"]
    list_per_page = 50
    list_max_show_all = 500
    # The estimate below replaces COUNT(*) of the whole table; the admin
    # would otherwise count it a second time for "N total".
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    # get_search_results replaces the admin's search; the field list only
    # switches the search box on.
    search_fields = ["summary"]
    search_help_text = _(
        "Key (NET-17), words of the summary or of any comment, or the reporter's "
        "e-mail address."
    )
    actions = [assign_to_me, assign_to, *TRANSITION_ACTIONS]
    change_list_template = "admin/tickets/ticket/change_list.html"

    @admin.display(description=_("key"), ordering="project__key")
    def key_display(self, ticket: Ticket) -> str:
        return ticket.key

    @admin.display(description=_("status"), ordering="status")
    def status_display(self, ticket: Ticket) -> str:
        return format_html(
            '<span class="ws-status ws-status-{}">{}</span>',
            ticket.status,
            ticket.get_status_display(),
        )

    @admin.display(description=_("updated"), ordering="updated_at")
    def updated(self, ticket: Ticket) -> str:
        return date_format(localtime(ticket.updated_at), "SHORT_DATETIME_FORMAT")

    # Sorting ascending by time in status puts the most recent change first.
    @admin.display(description=_("in status for"), ordering="-status_changed_at")
    def time_in_status(self, ticket: Ticket) -> str:
        return timesince(ticket.status_changed_at, depth=1)

    def get_changelist(self, request: HttpRequest, **kwargs) -> type[ChangeList]:
        return TicketChangeList

    def changelist_view(self, request: HttpRequest, extra_context=None):
        extra_context = {
            "title": _("Tickets"),
            **(extra_context or {}),
            "queue_links": queue_links(user=request.user, query=request.GET),
        }
        return super().changelist_view(request, extra_context)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Ticket], search_term: str
    ) -> tuple[QuerySet[Ticket], bool]:
        """Match a key exactly, or every word in summary, e-mail or comments.

        Comments are matched with EXISTS, one subquery per word, so a ticket
        with many matching comments is still one row and the query needs no
        DISTINCT.
        """
        term = search_term.strip()
        if not term:
            return queryset, False
        parsed = parse_ticket_key(term.upper())
        if parsed is not None:
            project_key, number = parsed
            return queryset.filter(project__key=project_key, number=number), False

        for word in term.split():
            in_comments = Exists(
                Comment.objects.filter(ticket_id=OuterRef("pk"), body__icontains=word)
            )
            queryset = queryset.filter(
                Q(summary__icontains=word)
                | Q(reporter__email__icontains=word)
                | in_comments
            )
        return queryset, False

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Tickets are created through the portal's request form, which
        # allocates the number and checks the sharing rule.
        return False
