from tickets.views.detail import attachment_download, comment_add, ticket_detail
from tickets.views.list import ticket_list

__all__ = ["attachment_download", "comment_add", "ticket_detail", "ticket_list"]
