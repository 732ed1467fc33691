import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.env import env_bool, env_int, env_list, env_url


@pytest.mark.parametrize(
    "raw, expected", [("true", True), ("0", False), ("Yes", True), ("", False)]
)
def test_env_bool_parses(monkeypatch, raw, expected):
    monkeypatch.setenv("FLAG", raw)

    assert env_bool("FLAG", False) is expected


def test_env_bool_rejects_unknown_word(monkeypatch):
    monkeypatch.setenv("FLAG", "maybe")

    with pytest.raises(ImproperlyConfigured, match="FLAG='maybe' is not a boolean"):
        env_bool("FLAG", False)


def test_env_int_rejects_text_and_minimum(monkeypatch):
    monkeypatch.setenv("SIZE", "ten")
    with pytest.raises(ImproperlyConfigured, match="not an integer"):
        env_int("SIZE", 1)

    monkeypatch.setenv("SIZE", "0")
    with pytest.raises(ImproperlyConfigured, match="below the minimum 1"):
        env_int("SIZE", 1, minimum=1)


def test_env_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.example , b.example,, ")

    assert env_list("HOSTS") == ["a.example", "b.example"]


def test_env_url_checks_scheme(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "mysql://db/x")

    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL must be a URL"):
        env_url("DATABASE_URL", schemes=("postgres", "sqlite"))


def test_settings_stop_without_secret_key():
    import os
    import subprocess
    import sys

    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DEBUG"}
    }
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings.base"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], env=env, capture_output=True, text=True
    )

    assert result.returncode != 0
    assert "SECRET_KEY is missing" in result.stderr


def test_settings_stop_on_invalid_debug():
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DEBUG": "yes please",
        "DJANGO_SETTINGS_MODULE": "portal.settings.base",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], env=env, capture_output=True, text=True
    )

    assert result.returncode != 0
    assert "DEBUG='yes please' is not a boolean" in result.stderr
