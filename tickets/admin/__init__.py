"""The agents' workspace in the Django admin.

ticket: the queue and the ticket page; other: comments and attachments;
notifications: the e-mail outbox.
"""

from tickets.admin import notifications, other, ticket  # noqa: F401  (registers the admins)
