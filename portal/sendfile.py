"""Responses for private files, such as attachments, after the view's access check.

Uploaded files have no public URL. A view first checks that the user may see
the file, then returns ``private_file_response(...)``. By default Django streams
the file itself. With ``MEDIA_SERVING`` set to ``x-accel-redirect`` (nginx) or
``x-sendfile`` (Apache mod_xsendfile, lighttpd), Django returns only headers and
the front proxy sends the file, which frees the gunicorn worker at once.
"""

from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import Storage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

# Downloaded files come from customers, so a browser must never run them as a
# page of the portal: no sniffing, no scripts, no plugins, own origin.
FILE_CSP = "default-src 'none'; sandbox"


def private_file_response(
    file: FieldFile,
    *,
    filename: str,
    content_type: str = "application/octet-stream",
    as_attachment: bool = True,
    max_age: int | None = None,
) -> HttpResponseBase:
    """Build the response that sends ``file`` to a user who passed the access check.

    ``as_attachment=False`` shows the file inline, e.g. an image preview; pass a
    safe ``content_type`` then. ``max_age`` lets the browser keep the file
    private in its cache for that many seconds; without it nothing is cached.
    Raises Http404 when the file is missing from storage.
    """
    mode = settings.MEDIA_SERVING
    storage: Storage = file.storage
    if mode == "django":
        try:
            handle = file.open("rb")
        except FileNotFoundError:
            raise Http404("The file is missing from storage.") from None
        response: HttpResponseBase = FileResponse(
            handle,
            as_attachment=as_attachment,
            filename=filename,
            content_type=content_type,
        )
    else:
        if not storage.exists(file.name):
            raise Http404("The file is missing from storage.")
        response = HttpResponse(content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment, filename
        )
        if mode == "x-accel-redirect":
            prefix = settings.MEDIA_X_ACCEL_PREFIX.rstrip("/")
            response["X-Accel-Redirect"] = f"{prefix}/{quote(file.name)}"
        else:
            # NOTE: X-Sendfile needs a storage on the local disk (storage.path);
            # object storages such as S3 raise NotImplementedError here.
            response["X-Sendfile"] = storage.path(file.name)

    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    if max_age is None:
        response["Cache-Control"] = "private, no-store"
    else:
        response["Cache-Control"] = f"private, max-age={max_age}"
    return response
