"""Write functions for tickets: creation, comments, attachments, status."""

import logging
import mimetypes
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from helpcenter.models import Component, Project, RequestType, Version
from tickets.models import Attachment, Comment, Priority, Status, Ticket
from tickets.notifications import notify_reporter

logger = logging.getLogger(__name__)


def _allocate_ticket_number(*, project: Project) -> int:
    """Take the project's next ticket number inside the caller's transaction.

    The UPDATE locks the project row until the transaction ends, so
    concurrent creations queue up, and a rolled-back creation returns its
    number: keys have neither gaps nor duplicates.
    """
    Project.objects.filter(pk=project.pk).update(
        last_ticket_number=F("last_ticket_number") + 1
    )
    return Project.objects.values_list("last_ticket_number", flat=True).get(
        pk=project.pk
    )


def attachment_create(
    *,
    ticket: Ticket,
    uploaded_by: User,
    upload: UploadedFile,
    comment: Comment | None = None,
) -> Attachment:
    name = (upload.name or "file").replace("\\", "/").rsplit("/", 1)[
        -1
    ].strip() or "file"
    content_type = (
        upload.content_type
        or mimetypes.guess_type(name)[0]
        or "application/octet-stream"
    )
    attachment = Attachment(
        ticket=ticket,
        comment=comment,
        original_name=name[:255],
        size=upload.size or 0,
        content_type=content_type[:120],
        uploaded_by=uploaded_by,
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def ticket_create(
    *,
    reporter: User,
    request_type: RequestType,
    summary: str,
    description: str = "",
    priority: int = Priority.NORMAL,
    affected_version: Version | None = None,
    components: Iterable[Component] = (),
    organization: Organization | None = None,
    files: Sequence[UploadedFile] = (),
) -> Ticket:
    project = request_type.project
    if (
        organization is not None
        and not reporter.organizations.filter(pk=organization.pk).exists()
    ):
        raise ValidationError(
            _("You can only share a request with your own organization.")
        )

    ticket = Ticket(
        project=project,
        number=_allocate_ticket_number(project=project),
        summary=summary,
        description=description,
        type=request_type.type,
        request_type=request_type,
        priority=priority,
        affected_version=affected_version,
        organization=organization,
        reporter=reporter,
    )
    ticket.full_clean(exclude=["number"])
    ticket.save()
    ticket.components.set(components)
    for upload in files:
        attachment_create(ticket=ticket, uploaded_by=reporter, upload=upload)
    logger.info("ticket created: %s by user %s", ticket.key, reporter.pk)
    return ticket


@transaction.atomic
def comment_create(
    *,
    ticket: Ticket,
    author: User,
    body: str,
    is_internal: bool = False,
    files: Sequence[UploadedFile] = (),
) -> Comment:
    if is_internal and not author.is_staff:
        raise ValidationError(_("Only agents can write internal notes."))
    comment = Comment.objects.create(
        ticket=ticket, author=author, body=body, is_internal=is_internal
    )
    for upload in files:
        attachment_create(
            ticket=ticket, uploaded_by=author, upload=upload, comment=comment
        )
    Ticket.objects.filter(pk=ticket.pk).update(updated_at=timezone.now())

    if author.is_staff and not is_internal:
        notify_reporter(ticket=ticket, event="reply", comment=comment)
    return comment


@transaction.atomic
def ticket_change_status(*, ticket: Ticket, status: str, changed_by: User) -> Ticket:
    if status not in Status.values:
        raise ValidationError(_("Unknown status: %(status)s") % {"status": status})
    old_status = ticket.status
    if old_status == status:
        return ticket
    now = timezone.now()
    ticket.status = status
    ticket.status_changed_at = now
    Ticket.objects.filter(pk=ticket.pk).update(
        status=status, status_changed_at=now, updated_at=now
    )
    notify_reporter(
        ticket=ticket, event="status", old_status=old_status, actor=changed_by
    )
    return ticket
