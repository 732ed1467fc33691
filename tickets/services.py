"""Write functions for tickets: creation, comments, attachments, status."""

import logging
import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from PIL import Image

from accounts.models import Organization, User
from helpcenter.models import Component, Project, RequestType, Version
from tickets.attachments import clean_file_name, file_limit_errors
from tickets.filetypes import detect_content_type, make_thumbnail
from tickets.mentions import eligible_participants, resolve_mentions
from tickets.models import (
    Attachment,
    Comment,
    Priority,
    StagedUpload,
    Status,
    StatusChange,
    Ticket,
)
from tickets.notifications import (
    notify_comment,
    notify_mentioned,
    notify_participants_added,
    notify_status_change,
    notify_ticket_created,
)
from tickets.richtext import normalize_rich_text
from tickets.search import ticket_search_document_update
from tickets.selectors import last_customer_escalation, reopen_deadline
from tickets.workflow import Actor, TransitionError, check_transition

logger = logging.getLogger(__name__)

BUG_REPORT_FIELDS = (
    "steps_to_reproduce",
    "expected_result",
    "actual_result",
    "environment",
)


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
    """Store an uploaded file under a random name and attach it to the ticket."""
    name = clean_file_name(upload.name or "")
    attachment = Attachment(
        ticket=ticket,
        comment=comment,
        original_name=name,
        size=upload.size or 0,
        content_type=detect_content_type(upload, name)[:120],
        uploaded_by=uploaded_by,
    )
    attachment.file.save(name, upload, save=False)
    _add_thumbnail(attachment)
    attachment.save()
    ticket_search_document_update(ticket=ticket)
    return attachment


def attachment_create_from_staged(
    *, ticket: Ticket, staged: StagedUpload, comment: Comment | None = None
) -> Attachment:
    """Turn a staged upload into an attachment; the stored file stays where it is."""
    attachment = Attachment(
        ticket=ticket,
        comment=comment,
        file=staged.file.name,
        original_name=staged.original_name,
        size=staged.size,
        content_type=staged.content_type,
        uploaded_by=staged.owner,
    )
    _add_thumbnail(attachment)
    attachment.save()
    staged.delete()
    return attachment


def _add_thumbnail(attachment: Attachment) -> None:
    if attachment.preview_kind != "image":
        return
    try:
        with attachment.file.open("rb") as handle:
            data = make_thumbnail(handle)
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        logger.warning("thumbnail failed for %s: %s", attachment.original_name, error)
        return
    attachment.thumbnail.save("thumbnail.png", ContentFile(data), save=False)


def staged_upload_create(*, owner: User, upload: UploadedFile) -> StagedUpload:
    """Store a file for a form that is not sent yet; raise ValidationError if refused."""
    name = clean_file_name(upload.name or "")
    errors = file_limit_errors([(name, upload.size or 0)])
    if errors:
        raise ValidationError(errors)
    staged = StagedUpload(
        owner=owner,
        original_name=name,
        size=upload.size or 0,
        content_type=detect_content_type(upload, name)[:120],
    )
    staged.file.save(name, upload, save=False)
    staged.save()
    logger.info("upload staged: %s by user %s", staged.pk, owner.pk)
    return staged


def staged_upload_delete(*, owner: User, staged_id: uuid.UUID) -> bool:
    """Delete a staged upload of this owner with its file; return whether it existed."""
    staged = StagedUpload.objects.filter(pk=staged_id, owner=owner).first()
    if staged is None:
        return False
    staged.file.delete(save=False)
    staged.delete()
    return True


def staged_uploads_for(*, owner: User, ids: Iterable[uuid.UUID]) -> list[StagedUpload]:
    """Return the owner's staged uploads with these ids, in the given order.

    Raises ValidationError when an id is unknown, expired or belongs to
    someone else, so a form can never claim another user's file.
    """
    ids = list(dict.fromkeys(ids))
    found = {
        staged.pk: staged
        for staged in StagedUpload.objects.filter(pk__in=ids, owner=owner)
    }
    if len(found) != len(ids):
        raise ValidationError(
            _("A file added earlier is no longer available. Please add it again."),
            code="staged_missing",
        )
    return [found[pk] for pk in ids]


def staged_uploads_cleanup(*, max_age: int | None = None) -> int:
    """Delete staged uploads older than max_age seconds; return how many."""
    if max_age is None:
        max_age = settings.ATTACHMENT_STAGING_MAX_AGE
    cutoff = timezone.now() - timedelta(seconds=max_age)
    count = 0
    for staged in StagedUpload.objects.filter(created_at__lt=cutoff).iterator():
        staged.file.delete(save=False)
        staged.delete()
        count += 1
    if count:
        logger.info("expired staged uploads deleted: %d", count)
    return count


def _attach_all(
    *,
    ticket: Ticket,
    uploaded_by: User,
    files: Sequence[UploadedFile],
    staged: Sequence[StagedUpload],
    comment: Comment | None = None,
) -> None:
    for item in staged:
        if item.owner_id != uploaded_by.pk:
            raise ValidationError(_("A file added earlier is no longer available."))
        attachment_create_from_staged(ticket=ticket, staged=item, comment=comment)
    for upload in files:
        attachment_create(
            ticket=ticket, uploaded_by=uploaded_by, upload=upload, comment=comment
        )


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
    staged: Sequence[StagedUpload] = (),
    bug_report: Mapping[str, str] | None = None,
) -> Ticket:
    """Create a ticket with its attachments.

    The description is HTML, sanitised here; plain text is converted. bug_report contains the
    structured parts of a bug report (steps_to_reproduce, expected_result,
    actual_result, environment) as plain text.
    """
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
        description=normalize_rich_text(description),
        type=request_type.type,
        request_type=request_type,
        priority=priority,
        affected_version=affected_version,
        organization=organization,
        reporter=reporter,
    )
    for field, value in (bug_report or {}).items():
        if field not in BUG_REPORT_FIELDS:
            raise ValueError(f"Unknown bug report field: {field}")
        setattr(ticket, field, value.strip())
    ticket.full_clean(exclude=["number"])
    ticket.save()
    ticket.components.set(components)
    _attach_all(ticket=ticket, uploaded_by=reporter, files=files, staged=staged)
    ticket_search_document_update(ticket=ticket)
    logger.info("ticket created: %s by user %s", ticket.key, reporter.pk)
    notify_ticket_created(ticket=ticket)
    mentions_apply(ticket=ticket, text=ticket.description, author=reporter)
    return ticket


@transaction.atomic
def comment_create(
    *,
    ticket: Ticket,
    author: User,
    body: str,
    is_internal: bool = False,
    files: Sequence[UploadedFile] = (),
    staged: Sequence[StagedUpload] = (),
) -> Comment:
    """Add a comment with its attachments; the body is normalised like a description."""
    if is_internal and not author.is_staff:
        raise ValidationError(_("Only agents can write internal notes."))
    comment = Comment.objects.create(
        ticket=ticket,
        author=author,
        body=normalize_rich_text(body),
        is_internal=is_internal,
    )
    _attach_all(
        ticket=ticket,
        uploaded_by=author,
        files=files,
        staged=staged,
        comment=comment,
    )
    Ticket.objects.filter(pk=ticket.pk).update(updated_at=timezone.now())
    ticket_search_document_update(ticket=ticket)
    if is_internal:
        return comment

    mentioned = mentions_apply(
        ticket=ticket, text=comment.body, author=author, comment=comment
    )
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
