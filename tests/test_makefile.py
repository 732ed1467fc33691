"""The demo started by `make run` links to the address it serves on."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def runserver_line(*make_args: str, env: dict[str, str]) -> str:
    """Return the runserver command that `make run` would execute (dry run)."""
    make = shutil.which("make")
    if make is None:
        pytest.skip("needs GNU make")
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [make, "--dry-run", "--always-make", "run", *make_args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    lines = [line for line in result.stdout.splitlines() if " runserver " in line]
    assert len(lines) == 1, result.stdout
    return lines[0]


@pytest.fixture
def clean_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PORTAL_URL", None)
    return env


def test_run_links_to_its_own_port(clean_env):
    line = runserver_line("PORT=19123", env=clean_env)

    assert "PORTAL_URL=http://127.0.0.1:19123 " in line
    assert line.endswith("runserver 127.0.0.1:19123")


def test_run_keeps_portal_url_from_environment(clean_env):
    env = clean_env | {"PORTAL_URL": "https://support.example.com"}

    line = runserver_line("PORT=19123", env=env)

    assert "PORTAL_URL=https://support.example.com " in line
