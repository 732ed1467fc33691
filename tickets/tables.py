"""The table of the requests overview and its CSV counterpart.

Each column lists what the query needs for it (joins, annotations), so a
page only fetches what its visible columns show. Every column's sort ends
with the request key, so rows with equal values keep a fixed order and
pages never overlap.
"""

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import django_tables2 as tables
from django.db.models import Choices, OuterRef, QuerySet, Subquery
from django.db.models.functions import Left
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from helpcenter.models import TicketType
from tickets.models import Comment, Priority, Status, Ticket
from tickets.search import plain_text

KEY_ORDER = ("project__key", "number")
LAST_COMMENT_EXCERPT_CHARS = 120


@dataclass(frozen=True)
class ColumnSpec:
    """A column's joins and annotations, its sort fields and its plain text."""

    name: str
    text: Callable[[Ticket], str]
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()
    needs_last_comment: bool = False
    orderable: bool = True
    order_by: tuple[str, ...] = field(default=())


@functools.lru_cache(maxsize=32)
def _choice_labels(choices: type[Choices], language: str | None) -> dict:
    return {value: str(label) for value, label in choices.choices}


def choice_labels(choices: type[Choices]) -> dict:
    """Return {value: translated label} of the choices in the active language."""
    return _choice_labels(choices, get_language())


def choice_label(choices: type[Choices], value) -> str:
    """Return the translated label of a choice; cached per language.

    Model.get_FOO_display() translates every label of the field on each
    call, which made up most of the time of rendering a page of rows.
    """
    return choice_labels(choices).get(value, str(value))


def _local(value) -> str:
    if value is None:
        return ""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def _component_names(ticket: Ticket) -> str:
    return ", ".join(component.name for component in ticket.components.all())


def _name_or_empty(value) -> str:
    return "" if value is None else str(value)


COLUMN_SPECS: dict[str, ColumnSpec] = {
    spec.name: spec
    for spec in [
        ColumnSpec("key", lambda t: t.key, order_by=KEY_ORDER),
        ColumnSpec("summary", lambda t: t.summary, order_by=("summary",)),
        ColumnSpec(
            "status", lambda t: choice_label(Status, t.status), order_by=("status",)
        ),
        ColumnSpec(
            "type", lambda t: choice_label(TicketType, t.type), order_by=("type",)
        ),
        ColumnSpec(
            "priority",
            lambda t: choice_label(Priority, t.priority),
            order_by=("priority",),
        ),
        ColumnSpec("project", lambda t: t.project.name, order_by=("project__name",)),
        ColumnSpec(
            "components",
            _component_names,
            prefetch_related=("components",),
            orderable=False,
        ),
        ColumnSpec(
            "affected_version",
            lambda t: _name_or_empty(t.affected_version),
            select_related=("affected_version",),
            order_by=("affected_version__name",),
        ),
        ColumnSpec(
            "reporter",
            lambda t: t.reporter.display_name,
            select_related=("reporter",),
            order_by=("reporter__full_name", "reporter__email"),
        ),
        ColumnSpec(
            "organization",
            lambda t: _name_or_empty(t.organization),
            select_related=("organization",),
            order_by=("organization__name",),
        ),
        ColumnSpec("created", lambda t: _local(t.created_at), order_by=("created_at",)),
        ColumnSpec("updated", lambda t: _local(t.updated_at), order_by=("updated_at",)),
        ColumnSpec(
            "last_comment",
            lambda t: " ".join(plain_text(t.last_comment_excerpt or "").split()),
            needs_last_comment=True,
            order_by=("last_comment_at",),
        ),
    ]
}
ALL_COLUMNS = tuple(COLUMN_SPECS)
REQUIRED_COLUMNS = ("key",)
DEFAULT_COLUMNS = ("key", "summary", "status", "priority", "project", "updated")


def columns_clean(names: Iterable[str]) -> tuple[str, ...]:
    """Keep known column names in table order; the key column is always shown."""
    chosen = set(names) | set(REQUIRED_COLUMNS)
    return tuple(name for name in ALL_COLUMNS if name in chosen)


def sort_clean(values: Iterable[str]) -> tuple[str, ...]:
    """Keep sort aliases of known sortable columns, e.g. ("-priority",)."""
    aliases = []
    for value in values:
        for alias in value.split(","):
            alias = alias.strip()
            spec = COLUMN_SPECS.get(alias.removeprefix("-"))
            if spec is not None and spec.orderable and alias not in aliases:
                aliases.append(alias)
    return tuple(aliases[:3])


def sort_order_by(aliases: Iterable[str]) -> list[str]:
    """Translate sort aliases into order_by() arguments ending with the key."""
    order_by: list[str] = []
    for alias in aliases:
        descending = alias.startswith("-")
        for name in COLUMN_SPECS[alias.removeprefix("-")].order_by:
            order_by.append(f"-{name}" if descending else name)
    for name in KEY_ORDER:
        if name not in order_by and f"-{name}" not in order_by:
            order_by.append(name)
    return order_by


def tickets_for_columns(
    tickets: QuerySet[Ticket], *, columns: Iterable[str], user: User
) -> QuerySet[Ticket]:
    """Add the joins and annotations the given columns read, nothing more."""
    specs = [COLUMN_SPECS[name] for name in columns]
    select = {"project"}
    prefetch = set()
    for spec in specs:
        select.update(spec.select_related)
        prefetch.update(spec.prefetch_related)
    tickets = tickets.select_related(*sorted(select)).defer(
        "description", "search_text", "search_vector", "status_before_waiting"
    )
    if prefetch:
        tickets = tickets.prefetch_related(*sorted(prefetch))
    if any(spec.needs_last_comment for spec in specs):
        comments = Comment.objects.filter(ticket=OuterRef("pk"))
        if not user.is_staff:
            comments = comments.filter(is_internal=False)
        last = comments.order_by("-created_at", "-pk")
        tickets = tickets.annotate(
            last_comment_at=Subquery(last.values("created_at")[:1]),
            last_comment_excerpt=Subquery(
                last.annotate(
                    excerpt=Left("body", LAST_COMMENT_EXCERPT_CHARS * 4)
                ).values("excerpt")[:1]
            ),
        )
    return tickets


def _cell_text(ticket: Ticket, name: str) -> str:
    return COLUMN_SPECS[name].text(ticket)


class RequestTable(tables.Table):
    """The requests overview's table of one page of tickets.

    The table neither sorts nor paginates: ListState orders the queryset and
    the view paginates it, so the list and the CSV export share one order.
    The view sets header_links, the sort link of each shown column.
    """

    key = tables.Column(verbose_name=_("Key"), order_by=KEY_ORDER)
    summary = tables.Column(verbose_name=_("Summary"))
    status = tables.Column(verbose_name=_("Status"))
    type = tables.Column(verbose_name=_("Type"))
    priority = tables.Column(verbose_name=_("Priority"))
    project = tables.Column(verbose_name=_("Project"))
    components = tables.Column(verbose_name=_("Components"), empty_values=())
    affected_version = tables.Column(verbose_name=_("Affected version"))
    reporter = tables.Column(verbose_name=_("Reporter"))
    organization = tables.Column(verbose_name=_("Shared with"))
    created = tables.Column(verbose_name=_("Created"), accessor="created_at")
    updated = tables.Column(verbose_name=_("Updated"), accessor="updated_at")
    last_comment = tables.Column(
        verbose_name=_("Last comment"), accessor="last_comment_at", empty_values=()
    )

    class Meta:
        model = Ticket
        fields: tuple[str, ...] = ()
        template_name = "tickets/_request_table.html"
        attrs = {"class": "table table-hover mb-0 align-middle request-table"}
        order_by_field = "sort"
        page_field = "page"
        per_page_field = "per_page"
        empty_text = _("No requests match.")

    def __init__(
        self,
        *args,
        columns: Iterable[str],
        snippets: dict[int, SafeString] | None = None,
        **kwargs,
    ) -> None:
        shown = set(columns)
        kwargs["exclude"] = [name for name in ALL_COLUMNS if name not in shown]
        super().__init__(*args, **kwargs)
        self.snippets = snippets or {}
        self.header_links: list[dict] = []

    def html_rows(self) -> list[list[tuple[str, str, SafeString]]]:
        """Return (column name, label, cell HTML) per shown column for each row.

        The label heads the cell on narrow screens, where each row is shown
        as a block of its cells instead of a line of the table.

        Calls the render_* methods directly: django-tables2's generic cell
        machinery resolves accessors and inspects signatures for every
        cell, which took longer than the list's database queries.
        """
        names = [column.name for column in self.columns]
        # One reverse() for all rows instead of two per row.
        url_pattern = reverse("tickets:detail", kwargs={"key": "KEY-1"})
        for record in self.data:
            record.url = url_pattern.replace("KEY-1", record.key)
        labels = [str(COLUMN_LABELS[name]) for name in names]
        renderers = [
            getattr(self, f"render_{name}", None) or _text_renderer(name)
            for name in names
        ]
        return [
            [
                (name, label, conditional_escape(render(record=record)))
                for name, label, render in zip(names, labels, renderers, strict=True)
            ]
            for record in self.data
        ]

    def render_key(self, record: Ticket) -> SafeString:
        return format_html(
            '<a class="text-nowrap" href="{}">{}</a>',
            record.url,
            record.key,
        )

    def render_summary(self, record: Ticket) -> SafeString:
        link = format_html(
            '<a class="text-body" href="{}">{}</a>',
            record.url,
            record.summary,
        )
        snippet = self.snippets.get(record.pk)
        if snippet is None:
            return link
        return format_html(
            '{}<div class="search-snippet small text-body-secondary">{}</div>',
            link,
            snippet,
        )

    def render_status(self, record: Ticket) -> SafeString:
        return format_html(
            '<span class="badge status-badge status-{}">{}</span>',
            record.status,
            choice_label(Status, record.status),
        )

    def render_components(self, record: Ticket) -> str:
        return _cell_text(record, "components")

    def render_reporter(self, record: Ticket) -> str:
        return record.reporter.display_name

    def render_created(self, record: Ticket) -> SafeString:
        return _time(record.created_at)

    def render_updated(self, record: Ticket) -> SafeString:
        return _time(record.updated_at)

    def render_last_comment(self, record: Ticket) -> SafeString | str:
        if record.last_comment_at is None:
            return "—"
        excerpt = _cell_text(record, "last_comment")
        if len(excerpt) > LAST_COMMENT_EXCERPT_CHARS:
            excerpt = excerpt[: LAST_COMMENT_EXCERPT_CHARS - 1] + "…"
        return format_html(
            '{}<div class="small text-body-secondary text-truncate-2">{}</div>',
            _time(record.last_comment_at),
            excerpt,
        )


def _text_renderer(name: str) -> Callable[..., str]:
    text = COLUMN_SPECS[name].text

    def render(record: Ticket) -> str:
        return text(record)

    return render


def _time(value) -> SafeString:
    """Return the time in the user's zone and language, as the request page does."""
    local = timezone.localtime(value)
    return format_html(
        '<time datetime="{}">{}</time>',
        local.isoformat(),
        date_format(local, "SHORT_DATETIME_FORMAT"),
    )


COLUMN_LABELS = {
    name: RequestTable.base_columns[name].verbose_name for name in ALL_COLUMNS
}
