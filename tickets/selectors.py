"""Read functions for tickets. Every customer-facing read goes through
ticket_list_visible, the one access rule of the portal."""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from accounts.models import Membership, User
from tickets.models import (
    OPEN_STATUSES,
    Attachment,
    Comment,
    Status,
    StatusChange,
    Ticket,
)
from tickets.workflow import Actor, allowed_targets

_KEY_PATTERN = re.compile(
    r"^(?P<project>[A-Z][A-Z0-9]{1,9})-(?P<number>[1-9][0-9]{0,9})$"
)


def ticket_list_visible(*, user: User) -> QuerySet[Ticket]:
    """Return the tickets a user may see.

    Agents see every ticket. A customer sees the tickets they reported, those
    they take part in, and those shared with an organization they currently
    belong to. Anonymous users see none.
    """
    tickets = Ticket.objects.all()
    if not user.is_authenticated or not user.is_active:
        return tickets.none()
    if user.is_staff:
        return tickets

    participating = Ticket.participants.through.objects.filter(user_id=user.pk).values(
        "ticket_id"
    )
    organizations = Membership.objects.filter(user_id=user.pk).values("organization_id")
    return tickets.filter(
        Q(reporter_id=user.pk)
        | Q(pk__in=participating)
        | Q(organization_id__in=organizations)
    )


def is_participant(*, ticket: Ticket, user: User) -> bool:
    """Return whether the user is a named participant of the ticket.

    Reads the participants prefetched by ticket_get_visible when present,
    so the request page queries the database once, not for each check.
    """
    if "participants" in getattr(ticket, "_prefetched_objects_cache", {}):
        return any(person.pk == user.pk for person in ticket.participants.all())
    return ticket.participants.filter(pk=user.pk).exists()


def parse_ticket_key(key: str) -> tuple[str, int] | None:
    """Split "NET-17" into ("NET", 17); return None for anything else."""
    match = _KEY_PATTERN.match(key)
    if match is None:
        return None
    return match["project"], int(match["number"])


def ticket_get_visible(*, user: User, key: str) -> Ticket:
    """Return the visible ticket with this key, or raise Http404.

    A ticket the user may not see raises the same Http404 as one that does not
    exist, so the key gives nothing away.
    """
    parsed = parse_ticket_key(key)
    if parsed is None:
        raise Http404("No such request.")
    project_key, number = parsed
    try:
        return (
            ticket_list_visible(user=user)
            .select_related(
                "project",
                "request_type",
                "reporter",
                "organization",
                "affected_version",
                "assignee",
            )
            .prefetch_related("components", "participants")
            # The search columns contain up to 100,000 characters each, and no
            # page shows them.
            .defer("search_text", "search_vector")
            .get(project__key=project_key, number=number)
        )
    except Ticket.DoesNotExist:
        raise Http404("No such request.") from None


def comment_list_visible(*, user: User, ticket: Ticket) -> QuerySet[Comment]:
    """Return the ticket's comments in order; internal notes only for agents."""
    comments = ticket.comments.select_related("author").prefetch_related(
        Prefetch(
            "attachments", queryset=Attachment.objects.order_by("created_at", "pk")
        )
    )
    if not user.is_staff:
        comments = comments.filter(is_internal=False)
    return comments.order_by("created_at", "pk")


def attachment_list_visible(*, user: User, ticket: Ticket) -> QuerySet[Attachment]:
    """Return the ticket's files; files of internal notes only for agents."""
    attachments = ticket.attachments.select_related("uploaded_by", "comment")
    if not user.is_staff:
        attachments = attachments.exclude(comment__is_internal=True)
    return attachments.order_by("created_at", "pk")


def open_ticket_count(*, outer_field: str) -> Coalesce:
    """Return an annotation: the open tickets whose outer_field is the row.

    outer_field is a Ticket foreign key such as "project" or "organization".
    A subquery per row counts without multiplying the outer query's rows.
    """
    counts = (
        Ticket.objects.filter(**{outer_field: OuterRef("pk")}, status__in=OPEN_STATUSES)
        .order_by()
        .values(outer_field)
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counts), 0)


def last_customer_escalation(*, ticket: Ticket) -> StatusChange | None:
    return (
        ticket.status_changes.filter(
            to_status=Status.ESCALATED, changed_by__is_staff=False
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def reopen_deadline(*, ticket: Ticket) -> datetime:
    """Return until when customers may reopen the request once resolved."""
    return ticket.status_changed_at + timedelta(days=settings.REOPEN_DAYS)


@dataclass(frozen=True)
class CustomerActions:
    """Flags for the actions the request page offers one user on one request."""

    cancel: bool = False
    escalate: bool = False
    reopen: bool = False
    share: bool = False


def customer_roles(*, ticket: Ticket, user: User) -> CustomerActions:
    """Return which actions a user's role allows, whatever the status.

    The reporter may cancel, share, escalate and reopen; participants may
    escalate and reopen. Organization members who merely see a shared
    request may comment only. Agents act in the admin.
    """
    if not user.is_authenticated or user.is_staff:
        return CustomerActions()
    is_reporter = user.pk == ticket.reporter_id
    if not is_reporter and not is_participant(ticket=ticket, user=user):
        return CustomerActions()
    return CustomerActions(
        cancel=is_reporter, escalate=True, reopen=True, share=is_reporter
    )


def customer_actions(*, ticket: Ticket, user: User) -> CustomerActions:
    """Return the actions to offer now: allowed by the role and the workflow."""
    roles = customer_roles(ticket=ticket, user=user)
    targets = set(allowed_targets(ticket.status, Actor.CUSTOMER))
    return CustomerActions(
        cancel=roles.cancel and Status.CANCELED in targets,
        escalate=roles.escalate and Status.ESCALATED in targets,
        reopen=(
            roles.reopen
            and ticket.status == Status.RESOLVED
            and Status.OPEN in targets
            and timezone.now() <= reopen_deadline(ticket=ticket)
        ),
        share=roles.share,
    )


def timeline_entries(
    *, user: User, ticket: Ticket
) -> list[tuple[str, Comment | StatusChange]]:
    """Return ("comment", comment) and ("status", change) pairs, oldest first.

    Comments are those the user may see; status changes are public.
    """
    entries: list[tuple[str, Comment | StatusChange]] = [
        ("comment", comment)
        for comment in comment_list_visible(user=user, ticket=ticket)
    ]
    entries += [
        ("status", change)
        for change in ticket.status_changes.select_related("changed_by")
    ]
    return sorted(
        entries, key=lambda entry: (entry[1].created_at, entry[0], entry[1].pk)
    )


MENTION_SUGGESTION_LIMIT = 10


def mention_candidates(
    *, user: User, ticket: Ticket | None, query: str = ""
) -> QuerySet[User]:
    """Return the users that may be mentioned, matching the query by name or e-mail.

    The people come from those tickets.mentions accepts: active customers in
    the reporter's organizations other than the reporter. On an existing
    ticket the reporter is the ticket's, on a new request the user writing
    it. The writer is left out. A customer other than the reporter gets only the
    members of the organizations they share with the reporter, so the list
    contains no member of an organization the writer does not belong to. A
    participant whom an agent added from another organization gets none.
    """
    reporter_id = ticket.reporter_id if ticket is not None else user.pk
    organizations = Membership.objects.filter(user_id=reporter_id).values(
        "organization_id"
    )
    if not user.is_staff and user.pk != reporter_id:
        organizations = Membership.objects.filter(
            user_id=user.pk, organization_id__in=organizations
        ).values("organization_id")
    members = Membership.objects.filter(organization_id__in=organizations).values(
        "user_id"
    )
    candidates = (
        User.objects.filter(pk__in=members, is_active=True, is_staff=False)
        .exclude(pk=reporter_id)
        .exclude(pk=user.pk)
    )
    query = query.strip()
    if query:
        candidates = candidates.filter(
            Q(full_name__icontains=query) | Q(email__icontains=query)
        )
    return candidates.order_by("full_name", "email")
