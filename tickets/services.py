"""Write functions for tickets: creation, comments, attachments, status."""

import logging
import mimetypes
from collections.abc import Iterable, Sequence
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from helpcenter.models import Component, Project, RequestType, Version
from tickets.mentions import eligible_participants, resolve_mentions
from tickets.models import Attachment, Comment, Priority, Status, StatusChange, Ticket
from tickets.notifications import (
    notify_comment,
    notify_mentioned,
    notify_participants_added,
    notify_status_change,
    notify_ticket_created,
)
from tickets.search import ticket_search_document_update
from tickets.selectors import last_customer_escalation, reopen_deadline
from tickets.workflow import Actor, TransitionError, check_transition

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
    ticket_search_document_update(ticket=ticket)
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
    ticket_search_document_update(ticket=ticket)
    logger.info("ticket created: %s by user %s", ticket.key, reporter.pk)
    notify_ticket_created(ticket=ticket)
    mentions_apply(ticket=ticket, text=description, author=reporter)
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
    ticket_search_document_update(ticket=ticket)
    if is_internal:
        return comment

    mentioned = mentions_apply(ticket=ticket, text=body, author=author, comment=comment)
    notify_comment(comment=comment, exclude=mentioned)
    if not author.is_staff:
        _return_from_waiting(ticket=ticket)
    return comment


def _return_from_waiting(*, ticket: Ticket) -> None:
    """Move a request waiting for the customer back to where it came from.

    Runs as the system after a customer's comment. The comment's e-mail
    already tells everyone, so the status change sends none of its own.
    """
    ticket.refresh_from_db(fields=["status", "status_before_waiting"])
    if ticket.status != Status.WAITING_FOR_CUSTOMER:
        return
    target = ticket.status_before_waiting or Status.IN_PROGRESS
    try:
        check_transition(ticket.status, target, Actor.SYSTEM)
    except TransitionError:
        target = Status.IN_PROGRESS
    ticket_transition(
        ticket=ticket,
        to_status=target,
        actor=Actor.SYSTEM,
        changed_by=None,
        notify=False,
    )


@transaction.atomic
def ticket_transition(
    *,
    ticket: Ticket,
    to_status: str,
    actor: Actor,
    changed_by: User | None,
    reason: str = "",
    notify: bool = True,
) -> StatusChange | None:
    """Move a ticket to another status if the workflow allows it.

    Locks the ticket row, so two concurrent changes are applied one after
    the other and both are checked against the status the first one left.
    Records the change and, unless notify is False, writes the e-mails to
    the subscribers (and to the agents when a customer made the move).
    Returns None when the ticket already has that status. Raises
    TransitionError for a move the workflow does not allow.
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
    if notify:
        notify_status_change(change=change)
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


def mentions_apply(
    *, ticket: Ticket, text: str, author: User, comment: Comment | None = None
) -> list[User]:
    """Add the colleagues a text mentions as participants and notify them.

    Returns the people notified, so that the caller sends them no second
    e-mail about the same text.
    """
    mentions = resolve_mentions(text=text, ticket=ticket, author=author)
    if mentions.add_as_participants:
        ticket.participants.add(*mentions.add_as_participants)
        logger.info(
            "ticket %s: mention added participants %s",
            ticket.pk,
            [user.pk for user in mentions.add_as_participants],
        )
    notify_mentioned(
        ticket=ticket, users=mentions.notify, actor=author, comment=comment
    )
    return mentions.notify


@transaction.atomic
def ticket_share(
    *,
    ticket: Ticket,
    organization: Organization | None,
    participants: Iterable[User],
    changed_by: User,
) -> None:
    """Set who besides the reporter sees the request.

    organization None makes it private to the reporter and the participants.
    Both the organization and the participants must belong to the
    reporter's organizations. Newly added participants are notified; removed
    ones lose access at once, because the access rule reads these fields.
    """
    if (
        organization is not None
        and not ticket.reporter.organizations.filter(pk=organization.pk).exists()
    ):
        raise ValidationError(
            _("A request can only be shared with an organization of its reporter.")
        )
    wanted = {user.pk: user for user in participants}
    eligible = set(
        eligible_participants(ticket=ticket)
        .filter(pk__in=wanted)
        .values_list("pk", flat=True)
    )
    not_eligible = [user for pk, user in wanted.items() if pk not in eligible]
    if not_eligible:
        raise ValidationError(
            _(
                "%(names)s cannot take part: participants must belong to an "
                "organization of the reporter."
            )
            % {"names": ", ".join(user.display_name for user in not_eligible)}
        )

    current = set(ticket.participants.values_list("pk", flat=True))
    added = [user for pk, user in wanted.items() if pk not in current]
    Ticket.objects.filter(pk=ticket.pk).update(
        organization=organization, updated_at=timezone.now()
    )
    ticket.organization = organization
    ticket.participants.set(wanted.values())
    logger.info(
        "ticket %s shared by user %s: organization %s, participants %s",
        ticket.pk,
        changed_by.pk,
        organization.pk if organization else None,
        sorted(wanted),
    )
    notify_participants_added(ticket=ticket, users=added, actor=changed_by)


def _require_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Please give a reason."))
    return reason


def _customer_transition(
    *, ticket: Ticket, to_status: str, user: User, reason: str
) -> StatusChange | None:
    """Apply a customer's move; unlike ticket_transition, a no-op move is an error."""
    ticket.refresh_from_db(fields=["status", "status_changed_at"])
    check_transition(ticket.status, to_status, Actor.CUSTOMER)
    return ticket_transition(
        ticket=ticket,
        to_status=to_status,
        actor=Actor.CUSTOMER,
        changed_by=user,
        reason=reason,
    )


def ticket_cancel(*, ticket: Ticket, user: User, reason: str) -> StatusChange | None:
    """Withdraw a request on behalf of its reporter."""
    if user.pk != ticket.reporter_id:
        raise ValidationError(_("Only the reporter can cancel this request."))
    return _customer_transition(
        ticket=ticket,
        to_status=Status.CANCELED,
        user=user,
        reason=_require_reason(reason),
    )


def ticket_escalate(*, ticket: Ticket, user: User, reason: str) -> StatusChange | None:
    """Escalate a request, at most once per ESCALATION_PERIOD_HOURS."""
    reason = _require_reason(reason)
    previous = last_customer_escalation(ticket=ticket)
    if previous is not None:
        allowed_again = previous.created_at + timedelta(
            hours=settings.ESCALATION_PERIOD_HOURS
        )
        if timezone.now() < allowed_again:
            raise ValidationError(
                _(
                    "This request was already escalated recently. It can be "
                    "escalated again from %(time)s."
                )
                % {
                    "time": date_format(
                        timezone.localtime(allowed_again), "SHORT_DATETIME_FORMAT"
                    )
                }
            )
    return _customer_transition(
        ticket=ticket, to_status=Status.ESCALATED, user=user, reason=reason
    )


def ticket_reopen(
    *, ticket: Ticket, user: User, reason: str = ""
) -> StatusChange | None:
    """Reopen a resolved request within REOPEN_DAYS of its resolution."""
    ticket.refresh_from_db(fields=["status", "status_changed_at"])
    if ticket.status == Status.RESOLVED and timezone.now() > reopen_deadline(
        ticket=ticket
    ):
        raise ValidationError(
            _(
                "This request was resolved more than %(days)d days ago and can "
                "no longer be reopened. Please open a new request."
            )
            % {"days": settings.REOPEN_DAYS}
        )
    return _customer_transition(
        ticket=ticket, to_status=Status.OPEN, user=user, reason=reason.strip()
    )
