"""Forms of the agents' ticket page and of the bulk actions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from tickets.forms import MultipleFileField
from tickets.models import Status, Ticket
from tickets.workflow import Actor, allowed_targets

REPLY = "reply"
NOTE = "note"
KEEP_STATUS = ""


def agent_status_choices(ticket: Ticket) -> list[tuple[str, str]]:
    return [
        (status.value, status.label)
        for status in allowed_targets(ticket.status, Actor.AGENT)
    ]


class ReplyForm(forms.Form):
    """The reply box: a public reply or an internal note, with files.

    The submit button decides which one: its name is "kind" and its value
    REPLY or NOTE.
    """

    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 6, "class": "ws-reply-body"}),
        max_length=100_000,
        error_messages={"required": _("Write a message before sending.")},
    )
    attachments = MultipleFileField(label=_("Attachments"))
    status = forms.ChoiceField(
        label=_("Then set the status to"), required=False, initial=KEEP_STATUS
    )
    kind = forms.ChoiceField(
        choices=[(REPLY, _("Reply to customer")), (NOTE, _("Add internal note"))],
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choose “Reply to customer” or “Add internal note”.")
        },
    )

    def __init__(self, *args, ticket: Ticket, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (
                KEEP_STATUS,
                _("Keep “%(status)s”") % {"status": ticket.get_status_display()},
            ),
            *agent_status_choices(ticket),
        ]

    @property
    def is_internal(self) -> bool:
        return self.cleaned_data["kind"] == NOTE


class TransitionForm(forms.Form):
    """A status button: the target status and an optional public message."""

    to_status = forms.ChoiceField(choices=Status.choices)
    message = forms.CharField(
        label=_("Message to the customer (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=100_000,
        help_text=_("Sent as a public reply together with the status change."),
    )


class AssignForm(forms.Form):
    """The intermediate page of the "Assign to…" bulk action."""

    assignee = forms.ModelChoiceField(
        label=_("Assignee"),
        queryset=User.objects.filter(is_staff=True, is_active=True),
        required=False,
        empty_label=_("Nobody (unassigned)"),
    )
