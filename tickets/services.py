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
from tickets.models import Attachment, Comment, Priority, Status, StatusChange, Ticket
from tickets.notifications import notify_reporter
from tickets.workflow import Actor, check_transition

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
def ticket_transition(
    *,
    ticket: Ticket,
    to_status: str,
    actor: Actor,
    changed_by: User | None,
    reason: str = "",
) -> StatusChange | None:
    """Move a ticket to another status if the workflow allows it.

    Locks the ticket row, so two concurrent changes are applied one after
    the other and both are checked against the status the first one left.
    Records the change and queues the reporter's e-mail. Returns None when
    the ticket already has that status. Raises TransitionError otherwise.
    """
    locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
    from_status = locked.status
    if from_status == to_status:
        return None
    check_transition(from_status, to_status, actor)

    now = timezone.now()
    if to_status == Status.WAITING_FOR_CUSTOMER:
        status_before_waiting = from_status
    else:
        status_before_waiting = ""
    Ticket.objects.filter(pk=ticket.pk).update(
        status=to_status,
        status_changed_at=now,
        updated_at=now,
        status_before_waiting=status_before_waiting,
    )
    ticket.status = to_status
    ticket.status_changed_at = now
    ticket.updated_at = now
    ticket.status_before_waiting = status_before_waiting
    change = StatusChange.objects.create(
        ticket=ticket,
        from_status=from_status,
        to_status=to_status,
        changed_by=changed_by,
        reason=reason,
    )
    notify_reporter(
        ticket=ticket, event="status", old_status=from_status, actor=changed_by
    )
    return change


def ticket_assign(*, ticket: Ticket, assignee: User | None) -> bool:
    """Set the agent working on a ticket; return False if nothing changed."""
    if assignee is not None and not assignee.is_staff:
        raise ValidationError(
            _("%(user)s is not an agent and cannot be assigned.")
            % {"user": assignee.display_name}
        )
    if ticket.assignee_id == (assignee.pk if assignee else None):
        return False
    now = timezone.now()
    Ticket.objects.filter(pk=ticket.pk).update(assignee=assignee, updated_at=now)
    ticket.assignee = assignee
    ticket.updated_at = now
    logger.info(
        "ticket %s assigned to user %s", ticket.key, assignee.pk if assignee else None
    )
    return True
