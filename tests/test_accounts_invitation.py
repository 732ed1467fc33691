"""Invitations: created by agents, single-use, expiring; no agent sees a password."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User
from accounts.tokens import invitation_token_generator

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long and private passphrase 42"


def invitation_link(message) -> str:
    match = re.search(r"http://[^\s]+/accounts/invitation/[^\s]+/", message.body)
    assert match, message.body
    return match.group(0).removeprefix("http://127.0.0.1:8000")


def invite_in_admin(client: Client, email: str = "neu@alpha.example", **fields):
    data = {
        "email": email,
        "full_name": "Nina Neu",
        "language": "en",
        "time_zone": "Europe/Berlin",
        "membership_set-TOTAL_FORMS": "0",
        "membership_set-INITIAL_FORMS": "0",
        **fields,
    }
    return client.post(reverse("admin:accounts_user_add"), data)


def choose_password(client: Client, link: str):
    page = client.get(link, follow=True)
    return page, client.post(
        page.redirect_chain[-1][0] if page.redirect_chain else link,
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )


@pytest.fixture
def agent_client(agent) -> Client:
    client = Client()
    client.force_login(agent)
    return client


def test_agent_invites_customer(agent_client, on_commit):
    with on_commit(execute=True):
        response = invite_in_admin(agent_client, language="de")

    assert response.status_code == 302
    user = User.objects.get(email="neu@alpha.example")
    assert not user.has_usable_password()
    assert user.invited_at is not None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["neu@alpha.example"]
    assert "Ihr Konto bei" in message.subject
    assert "Passwort" in message.body


def test_invitation_link_works_once(agent_client, on_commit):
    with on_commit(execute=True):
        invite_in_admin(agent_client)
    link = invitation_link(mail.outbox[0])

    customer = Client()
    page, response = choose_password(customer, link)
    assert page.status_code == 200
    assert "Choose your password" in page.text
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    user = User.objects.get(email="neu@alpha.example")
    assert user.check_password(NEW_PASSWORD)
    assert customer.session["_auth_user_id"] == str(user.pk)

    second = Client().get(link, follow=True)
    assert "This invitation link is no longer valid" in second.text
    assert 'name="new_password1"' not in second.text


def test_invitation_link_expires(settings, reporter):
    settings.INVITATION_TIMEOUT_HOURS = 1
    reporter.set_unusable_password()
    reporter.save()
    generator = invitation_token_generator
    two_hours_ago = generator._num_seconds(generator._now()) - 2 * 60 * 60
    old_token = generator._make_token_with_timestamp(
        reporter, two_hours_ago, generator.secret
    )
    fresh_token = generator.make_token(reporter)

    assert not generator.check_token(reporter, old_token)
    assert generator.check_token(reporter, fresh_token)
    uidb64 = urlsafe_base64_encode(force_bytes(reporter.pk))
    expired_page = Client().get(
        reverse("accounts:invitation", args=[uidb64, old_token]), follow=True
    )
    fresh_page = Client().get(
        reverse("accounts:invitation", args=[uidb64, fresh_token]), follow=True
    )
    assert "This invitation link is no longer valid" in expired_page.text
    assert 'name="new_password1"' in fresh_page.text


def test_resent_invitation_invalidates_old_link(agent_client, reporter, on_commit):
    reporter.set_unusable_password()
    reporter.save()
    changelist = reverse("admin:accounts_user_changelist")
    action = {"action": "send_invitation", "_selected_action": [reporter.pk]}
    with on_commit(execute=True):
        agent_client.post(changelist, action)
    first = invitation_link(mail.outbox[0])
    with on_commit(execute=True):
        agent_client.post(changelist, action)
    second = invitation_link(mail.outbox[1])

    assert first != second
    assert "no longer valid" in Client().get(first, follow=True).text
    assert 'name="new_password1"' in Client().get(second, follow=True).text


def test_invitation_action_skips_users_with_password(agent_client, reporter, on_commit):
    with on_commit(execute=True):
        response = agent_client.post(
            reverse("admin:accounts_user_changelist"),
            {"action": "send_invitation", "_selected_action": [reporter.pk]},
            follow=True,
        )

    assert mail.outbox == []
    assert "1 user was skipped" in response.text


def test_agent_never_sees_or_sets_password(agent_client, reporter):
    change = agent_client.get(reverse("admin:accounts_user_change", args=[reporter.pk]))
    add = agent_client.get(reverse("admin:accounts_user_add"))
    password = agent_client.get(
        reverse("admin:auth_user_password_change", args=[reporter.pk])
    )

    assert change.status_code == 200
    assert reporter.password not in change.text
    assert (
        "password" not in change.text.lower().split("<form", 1)[1].split("</form>")[0]
    )
    assert 'name="password1"' not in add.text
    assert password.status_code == 403


def test_superuser_cannot_set_customer_password(superuser, reporter):
    client = Client()
    client.force_login(superuser)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[reporter.pk]),
        {"password1": "x" * 20, "password2": "x" * 20},
    )

    assert response.status_code == 403
    reporter.refresh_from_db()
    assert reporter.check_password("correct horse battery staple")


DUPLICATE_EMAIL_ERROR = (
    "A user with the e-mail address customer@alpha.example already exists. "
    "Addresses that differ only in upper and lower case count as the same."
)


def change_in_admin(client: Client, user: User, email: str):
    """Post the admin change form of a user without memberships."""
    data = {
        "email": email,
        "full_name": user.full_name,
        "language": user.language,
        "time_zone": user.time_zone,
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
        "membership_set-TOTAL_FORMS": "0",
        "membership_set-INITIAL_FORMS": "0",
    }
    return client.post(reverse("admin:accounts_user_change", args=[user.pk]), data)


@pytest.mark.parametrize(
    "email",
    ["customer@alpha.example", "Customer@Alpha.example", "CUSTOMER@ALPHA.EXAMPLE"],
)
def test_invite_rejects_existing_email_in_any_case(agent_client, reporter, email):
    response = invite_in_admin(agent_client, email=email)

    form = response.context["adminform"].form
    assert response.status_code == 200
    assert form.errors["email"] == [DUPLICATE_EMAIL_ERROR]
    assert form.non_field_errors() == []
    assert "accounts_user_email_ci_unique" not in response.text
    assert User.objects.filter(email__iexact=email).count() == 1


def test_invite_duplicate_email_error_in_german(agent, reporter):
    agent.language = "de"
    agent.save()
    client = Client()
    client.force_login(agent)

    response = invite_in_admin(client, email="Customer@alpha.example")

    assert response.context["adminform"].form.errors["email"] == [
        "Es gibt bereits einen Benutzer mit der E-Mail-Adresse "
        "customer@alpha.example. Adressen, die sich nur in Groß- und "
        "Kleinschreibung unterscheiden, gelten als dieselbe Adresse."
    ]


def test_change_rejects_other_users_email(agent_client, reporter):
    other = User.objects.create_user(email="other@alpha.example", full_name="Otto")

    response = change_in_admin(agent_client, other, "CUSTOMER@alpha.example")

    form = response.context["adminform"].form
    assert response.status_code == 200
    assert form.errors["email"] == [DUPLICATE_EMAIL_ERROR]
    assert form.non_field_errors() == []
    other.refresh_from_db()
    assert other.email == "other@alpha.example"


def test_change_keeps_own_email_in_other_case(agent_client):
    other = User.objects.create_user(email="other@alpha.example", full_name="Otto")

    response = change_in_admin(agent_client, other, "Other@Alpha.example")

    assert response.status_code == 302, response.context["errors"]
    other.refresh_from_db()
    assert other.email == "other@alpha.example"


@pytest.mark.parametrize("persona", ["reporter", "colleague", "outsider", "anonymous"])
def test_customers_cannot_invite(personas, persona):
    response = invite_in_admin(personas[persona], email="sneaky@alpha.example")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert not User.objects.filter(email="sneaky@alpha.example").exists()


def test_signup_is_off_by_default(client):
    assert client.get(reverse("accounts:signup")).status_code == 404


def test_signup_when_enabled_sends_link(settings, client, reporter, on_commit):
    settings.SIGNUP_ENABLED = True
    with on_commit(execute=True):
        new = client.post(
            reverse("accounts:signup"),
            {"email": "fresh@gamma.example", "full_name": "Fred Fresh"},
        )
    with on_commit(execute=True):
        existing = Client().post(
            reverse("accounts:signup"),
            {"email": reporter.email, "full_name": "Someone"},
        )

    assert new.status_code == existing.status_code == 200
    assert new.content == existing.content
    assert [message.to for message in mail.outbox] == [
        ["fresh@gamma.example"],
        [reporter.email],
    ]
    assert not User.objects.get(email="fresh@gamma.example").has_usable_password()


def test_resend_button_on_change_page(agent_client, reporter, on_commit):
    reporter.set_unusable_password()
    reporter.save()
    change = agent_client.get(reverse("admin:accounts_user_change", args=[reporter.pk]))
    assert "Resend invitation" in change.text

    with on_commit(execute=True):
        response = agent_client.post(
            reverse("admin:accounts_user_invite", args=[reporter.pk])
        )

    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [[reporter.email]]
    assert (
        agent_client.get(
            reverse("admin:accounts_user_invite", args=[reporter.pk])
        ).status_code
        == 403
    )


def test_resend_skips_user_with_password(agent_client, reporter, on_commit):
    change = agent_client.get(reverse("admin:accounts_user_change", args=[reporter.pk]))
    assert "Resend invitation" not in change.text

    with on_commit(execute=True):
        agent_client.post(reverse("admin:accounts_user_invite", args=[reporter.pk]))

    assert mail.outbox == []


@pytest.mark.parametrize("persona", ["reporter", "colleague", "outsider", "anonymous"])
def test_customers_cannot_resend(personas, reporter, persona, on_commit):
    reporter.set_unusable_password()
    reporter.save()
    with on_commit(execute=True):
        response = personas[persona].post(
            reverse("admin:accounts_user_invite", args=[reporter.pk])
        )

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert mail.outbox == []
