"""The server-side rule for @mentions in descriptions and comments.

A mention is written either as "@name@example.com" in plain text or, by a
rich-text editor, as an element carrying data-mention="<user id>" (or
data-mention-email="<address>"). Only people who may take part in the
request count: active customers who share an organization with its
reporter. Any other mention stays plain text and grants nothing.

Callers pass the stored text and the ticket to resolve_mentions() and act
on the result (tickets.services.mentions_apply adds and notifies).
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.db.models import QuerySet

from accounts.models import Membership, User
from tickets.models import Ticket

# "@" + an e-mail address, not preceded by a character that would make it
# part of a longer word or address (so "bob@x.example" is no mention).
_PLAIN_MENTION = re.compile(
    r"(?<![\w.@+-])@(?P<email>[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)"
)


@dataclass(frozen=True)
class Mentions:
    """The people a text mentions, split by what to do with them."""

    # Eligible people mentioned, without the author: they get a mention e-mail.
    notify: list[User] = field(default_factory=list)
    # The subset of notify that is not yet reporter or participant.
    add_as_participants: list[User] = field(default_factory=list)


class _MentionAttributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.user_ids: set[int] = set()
        self.emails: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if not value:
                continue
            if name == "data-mention" and value.strip().isdigit():
                self.user_ids.add(int(value.strip()))
            elif name == "data-mention-email":
                self.emails.add(value.strip().lower())


def find_mentions(text: str) -> tuple[set[str], set[int]]:
    """Return the e-mail addresses and user ids a text mentions, unchecked."""
    emails = {
        match["email"].rstrip(".").lower() for match in _PLAIN_MENTION.finditer(text)
    }
    user_ids: set[int] = set()
    if "data-mention" in text:
        parser = _MentionAttributes()
        parser.feed(text)
        parser.close()
        emails |= parser.emails
        user_ids = parser.user_ids
    return emails, user_ids


def eligible_participants(*, ticket: Ticket) -> QuerySet[User]:
    """Return the people who may be named participants of a request.

    Active customers who belong to one of the reporter's organizations,
    other than the reporter.
    """
    organizations = Membership.objects.filter(user_id=ticket.reporter_id).values(
        "organization_id"
    )
    members = Membership.objects.filter(organization_id__in=organizations).values(
        "user_id"
    )
    return (
        User.objects.filter(pk__in=members, is_active=True, is_staff=False)
        .exclude(pk=ticket.reporter_id)
        .order_by("full_name", "email")
    )


def resolve_mentions(*, text: str, ticket: Ticket, author: User | None) -> Mentions:
    """Resolve the mentions of a text against the people allowed on the ticket."""
    emails, user_ids = find_mentions(text)
    if not emails and not user_ids:
        return Mentions()
    candidates = eligible_participants(ticket=ticket)
    mentioned = list(
        candidates.filter(email__in=emails) | candidates.filter(pk__in=user_ids)
    )
    if author is not None:
        mentioned = [user for user in mentioned if user.pk != author.pk]
    participant_ids = set(ticket.participants.values_list("pk", flat=True))
    return Mentions(
        notify=mentioned,
        add_as_participants=[
            user for user in mentioned if user.pk not in participant_ids
        ],
    )
