"""The state of the requests overview, read from and written to a query string.

The URL contains the whole state of the list: scope, search, filters, sort,
columns, page size and page. Unknown parameters are ignored and left out of
every link built from a state; invalid filter values make the state invalid.
"""

from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlencode

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.formats import date_format
from django.utils.translation import gettext as _

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
# Form fields that are not filters: the scope switch and the search box.
SCOPE_AND_SEARCH_FIELDS = ("scope", "organization", "q")


@dataclass(frozen=True)
class ActiveFilter:
    """A filter in use, as the list names it above the table."""

    label: str
    value: str
    # The list's query string without this filter.
    remove_query: str


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
        ignored = {*SCOPE_AND_SEARCH_FIELDS, "page"}
        return any(
            value
            for name, value in self.filterset.form.data.lists()
            if name not in ignored and name in self._names and any(value)
        )

    def active_filters(self) -> list[ActiveFilter]:
        """Return the filters in use besides scope and search, in form order.

        Empty for an invalid state, because its form shows the errors instead.
        """
        if not self.is_valid:
            return []
        form = self.filterset.form
        active = []
        for name, field in form.fields.items():
            if name in SCOPE_AND_SEARCH_FIELDS:
                continue
            value = form.cleaned_data.get(name)
            text = _filter_value_text(field, value)
            if not text:
                continue
            widget_names = getattr(field.widget, "suffixes", None)
            params = [f"{name}_{suffix}" for suffix in widget_names or ()] or [name]
            removal = self.query_string(page=None, **dict.fromkeys(params))
            active.append(
                ActiveFilter(label=str(field.label), value=text, remove_query=removal)
            )
        return active

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


def _filter_value_text(field: forms.Field, value) -> str:
    """Return the chosen value of a filter field as text, "" when unset."""
    if value in (None, "", [], ()):
        return ""
    if isinstance(value, slice):  # A date range, with either end optional.
        start = date_format(value.start, "SHORT_DATE_FORMAT") if value.start else ""
        stop = date_format(value.stop, "SHORT_DATE_FORMAT") if value.stop else ""
        if start and stop:
            return f"{start} – {stop}"
        if start:
            return _("from %(date)s") % {"date": start}
        if stop:
            return _("until %(date)s") % {"date": stop}
        return ""
    if isinstance(value, QuerySet):
        if value.query.is_empty():
            return ""
        # The chosen rows, labelled as the field's options label them, so two
        # reporters of the same name differ here as they do in the list.
        value = [str(pk) for pk in value.values_list("pk", flat=True)]
    labels = {str(choice): label for choice, label in field.choices}
    values = value if isinstance(value, (list, tuple)) else [value]
    return ", ".join(str(labels.get(str(item), item)) for item in values)


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
