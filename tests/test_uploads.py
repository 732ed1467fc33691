"""Staged uploads, attachments on the request and comment forms, and limits."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from tickets.models import Attachment, StagedUpload, Ticket

pytestmark = pytest.mark.django_db

STAGE_URL = reverse("tickets:upload-stage")
SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(document.cookie)</script><circle r='4'/></svg>"
)
HTML_PAGE = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def png_bytes(width: int = 64, height: int = 48) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (width, height), "teal").save(output, format="PNG")
    return output.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type)


def stage(client, name: str, data: bytes, content_type: str = "text/plain"):
    return client.post(STAGE_URL, {"file": upload(name, data, content_type)})


def form_url(request_type) -> str:
    return request_type.get_absolute_url()


@pytest.mark.parametrize(
    "persona, expected",
    {"reporter": 201, "colleague": 201, "outsider": 201, "agent": 201}.items(),
)
def test_stage_upload_by_persona(personas, persona, expected):
    response = stage(personas[persona], "app.log", b"line 1\nline 2\n")

    assert response.status_code == expected
    data = response.json()
    assert data["name"] == "app.log"
    assert data["size"] == 14
    assert data["content_type"] == "text/plain"
    owner_id = StagedUpload.objects.get(pk=data["id"]).owner_id
    assert str(owner_id) == personas[persona].session["_auth_user_id"]


def test_stage_upload_anonymous_redirects(personas):
    response = stage(personas["anonymous"], "app.log", b"x")

    assert response.status_code == 302
    assert not StagedUpload.objects.exists()


def test_stage_upload_rejects_get(personas):
    assert personas["reporter"].get(STAGE_URL).status_code == 405


def test_stage_upload_without_file(personas):
    response = personas["reporter"].post(STAGE_URL, {})

    assert response.status_code == 400
    assert response.json()["errors"] == ["No file was sent."]


def test_stage_rejects_oversized_file(personas, settings):
    settings.ATTACHMENT_MAX_SIZE = 10

    response = stage(personas["reporter"], "huge.log", b"x" * 11)

    assert response.status_code == 400
    assert response.json()["errors"] == [
        "huge.log is larger than the limit of 10\xa0bytes per file."
    ]
    assert not StagedUpload.objects.exists()


def test_stage_rejects_empty_file(personas):
    response = stage(personas["reporter"], "empty.txt", b"")

    assert response.status_code == 400
    assert response.json()["errors"] == ["empty.txt is empty."]


def test_stage_strips_folders_from_name(personas):
    response = stage(personas["reporter"], "..\\..\\evil.txt", b"payload")

    staged = StagedUpload.objects.get(pk=response.json()["id"])
    assert staged.original_name == "evil.txt"
    assert "evil" not in staged.file.name
    assert ".." not in staged.file.name
    assert staged.file.name.startswith("attachments/")


def test_stage_keeps_unicode_name(personas):
    response = stage(personas["reporter"], "Prüfbericht (final) ü.log", b"ok\n")

    staged = StagedUpload.objects.get(pk=response.json()["id"])
    assert staged.original_name == "Prüfbericht (final) ü.log"
    assert staged.file.name.endswith(".log")
    assert "Pr" not in staged.file.name


def test_stage_shortens_very_long_name(personas):
    name = "Bericht " * 50 + ".log"

    response = stage(personas["reporter"], name, b"ok\n")

    staged = StagedUpload.objects.get(pk=response.json()["id"])
    assert len(staged.original_name) == 255
    assert staged.original_name.endswith(".log")


@pytest.mark.parametrize(
    "name, data, declared, detected",
    [
        ("drawing.svg", SVG_WITH_SCRIPT, "image/svg+xml", "image/svg+xml"),
        ("page.html", HTML_PAGE, "text/html", "text/html"),
        ("screenshot.png", HTML_PAGE, "image/png", "text/html"),
        ("notes.txt", HTML_PAGE, "text/plain", "text/html"),
        ("real.png", None, "text/plain", "image/png"),
        ("data.json", b'{"a": [1, 2]}', "application/octet-stream", "application/json"),
        ("table.csv", b"a;b\n1;2\n", "application/vnd.ms-excel", "text/csv"),
    ],
)
def test_content_type_comes_from_bytes(personas, name, data, declared, detected):
    response = stage(personas["reporter"], name, data or png_bytes(), declared)

    assert response.json()["content_type"] == detected


def test_discard_staged_upload_by_owner(personas):
    staged_id = stage(personas["reporter"], "a.log", b"a").json()["id"]
    staged = StagedUpload.objects.get(pk=staged_id)
    storage, name = staged.file.storage, staged.file.name

    response = personas["reporter"].post(
        reverse("tickets:upload-discard", kwargs={"staged_id": staged_id})
    )

    assert response.status_code == 200
    assert not StagedUpload.objects.filter(pk=staged_id).exists()
    assert not storage.exists(name)


@pytest.mark.parametrize("persona", ["colleague", "outsider", "agent"])
def test_discard_staged_upload_of_other_user(personas, persona):
    staged_id = stage(personas["reporter"], "a.log", b"a").json()["id"]

    response = personas[persona].post(
        reverse("tickets:upload-discard", kwargs={"staged_id": staged_id})
    )

    assert response.status_code == 404
    assert StagedUpload.objects.filter(pk=staged_id).exists()


def test_discard_staged_upload_anonymous(personas):
    staged_id = stage(personas["reporter"], "a.log", b"a").json()["id"]

    response = personas["anonymous"].post(
        reverse("tickets:upload-discard", kwargs={"staged_id": staged_id})
    )

    assert response.status_code == 302
    assert StagedUpload.objects.filter(pk=staged_id).exists()


def test_request_form_attaches_staged_uploads(personas, request_type):
    client = personas["reporter"]
    first = stage(client, "app.log", b"first").json()["id"]
    second = stage(client, "app.log", b"second").json()["id"]

    response = client.post(
        form_url(request_type),
        {
            "summary": "Two logs",
            "priority": 2,
            "sharing": "private",
            "staged": [first, second],
        },
    )

    assert response.status_code == 302
    attachments = list(Ticket.objects.get().attachments.order_by("pk"))
    assert [a.original_name for a in attachments] == ["app.log", "app.log"]
    assert attachments[0].file.name != attachments[1].file.name
    assert [a.file.read() for a in attachments] == [b"first", b"second"]
    assert not StagedUpload.objects.exists()


def test_same_name_twice_in_one_post_both_stay(personas, request_type):
    response = personas["reporter"].post(
        form_url(request_type),
        {
            "summary": "Same names",
            "priority": 2,
            "sharing": "private",
            "attachments": [upload("trace.txt", b"one"), upload("trace.txt", b"two")],
        },
    )

    assert response.status_code == 302
    names = Ticket.objects.get().attachments.values_list("original_name", flat=True)
    assert list(names) == ["trace.txt", "trace.txt"]


def test_request_form_rejects_staged_upload_of_other_user(personas, request_type):
    foreign = stage(personas["colleague"], "secret.log", b"secret").json()["id"]

    response = personas["reporter"].post(
        form_url(request_type),
        {"summary": "Steal", "priority": 2, "sharing": "private", "staged": [foreign]},
    )

    assert response.status_code == 400
    assert "A file added earlier is no longer available." in response.content.decode()
    assert not Ticket.objects.exists()
    assert StagedUpload.objects.get(pk=foreign).owner.email == "colleague@alpha.example"


def test_request_form_rejects_malformed_staged_id(personas, request_type):
    response = personas["reporter"].post(
        form_url(request_type),
        {"summary": "Bad", "priority": 2, "sharing": "private", "staged": ["nope"]},
    )

    assert response.status_code == 400
    assert not Ticket.objects.exists()


def test_staged_upload_cannot_be_used_twice(personas, request_type, make_ticket):
    client = personas["reporter"]
    staged_id = stage(client, "a.log", b"a").json()["id"]
    data = {
        "summary": "Once",
        "priority": 2,
        "sharing": "private",
        "staged": [staged_id],
    }
    client.post(form_url(request_type), data)

    response = client.post(form_url(request_type), data)

    assert response.status_code == 400
    assert Ticket.objects.count() == 1


def test_files_survive_validation_error(personas, request_type):
    client = personas["reporter"]
    staged_id = stage(client, "shot.png", png_bytes(), "image/png").json()["id"]

    response = client.post(
        form_url(request_type),
        {
            "summary": "",
            "priority": 2,
            "sharing": "private",
            "staged": [staged_id],
            "attachments": [upload("server.log", b"log line\n")],
        },
    )

    assert response.status_code == 400
    content = response.content.decode()
    kept = list(StagedUpload.objects.order_by("created_at", "pk"))
    assert [item.original_name for item in kept] == ["shot.png", "server.log"]
    for item in kept:
        assert f'name="staged" value="{item.pk}"' in content
        assert item.original_name in content

    response = client.post(
        form_url(request_type),
        {
            "summary": "Fixed the typo",
            "priority": 2,
            "sharing": "private",
            "staged": [str(item.pk) for item in kept],
        },
    )

    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert sorted(ticket.attachments.values_list("original_name", flat=True)) == [
        "server.log",
        "shot.png",
    ]


def test_total_size_limit_counts_staged_and_sent_files(
    personas, request_type, settings
):
    settings.ATTACHMENT_MAX_TOTAL_SIZE = 10
    client = personas["reporter"]
    staged_id = stage(client, "a.log", b"123456").json()["id"]

    response = client.post(
        form_url(request_type),
        {
            "summary": "Too much",
            "priority": 2,
            "sharing": "private",
            "staged": [staged_id],
            "attachments": [upload("b.log", b"123456")],
        },
    )

    assert response.status_code == 400
    assert (
        "Together the files are 12\xa0bytes, more than the limit of 10\xa0bytes "
        "per request." in response.content.decode()
    )
    assert not Ticket.objects.exists()


def test_file_count_limit(personas, request_type, settings):
    settings.ATTACHMENT_MAX_FILES = 1

    response = personas["reporter"].post(
        form_url(request_type),
        {
            "summary": "Many",
            "priority": 2,
            "sharing": "private",
            "attachments": [upload("a.log", b"a"), upload("b.log", b"b")],
        },
    )

    assert response.status_code == 400
    assert "Attach at most 1 files at once." in response.content.decode()


def test_empty_file_on_form_is_named(personas, request_type):
    response = personas["reporter"].post(
        form_url(request_type),
        {
            "summary": "Empty",
            "priority": 2,
            "sharing": "private",
            "attachments": [upload("nothing.log", b"")],
        },
    )

    assert response.status_code == 400
    assert "nothing.log is empty." in response.content.decode()


def test_comment_attaches_staged_upload(personas, ticket):
    client = personas["reporter"]
    staged_id = stage(client, "more.log", b"more").json()["id"]

    response = client.post(
        reverse("tickets:comment-add", kwargs={"key": ticket.key}),
        {"body": "Here is the log.", "staged": [staged_id]},
    )

    assert response.status_code == 302
    comment = ticket.comments.get()
    assert [a.original_name for a in comment.attachments.all()] == ["more.log"]


def test_comment_rejects_staged_upload_of_other_user(personas, shared_ticket):
    foreign = stage(personas["reporter"], "mine.log", b"mine").json()["id"]

    response = personas["colleague"].post(
        reverse("tickets:comment-add", kwargs={"key": shared_ticket.key}),
        {"body": "Taking it", "staged": [foreign]},
    )

    assert response.status_code == 400
    assert not shared_ticket.comments.exists()


def test_comment_keeps_files_after_validation_error(personas, ticket):
    response = personas["reporter"].post(
        reverse("tickets:comment-add", kwargs={"key": ticket.key}),
        {"body": "", "attachments": [upload("kept.log", b"kept")]},
    )

    assert response.status_code == 400
    staged = StagedUpload.objects.get()
    assert staged.original_name == "kept.log"
    assert f'value="{staged.pk}"' in response.content.decode()


def test_image_attachment_gets_thumbnail(make_ticket, reporter):
    ticket = make_ticket(files=[upload("big.png", png_bytes(1600, 1200), "image/png")])

    attachment = ticket.attachments.get()
    assert attachment.content_type == "image/png"
    with attachment.thumbnail.open("rb") as handle, Image.open(handle) as image:
        assert image.format == "PNG"
        assert image.size == (320, 240)


def test_fake_png_gets_no_thumbnail(make_ticket):
    ticket = make_ticket(files=[upload("fake.png", HTML_PAGE, "image/png")])

    attachment = ticket.attachments.get()
    assert attachment.content_type == "text/html"
    assert not attachment.thumbnail


def test_cleanup_deletes_only_expired_staged_uploads(personas, settings):
    settings.ATTACHMENT_STAGING_MAX_AGE = 3600
    old_id = stage(personas["reporter"], "old.log", b"old").json()["id"]
    new_id = stage(personas["reporter"], "new.log", b"new").json()["id"]
    old = StagedUpload.objects.get(pk=old_id)
    storage, old_name = old.file.storage, old.file.name
    StagedUpload.objects.filter(pk=old_id).update(
        created_at=timezone.now() - timedelta(hours=2)
    )
    output = io.StringIO()

    call_command("cleanup_staged_uploads", stdout=output)

    assert output.getvalue().strip() == "Deleted 1 expired staged uploads."
    assert list(StagedUpload.objects.values_list("pk", flat=True)) == [
        StagedUpload.objects.get(pk=new_id).pk
    ]
    assert not storage.exists(old_name)


def test_attachment_ids_of_other_requests_cannot_be_fetched(
    personas, make_ticket, colleague
):
    other = make_ticket(reporter=colleague, files=[upload("theirs.log", b"x")])
    mine = make_ticket()
    attachment = other.attachments.get()

    response = personas["reporter"].get(
        reverse(
            "tickets:attachment-download",
            kwargs={"key": mine.key, "attachment_id": attachment.pk},
        )
    )

    assert response.status_code == 404
    assert Attachment.objects.count() == 1
