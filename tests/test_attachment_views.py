"""Downloads, previews, inline images and thumbnails: access and safe headers."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tickets.models import Comment
from tickets.services import attachment_create

pytestmark = pytest.mark.django_db

FILE_VIEWS = [
    "attachment-download",
    "attachment-preview",
    "attachment-inline",
    "attachment-thumbnail",
]
PRIVATE_ACCESS = {"reporter": 200, "colleague": 404, "outsider": 404, "agent": 200}
SHARED_ACCESS = {"reporter": 200, "colleague": 200, "outsider": 404, "agent": 200}


def png_bytes() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (800, 600), "navy").save(output, format="PNG")
    return output.getvalue()


def attach(ticket, name: str, data: bytes, content_type="application/octet-stream"):
    return attachment_create(
        ticket=ticket,
        uploaded_by=ticket.reporter,
        upload=SimpleUploadedFile(name, data, content_type),
    )


def url(name: str, attachment) -> str:
    return reverse(
        f"tickets:{name}",
        kwargs={"key": attachment.ticket.key, "attachment_id": attachment.pk},
    )


@pytest.mark.parametrize("view", FILE_VIEWS)
@pytest.mark.parametrize("persona, expected", PRIVATE_ACCESS.items())
def test_file_views_on_private_request(personas, ticket, view, persona, expected):
    image = attach(ticket, "screen.png", png_bytes(), "image/png")

    response = personas[persona].get(url(view, image))

    assert response.status_code == expected


@pytest.mark.parametrize("view", FILE_VIEWS)
@pytest.mark.parametrize("persona, expected", SHARED_ACCESS.items())
def test_file_views_on_shared_request(personas, shared_ticket, view, persona, expected):
    image = attach(shared_ticket, "screen.png", png_bytes(), "image/png")

    response = personas[persona].get(url(view, image))

    assert response.status_code == expected


@pytest.mark.parametrize("view", FILE_VIEWS)
def test_file_views_redirect_anonymous(personas, ticket, view):
    image = attach(ticket, "screen.png", png_bytes(), "image/png")

    response = personas["anonymous"].get(url(view, image))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("view", FILE_VIEWS)
def test_file_views_hide_internal_note_files(personas, ticket, agent, view):
    note = Comment.objects.create(
        ticket=ticket, author=agent, body="<p>internal</p>", is_internal=True
    )
    image = attachment_create(
        ticket=ticket,
        uploaded_by=agent,
        comment=note,
        upload=SimpleUploadedFile("internal.png", png_bytes(), "image/png"),
    )

    assert personas["reporter"].get(url(view, image)).status_code == 404
    assert personas["agent"].get(url(view, image)).status_code == 200


def test_image_preview_page_shows_inline_image(personas, ticket):
    image = attach(ticket, "screen.png", png_bytes(), "image/png")

    response = personas["reporter"].get(url("attachment-preview", image))

    content = response.content.decode()
    assert f'src="{url("attachment-inline", image)}"' in content
    assert "screen.png" in content


def test_inline_image_headers(personas, ticket):
    image = attach(ticket, "screen.png", png_bytes(), "image/png")

    response = personas["reporter"].get(url("attachment-inline", image))

    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Content-Disposition"].startswith("inline")


def test_thumbnail_is_small_png(personas, ticket):
    image = attach(ticket, "screen.png", png_bytes(), "image/png")

    response = personas["reporter"].get(url("attachment-thumbnail", image))

    assert response["Content-Type"] == "image/png"
    data = b"".join(response.streaming_content)
    with Image.open(io.BytesIO(data)) as thumbnail:
        assert thumbnail.size == (320, 240)


def test_text_preview_escapes_and_numbers_lines(personas, ticket):
    log = attach(
        ticket,
        "Prüfbericht (final) ü.log",
        "first line\nMap<String, List<Row>> rows & more\n    indented ü\n".encode(),
    )

    response = personas["reporter"].get(url("attachment-preview", log))

    content = response.content.decode()
    assert response.status_code == 200
    assert "<String" not in content
    assert (
        "<li><code>Map&lt;String, List&lt;Row&gt;&gt; rows &amp; more</code></li>"
        in content
    )
    assert "<li><code>    indented ü</code></li>" in content
    assert content.count("<li><code>") == 3
    assert "Prüfbericht (final) ü.log" in content


def test_text_preview_is_capped(personas, ticket, settings):
    settings.ATTACHMENT_TEXT_PREVIEW_MAX_SIZE = 1024
    log = attach(ticket, "long.log", b"0123456789\n" * 500)

    response = personas["reporter"].get(url("attachment-preview", log))

    content = response.content.decode()
    assert "Only the first 1.0\xa0KB are shown." in content
    assert content.count("<li><code>") == 94


@pytest.mark.parametrize(
    "name, data",
    [
        (
            "drawing.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        ),
        ("page.html", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("screenshot.png", b"<html><script>alert(1)</script></html>"),
        ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"),
    ],
)
def test_unsafe_files_are_only_downloaded(personas, ticket, name, data):
    attachment = attach(ticket, name, data, "image/png")
    client = personas["reporter"]

    preview = client.get(url("attachment-preview", attachment))
    inline = client.get(url("attachment-inline", attachment))
    thumbnail = client.get(url("attachment-thumbnail", attachment))
    download = client.get(url("attachment-download", attachment))

    assert preview.status_code == 302
    assert preview["Location"] == url("attachment-download", attachment)
    assert inline.status_code == 404
    assert thumbnail.status_code == 404
    assert download["Content-Type"] == "application/octet-stream"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert b"".join(download.streaming_content) == data


def test_download_keeps_unicode_name(personas, ticket):
    attachment = attach(ticket, "Prüfbericht (final) ü.log", b"ok\n")

    response = personas["reporter"].get(url("attachment-download", attachment))

    assert (
        "filename*=utf-8''Pr%C3%BCfbericht%20%28final%29%20%C3%BC.log"
        in (response["Content-Disposition"])
    )


def test_request_page_links_previews_and_thumbnails(personas, ticket):
    image = attach(ticket, "screen.png", png_bytes(), "image/png")
    log = attach(ticket, "app.log", b"line\n")
    svg = attach(ticket, "x.svg", b"<svg><script>alert(1)</script></svg>")

    content = personas["reporter"].get(ticket.get_absolute_url()).content.decode()

    assert f'src="{url("attachment-thumbnail", image)}"' in content
    assert f'href="{url("attachment-preview", log)}"' in content
    assert f'href="{url("attachment-download", svg)}"' in content
    assert f'href="{url("attachment-preview", svg)}"' not in content
