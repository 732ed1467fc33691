"""Production settings: check --deploy is clean and static files are collected."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Settings an operator sets in production; everything else keeps its default.
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.base",
    "SECRET_KEY": "x7Qm2vLp9Rk4Tz8Wc1Ny6Hb3Jd5Fg0Ks-production-like-test-key",
    "ALLOWED_HOSTS": "support.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://support.example.com",
    "PORTAL_URL": "https://support.example.com",
}
# Variables that would turn production defaults off if the caller has them set.
CLEARED = {
    # Set by the browser tests for their own thread; check --deploy rejects it.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
}


def run_manage(*args: str, **extra_env: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in CLEARED}
    env.update(PRODUCTION_ENV, **extra_env)
    return subprocess.run(  # noqa: S603 - fixed arguments, this interpreter
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_nothing():
    result = run_manage("check", "--deploy", "--fail-level", "DEBUG")

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_notices_plain_http_trial():
    result = run_manage("check", "--deploy", SECURE_SSL_REDIRECT="false")

    assert "security.W008" in result.stderr


def test_collectstatic_writes_hashed_compressed_files(tmp_path):
    result = run_manage("collectstatic", "--no-input", STATIC_ROOT=str(tmp_path))

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "staticfiles.json").is_file()
    hashed = list((tmp_path / "css").glob("portal.*.css"))
    assert len(hashed) == 1
    assert Path(f"{hashed[0]}.gz").is_file()
