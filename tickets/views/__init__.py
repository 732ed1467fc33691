from tickets.views.actions import (
    ticket_cancel_view,
    ticket_escalate_view,
    ticket_reopen_view,
)
from tickets.views.detail import comment_add, ticket_detail
from tickets.views.files import (
    attachment_download,
    attachment_inline,
    attachment_preview,
    attachment_thumbnail,
)
from tickets.views.help import help_page
from tickets.views.list import ticket_export, ticket_list
from tickets.views.mentions import mention_suggestions, mention_suggestions_new
from tickets.views.notifications import notifications_toggle, unsubscribe
from tickets.views.saved_filters import (
    columns_choose,
    saved_filter_add,
    saved_filter_delete_view,
    saved_filter_rename_view,
    saved_filter_run,
)
from tickets.views.sharing import ticket_share_view
from tickets.views.uploads import upload_discard, upload_stage

__all__ = [
    "attachment_download",
    "attachment_inline",
    "attachment_preview",
    "attachment_thumbnail",
    "columns_choose",
    "comment_add",
    "help_page",
    "mention_suggestions",
    "mention_suggestions_new",
    "notifications_toggle",
    "saved_filter_add",
    "saved_filter_delete_view",
    "saved_filter_rename_view",
    "saved_filter_run",
    "ticket_cancel_view",
    "ticket_detail",
    "ticket_escalate_view",
    "ticket_export",
    "ticket_list",
    "ticket_reopen_view",
    "ticket_share_view",
    "unsubscribe",
    "upload_discard",
    "upload_stage",
]
