"""Convert descriptions and comment bodies written as plain text into HTML.

Rows that already start with a tag are left alone. The conversion escapes
the text, so nothing that was typed before rich text existed becomes markup.
"""

from django.db import migrations

from tickets.richtext import html_to_text, looks_like_html, text_to_html

BATCH_SIZE = 500


def _convert(queryset, field: str, convert, wants_html: bool) -> None:
    changed = []
    for row in queryset.only("pk", field).iterator(chunk_size=BATCH_SIZE):
        value = getattr(row, field)
        if not value or looks_like_html(value) == wants_html:
            continue
        setattr(row, field, convert(value))
        changed.append(row)
        if len(changed) >= BATCH_SIZE:
            queryset.model.objects.bulk_update(changed, [field])
            changed = []
    if changed:
        queryset.model.objects.bulk_update(changed, [field])


def forwards(apps, schema_editor):
    Ticket = apps.get_model("tickets", "Ticket")
    Comment = apps.get_model("tickets", "Comment")
    _convert(Ticket.objects.all(), "description", text_to_html, wants_html=True)
    _convert(Comment.objects.all(), "body", text_to_html, wants_html=True)


def backwards(apps, schema_editor):
    Ticket = apps.get_model("tickets", "Ticket")
    Comment = apps.get_model("tickets", "Comment")
    _convert(Ticket.objects.all(), "description", html_to_text, wants_html=False)
    _convert(Comment.objects.all(), "body", html_to_text, wants_html=False)


class Migration(migrations.Migration):
    dependencies = [("tickets", "0008_rich_text_and_staged_uploads")]

    operations = [migrations.RunPython(forwards, backwards)]
