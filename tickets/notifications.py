"""Who is told about what: the notification switch and the e-mail outbox.

Every event writes one Notification row per recipient inside the event's own
transaction. After the commit, one Celery task per row is queued; when that
fails (Redis down), the periodic sweep in tickets.tasks sends the rows later.
Sending itself lives in tickets.delivery.
"""

import logging
from collections.abc import Iterable

from django.core import signing
from django.db import transaction
from kombu.exceptions import OperationalError

from accounts.models import User
from tickets.models import (
    Comment,
    Notification,
    NotificationEvent,
    NotificationSetting,
    StatusChange,
    Ticket,
)
from tickets.selectors import is_participant

logger = logging.getLogger(__name__)

_UNSUBSCRIBE_SALT = "tickets.notifications.unsubscribe"

# Exceptions that queueing a task raises while the broker cannot be reached.
BROKER_ERRORS = (OperationalError, ConnectionError, OSError)


def notifications_default(*, ticket: Ticket, user: User) -> bool:
    """Return the switch position of a user who never touched it.

    On for the reporter and the participants, off for everyone else,
    for example organization members who merely can see a shared request.
    """
    if user.pk == ticket.reporter_id:
        return True
    return is_participant(ticket=ticket, user=user)


def notifications_enabled(*, ticket: Ticket, user: User) -> bool:
    setting = NotificationSetting.objects.filter(ticket=ticket, user=user).first()
    if setting is not None:
        return setting.enabled
    return notifications_default(ticket=ticket, user=user)


def notifications_set(*, ticket: Ticket, user: User, enabled: bool) -> None:
    NotificationSetting.objects.update_or_create(
        ticket=ticket, user=user, defaults={"enabled": enabled}
    )
    logger.info(
        "notifications %s for ticket %s, user %s",
        "on" if enabled else "off",
        ticket.pk,
        user.pk,
    )


def unsubscribe_token(*, ticket_id: int, user_id: int) -> str:
    """Return a signed token that turns off one user's e-mails for one request."""
    return signing.dumps([ticket_id, user_id], salt=_UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, int] | None:
    """Return (ticket id, user id) of a valid token, or None for a forged one."""
    try:
        ticket_id, user_id = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(ticket_id, int) or not isinstance(user_id, int):
        return None
    return ticket_id, user_id


def subscribers(*, ticket: Ticket) -> set[User]:
    """Return the customers whose switch for this request is on.

    Whether they can still see the request is checked again at send time.
    """
    choices = dict(ticket.notification_settings.values_list("user_id", "enabled"))
    participants = list(ticket.participants.all())
    default_on = {ticket.reporter_id, *(user.pk for user in participants)}
    candidates = {ticket.reporter, *participants}
    candidates.update(
        User.objects.filter(pk__in=[pk for pk, on in choices.items() if on])
    )
    return {user for user in candidates if choices.get(user.pk, user.pk in default_on)}


def responsible_agents(*, ticket: Ticket) -> set[User]:
    """Return the assignee, or every active agent while nobody is assigned."""
    if ticket.assignee_id is not None and ticket.assignee.is_active:
        agents = {ticket.assignee}
    else:
        agents = set(User.objects.filter(is_staff=True, is_active=True))
    switched_off = set(
        ticket.notification_settings.filter(enabled=False).values_list(
            "user_id", flat=True
        )
    )
    return {agent for agent in agents if agent.pk not in switched_off}


def _queue(
    *,
    ticket: Ticket,
    event: str,
    recipients: Iterable[User],
    actor: User | None,
    comment: Comment | None = None,
    status_change: StatusChange | None = None,
) -> list[Notification]:
    """Write one outbox row per recipient and send them after the commit.

    The author of the event never gets a row.
    """
    rows = [
        Notification(
            ticket=ticket,
            recipient=recipient,
            event=event,
            actor=actor,
            comment=comment,
            status_change=status_change,
        )
        for recipient in sorted(recipients, key=lambda user: user.pk)
        if actor is None or recipient.pk != actor.pk
    ]
    if not rows:
        return []
    for row in rows:
        row.save()
    ids = [row.pk for row in rows]
    transaction.on_commit(lambda: dispatch(ids))
    return rows


def dispatch(notification_ids: list[int]) -> None:
    """Queue one delivery task per row; a broker outage only delays the e-mails.

    Called after the commit. When the broker cannot be reached, the rows
    stay pending and the periodic sweep sends them once it runs again.
    """
    from tickets.tasks import deliver_notification

    for notification_id in notification_ids:
        try:
            deliver_notification.apply_async((notification_id,), retry=False)
        except BROKER_ERRORS as error:
            logger.warning(
                "could not queue notifications %s (%s); the periodic sweep sends them",
                notification_ids,
                error,
            )
            return


def notify_ticket_created(*, ticket: Ticket) -> list[Notification]:
    return _queue(
        ticket=ticket,
        event=NotificationEvent.CREATED,
        recipients=responsible_agents(ticket=ticket),
        actor=ticket.reporter,
    )


def notify_comment(
    *, comment: Comment, exclude: Iterable[User] = ()
) -> list[Notification]:
    """Tell the subscribers about a public comment; agents about a customer's.

    Users in exclude get a more specific e-mail about the same comment (a
    mention) and no second one. Internal notes notify nobody.
    """
    if comment.is_internal:
        return []
    ticket = comment.ticket
    author = comment.author
    recipients = subscribers(ticket=ticket)
    if author.is_staff:
        event = NotificationEvent.REPLY
    else:
        event = NotificationEvent.COMMENT
        recipients |= responsible_agents(ticket=ticket)
    excluded = {user.pk for user in exclude}
    return _queue(
        ticket=ticket,
        event=event,
        recipients=[user for user in recipients if user.pk not in excluded],
        actor=author,
        comment=comment,
    )


def notify_status_change(*, change: StatusChange) -> list[Notification]:
    """Tell the subscribers; tell agents too when a customer made the change."""
    from tickets.models import Status

    ticket = change.ticket
    actor = change.changed_by
    recipients = subscribers(ticket=ticket)
    if actor is not None and not actor.is_staff:
        recipients |= responsible_agents(ticket=ticket)
    event = (
        NotificationEvent.ESCALATION
        if change.to_status == Status.ESCALATED
        else NotificationEvent.STATUS
    )
    return _queue(
        ticket=ticket,
        event=event,
        recipients=recipients,
        actor=actor,
        status_change=change,
    )


def notify_participants_added(
    *, ticket: Ticket, users: Iterable[User], actor: User | None
) -> list[Notification]:
    return _queue(
        ticket=ticket,
        event=NotificationEvent.PARTICIPANT_ADDED,
        recipients=users,
        actor=actor,
    )


def notify_mentioned(
    *,
    ticket: Ticket,
    users: Iterable[User],
    actor: User,
    comment: Comment | None = None,
) -> list[Notification]:
    return _queue(
        ticket=ticket,
        event=NotificationEvent.MENTION,
        recipients=users,
        actor=actor,
        comment=comment,
    )
