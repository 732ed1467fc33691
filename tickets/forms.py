from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from helpcenter.models import Component, RequestType, Version
from tickets.models import Priority

PRIVATE = "private"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that accepts several files and checks the upload limits."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list[UploadedFile]:
        if not data:
            files = []
        elif isinstance(data, (list, tuple)):
            files = [
                super(MultipleFileField, self).clean(item, initial) for item in data
            ]
        else:
            files = [super().clean(data, initial)]
        files = [upload for upload in files if upload]

        max_files = settings.ATTACHMENT_MAX_FILES
        if len(files) > max_files:
            raise forms.ValidationError(
                _("Attach at most %(count)d files at once.") % {"count": max_files}
            )
        max_size = settings.ATTACHMENT_MAX_SIZE
        errors = []
        for upload in files:
            if upload.size > max_size:
                errors.append(
                    _("%(name)s is larger than the limit of %(limit)s.")
                    % {"name": upload.name, "limit": filesizeformat(max_size)}
                )
            elif upload.size == 0:
                errors.append(_("%(name)s is empty.") % {"name": upload.name})
        if errors:
            raise forms.ValidationError(errors)
        return files


class RequestForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary"),
        max_length=255,
        help_text=_(
            "One line that names the problem, e.g. “Export to PDF fails with error 500”."
        ),
    )
    affected_version = forms.ModelChoiceField(
        label=_("Affected version"),
        queryset=Version.objects.none(),
        required=False,
        empty_label=_("Not known / not relevant"),
    )
    components = forms.ModelMultipleChoiceField(
        label=_("Components"),
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
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        help_text=_(
            "Describe the steps to reproduce, what you expected and what happened "
            "instead, and any customer-specific changes. Attach error messages and "
            "stack traces as text files, plus log files and screenshots."
        ),
    )
    attachments = MultipleFileField(label=_("Attachments"))
    sharing = forms.ChoiceField(label=_("Who can see this request"))

    def __init__(
        self, *args, request_type: RequestType, reporter: User, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        project = request_type.project
        self.fields["affected_version"].queryset = project.versions.all()
        self.fields["components"].queryset = project.components.all()
        if not project.versions.exists():
            del self.fields["affected_version"]
        if not project.components.exists():
            del self.fields["components"]

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


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Add a comment"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=100_000,
        error_messages={"required": _("Write a comment before sending.")},
    )
    attachments = MultipleFileField(label=_("Attachments"))


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
