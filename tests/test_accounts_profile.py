"""The profile page: details, language, time zone, and the avatar."""

import datetime
import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts.models import AVATAR_COLOR_COUNT
from tickets.models import Comment

pytestmark = pytest.mark.django_db

PROFILE = reverse("accounts:profile")
UPLOAD = reverse("accounts:avatar-upload")


def image_file(format: str, size=(640, 480), exif: bool = False, name=None):
    image = Image.new("RGB", size, (200, 30, 30))
    output = io.BytesIO()
    options = {}
    if exif:
        metadata = Image.Exif()
        metadata[0x010F] = "SecretCamera"  # Make
        metadata[0x9286] = "GPS home of the customer"  # UserComment
        options["exif"] = metadata.tobytes()
    image.save(output, format=format, **options)
    extension = {"JPEG": "jpg"}.get(format, format.lower())
    return SimpleUploadedFile(
        name or f"logo.{extension}",
        output.getvalue(),
        content_type=f"image/{extension}",
    )


def png_bomb(width: int = 20000, height: int = 20000) -> bytes:
    """A valid 1-bit PNG of width x height black pixels: tiny file, huge image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    row = b"\x00" * (1 + (width + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height))
    data += compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", data)
        + chunk(b"IEND", b"")
    )


def stored_files(settings) -> list:
    folder = settings.MEDIA_ROOT / "avatars"
    return sorted(folder.iterdir()) if folder.exists() else []


@pytest.mark.parametrize("persona", ["reporter", "colleague", "outsider", "agent"])
def test_profile_page_by_persona(personas, persona):
    response = personas[persona].get(PROFILE)

    assert response.status_code == 200
    assert "Two-factor authentication" in response.text


def test_profile_needs_login(client):
    response = client.get(PROFILE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_profile_shows_organizations_read_only(personas, alpha):
    response = personas["reporter"].get(PROFILE)

    assert alpha.name in response.text
    assert 'name="organizations"' not in response.text


def test_profile_saves_name_language_time_zone(personas, reporter):
    response = personas["reporter"].post(
        PROFILE,
        {"full_name": "Clara K.", "language": "de", "time_zone": "America/New_York"},
    )

    assert response.status_code == 302
    reporter.refresh_from_db()
    assert reporter.full_name == "Clara K."
    assert reporter.language == "de"
    assert reporter.time_zone == "America/New_York"


def test_profile_rejects_unknown_time_zone(personas, reporter):
    response = personas["reporter"].post(
        PROFILE, {"full_name": "X", "language": "en", "time_zone": "Mars/Olympus"}
    )

    assert response.status_code == 400
    reporter.refresh_from_db()
    assert reporter.time_zone == "Europe/Berlin"


def test_user_language_applies_to_every_page(personas, reporter, ticket):
    reporter.language = "de"
    reporter.save()
    client = personas["reporter"]
    client.cookies["django_language"] = "en"

    for url in [
        reverse("helpcenter:project-list"),
        reverse("tickets:list"),
        ticket.get_absolute_url(),
        PROFILE,
    ]:
        response = client.get(url, headers={"accept-language": "en"})
        assert response.status_code == 200, url
        assert 'lang="de"' in response.text, url
        assert "Abmelden" in response.text, url
    detail = client.get(ticket.get_absolute_url())
    assert "Offen" in detail.text


def test_times_shown_in_users_zone(personas, reporter, ticket, agent):
    moment = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)
    comment = Comment.objects.create(ticket=ticket, author=agent, body="Hello")
    Comment.objects.filter(pk=comment.pk).update(created_at=moment)
    client = personas["reporter"]

    reporter.time_zone = "Asia/Tokyo"
    reporter.save()
    tokyo = client.get(ticket.get_absolute_url()).text
    reporter.time_zone = "America/New_York"
    reporter.save()
    new_york = client.get(ticket.get_absolute_url()).text

    assert 'datetime="2026-03-02T21:00:00+09:00"' in tokyo
    assert 'datetime="2026-03-02T07:00:00-05:00"' in new_york
    assert timezone.get_current_timezone_name() == "Europe/Berlin"


def test_initials_avatar_uses_palette_class(personas, reporter):
    response = personas["reporter"].get(PROFILE)

    assert 0 <= reporter.avatar_color < AVATAR_COLOR_COUNT
    assert f"avatar-color-{reporter.avatar_color}" in response.text
    assert ">CC</span>" in response.text
    assert "style=" not in response.text


@pytest.mark.parametrize("format", ["PNG", "JPEG", "GIF", "WEBP"])
def test_avatar_accepted_and_reencoded(personas, reporter, settings, format):
    response = personas["reporter"].post(UPLOAD, {"avatar": image_file(format)})

    assert response.status_code == 302
    reporter.refresh_from_db()
    with reporter.avatar.open("rb") as handle, Image.open(handle) as stored:
        assert stored.format == "PNG"
        assert stored.size == (settings.AVATAR_PIXELS, settings.AVATAR_PIXELS)
    assert len(stored_files(settings)) == 1


def test_avatar_loses_exif(personas, reporter):
    upload = image_file("JPEG", exif=True)
    assert b"SecretCamera" in upload.read()
    upload.seek(0)

    personas["reporter"].post(UPLOAD, {"avatar": upload})

    reporter.refresh_from_db()
    content = reporter.avatar.open("rb").read()
    reporter.avatar.close()
    assert b"SecretCamera" not in content
    assert b"Exif" not in content
    with Image.open(io.BytesIO(content)) as stored:
        assert not stored.getexif()
        assert "exif" not in stored.info


def test_avatar_replacement_deletes_old_file(personas, reporter, settings):
    personas["reporter"].post(UPLOAD, {"avatar": image_file("PNG")})
    personas["reporter"].post(UPLOAD, {"avatar": image_file("GIF")})

    reporter.refresh_from_db()
    assert stored_files(settings) == [settings.MEDIA_ROOT / reporter.avatar.name]


@pytest.mark.parametrize(
    "upload, message",
    [
        (
            SimpleUploadedFile("logo.png", b"just some text\n", "image/png"),
            "not a readable PNG, JPEG, GIF or WebP picture",
        ),
        (
            SimpleUploadedFile("logo.png", image_file("PNG").read()[:200], "image/png"),
            "not a readable PNG, JPEG, GIF or WebP picture",
        ),
        (
            SimpleUploadedFile("bomb.png", png_bomb(), "image/png"),
            "The picture has too many pixels",
        ),
        (image_file("BMP", name="logo.bmp"), "not a readable PNG, JPEG, GIF or WebP"),
    ],
    ids=["text-named-png", "truncated-png", "png-bomb-20000x20000", "bmp"],
)
def test_avatar_rejected_and_nothing_stored(
    personas, reporter, settings, upload, message
):
    response = personas["reporter"].post(UPLOAD, {"avatar": upload})

    assert response.status_code == 400
    assert message in response.text
    reporter.refresh_from_db()
    assert not reporter.avatar
    assert stored_files(settings) == []


def test_avatar_too_large_rejected(personas, reporter, settings):
    settings.AVATAR_MAX_SIZE = 1000
    response = personas["reporter"].post(UPLOAD, {"avatar": image_file("PNG")})

    assert response.status_code == 400
    assert "The picture is larger than" in response.text
    assert stored_files(settings) == []


def test_avatar_remove(personas, reporter, settings):
    personas["reporter"].post(UPLOAD, {"avatar": image_file("PNG")})
    response = personas["reporter"].post(reverse("accounts:avatar-remove"))

    assert response.status_code == 302
    reporter.refresh_from_db()
    assert not reporter.avatar
    assert stored_files(settings) == []


def test_avatar_upload_needs_login(client, settings):
    response = client.post(UPLOAD, {"avatar": image_file("PNG")})

    assert response.status_code == 302
    assert stored_files(settings) == []


# Who may load whose avatar: the reporter's picture is shown on a private
# request (reporter, agent), and to colleagues of the same organization.
AVATAR_ACCESS = {
    "reporter": 200,
    "colleague": 200,
    "outsider": 404,
    "agent": 200,
    "anonymous": 302,
}


@pytest.mark.parametrize("persona, expected", AVATAR_ACCESS.items())
def test_avatar_view_by_persona(personas, reporter, ticket, persona, expected):
    personas["reporter"].post(UPLOAD, {"avatar": image_file("PNG")})

    response = personas[persona].get(reverse("accounts:avatar", args=[reporter.pk]))

    assert response.status_code == expected
    if expected == 200:
        assert response["Content-Type"] == "image/png"
        assert response["Cache-Control"].startswith("private")


def test_avatar_visible_via_participation(personas, make_ticket, outsider, reporter):
    outsider_ticket = make_ticket(reporter=outsider)
    outsider_ticket.participants.add(reporter)
    Comment.objects.create(ticket=outsider_ticket, author=reporter, body="Hi")
    personas["reporter"].post(UPLOAD, {"avatar": image_file("PNG")})

    response = personas["outsider"].get(reverse("accounts:avatar", args=[reporter.pk]))

    assert response.status_code == 200


def test_agent_avatar_visible_to_customers(personas, agent, outsider):
    personas["agent"].post(UPLOAD, {"avatar": image_file("PNG")})

    response = personas["outsider"].get(reverse("accounts:avatar", args=[agent.pk]))

    assert response.status_code == 200


def test_avatar_shown_next_to_comments(personas, reporter, ticket, agent):
    personas["agent"].post(UPLOAD, {"avatar": image_file("PNG")})
    Comment.objects.create(ticket=ticket, author=agent, body="We are on it.")

    page = personas["reporter"].get(ticket.get_absolute_url()).text

    assert reverse("accounts:avatar", args=[agent.pk]) in page
    assert f"avatar-color-{reporter.avatar_color}" in page


def test_profile_confirmation_in_new_language(personas, reporter):
    response = personas["reporter"].post(
        PROFILE,
        {"full_name": "Clara", "language": "de", "time_zone": "Europe/Berlin"},
        follow=True,
    )

    assert "Ihr Profil wurde gespeichert." in response.text
