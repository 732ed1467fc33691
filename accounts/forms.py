import functools
import zoneinfo

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from portal.text import VisibleTextField
from portal.widgets import FastSelect


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": _("The e-mail address or the password is wrong."),
        "inactive": _("This account is inactive."),
    }


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


class SignupForm(EmailForm):
    full_name = VisibleTextField(
        label=_("Name"),
        max_length=150,
        error_messages={"invisible": _("Enter a name with visible characters.")},
    )


@functools.cache
def _time_zone_choices() -> tuple[tuple[str, str], ...]:
    # available_timezones() walks the time zone files on each call; the set
    # installed does not change while the portal runs.
    return tuple(
        (name, name.replace("_", " "))
        for name in sorted(zoneinfo.available_timezones())
    )


class ProfileForm(forms.ModelForm):
    full_name = VisibleTextField(
        label=_("Display name"),
        max_length=150,
        required=False,
        help_text=_("Shown to support and your colleagues next to your comments."),
        error_messages={
            "invisible": _(
                "Enter a name with visible characters, or leave the field empty."
            )
        },
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    time_zone = forms.ChoiceField(
        label=_("Time zone"), choices=_time_zone_choices, widget=FastSelect
    )

    class Meta:
        model = User
        fields = ["full_name", "language", "time_zone"]


class AvatarForm(forms.Form):
    avatar = forms.FileField(
        label=_("New picture"),
        help_text=_("PNG, JPEG, GIF or WebP. It is cut to a square."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}
        ),
    )


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "text",
                "autofocus": True,
                "spellcheck": "false",
            }
        ),
    )


class PasswordConfirmForm(forms.Form):
    password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user: User, *args, **kwargs) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                _("The password is wrong."), code="wrong_password"
            )
        return password
