"""CSV export of the requests overview, streamed row by row.

The rows come from a server-side cursor in chunks (QuerySet.iterator), and
each chunk of CSV text is sent as it is made, so memory stays flat for any
number of rows.
"""

import csv
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import tzinfo

from django.db.models import (
    Aggregate,
    CharField,
    Choices,
    OuterRef,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from helpcenter.models import TicketType
from tickets.models import Priority, Status, Ticket
from tickets.search import plain_text
from tickets.tables import COLUMN_LABELS, choice_labels

CHUNK_SIZE = 2000
BYTE_ORDER_MARK = "\ufeff"
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_filename() -> str:
    return f"requests-{timezone.localdate().isoformat()}.csv"


def neutralize_formula(value: str) -> str:
    """Prefix a cell a spreadsheet would run as a formula with an apostrophe."""
    if value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class JoinedNames(Aggregate):
    """Names joined with ", ": STRING_AGG on PostgreSQL, GROUP_CONCAT elsewhere."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s, ', ')"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s(%(expressions)s, ', ' ORDER BY %(expressions)s)",
            **extra_context,
        )


@dataclass(frozen=True)
class CellFormat:
    """The language's choice labels and the time zone, looked up once.

    Looking them up per cell (thread-local reads) took a third of an
    export's time. Made while the view runs, so the rows, sent later, keep
    the request's language and time zone.
    """

    labels: dict[type[Choices], dict]
    zone: tzinfo

    @classmethod
    def current(cls) -> "CellFormat":
        return cls(
            labels={
                choices: choice_labels(choices)
                for choices in (Status, TicketType, Priority)
            },
            zone=timezone.get_current_timezone(),
        )

    def label(self, choices: type[Choices], value) -> str:
        return self.labels[choices].get(value, str(value))

    def local(self, value) -> str:
        if value is None:
            return ""
        return value.astimezone(self.zone).strftime("%Y-%m-%d %H:%M")


# Per column: the values() fields it reads and how they become the cell text.
# Rows are read as dictionaries, not model instances: for 100,000 rows that
# is several times faster.
EXPORT_COLUMNS = {
    "key": (
        ("project__key", "number"),
        lambda r, f: f"{r['project__key']}-{r['number']}",
    ),
    "summary": (("summary",), lambda r, f: r["summary"]),
    "status": (("status",), lambda r, f: f.label(Status, r["status"])),
    "type": (("type",), lambda r, f: f.label(TicketType, r["type"])),
    "priority": (("priority",), lambda r, f: f.label(Priority, r["priority"])),
    "project": (("project__name",), lambda r, f: r["project__name"]),
    "components": (("component_names",), lambda r, f: r["component_names"] or ""),
    "affected_version": (
        ("affected_version__name",),
        lambda r, f: r["affected_version__name"] or "",
    ),
    "reporter": (
        ("reporter__full_name", "reporter__email"),
        lambda r, f: r["reporter__full_name"] or r["reporter__email"],
    ),
    "organization": (
        ("organization__name",),
        lambda r, f: r["organization__name"] or "",
    ),
    "created": (("created_at",), lambda r, f: f.local(r["created_at"])),
    "updated": (("updated_at",), lambda r, f: f.local(r["updated_at"])),
    "last_comment": (
        ("last_comment_excerpt",),
        lambda r, f: " ".join(plain_text(r["last_comment_excerpt"] or "").split()),
    ),
}


def _export_rows(tickets: QuerySet[Ticket], columns: tuple[str, ...]) -> QuerySet:
    tickets = tickets.prefetch_related(None)
    if "components" in columns:
        names = (
            Ticket.components.through.objects.filter(ticket=OuterRef("pk"))
            .order_by()
            .values("ticket")
            .annotate(names=JoinedNames("component__name"))
            .values("names")
        )
        tickets = tickets.annotate(component_names=Subquery(names))
    fields = [field for name in columns for field in EXPORT_COLUMNS[name][0]]
    return tickets.values(*dict.fromkeys(fields))


class _LineBuffer:
    """A file-like object whose write() returns the text for the caller to send."""

    def write(self, value: str) -> str:
        return value


def csv_rows(tickets: QuerySet[Ticket], *, columns: Iterable[str]) -> Iterator[str]:
    """Return the CSV text of the tickets: a BOM and header, then chunks of rows.

    The header is made now, in the request's language; the rows are made
    while the response is sent.
    """
    columns = tuple(columns)
    writer = csv.writer(_LineBuffer())
    header = BYTE_ORDER_MARK + writer.writerow(
        [str(COLUMN_LABELS[name]) for name in columns]
    )
    readers = [EXPORT_COLUMNS[name][1] for name in columns]
    rows = _export_rows(tickets, columns)
    return itertools.chain(
        [header], _csv_body(rows, writer, readers, CellFormat.current())
    )


def _csv_body(rows: QuerySet, writer, readers, cell_format) -> Iterator[str]:
    lines: list[str] = []
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        lines.append(
            writer.writerow(
                [neutralize_formula(read(row, cell_format)) for read in readers]
            )
        )
        if len(lines) >= CHUNK_SIZE:
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)
