from tickets.views.actions import (
    ticket_cancel_view,
    ticket_escalate_view,
    ticket_reopen_view,
)
from tickets.views.detail import attachment_download, comment_add, ticket_detail
from tickets.views.help import help_page
from tickets.views.list import ticket_list
from tickets.views.notifications import notifications_toggle, unsubscribe
from tickets.views.sharing import ticket_share_view

__all__ = [
    "attachment_download",
    "comment_add",
    "help_page",
    "notifications_toggle",
    "ticket_cancel_view",
    "ticket_detail",
    "ticket_escalate_view",
    "ticket_list",
    "ticket_reopen_view",
    "ticket_share_view",
    "unsubscribe",
]
