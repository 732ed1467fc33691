"""The exchange of a ticket as agents read it: every entry in time order."""

import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePath

from django.db.models import Prefetch

from tickets.models import Attachment, Comment, StatusChange, Ticket

logger = logging.getLogger(__name__)

# Text files shown inline, up to this many bytes each and this many per page.
TEXT_PREVIEW_BYTES = 64 * 1024
TEXT_PREVIEW_MAX_FILES = 20
TEXT_SUFFIXES = frozenset(
    {".txt", ".log", ".csv", ".json", ".xml", ".yaml", ".yml", ".ini", ".cfg"}
)


@dataclass
class TimelineEntry:
    """A comment, internal note or status change at one point in time."""

    kind: str  # "comment", "note" or "status"
    created_at: datetime
    comment: Comment | None = None
    status_change: StatusChange | None = None
    attachments: list[Attachment] = field(default_factory=list)


def is_text_file(attachment: Attachment) -> bool:
    suffix = PurePath(attachment.original_name).suffix.lower()
    return attachment.content_type.startswith("text/") or suffix in TEXT_SUFFIXES


def read_text_preview(attachment: Attachment) -> tuple[str, bool] | None:
    """Return the start of a text file and whether it was cut, or None."""
    try:
        with attachment.file.open("rb") as handle:
            data = handle.read(TEXT_PREVIEW_BYTES + 1)
    except OSError:
        logger.warning("attachment %s missing from storage", attachment.pk)
        return None
    truncated = len(data) > TEXT_PREVIEW_BYTES
    return data[:TEXT_PREVIEW_BYTES].decode("utf-8", errors="replace"), truncated


def attach_text_previews(attachments: list[Attachment]) -> None:
    """Set preview_text and preview_truncated on the first text attachments."""
    remaining = TEXT_PREVIEW_MAX_FILES
    for attachment in attachments:
        attachment.preview_text = None
        attachment.preview_truncated = False
        if remaining <= 0 or attachment.size == 0 or not is_text_file(attachment):
            continue
        preview = read_text_preview(attachment)
        if preview is not None:
            attachment.preview_text, attachment.preview_truncated = preview
            remaining -= 1


def ticket_timeline(*, ticket: Ticket) -> tuple[list[Attachment], list[TimelineEntry]]:
    """Return the description's files and the exchange, oldest entry first.

    Three queries however long the exchange: comments with their files,
    status changes, and the files attached to the description.
    """
    attachment_order = Attachment.objects.order_by("created_at", "pk")
    comments = (
        ticket.comments.select_related("author")
        .prefetch_related(Prefetch("attachments", queryset=attachment_order))
        .order_by("created_at", "pk")
    )
    changes = ticket.status_changes.select_related("changed_by").order_by(
        "created_at", "pk"
    )
    description_files = list(
        attachment_order.filter(ticket=ticket, comment__isnull=True).select_related(
            "uploaded_by"
        )
    )

    entries = [
        TimelineEntry(
            kind="note" if comment.is_internal else "comment",
            created_at=comment.created_at,
            comment=comment,
            attachments=list(comment.attachments.all()),
        )
        for comment in comments
    ]
    entries += [
        TimelineEntry(kind="status", created_at=change.created_at, status_change=change)
        for change in changes
    ]
    entries.sort(key=lambda entry: entry.created_at)

    all_files = description_files + [a for e in entries for a in e.attachments]
    attach_text_previews(all_files)
    return description_files, entries
