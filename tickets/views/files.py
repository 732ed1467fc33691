"""Attachment downloads, previews and thumbnails, all behind the access rule.

Only PNG, JPEG, GIF and WebP images are ever served inline, and only after
Pillow recognised them at upload. Text files are shown HTML-escaped inside a
portal page. Everything else, HTML and SVG always among it, is sent as a
download with X-Content-Type-Options: nosniff and a sandboxing
Content-Security-Policy.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from portal.sendfile import private_file_response
from tickets.filetypes import read_text_preview
from tickets.models import Attachment
from tickets.selectors import attachment_list_visible, ticket_get_visible


def _get_attachment(request: HttpRequest, key: str, attachment_id: int) -> Attachment:
    ticket = ticket_get_visible(user=request.user, key=key)
    attachment = get_object_or_404(
        attachment_list_visible(user=request.user, ticket=ticket), pk=attachment_id
    )
    attachment.ticket = ticket
    return attachment


@login_required
@require_GET
def attachment_download(
    request: HttpRequest, key: str, attachment_id: int
) -> HttpResponseBase:
    attachment = _get_attachment(request, key, attachment_id)
    return private_file_response(attachment.file, filename=attachment.original_name)


@login_required
@require_GET
def attachment_preview(
    request: HttpRequest, key: str, attachment_id: int
) -> HttpResponse:
    """Show an image or a text file in a portal page; download anything else."""
    attachment = _get_attachment(request, key, attachment_id)
    kind = attachment.preview_kind
    if kind == "download":
        return redirect(attachment.get_absolute_url())

    context = {"ticket": attachment.ticket, "attachment": attachment, "kind": kind}
    if kind == "text":
        limit = settings.ATTACHMENT_TEXT_PREVIEW_MAX_SIZE
        try:
            with attachment.file.open("rb") as handle:
                lines, truncated = read_text_preview(handle, limit)
        except FileNotFoundError:
            raise Http404("The file is missing from storage.") from None
        context.update(lines=lines, truncated=truncated, limit=limit)
    response = render(request, "tickets/attachment_preview.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def attachment_inline(
    request: HttpRequest, key: str, attachment_id: int
) -> HttpResponseBase:
    """Serve a recognised image for an <img> tag; other files are not found here."""
    attachment = _get_attachment(request, key, attachment_id)
    if attachment.preview_kind != "image":
        raise Http404("This file has no inline view.")
    return private_file_response(
        attachment.file,
        filename=attachment.original_name,
        content_type=attachment.content_type,
        as_attachment=False,
    )


@login_required
@require_GET
def attachment_thumbnail(
    request: HttpRequest, key: str, attachment_id: int
) -> HttpResponseBase:
    attachment = _get_attachment(request, key, attachment_id)
    if not attachment.thumbnail:
        raise Http404("This file has no thumbnail.")
    return private_file_response(
        attachment.thumbnail,
        filename="thumbnail.png",
        content_type="image/png",
        as_attachment=False,
    )
