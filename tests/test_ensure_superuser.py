"""manage.py ensure_superuser: the first administrator from the environment."""

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_env(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "ops@support.example")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "long-and-unusual-passphrase-42")
    monkeypatch.setenv("DJANGO_SUPERUSER_FULL_NAME", "Olli Operator")


def test_creates_superuser(admin_env):
    call_command("ensure_superuser")

    user = User.objects.get(email="ops@support.example")
    assert user.is_superuser
    assert user.is_staff
    assert user.full_name == "Olli Operator"
    assert user.check_password("long-and-unusual-passphrase-42")


def test_second_run_changes_nothing(admin_env, monkeypatch):
    call_command("ensure_superuser")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "another-unusual-passphrase-43")
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "OPS@support.example")

    call_command("ensure_superuser")

    assert User.objects.count() == 1
    assert User.objects.get().check_password("long-and-unusual-passphrase-42")


def test_without_variables_does_nothing(monkeypatch):
    monkeypatch.delenv("DJANGO_SUPERUSER_EMAIL", raising=False)
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)

    call_command("ensure_superuser")

    assert User.objects.count() == 0


def test_email_without_password_fails(admin_env, monkeypatch):
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD")

    with pytest.raises(CommandError, match="DJANGO_SUPERUSER_PASSWORD is missing"):
        call_command("ensure_superuser")


def test_weak_password_fails(admin_env, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "password")

    with pytest.raises(CommandError, match="too weak"):
        call_command("ensure_superuser")
    assert User.objects.count() == 0
