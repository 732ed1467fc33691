"""Password reset by e-mail link, and password change."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

RESET = reverse("accounts:password-reset")
LOGIN = reverse("accounts:login")
NEW_PASSWORD = "another long private passphrase 7"


def request_reset(email: str, on_commit):
    with on_commit(execute=True):
        return Client().post(RESET, {"email": email}, follow=True)


def test_reset_page_answers_alike_for_known_and_unknown(reporter, on_commit):
    known = request_reset(reporter.email, on_commit)
    unknown = request_reset("nobody@alpha.example", on_commit)

    assert known.status_code == unknown.status_code == 200
    assert known.redirect_chain == unknown.redirect_chain
    assert known.content == unknown.content
    assert [message.to for message in mail.outbox] == [[reporter.email]]


def test_reset_request_does_same_work_for_any_address(
    reporter, django_assert_num_queries
):
    """The request path only queues the e-mail, so timing cannot reveal an account."""
    with django_assert_num_queries(0):
        known = Client().post(RESET, {"email": reporter.email})
    with django_assert_num_queries(0):
        unknown = Client().post(RESET, {"email": "nobody@alpha.example"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_reset_link_sets_password_once(reporter, on_commit):
    request_reset(reporter.email, on_commit)
    link = re.search(r"/accounts/password/reset/[^\s]+/[^\s]+/", mail.outbox[0].body)
    client = Client()
    page = client.get(link.group(0), follow=True)
    assert 'name="new_password1"' in page.text

    response = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    reporter.refresh_from_db()
    assert reporter.check_password(NEW_PASSWORD)
    again = Client().get(link.group(0), follow=True)
    assert "This link is no longer valid" in again.text


def test_reset_email_in_users_language(reporter, on_commit):
    reporter.language = "de"
    reporter.save()

    request_reset(reporter.email, on_commit)

    assert "Passwort zurücksetzen" in mail.outbox[0].subject


def test_inactive_user_gets_no_reset(reporter, on_commit):
    reporter.is_active = False
    reporter.save()

    request_reset(reporter.email, on_commit)

    assert mail.outbox == []


def test_password_change_keeps_this_session_only(reporter):
    this_device = Client()
    this_device.post(LOGIN, {"username": reporter.email, "password": PASSWORD})
    other_device = Client()
    other_device.post(LOGIN, {"username": reporter.email, "password": PASSWORD})
    assert other_device.get(reverse("accounts:profile")).status_code == 200

    response = this_device.post(
        reverse("accounts:password-change"),
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302
    assert this_device.get(reverse("accounts:profile")).status_code == 200
    other = other_device.get(reverse("accounts:profile"))
    assert other.status_code == 302
    assert other["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    "old, new, error",
    [
        ("wrong", NEW_PASSWORD, "Your old password was entered incorrectly"),
        (PASSWORD, "short", "This password is too short"),
        (PASSWORD, "password123", "This password is too common"),
    ],
)
def test_password_change_validates(personas, reporter, old, new, error):
    response = personas["reporter"].post(
        reverse("accounts:password-change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
    )

    assert response.status_code == 200
    assert error in response.text
    reporter.refresh_from_db()
    assert reporter.check_password(PASSWORD)


@pytest.mark.parametrize("persona", ["reporter", "colleague", "outsider", "agent"])
def test_password_change_page_by_persona(personas, persona):
    assert personas[persona].get(reverse("accounts:password-change")).status_code == 200


def test_password_change_needs_login(client):
    response = client.get(reverse("accounts:password-change"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
