"""CSV export of the requests overview, streamed row by row.

The rows come from a server-side cursor in chunks (QuerySet.iterator), and
each chunk of CSV text is sent as it is made, so memory stays flat for any
number of rows.
"""

import csv
import itertools
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.utils import timezone

from tickets.models import Ticket
from tickets.tables import COLUMN_LABELS, COLUMN_SPECS

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
    readers = [COLUMN_SPECS[name].text for name in columns]
    return itertools.chain([header], _csv_body(tickets, writer, readers))


def _csv_body(tickets: QuerySet[Ticket], writer, readers) -> Iterator[str]:
    lines: list[str] = []
    for ticket in tickets.iterator(chunk_size=CHUNK_SIZE):
        lines.append(
            writer.writerow([neutralize_formula(read(ticket)) for read in readers])
        )
        if len(lines) >= CHUNK_SIZE:
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)
