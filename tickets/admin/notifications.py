"""The e-mail outbox in the admin: agents see failed e-mails and send them again."""

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tickets.delivery import retry_failed
from tickets.models import Notification
from tickets.notifications import dispatch


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The e-mail outbox: agents see what was sent, skipped or failed."""

    list_display = [
        "created_at",
        "ticket",
        "event",
        "recipient",
        "state",
        "attempts",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = ["state", "event"]
    list_select_related = ["ticket__project", "recipient"]
    search_fields = ["recipient__email", "last_error"]
    date_hierarchy = "created_at"
    actions = ["retry"]
    readonly_fields = [
        "ticket",
        "recipient",
        "event",
        "actor",
        "comment",
        "status_change",
        "state",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "sent_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.action(
        description=_("Send selected failed or skipped e-mails again"),
        permissions=["change"],
    )
    def retry(self, request: HttpRequest, queryset: QuerySet) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        count = retry_failed(ids)
        transaction.on_commit(lambda: dispatch(ids))
        self.message_user(
            request,
            ngettext(
                "%(count)d e-mail queued again.",
                "%(count)d e-mails queued again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
