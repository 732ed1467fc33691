import uuid
from pathlib import PurePath

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from helpcenter.models import Component, Project, RequestType, TicketType, Version
from tickets.attachments import clean_file_name
from tickets.filetypes import preview_kind


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In Progress")
    WAITING_FOR_CUSTOMER = "waiting_for_customer", _("Waiting for customer")
    WAITING_FOR_SUPPORT = "waiting_for_support", _("Waiting for support")
    REVIEW_DEVELOPMENT = "review_development", _("Review Development")
    UNCLEAR_WAITING = "unclear_waiting", _("Unclear+Waiting")
    ESCALATED = "escalated", _("Escalated")
    RESOLVED = "resolved", _("Resolved")
    CANCELED = "canceled", _("Canceled")


CLOSED_STATUSES = frozenset({Status.RESOLVED, Status.CANCELED})
OPEN_STATUSES = frozenset(set(Status) - CLOSED_STATUSES)


class Priority(models.IntegerChoices):
    # Integers so that sorting by priority follows urgency.
    LOW = 1, _("Low")
    NORMAL = 2, _("Normal")
    HIGH = 3, _("High")
    CRITICAL = 4, _("Critical")


class Ticket(models.Model):
    """A customer's support request, known to people by its key, e.g. NET-17."""

    project = models.ForeignKey(
        Project,
        on_delete=models.PROTECT,
        related_name="tickets",
        verbose_name=_("project"),
    )
    number = models.PositiveIntegerField(_("number"), editable=False)
    summary = models.CharField(_("summary"), max_length=255)
    # Sanitised HTML; tickets.richtext converts it to plain text where needed.
    description = models.TextField(_("description"), blank=True)
    # Bug reports only: the structured parts of the report, as plain text.
    steps_to_reproduce = models.TextField(_("steps to reproduce"), blank=True)
    expected_result = models.TextField(_("expected result"), blank=True)
    actual_result = models.TextField(_("actual result"), blank=True)
    environment = models.TextField(
        _("environment"),
        blank=True,
        help_text=_("Operating system, database, browser and other surroundings."),
    )
    type = models.CharField(_("type"), max_length=20, choices=TicketType.choices)
    request_type = models.ForeignKey(
        RequestType,
        on_delete=models.PROTECT,
        related_name="tickets",
        verbose_name=_("request type"),
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.OPEN
    )
    affected_version = models.ForeignKey(
        Version,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("affected version"),
    )
    components = models.ManyToManyField(
        Component, blank=True, related_name="tickets", verbose_name=_("components")
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reported_tickets",
        verbose_name=_("reporter"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("shared with"),
        help_text=_("Empty: private to the reporter and the participants."),
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="participating_tickets",
        verbose_name=_("participants"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tickets",
        limit_choices_to={"is_staff": True},
        verbose_name=_("assignee"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    status_changed_at = models.DateTimeField(_("status changed"), auto_now_add=True)
    # The status a ticket had before "Waiting for customer". The customer's
    # reply returns it there.
    status_before_waiting = models.CharField(
        max_length=24, choices=Status.choices, blank=True, editable=False
    )
    # The search document: plain text of the summary, description, public
    # comments and attachment names, kept current by tickets.search. The
    # vector is only filled on PostgreSQL, where a GIN index covers it.
    search_text = models.TextField(blank=True, default="", editable=False)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "number"],
                name="tickets_ticket_project_number_unique",
            ),
        ]
        indexes = [
            models.Index(
                fields=["reporter", "-updated_at"], name="tickets_reporter_upd_idx"
            ),
            models.Index(
                fields=["organization", "-updated_at"], name="tickets_org_upd_idx"
            ),
            models.Index(
                fields=["status", "-updated_at"], name="tickets_status_upd_idx"
            ),
            models.Index(fields=["-updated_at", "-id"], name="tickets_upd_idx"),
            # Filters of the agents' queue in the admin.
            models.Index(
                fields=["assignee", "-updated_at"], name="tickets_assignee_upd_idx"
            ),
            models.Index(
                fields=["project", "-updated_at"], name="tickets_project_upd_idx"
            ),
            models.Index(
                fields=["status", "status_changed_at"], name="tickets_status_since_idx"
            ),
            models.Index(
                fields=["priority", "-updated_at"], name="tickets_priority_upd_idx"
            ),
            models.Index(fields=["type", "-updated_at"], name="tickets_type_upd_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.summary}"

    def get_absolute_url(self) -> str:
        return reverse("tickets:detail", kwargs={"key": self.key})

    @property
    def key(self) -> str:
        return f"{self.project.key}-{self.number}"

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES


class Comment(models.Model):
    """One entry of a request's exchange; internal notes are for agents only."""

    ticket = models.ForeignKey(
        Ticket,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("request"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="comments",
        verbose_name=_("author"),
    )
    # Sanitised HTML; tickets.richtext converts it to plain text where needed.
    body = models.TextField(_("text"))
    is_internal = models.BooleanField(
        _("internal note"),
        default=False,
        help_text=_("Internal notes are visible to agents only."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["ticket", "created_at"], name="tickets_comment_tkt_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.body[:40]}"


def attachment_upload_to(instance: "Attachment", filename: str) -> str:
    """Store under a random name; the original name lives in the database only."""
    suffix = PurePath(filename).suffix.lower()
    if not suffix.isascii() or len(suffix) > 12 or not suffix[1:].isalnum():
        suffix = ""
    return f"attachments/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    ticket = models.ForeignKey(
        Ticket,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("request"),
    )
    comment = models.ForeignKey(
        Comment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("comment"),
    )
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    # Detected from the file's bytes by tickets.filetypes, never the browser's.
    content_type = models.CharField(_("content type"), max_length=120)
    thumbnail = models.FileField(
        _("thumbnail"),
        upload_to=attachment_upload_to,
        max_length=200,
        blank=True,
        editable=False,
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="attachments",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse(
            "tickets:attachment-download",
            kwargs={"key": self.ticket.key, "attachment_id": self.pk},
        )

    def clean(self) -> None:
        # A rename in the admin skips the upload services, so the name gets the
        # same cleaning here and cannot bring back bidi or control characters.
        super().clean()
        self.original_name = clean_file_name(self.original_name)

    @property
    def preview_kind(self) -> str:
        """ "image", "text" or "download": how the portal shows this file."""
        return preview_kind(self.content_type)

    def get_preview_url(self) -> str:
        return reverse(
            "tickets:attachment-preview",
            kwargs={"key": self.ticket.key, "attachment_id": self.pk},
        )

    def get_inline_url(self) -> str:
        return reverse(
            "tickets:attachment-inline",
            kwargs={"key": self.ticket.key, "attachment_id": self.pk},
        )

    def get_thumbnail_url(self) -> str:
        return reverse(
            "tickets:attachment-thumbnail",
            kwargs={"key": self.ticket.key, "attachment_id": self.pk},
        )

    @property
    def is_internal(self) -> bool:
        return self.comment is not None and self.comment.is_internal


class StagedUpload(models.Model):
    """A file uploaded before its form is sent, owned by the uploading user.

    The request or comment form refers to it by id; sending the form turns it
    into an Attachment. Unused staged uploads expire after
    ATTACHMENT_STAGING_MAX_AGE seconds (manage.py cleanup_staged_uploads).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staged_uploads",
        verbose_name=_("owner"),
    )
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    content_type = models.CharField(_("content type"), max_length=120)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("staged upload")
        verbose_name_plural = _("staged uploads")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["created_at"], name="tickets_staged_created_idx")
        ]

    def __str__(self) -> str:
        return self.original_name


class StatusChange(models.Model):
    """One move of a ticket from one status to another, shown in its timeline."""

    ticket = models.ForeignKey(
        Ticket,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("request"),
    )
    from_status = models.CharField(_("from"), max_length=24, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=24, choices=Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="status_changes",
        verbose_name=_("changed by"),
        help_text=_("Empty when the system made the change."),
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("changed"), auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["ticket", "created_at"], name="tickets_statuschg_tkt_idx"
            ),
            # The admin's "escalated at some time" filter.
            models.Index(
                fields=["to_status", "ticket"], name="tickets_statuschg_to_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.from_status} -> {self.to_status}"


class NotificationSetting(models.Model):
    """A user's own choice to get, or not get, e-mails about one request.

    Without a row the default applies: on for the reporter and the
    participants, off for everyone else who merely can see the request.
    """

    ticket = models.ForeignKey(
        Ticket,
        on_delete=models.CASCADE,
        related_name="notification_settings",
        verbose_name=_("request"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_settings",
        verbose_name=_("user"),
    )
    enabled = models.BooleanField(_("notifications on"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("notification setting")
        verbose_name_plural = _("notification settings")
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "user"], name="tickets_notifsetting_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}/{self.user_id}: {self.enabled}"


class NotificationEvent(models.TextChoices):
    CREATED = "created", _("Request created")
    REPLY = "reply", _("Public reply")
    STATUS = "status", _("Status change")
    COMMENT = "comment", _("Customer comment")
    PARTICIPANT_ADDED = "participant_added", _("Participant added")
    MENTION = "mention", _("Mention")
    ESCALATION = "escalation", _("Escalation")


class NotificationState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("Skipped")
    FAILED = "failed", _("Failed")


class Notification(models.Model):
    """One e-mail to one recipient about one event: a row of the outbox.

    Written in the transaction of the event itself, so the e-mail exists
    exactly when the event does; tickets.tasks delivers it afterwards.
    """

    ticket = models.ForeignKey(
        Ticket,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("request"),
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    event = models.CharField(
        _("event"), max_length=24, choices=NotificationEvent.choices
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("caused by"),
    )
    comment = models.ForeignKey(
        Comment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("comment"),
    )
    status_change = models.ForeignKey(
        StatusChange,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("status change"),
    )
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=NotificationState.choices,
        default=NotificationState.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["state", "next_attempt_at"], name="tickets_notif_due_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} → {self.recipient_id} ({self.state})"


class RequestListPreference(models.Model):
    """The columns a user chose for the requests overview."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="request_list_preference",
        verbose_name=_("user"),
    )
    columns = models.JSONField(_("columns"), default=list)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("requests overview preference")
        verbose_name_plural = _("requests overview preferences")

    def __str__(self) -> str:
        return f"{self.user_id}: {', '.join(self.columns)}"


class SavedFilter(models.Model):
    """A named state of the requests overview: scope, search, filters, sort, columns.

    Only the query string is stored, so the access rule applies whenever
    the filter runs, never when it was saved.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_filters",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    query_string = models.TextField(_("query string"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "name"], name="tickets_savedfilter_user_name_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name
