"""Two-factor authentication: setup with a real TOTP code, login step, recovery codes."""

import re
import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

SETUP = reverse("accounts:two-factor-setup")
VERIFY = reverse("accounts:two-factor-verify")
LOGIN = reverse("accounts:login")


def current_code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows; steps_ahead=1 is the next one.

    django-otp refuses a code twice, and accepts the next step (tolerance 1),
    so a test that already used the current code logs in with the next.
    """
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def enable_two_factor(client: Client, user) -> list[str]:
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(SETUP, {"token": current_code(device)})
    assert response.status_code == 200
    return re.findall(r"<li>([0-9a-f]{6}-[0-9a-f]{6})</li>", response.text)


def password_login(user, **extra) -> tuple[Client, object]:
    client = Client()
    response = client.post(
        LOGIN, {"username": user.email, "password": PASSWORD, **extra}
    )
    return client, response


@pytest.mark.parametrize("persona", ["reporter", "colleague", "outsider", "agent"])
def test_setup_page_by_persona(personas, persona):
    response = personas[persona].get(SETUP)

    assert response.status_code == 200
    assert "otpauth" not in response.text
    qr = personas[persona].get(reverse("accounts:two-factor-qr"))
    assert qr["Content-Type"] == "image/svg+xml"
    assert b"<svg" in qr.content


def test_setup_needs_login(client):
    assert client.get(SETUP).status_code == 302
    assert client.get(reverse("accounts:two-factor-qr")).status_code == 302


def test_setup_rejects_wrong_code(personas, reporter):
    personas["reporter"].get(SETUP)

    response = personas["reporter"].post(SETUP, {"token": "000000"})

    assert response.status_code == 400
    assert not TOTPDevice.objects.filter(user=reporter, confirmed=True).exists()


def test_login_asks_for_code_after_setup(personas, reporter):
    codes = enable_two_factor(personas["reporter"], reporter)
    assert len(codes) == 10

    client, response = password_login(reporter, next="/requests/")
    assert response.status_code == 302
    blocked = client.get("/requests/")
    assert blocked.status_code == 302
    assert blocked["Location"].startswith(VERIFY)
    assert client.get(reverse("admin:index")).status_code == 302

    device = TOTPDevice.objects.get(user=reporter, confirmed=True)
    key_before = client.session.session_key
    verified = client.post(
        VERIFY, {"token": current_code(device, steps_ahead=1), "next": "/requests/"}
    )
    assert verified.status_code == 302
    assert verified["Location"] == "/requests/"
    assert client.session.session_key != key_before
    assert client.get("/requests/").status_code == 200


def test_wrong_code_keeps_user_out(personas, reporter):
    enable_two_factor(personas["reporter"], reporter)
    client, _ = password_login(reporter)

    wrong = client.post(VERIFY, {"token": "123456"})

    assert wrong.status_code == 400
    assert "The code is wrong" in wrong.text
    assert client.get("/requests/").status_code == 302


def test_recovery_code_works_once(personas, reporter):
    codes = enable_two_factor(personas["reporter"], reporter)

    first, _ = password_login(reporter)
    assert first.post(VERIFY, {"token": codes[0]}).status_code == 302
    assert first.get("/requests/").status_code == 200

    second, _ = password_login(reporter)
    assert second.post(VERIFY, {"token": codes[0]}).status_code == 400
    assert second.get("/requests/").status_code == 302


def test_qr_code_gone_once_enabled(personas, reporter):
    enable_two_factor(personas["reporter"], reporter)

    response = personas["reporter"].get(reverse("accounts:two-factor-qr"))

    assert response.status_code == 404
    assert TOTPDevice.objects.filter(user=reporter).count() == 1


def test_half_signed_in_user_cannot_replace_device(personas, reporter):
    enable_two_factor(personas["reporter"], reporter)
    client, _ = password_login(reporter)

    response = client.get(SETUP)

    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=reporter).count() == 1


def test_disable_needs_password(personas, reporter):
    enable_two_factor(personas["reporter"], reporter)
    client = personas["reporter"]
    disable = reverse("accounts:two-factor-disable")

    assert client.post(disable, {"password": "wrong"}).status_code == 400
    assert TOTPDevice.objects.filter(user=reporter).exists()
    assert client.post(disable, {"password": PASSWORD}).status_code == 302
    assert not TOTPDevice.objects.filter(user=reporter).exists()

    _, response = password_login(reporter)
    assert response.status_code == 302
    assert response["Location"] == reverse("helpcenter:project-list")


def test_agents_must_set_up_when_required(settings, agent, reporter):
    settings.TWO_FACTOR_REQUIRED_FOR_AGENTS = True

    client, _ = password_login(agent)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)

    codes = enable_two_factor(client, agent)
    assert codes
    assert client.get(reverse("admin:index")).status_code == 200

    customer, _ = password_login(reporter)
    assert customer.get("/requests/").status_code == 200


def test_demo_does_not_require_two_factor(settings):
    assert settings.TWO_FACTOR_REQUIRED_FOR_AGENTS is False
