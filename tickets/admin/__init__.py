"""The agents' workspace in the Django admin.

ticket: the queue and the ticket page; other: comments and attachments.
"""

from tickets.admin import other, ticket  # noqa: F401  (registers the admins)
