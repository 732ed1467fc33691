"""The state of the requests overview, read from and written to a query string.

The URL contains the whole state of the list: scope, search, filters, sort,
columns, page size and page. Unknown parameters are ignored and left out of
every link built from a state; invalid filter values make the state invalid.
"""

from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import QueryDict

from accounts.models import User
from tickets.filters import RequestFilter
from tickets.models import RequestListPreference, Ticket
from tickets.search import search_order_by
from tickets.selectors import ticket_list_visible
from tickets.tables import (
    DEFAULT_COLUMNS,
    columns_clean,
    sort_clean,
    sort_order_by,
    tickets_for_columns,
)

PAGE_SIZES = (10, 25, 50, 100)
DEFAULT_PAGE_SIZE = 25
DEFAULT_SORT = ("-updated",)
# Sorts that an index of the ticket table delivers in order (tickets_upd_idx).
INDEXED_SORTS = {("-updated",), ("updated",)}


@dataclass
class ListState:
    """The list described by a query string, checked against the user."""

    query: QueryDict
    filterset: RequestFilter
    columns: tuple[str, ...]
    sort: tuple[str, ...]
    per_page: int

    @property
    def is_valid(self) -> bool:
        return self.filterset.is_valid()

    @property
    def has_filters(self) -> bool:
        """Return whether any filter besides scope and search has a value."""
        ignored = {"scope", "organization", "q", "page"}
        return any(
            value
            for name, value in self.filterset.form.data.lists()
            if name not in ignored and name in self._names and any(value)
        )

    @property
    def effective_sort(self) -> tuple[str, ...]:
        """Return the sort the list shows: chosen, by relevance (empty), or default."""
        if self.sort:
            return self.sort
        if self.search_text:
            return ()
        return DEFAULT_SORT

    @property
    def search_text(self) -> str:
        return self.filterset.search_text if self.is_valid else ""

    def tickets(self) -> QuerySet[Ticket]:
        """Return the filtered tickets in list order, with the columns' data."""
        if not self.is_valid:
            return Ticket.objects.none()
        sort = self.effective_sort
        # Sorting by a hidden column needs that column's data too.
        sorted_columns = [alias.removeprefix("-") for alias in sort]
        tickets = tickets_for_columns(
            self.filterset.qs,
            columns=dict.fromkeys([*self.columns, *sorted_columns]),
            user=self.filterset.user,
        )
        order_by = sort_order_by(sort) if sort else search_order_by()
        return tickets.order_by(*order_by)

    def rows(self, pks: list[int]) -> list[Ticket]:
        """Return the tickets with these keys, in this order, with the columns' data.

        The keys come from tickets(), an earlier query, so this query applies
        the access rule again. A ticket deleted or no longer visible since
        then is left out.
        """
        if not pks:
            return []
        tickets = tickets_for_columns(
            self.filterset.queryset.filter(pk__in=pks),
            columns=self.columns,
            user=self.filterset.user,
        )
        by_pk = {ticket.pk: ticket for ticket in tickets}
        return [by_pk[pk] for pk in pks if pk in by_pk]

    def query_string(self, **changes: object) -> str:
        """Return the canonical query string of this state with some changes.

        Only known parameters are kept; a change to None removes a parameter.
        """
        params: list[tuple[str, str]] = []
        values = dict(self._values)
        for name, value in changes.items():
            if value is None:
                values.pop(name, None)
            elif isinstance(value, (list, tuple)):
                values[name] = [str(item) for item in value]
            else:
                values[name] = [str(value)]
        for name, items in values.items():
            params += [(name, item) for item in items if item != ""]
        return urlencode(params)

    @cached_property
    def _values(self) -> dict[str, list[str]]:
        values = {name: self.query.getlist(name) for name in self._names}
        values["sort"] = list(self.sort)
        values["columns"] = list(self.columns)
        values["per_page"] = [str(self.per_page)]
        return values

    @cached_property
    def _names(self) -> list[str]:
        names = []
        for name, field in self.filterset.form.fields.items():
            widget_names = getattr(field.widget, "suffixes", None)
            if widget_names:
                names += [f"{name}_{suffix}" for suffix in widget_names]
            else:
                names.append(name)
        return names + ["page"]


def list_state(*, user: User, query: QueryDict) -> ListState:
    """Read the list's state from a query string; unknown values fall back."""
    filterset = RequestFilter(query, queryset=ticket_list_visible(user=user), user=user)
    if "columns" in query:
        columns = columns_clean(query.getlist("columns"))
    else:
        preference = RequestListPreference.objects.filter(user=user).first()
        stored = preference.columns if preference is not None else DEFAULT_COLUMNS
        columns = columns_clean(stored)
    try:
        per_page = int(query.get("per_page", DEFAULT_PAGE_SIZE))
    except ValueError:
        per_page = DEFAULT_PAGE_SIZE
    if per_page not in PAGE_SIZES:
        per_page = DEFAULT_PAGE_SIZE
    return ListState(
        query=query,
        filterset=filterset,
        columns=columns,
        sort=sort_clean(query.getlist("sort")),
        per_page=per_page,
    )
