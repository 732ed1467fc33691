"""The requests overview: scope, search, filters, columns, sorting, pages, CSV.

The URL contains the whole state of the list, so a copied link shows the same
list and the CSV export of a list is its URL with export.csv in front of
the query string.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tickets.export import csv_filename, csv_rows
from tickets.filters import Scope
from tickets.list_state import (
    INDEXED_SORTS,
    PAGE_SIZES,
    SCOPE_AND_SEARCH_FIELDS,
    ListState,
    list_state,
)
from tickets.search import search_snippets
from tickets.tables import (
    COLUMN_LABELS,
    COLUMN_SPECS,
    REQUIRED_COLUMNS,
    RequestTable,
)


class CappedPaginator(Paginator):
    """A paginator that counts at most `limit` rows.

    Counting stops at limit + 1 matches, so a broad list on a large table
    costs as much as a narrow one. Beyond the limit, `is_capped` is true and
    the pages cover the first `limit` rows.
    """

    def __init__(self, object_list, per_page: int, *, limit: int) -> None:
        super().__init__(object_list, per_page)
        self.limit = limit

    @cached_property
    def found(self) -> int:
        """Return the number of matching rows, counting up to limit + 1.

        Only the key is selected: the last comment and the other
        annotations of the list cost time per row and do not change the
        count.
        """
        return self.object_list.order_by().values("pk")[: self.limit + 1].count()

    @property
    def is_capped(self) -> bool:
        return self.found > self.limit

    @property
    def limit_display(self) -> str:
        return number_format(self.limit, force_grouping=True)

    @property
    def count_display(self) -> str:
        return number_format(self.count, force_grouping=True)

    @cached_property
    def count(self) -> int:
        return min(self.found, self.limit)


class KeyedPaginator(CappedPaginator):
    """A capped paginator that fetches the ordered keys of all counted rows.

    When a search or filters narrow the list and the order is by relevance
    or by a column no index is sorted by, PostgreSQL finds and sorts every
    match whichever page is shown. One query then fetches the ordered keys
    of the first limit + 1 matches: their number is the count, and a page
    loads its rows by key. Counting and paging separately would find the
    matches twice.
    """

    def __init__(self, object_list, per_page: int, *, limit: int, load_rows) -> None:
        super().__init__(object_list, per_page, limit=limit)
        self.load_rows = load_rows

    @cached_property
    def ordered_pks(self) -> list[int]:
        return list(self.object_list.values_list("pk", flat=True)[: self.limit + 1])

    @cached_property
    def found(self) -> int:
        return len(self.ordered_pks)

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        rows = self.load_rows(self.ordered_pks[bottom:top])
        return self._get_page(rows, number, self)


def _page(state: ListState, number: str | None) -> Page:
    limit = settings.REQUEST_LIST_COUNT_LIMIT
    narrowed = state.search_text or state.has_filters
    if narrowed and state.effective_sort not in INDEXED_SORTS:
        paginator = KeyedPaginator(
            state.tickets(), state.per_page, limit=limit, load_rows=state.rows
        )
    else:
        # Without search or filters, counting stops after limit + 1 rows
        # of any order, and an index or a top-N sort gives one page cheaply.
        paginator = CappedPaginator(state.tickets(), state.per_page, limit=limit)
    return paginator.get_page(number)


def _header_links(state: ListState, list_url: str) -> list[dict]:
    """Return, per shown column, its label, sort link and aria-sort value."""
    current = state.effective_sort[0] if state.effective_sort else None
    headers = []
    for name in state.columns:
        header = {"name": name, "label": COLUMN_LABELS[name], "url": None}
        if COLUMN_SPECS[name].orderable:
            ascending = current == name
            next_alias = f"-{name}" if ascending else name
            header["url"] = (
                f"{list_url}?{state.query_string(sort=next_alias, page=None)}"
            )
            if current == name:
                header["aria_sort"] = "ascending"
            elif current == f"-{name}":
                header["aria_sort"] = "descending"
        headers.append(header)
    return headers


def _scope_links(state: ListState, list_url: str) -> list[dict]:
    """Return the scope switch: mine, participating, each organization, all."""
    active_scope = state.filterset.chosen_scope if state.is_valid else None
    active_organization = (
        state.filterset.form.cleaned_data.get("organization")
        if state.is_valid
        else None
    )
    links = []
    for scope, label in Scope.CHOICES:
        if scope == Scope.ORGANIZATION:
            for pk, name in state.filterset.organizations:
                links.append(
                    {
                        "label": _("All requests of %(organization)s")
                        % {"organization": name},
                        "url": list_url
                        + "?"
                        + state.query_string(scope=scope, organization=pk, page=None),
                        "active": active_scope == scope
                        and active_organization is not None
                        and active_organization.pk == pk,
                    }
                )
            continue
        links.append(
            {
                "label": label,
                "url": list_url
                + "?"
                + state.query_string(scope=scope, organization=None, page=None),
                "active": active_scope == scope,
            }
        )
    return links


@login_required
@require_GET
def ticket_list(request: HttpRequest) -> HttpResponse:
    state = list_state(user=request.user, query=request.GET)
    list_url = reverse("tickets:list")
    page = _page(state, request.GET.get("page"))
    tickets = list(page.object_list)
    snippets = {}
    if state.search_text:
        snippets = search_snippets(
            ticket_ids=[ticket.pk for ticket in tickets], text=state.search_text
        )
    table = RequestTable(tickets, columns=state.columns, snippets=snippets, order_by=())
    table.header_links = _header_links(state, list_url)
    form = state.filterset.form

    context = {
        "state": state,
        "filter": state.filterset,
        "page": page,
        "table": table,
        "filter_fields": [
            form[name] for name in form.fields if name not in SCOPE_AND_SEARCH_FIELDS
        ],
        "scope_links": _scope_links(state, list_url),
        "active_filters": state.active_filters(),
        "saved_filters": request.user.saved_filters.all(),
        "list_url": list_url,
        "query_string": state.query_string(page=None),
        "page_links": _page_links(state, page, list_url),
        "page_sizes": [
            {
                "size": size,
                "url": f"{list_url}?{state.query_string(per_page=size, page=None)}",
                "active": size == state.per_page,
            }
            for size in PAGE_SIZES
        ],
        "column_choices": [
            {
                "name": name,
                "label": COLUMN_LABELS[name],
                "checked": name in state.columns,
                "required": name in REQUIRED_COLUMNS,
            }
            for name in COLUMN_LABELS
        ],
        "export_url": reverse("tickets:export")
        + "?"
        + state.query_string(page=None, per_page=None),
    }
    status = 200 if state.is_valid else 400
    return render(request, "tickets/ticket_list.html", context, status=status)


def _page_links(state: ListState, page: Page, list_url: str) -> dict:
    def url(number: int) -> str:
        return f"{list_url}?{state.query_string(page=number)}"

    paginator = page.paginator
    numbers = paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    return {
        "previous": url(page.previous_page_number()) if page.has_previous() else None,
        "next": url(page.next_page_number()) if page.has_next() else None,
        "numbers": [
            {
                "number": number,
                "url": url(number) if isinstance(number, int) else None,
                "active": number == page.number,
            }
            for number in numbers
        ],
    }


@login_required
@require_GET
def ticket_export(request: HttpRequest) -> HttpResponse:
    """Stream the current list, all pages, as CSV in the list's columns."""
    state = list_state(user=request.user, query=request.GET)
    if not state.is_valid:
        return HttpResponse(
            _("The filters of this list are invalid."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    response = StreamingHttpResponse(
        csv_rows(state.tickets(), columns=state.columns),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{csv_filename()}"'
    return response
