"""Private file responses: streamed by Django or handed to a front proxy."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tickets.models import Attachment


@pytest.fixture
def attachment(make_ticket) -> Attachment:
    upload = SimpleUploadedFile("crash report.txt", b"Traceback ...\n", "text/plain")
    return make_ticket(files=[upload]).attachments.get()


def test_django_mode_streams_file(personas, attachment, settings):
    settings.MEDIA_SERVING = "django"

    response = personas["reporter"].get(attachment.get_absolute_url())

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Traceback ...\n"
    assert "X-Accel-Redirect" not in response
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, no-store"


def test_x_accel_redirect_mode_sends_headers_only(personas, attachment, settings):
    settings.MEDIA_SERVING = "x-accel-redirect"
    settings.MEDIA_X_ACCEL_PREFIX = "/protected-media/"

    response = personas["reporter"].get(attachment.get_absolute_url())

    assert response.status_code == 200
    assert response.content == b""
    assert response["X-Accel-Redirect"] == f"/protected-media/{attachment.file.name}"
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="crash report.txt"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_x_sendfile_mode_names_absolute_path(personas, attachment, settings):
    settings.MEDIA_SERVING = "x-sendfile"

    response = personas["reporter"].get(attachment.get_absolute_url())

    assert response.status_code == 200
    path = Path(response["X-Sendfile"])
    assert path.is_absolute()
    assert path.read_bytes() == b"Traceback ...\n"


@pytest.mark.parametrize("mode", ["django", "x-accel-redirect", "x-sendfile"])
def test_missing_file_is_not_found(personas, attachment, settings, mode):
    settings.MEDIA_SERVING = mode
    Path(attachment.file.path).unlink()

    response = personas["reporter"].get(attachment.get_absolute_url())

    assert response.status_code == 404


@pytest.mark.parametrize("mode", ["x-accel-redirect", "x-sendfile"])
def test_proxy_modes_keep_access_rule(personas, attachment, settings, mode):
    settings.MEDIA_SERVING = mode

    response = personas["outsider"].get(attachment.get_absolute_url())

    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response
    assert "X-Sendfile" not in response
