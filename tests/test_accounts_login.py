"""Login, logout, ?next=, session rotation, lockout, and the language before login."""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


def post_login(client: Client, email: str, password: str, **extra):
    return client.post(LOGIN, {"username": email, "password": password, **extra})


def test_login_with_email_and_password(reporter):
    client = Client()
    response = post_login(client, "Customer@Alpha.example", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("helpcenter:project-list")
    assert client.session["_auth_user_id"] == str(reporter.pk)


def test_wrong_password_shows_error(reporter):
    response = post_login(Client(), reporter.email, "wrong password")

    assert response.status_code == 200
    assert "The e-mail address or the password is wrong." in response.text


def test_login_rotates_session_key(reporter):
    client = Client()
    client.get(LOGIN)
    session = client.session
    session["planted"] = "value"
    session.save()
    key_before = session.session_key

    post_login(client, reporter.email, PASSWORD)

    assert client.session.session_key != key_before


@pytest.mark.parametrize(
    "target, expected",
    [
        ("/requests/", "/requests/"),
        ("/accounts/profile/?tab=1", "/accounts/profile/?tab=1"),
        ("https://evil.example/", "/help-center/"),
        ("//evil.example/", "/help-center/"),
        ("https:///evil.example", "/help-center/"),
        ("javascript:alert(1)", "/help-center/"),
    ],
)
def test_next_only_redirects_within_portal(reporter, target, expected):
    response = post_login(Client(), reporter.email, PASSWORD, next=target)

    assert response.status_code == 302
    assert response["Location"] == expected


def test_logout_needs_post(personas):
    client = personas["reporter"]

    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_lockout_after_configured_failures(settings, reporter):
    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    for _ in range(2):
        assert post_login(client, reporter.email, "wrong").status_code == 200

    locked = post_login(client, reporter.email, "wrong")
    assert locked.status_code == 429
    assert "Sign-in locked" in locked.text

    # Even the right password is refused while the lock lasts.
    right = post_login(client, reporter.email, PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_account(settings, reporter, colleague):
    settings.AXES_FAILURE_LIMIT = 2
    client = Client()
    for _ in range(2):
        post_login(client, reporter.email, "wrong")

    assert post_login(client, colleague.email, PASSWORD).status_code == 302


def test_agent_unlocks_in_admin(settings, reporter, agent):
    settings.AXES_FAILURE_LIMIT = 2
    client = Client()
    for _ in range(2):
        post_login(client, reporter.email, "wrong")
    assert post_login(client, reporter.email, PASSWORD).status_code == 429
    assert AccessAttempt.objects.filter(username=reporter.email).exists()

    admin = Client()
    admin.force_login(agent)
    response = admin.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "unlock_sign_in", "_selected_action": [reporter.pk]},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username=reporter.email).exists()

    assert post_login(client, reporter.email, PASSWORD).status_code == 302


def test_browser_language_decides_before_login(db):
    german = Client(headers={"accept-language": "de-DE,de;q=0.9,en;q=0.5"})
    english = Client(headers={"accept-language": "en-US,en;q=0.9"})

    assert "Anmelden" in german.get(LOGIN).text
    assert "Log in" in english.get(LOGIN).text


def test_login_page_language_switch(db):
    client = Client(headers={"accept-language": "en"})
    page = client.get(LOGIN)
    assert 'name="language" value="de"' in page.text

    response = client.post(
        reverse("set_language"), {"language": "de", "next": LOGIN}, follow=True
    )
    assert response.status_code == 200
    assert "Passwort vergessen?" in response.text


def test_agent_sees_lock_records_in_admin(settings, reporter, agent):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        post_login(Client(), reporter.email, "wrong")
    admin = Client()
    admin.force_login(agent)

    listing = admin.get(reverse("admin:axes_accessattempt_changelist"))

    assert listing.status_code == 200
    assert reporter.email in listing.text
