import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from helpcenter.models import Component, RequestType, TicketType, Version
from portal.text import VisibleTextField
from tickets.attachments import clean_file_name, file_limit_errors
from tickets.models import Priority, StagedUpload
from tickets.richtext import sanitize_html, text_to_html
from tickets.services import staged_upload_create, staged_uploads_for

PRIVATE = "private"
FORMAT_HTML = "html"
FORMAT_TEXT = "text"


class RichTextarea(forms.Textarea):
    """A text area that static/js/editor.js turns into the rich-text editor.

    Next to it sits a hidden "<name>_format" input: "text" while the plain
    text area is used (no JavaScript), "html" once the editor writes HTML.
    """

    template_name = "tickets/widgets/rich_textarea.html"

    def __init__(self, attrs=None, mention_url: str = "") -> None:
        super().__init__(attrs)
        self.mention_url = mention_url
        self.format = FORMAT_TEXT

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["format_name"] = f"{name}_format"
        context["widget"]["format"] = self.format
        context["widget"]["mention_url"] = self.mention_url
        return context


class RichTextField(forms.CharField):
    """Rich text from the editor, or plain text from the fallback text area.

    Cleans to sanitised HTML. Plain text is escaped and split into paragraphs.
    """

    widget = RichTextarea

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("max_length", 200_000)
        super().__init__(*args, **kwargs)
        self.format = FORMAT_TEXT

    def bound_format(self, data, name: str) -> str:
        value = data.get(f"{name}_format") if data is not None else None
        return FORMAT_HTML if value == FORMAT_HTML else FORMAT_TEXT

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return ""
        if self.format == FORMAT_HTML:
            html = sanitize_html(value)
        else:
            html = text_to_html(value)
        return html

    def validate(self, value) -> None:
        # An editor that only contains empty paragraphs counts as empty.
        if self.required and not value.replace("<p></p>", "").strip():
            raise ValidationError(self.error_messages["required"], code="required")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that accepts several files at once and checks the upload limits.

    check_limits=False leaves the limits to the form, which counts staged
    uploads too (AttachmentsFormMixin).
    """

    widget = MultipleFileInput

    def __init__(self, *args, check_limits: bool = True, **kwargs) -> None:
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.check_limits = check_limits

    def clean(self, data, initial=None) -> list[UploadedFile]:
        if not data:
            return []
        items = data if isinstance(data, (list, tuple)) else [data]
        files = []
        for item in items:
            # Empty files are reported with the other limits, by name.
            if item and getattr(item, "size", None) == 0:
                files.append(item)
                continue
            cleaned = super().clean(item, initial)
            if cleaned:
                files.append(cleaned)
        if self.check_limits:
            sizes = [
                (clean_file_name(upload.name or ""), upload.size) for upload in files
            ]
            errors = file_limit_errors(sizes)
            if errors:
                raise ValidationError(errors)
        return files


class AttachmentsFormMixin(forms.Form):
    """Files sent with the form plus uploads staged before, checked together."""

    attachments = MultipleFileField(label=_("Attachments"), check_limits=False)
    staged = forms.TypedMultipleChoiceField(
        required=False, coerce=uuid.UUID, widget=forms.MultipleHiddenInput
    )

    def setup_attachments(self, owner: User) -> None:
        self.owner = owner
        self.staged_uploads: list[StagedUpload] = []
        # Any well-formed id passes here; clean_staged() checks the owner.
        values = self.data.getlist("staged") if hasattr(self.data, "getlist") else []
        self.fields["staged"].choices = [(value, value) for value in values]
        if self.is_bound:
            try:
                ids = [uuid.UUID(value) for value in values]
                self.staged_uploads = list(
                    StagedUpload.objects.filter(pk__in=ids, owner=owner)
                )
            except ValueError:
                self.staged_uploads = []

    def setup_rich_text(self, name: str, mention_url: str) -> None:
        field = self.fields[name]
        field.format = field.bound_format(self.data if self.is_bound else None, name)
        field.widget.format = field.format
        field.widget.mention_url = mention_url

    def clean_staged(self) -> list[StagedUpload]:
        ids = self.cleaned_data.get("staged") or []
        self.staged_uploads = staged_uploads_for(owner=self.owner, ids=ids)
        return self.staged_uploads

    def clean(self):
        cleaned_data = super().clean()
        files = cleaned_data.get("attachments") or []
        staged = cleaned_data.get("staged") or []
        sizes = [(item.original_name, item.size) for item in staged]
        sizes += [(clean_file_name(upload.name or ""), upload.size) for upload in files]
        for message in file_limit_errors(sizes):
            self.add_error("attachments", message)
        return cleaned_data

    def keep_uploaded_files(self) -> None:
        """Stage the files of an invalid form, so the customer need not add them again.

        Files that break a per-file limit are not kept; the error names them.
        """
        for upload in self.files.getlist("attachments"):
            try:
                staged = staged_upload_create(owner=self.owner, upload=upload)
            except ValidationError:
                continue
            self.staged_uploads.append(staged)


class RequestForm(AttachmentsFormMixin):
    summary = VisibleTextField(
        label=_("Summary"),
        max_length=255,
        help_text=_(
            "One line that names the problem, e.g. “Export to PDF fails with error 500”."
        ),
        error_messages={"invisible": _("Enter a summary with visible characters.")},
    )
    affected_version = forms.ModelChoiceField(
        label=_("Product version"),
        queryset=Version.objects.none(),
        required=False,
        empty_label=_("Not known / not relevant"),
    )
    components = forms.ModelMultipleChoiceField(
        label=_("Product components"),
        queryset=Component.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        choices=Priority.choices,
        coerce=int,
        initial=Priority.NORMAL,
    )
    description = RichTextField(
        label=_("Description"),
        widget=RichTextarea(attrs={"rows": 10}),
        required=False,
        help_text=_(
            "What were you doing, what did you expect and what happened instead? "
            "Mention any customer-specific changes. Paste a stack trace and it "
            "is offered as a text file."
        ),
    )
    steps_to_reproduce = forms.CharField(
        label=_("Steps to reproduce"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("One step per line, from a fresh start to the error."),
    )
    expected_result = forms.CharField(
        label=_("Expected result"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    actual_result = forms.CharField(
        label=_("Actual result"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Attach the exact error text or stack trace as a text file."),
    )
    environment = forms.CharField(
        label=_("Environment"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_(
            "Operating system, database, browser, installed extensions or "
            "customer-specific changes."
        ),
    )
    sharing = forms.ChoiceField(label=_("Who can see this request"))

    BUG_FIELDS = (
        "steps_to_reproduce",
        "expected_result",
        "actual_result",
        "environment",
    )

    def __init__(
        self,
        *args,
        request_type: RequestType,
        reporter: User,
        mention_url: str = "",
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.setup_attachments(reporter)
        self.setup_rich_text("description", mention_url)

        project = request_type.project
        self.fields["affected_version"].queryset = project.versions.all()
        self.fields["components"].queryset = project.components.all()
        if not project.versions.exists():
            del self.fields["affected_version"]
        if not project.components.exists():
            del self.fields["components"]
        self.is_bug = request_type.type == TicketType.BUG
        if not self.is_bug:
            for name in self.BUG_FIELDS:
                del self.fields[name]

        self.organizations = {str(org.pk): org for org in reporter.organizations.all()}
        choices = [(PRIVATE, _("Only me (private)"))]
        choices += [
            (pk, _("Me and everyone at %(organization)s") % {"organization": org.name})
            for pk, org in self.organizations.items()
        ]
        self.fields["sharing"].choices = choices
        self.fields["sharing"].initial = PRIVATE

    def cleaned_organization(self):
        value = self.cleaned_data.get("sharing", PRIVATE)
        return None if value == PRIVATE else self.organizations[value]

    def cleaned_bug_report(self) -> dict[str, str]:
        if not self.is_bug:
            return {}
        return {name: self.cleaned_data.get(name, "") for name in self.BUG_FIELDS}


class CommentForm(AttachmentsFormMixin):
    body = RichTextField(
        label=_("Add a comment"),
        widget=RichTextarea(attrs={"rows": 4}),
        error_messages={"required": _("Write a comment before sending.")},
    )

    def __init__(self, *args, author: User, mention_url: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.setup_attachments(author)
        self.setup_rich_text("body", mention_url)


def attachment_limits() -> dict[str, int]:
    """Return the upload limits for the upload zone's data- attributes."""
    return {
        "max_size": settings.ATTACHMENT_MAX_SIZE,
        "max_files": settings.ATTACHMENT_MAX_FILES,
        "max_total": settings.ATTACHMENT_MAX_TOTAL_SIZE,
    }


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )


class ShareForm(forms.Form):
    """Who besides the reporter sees the request: an organization and people."""

    sharing = forms.ChoiceField(label=_("Who can see this request"))
    participants = forms.ModelMultipleChoiceField(
        label=_("Participants"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Participants see the request, can comment on it and get e-mails "
            "about it. You can choose colleagues from your organizations."
        ),
    )

    def __init__(self, *args, ticket, candidates, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organizations = {
            str(org.pk): org for org in ticket.reporter.organizations.all()
        }
        choices = [(PRIVATE, _("Private: only the reporter and the participants"))]
        choices += [
            (pk, _("Everyone at %(organization)s") % {"organization": org.name})
            for pk, org in self.organizations.items()
        ]
        self.fields["sharing"].choices = choices
        self.fields["participants"].queryset = candidates
        self.fields["participants"].label_from_instance = lambda user: (
            f"{user.display_name} <{user.email}>"
        )
        if not self.is_bound:
            self.initial["sharing"] = (
                str(ticket.organization_id) if ticket.organization_id else PRIVATE
            )
            self.initial["participants"] = list(ticket.participants.all())

    def cleaned_organization(self):
        value = self.cleaned_data.get("sharing", PRIVATE)
        return None if value == PRIVATE else self.organizations[value]
