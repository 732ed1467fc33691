"""Invisible text and bidirectional controls in names, summaries and file names."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User
from portal.text import has_visible_characters, strip_bidi_controls
from tests.conftest import login
from tickets.models import Attachment, Priority, SavedFilter, StagedUpload, Ticket
from tickets.services import attachment_create

pytestmark = pytest.mark.django_db

PROFILE = reverse("accounts:profile")
SAVED_FILTER_ADD = reverse("tickets:saved-filter-add")
STAGE_URL = reverse("tickets:upload-stage")

# Text that renders as nothing: zero-width space, non-joiner and joiner, word
# joiner, byte order mark, soft hyphen, Hangul filler, and mixes with spaces.
INVISIBLE_TEXT = {
    "zero-width-space": "\u200b",
    "zero-width-non-joiner": "\u200c",
    "zero-width-joiner": "\u200d",
    "word-joiner": "\u2060",
    "byte-order-mark": "\ufeff",
    "soft-hyphen": "\u00ad",
    "hangul-filler": "\u3164",
    "mixed-with-spaces": " \u200b\u3000\u200d\u00a0\ufeff ",
    "bidi-and-zero-width": "\u202e\u200b\u2066",
}

# Whitespace only, including the ideographic space, is stripped to nothing.
BLANK_TEXT = {
    "spaces": "   ",
    "ideographic-space": "\u3000\u3000",
    "tab-and-newline": "\t\n",
}

VISIBLE_TEXT = {
    "umlauts": "Größe ändert sich beim Export",
    "cjk": "导出到PDF失败",
    "emoji": "Export fails 🚀",
    "emoji-zwj-sequence": "👩\u200d💻 cannot sign in",
    "emoji-variation-selector": "❤\ufe0f",
    "arabic-with-mark": "خطأ\u200f 500",
    "single-letter": "x",
}

# (typed, stored): every bidi override and isolate control is removed.
BIDI_TEXT = {
    "right-to-left-override": ("invoice\u202efdp.exe", "invoicefdp.exe"),
    "left-to-right-override": ("a\u202db\u202cc", "abc"),
    "embeddings": ("\u202aone\u202b two\u202c", "one two"),
    "isolates": (
        "\u2066left\u2069 \u2067right\u2069 \u2068first\u2069",
        "left right first",
    ),
}


def post_request(client, request_type, summary: str, **fields):
    data = {
        "summary": summary,
        "priority": Priority.NORMAL,
        "sharing": "private",
        **fields,
    }
    return client.post(request_type.get_absolute_url(), data)


def profile_data(full_name: str, language: str = "en") -> dict[str, str]:
    return {"full_name": full_name, "language": language, "time_zone": "Europe/Berlin"}


# Helpers


@pytest.mark.parametrize("text", INVISIBLE_TEXT.values(), ids=INVISIBLE_TEXT.keys())
def test_invisible_text_has_no_visible_characters(text):
    assert has_visible_characters(text) is False


@pytest.mark.parametrize("text", VISIBLE_TEXT.values(), ids=VISIBLE_TEXT.keys())
def test_unicode_text_has_visible_characters(text):
    assert has_visible_characters(text) is True


@pytest.mark.parametrize("typed, stored", BIDI_TEXT.values(), ids=BIDI_TEXT.keys())
def test_strip_bidi_controls(typed, stored):
    assert strip_bidi_controls(typed) == stored


# Request summary


@pytest.mark.parametrize("summary", INVISIBLE_TEXT.values(), ids=INVISIBLE_TEXT.keys())
def test_request_rejects_invisible_summary(personas, request_type, summary):
    response = post_request(personas["reporter"], request_type, summary)

    assert response.status_code == 400
    assert response.context["form"].errors["summary"] == [
        "Enter a summary with visible characters."
    ]
    assert "Enter a summary with visible characters." in response.text
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("summary", BLANK_TEXT.values(), ids=BLANK_TEXT.keys())
def test_request_rejects_blank_summary(personas, request_type, summary):
    response = post_request(personas["reporter"], request_type, summary)

    assert response.status_code == 400
    assert response.context["form"].errors["summary"] == ["This field is required."]
    assert not Ticket.objects.exists()


def test_request_invisible_summary_error_in_german(personas, request_type, reporter):
    reporter.language = "de"
    reporter.save()

    response = post_request(personas["reporter"], request_type, "\u200b\u200b")

    assert response.status_code == 400
    assert response.context["form"].errors["summary"] == [
        "Geben Sie eine Zusammenfassung mit sichtbaren Zeichen ein."
    ]


@pytest.mark.parametrize("summary", VISIBLE_TEXT.values(), ids=VISIBLE_TEXT.keys())
def test_request_accepts_unicode_summary(personas, request_type, summary):
    response = post_request(personas["reporter"], request_type, summary)

    assert response.status_code == 302
    assert Ticket.objects.get().summary == summary


@pytest.mark.parametrize("typed, stored", BIDI_TEXT.values(), ids=BIDI_TEXT.keys())
def test_request_summary_loses_bidi_controls(personas, request_type, typed, stored):
    response = post_request(personas["reporter"], request_type, typed)

    assert response.status_code == 302
    assert Ticket.objects.get().summary == stored


def test_request_summary_of_bidi_controls_only(personas, request_type):
    response = post_request(personas["reporter"], request_type, "\u202e\u2066 \u2069")

    assert response.status_code == 400
    assert response.context["form"].errors["summary"] == ["This field is required."]
    assert not Ticket.objects.exists()


# Saved filter name


@pytest.mark.parametrize("name", INVISIBLE_TEXT.values(), ids=INVISIBLE_TEXT.keys())
def test_saved_filter_rejects_invisible_name(personas, reporter, name):
    response = personas["reporter"].post(
        SAVED_FILTER_ADD, {"name": name, "query_string": "scope=all"}, follow=True
    )

    messages = [str(message) for message in response.context["messages"]]
    assert messages == ["Give the filter a name with visible characters."]
    assert not SavedFilter.objects.filter(user=reporter).exists()


def test_saved_filter_keeps_unicode_name(personas, reporter):
    personas["reporter"].post(
        SAVED_FILTER_ADD, {"name": "Offene Fehler 🐞 导出", "query_string": ""}
    )

    assert SavedFilter.objects.get(user=reporter).name == "Offene Fehler 🐞 导出"


def test_saved_filter_name_loses_bidi_controls(personas, reporter):
    personas["reporter"].post(
        SAVED_FILTER_ADD, {"name": "Mine\u202e sgub", "query_string": ""}
    )

    assert SavedFilter.objects.get(user=reporter).name == "Mine sgub"


def test_saved_filter_rename_rejects_invisible_name(personas, reporter):
    saved = SavedFilter.objects.create(user=reporter, name="Mine", query_string="")
    url = reverse("tickets:saved-filter-rename", args=[saved.pk])

    response = personas["reporter"].post(url, {"name": "\u200b\u00ad"}, follow=True)

    messages = [str(message) for message in response.context["messages"]]
    assert messages == ["Give the filter a name with visible characters."]
    saved.refresh_from_db()
    assert saved.name == "Mine"


def test_saved_filter_rename_loses_bidi_controls(personas, reporter):
    saved = SavedFilter.objects.create(user=reporter, name="Mine", query_string="")
    url = reverse("tickets:saved-filter-rename", args=[saved.pk])

    personas["reporter"].post(url, {"name": "\u2067Renamed\u2069"})

    saved.refresh_from_db()
    assert saved.name == "Renamed"


def test_saved_filter_long_name_message(personas, reporter):
    response = personas["reporter"].post(
        SAVED_FILTER_ADD, {"name": "x" * 101, "query_string": ""}, follow=True
    )

    messages = [str(message) for message in response.context["messages"]]
    assert messages == ["Give the filter a name of up to 100 characters."]


# Display name


@pytest.mark.parametrize("name", INVISIBLE_TEXT.values(), ids=INVISIBLE_TEXT.keys())
def test_profile_rejects_invisible_display_name(personas, reporter, name):
    response = personas["reporter"].post(PROFILE, profile_data(name))

    assert response.status_code == 400
    assert response.context["profile_form"].errors["full_name"] == [
        "Enter a name with visible characters, or leave the field empty."
    ]
    reporter.refresh_from_db()
    assert reporter.full_name == "Clara Customer"


def test_profile_invisible_display_name_error_in_german(personas, reporter):
    reporter.language = "de"
    reporter.save()

    response = personas["reporter"].post(PROFILE, profile_data("\u2060", "de"))

    assert response.status_code == 400
    assert response.context["profile_form"].errors["full_name"] == [
        "Geben Sie einen Namen mit sichtbaren Zeichen ein oder lassen Sie das "
        "Feld leer."
    ]


def test_profile_allows_empty_display_name(personas, reporter):
    response = personas["reporter"].post(PROFILE, profile_data("   "))

    assert response.status_code == 302
    reporter.refresh_from_db()
    assert reporter.full_name == ""


@pytest.mark.parametrize("name", VISIBLE_TEXT.values(), ids=VISIBLE_TEXT.keys())
def test_profile_keeps_unicode_display_name(personas, reporter, name):
    response = personas["reporter"].post(PROFILE, profile_data(name))

    assert response.status_code == 302
    reporter.refresh_from_db()
    assert reporter.full_name == name


@pytest.mark.parametrize("typed, stored", BIDI_TEXT.values(), ids=BIDI_TEXT.keys())
def test_profile_display_name_loses_bidi_controls(personas, reporter, typed, stored):
    response = personas["reporter"].post(PROFILE, profile_data(typed))

    assert response.status_code == 302
    reporter.refresh_from_db()
    assert reporter.full_name == stored


def test_signup_rejects_invisible_name(settings, client):
    settings.SIGNUP_ENABLED = True

    response = client.post(
        reverse("accounts:signup"),
        {"email": "fresh@gamma.example", "full_name": "\u200b\u200c"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["full_name"] == [
        "Enter a name with visible characters."
    ]
    assert not User.objects.filter(email="fresh@gamma.example").exists()


def test_signup_name_loses_bidi_controls(settings, client, on_commit):
    settings.SIGNUP_ENABLED = True

    with on_commit(execute=True):
        client.post(
            reverse("accounts:signup"),
            {"email": "fresh@gamma.example", "full_name": "Fred \u202eFresh"},
        )

    assert User.objects.get(email="fresh@gamma.example").full_name == "Fred Fresh"


# Attachment file names

SPOOFED_NAME = "invoice\u202efdp.exe"
SAFE_NAME = "invoicefdp.exe"


def assert_disposition_without_bidi(response) -> None:
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f'filename="{SAFE_NAME}"' in disposition
    assert "\u202e" not in disposition
    # Percent-encoded UTF-8 of U+202E, as in a filename*= parameter.
    assert "%E2%80%AE" not in disposition.upper()


def test_uploaded_file_name_loses_bidi_controls(personas, request_type):
    upload = SimpleUploadedFile(SPOOFED_NAME, b"MZ not really", "text/plain")

    response = post_request(
        personas["reporter"], request_type, "Invoice", attachments=[upload]
    )

    attachment = Attachment.objects.get()
    assert response.status_code == 302
    assert attachment.original_name == SAFE_NAME
    download = personas["reporter"].get(attachment.get_absolute_url())
    assert download.status_code == 200
    assert_disposition_without_bidi(download)


def test_staged_file_name_loses_bidi_controls(personas, request_type):
    name = "\u2066report\u2069\u2067.txt\u2069"
    staged = personas["reporter"].post(
        STAGE_URL, {"file": SimpleUploadedFile(name, b"log", "text/plain")}
    )

    assert staged.status_code == 201
    assert staged.json()["name"] == "report.txt"
    assert StagedUpload.objects.get().original_name == "report.txt"


def test_admin_file_rename_loses_bidi_controls(superuser, ticket, reporter):
    upload = SimpleUploadedFile("invoice.pdf", b"%PDF-1.4", "application/pdf")
    attachment = attachment_create(ticket=ticket, uploaded_by=reporter, upload=upload)
    client = login(superuser)

    response = client.post(
        reverse("admin:tickets_attachment_change", args=[attachment.pk]),
        {
            "ticket": ticket.pk,
            "comment": "",
            "original_name": SPOOFED_NAME,
            "uploaded_by": reporter.pk,
        },
    )

    assert response.status_code == 302
    attachment.refresh_from_db()
    assert attachment.original_name == SAFE_NAME
    download = login(reporter).get(attachment.get_absolute_url())
    assert_disposition_without_bidi(download)
