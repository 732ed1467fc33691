"""FILE_STORAGE picks the storage of uploaded files from the environment."""

import json
import os
import subprocess
import sys

PRINT_STORAGE = (
    "from django.conf import settings; import json; "
    "print(json.dumps(settings.STORAGES['default']))"
)


def run_settings(**variables: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DEBUG": "true",
        "DJANGO_SETTINGS_MODULE": "portal.settings.base",
        **variables,
    }
    return subprocess.run(  # noqa: S603  # fixed arguments, no user input
        [sys.executable, "manage.py", "shell", "-c", PRINT_STORAGE],
        env=env,
        capture_output=True,
        text=True,
    )


def test_file_storage_defaults_to_filesystem():
    result = run_settings()

    assert result.returncode == 0, result.stderr
    storage = json.loads(result.stdout.strip().splitlines()[-1])
    assert storage["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_file_storage_s3_settings():
    result = run_settings(
        FILE_STORAGE="s3",
        S3_BUCKET_NAME="ccc-attachments",
        S3_ENDPOINT_URL="https://s3.example.com",
    )

    assert result.returncode == 0, result.stderr
    storage = json.loads(result.stdout.strip().splitlines()[-1])
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "ccc-attachments"
    assert storage["OPTIONS"]["endpoint_url"] == "https://s3.example.com"
    assert storage["OPTIONS"]["default_acl"] is None
    assert storage["OPTIONS"]["querystring_auth"] is True


def test_file_storage_s3_needs_bucket():
    result = run_settings(FILE_STORAGE="s3")

    assert result.returncode != 0
    assert "FILE_STORAGE=s3 needs S3_BUCKET_NAME." in result.stderr


def test_file_storage_rejects_unknown_backend():
    result = run_settings(FILE_STORAGE="ftp")

    assert result.returncode != 0
    assert "FILE_STORAGE='ftp' is not one of filesystem, s3." in result.stderr
