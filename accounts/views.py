"""Sign-in, invitations, password reset and change, the profile and two-factor pages."""

import base64

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.forms import (
    AvatarForm,
    EmailAuthenticationForm,
    EmailForm,
    PasswordConfirmForm,
    ProfileForm,
    SignupForm,
    TokenForm,
)
from accounts.models import User
from accounts.selectors import avatar_visible
from accounts.services import (
    password_reset_request,
    user_avatar_remove,
    user_avatar_set,
    user_invite,
)
from accounts.tokens import invitation_token_generator
from accounts.two_factor import (
    SESSION_KEY,
    pending_device,
    qr_code_svg,
    recovery_codes_create,
    two_factor_confirm,
    two_factor_disable,
    two_factor_enabled,
    two_factor_required,
    two_factor_verify,
)
from portal.sendfile import private_file_response


class LoginView(auth_views.LoginView):
    """Sign in by e-mail address and password.

    Django's LoginView follows ?next= only to this host, and login() gives the
    session a new key, so a key planted before login is worthless afterwards.
    """

    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["signup_enabled"] = settings.SIGNUP_ENABLED
        return context


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("helpcenter:project-list")
    return redirect("accounts:login")


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


# Invitation and password reset links ---------------------------------------


class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    """The invitation link: choose the first password, then sign in."""

    template_name = "accounts/invitation_accept.html"
    token_generator = invitation_token_generator
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    reset_url_token = "set-password"  # noqa: S105 - a URL segment, not a secret
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Welcome! Your password is set."))
        return response


class PasswordResetRequestView(auth_views.FormView):
    template_name = "accounts/password_reset_form.html"
    form_class = EmailForm
    success_url = reverse_lazy("accounts:password-reset-done")

    def form_valid(self, form):
        password_reset_request(email=form.cleaned_data["email"])
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    token_generator = default_token_generator
    success_url = reverse_lazy("accounts:password-reset-complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change the password, keeping this session and ending every other one.

    Django stores a hash of the password in each session and rejects a
    session whose hash no longer matches. PasswordChangeView refreshes the
    hash of this session only (update_session_auth_hash).
    """

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(
            self.request,
            _("Your password was changed. Other devices have been signed out."),
        )
        return response


def signup(request: HttpRequest) -> HttpResponse:
    """Public sign-up, only with SIGNUP_ENABLED: the e-mail link proves the address."""
    if not settings.SIGNUP_ENABLED:
        raise Http404("Sign-up is turned off.")
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].lower()
        if User.objects.filter(email__iexact=email).exists():
            # The page looks the same as for a new address, and the owner gets a reset link.
            password_reset_request(email=email)
        else:
            with transaction.atomic():
                user_invite(
                    email=email,
                    full_name=form.cleaned_data["full_name"],
                    language=request.LANGUAGE_CODE,
                )
        return render(request, "accounts/signup_done.html")
    return render(request, "accounts/signup.html", {"form": form})


# Profile and avatar --------------------------------------------------------


def _render_profile(request, profile_form=None, avatar_form=None, status=200):
    user = request.user
    return render(
        request,
        "accounts/profile.html",
        {
            "profile_form": profile_form or ProfileForm(instance=user),
            "avatar_form": avatar_form or AvatarForm(),
            "organizations": user.organizations.order_by("name"),
            "two_factor_enabled": two_factor_enabled(user),
            "two_factor_required": two_factor_required(user),
            "avatar_max_size": settings.AVATAR_MAX_SIZE,
        },
        status=status,
    )


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=request.user)
        if not form.is_valid():
            return _render_profile(request, profile_form=form, status=400)
        user = form.save()
        # The confirmation is read in the language just chosen.
        translation.activate(user.language)
        messages.success(request, _("Your profile was saved."))
        return redirect("accounts:profile")
    return _render_profile(request)


@login_required
@require_POST
def avatar_upload(request: HttpRequest) -> HttpResponse:
    form = AvatarForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            user_avatar_set(user=request.user, upload=form.cleaned_data["avatar"])
        except ValidationError as error:
            form.add_error("avatar", error)
    if not form.is_valid():
        return _render_profile(request, avatar_form=form, status=400)
    messages.success(request, _("Your picture was saved."))
    return redirect("accounts:profile")


@login_required
@require_POST
def avatar_remove(request: HttpRequest) -> HttpResponse:
    user_avatar_remove(user=request.user)
    messages.success(request, _("Your picture was removed."))
    return redirect("accounts:profile")


@login_required
@require_GET
def avatar(request: HttpRequest, user_id: int) -> HttpResponseBase:
    owner = get_object_or_404(User, pk=user_id)
    if not owner.avatar or not avatar_visible(viewer=request.user, owner=owner):
        raise Http404("No avatar.")
    return private_file_response(
        owner.avatar,
        filename="avatar.png",
        content_type="image/png",
        as_attachment=False,
        max_age=3600,
    )


# Two-factor authentication -------------------------------------------------


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    if two_factor_enabled(request.user):
        # A new device needs the old one switched off first, which requires
        # the password, so a half-signed-in session cannot replace it.
        return redirect("accounts:profile")
    device = pending_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor_confirm(request, device, form.cleaned_data["token"])
        if codes is not None:
            return render(
                request,
                "accounts/two_factor_codes.html",
                {
                    "codes": codes,
                    "next": _safe_next(request, reverse("accounts:profile")),
                },
            )
        form.add_error(
            "token", _("The code is wrong or has expired. Try the current one.")
        )
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "secret": _base32_key(device),
            "required": two_factor_required(request.user),
            "next": _safe_next(request, ""),
        },
        status=400 if form.errors else 200,
    )


def _base32_key(device: TOTPDevice) -> str:
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@login_required
@require_GET
def two_factor_qr(request: HttpRequest) -> HttpResponse:
    if two_factor_enabled(request.user):
        raise Http404("Two-factor authentication is already on.")
    device = pending_device(request.user)
    response = HttpResponse(qr_code_svg(device), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def two_factor_verify_view(request: HttpRequest) -> HttpResponse:
    if not request.session.get(SESSION_KEY):
        return redirect("home")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor_verify(request, form.cleaned_data["token"]):
            return redirect(_safe_next(request, reverse(settings.LOGIN_REDIRECT_URL)))
        form.add_error(
            "token", _("The code is wrong. Enter the current code or a recovery code.")
        )
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": _safe_next(request, "")},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def two_factor_recovery_codes(request: HttpRequest) -> HttpResponse:
    if not two_factor_enabled(request.user):
        return redirect("accounts:profile")
    codes = recovery_codes_create(request.user)
    return render(
        request,
        "accounts/two_factor_codes.html",
        {"codes": codes, "next": reverse("accounts:profile")},
    )


@login_required
def two_factor_disable_view(request: HttpRequest) -> HttpResponse:
    if two_factor_required(request.user) or not two_factor_enabled(request.user):
        return redirect("accounts:profile")
    form = PasswordConfirmForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        two_factor_disable(request.user)
        messages.success(request, _("Two-factor authentication is off."))
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/two_factor_disable.html",
        {"form": form},
        status=400 if form.errors else 200,
    )
