"""Two-factor authentication with django-otp: TOTP apps and recovery codes.

At login, the session records which step the user still owes: "verify" when
they have a confirmed TOTP device, "setup" when they are an agent and
TWO_FACTOR_REQUIRED_FOR_AGENTS is on but they have no device yet.
TwoFactorMiddleware keeps them on that page until it is done.

NOTE: the step is decided at login, so turning TWO_FACTOR_REQUIRED_FOR_AGENTS
on does not affect agents who are already signed in until they log in again.
"""

import io
import secrets
from enum import StrEnum

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User

SESSION_KEY = "accounts_two_factor_step"
RECOVERY_CODE_COUNT = 10


class TwoFactorStep(StrEnum):
    VERIFY = "verify"
    SETUP = "setup"


def two_factor_enabled(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def two_factor_required(user: User) -> bool:
    return bool(user.is_staff and settings.TWO_FACTOR_REQUIRED_FOR_AGENTS)


@receiver(user_logged_in)
def _record_two_factor_step(sender, request: HttpRequest | None, user: User, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    if two_factor_enabled(user):
        request.session[SESSION_KEY] = TwoFactorStep.VERIFY.value
    elif two_factor_required(user):
        request.session[SESSION_KEY] = TwoFactorStep.SETUP.value
    else:
        request.session.pop(SESSION_KEY, None)


def pending_device(user: User) -> TOTPDevice:
    """Return the user's unconfirmed TOTP device, creating one with a new key."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="app", confirmed=False)
    return device


def qr_code_svg(device: TOTPDevice) -> bytes:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    output = io.BytesIO()
    image.save(output)
    return output.getvalue()


def recovery_codes_create(user: User) -> list[str]:
    """Replace the user's recovery codes with new ones and return them."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": "recovery"}
    )
    device.token_set.all().delete()
    codes = [
        f"{secrets.token_hex(3)}-{secrets.token_hex(3)}"
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=code) for code in codes
    )
    return codes


@transaction.atomic
def two_factor_confirm(
    request: HttpRequest, device: TOTPDevice, token: str
) -> list[str] | None:
    """Confirm device with a code from the app; returns new recovery codes, or None."""
    if not device.verify_token(token):
        return None
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = recovery_codes_create(device.user)
    otp_login(request, device)
    request.session.pop(SESSION_KEY, None)
    return codes


def two_factor_verify(request: HttpRequest, token: str) -> bool:
    """Accept a code from the app or a recovery code for the signed-in user."""
    device = match_token(request.user, token.strip().replace(" ", ""))
    if device is None:
        return False
    otp_login(request, device)
    request.session.pop(SESSION_KEY, None)
    # The session gains rights here, so it gets a new key like at login.
    request.session.cycle_key()
    return True


@transaction.atomic
def two_factor_disable(user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
