"""Staging endpoints: files uploaded while a request or comment form is open.

The browser uploads each file here with a progress bar and puts the returned
id into the form; sending the form turns staged uploads into attachments.
"""

import uuid

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tickets.services import staged_upload_create, staged_upload_delete


@login_required
@require_POST
def upload_stage(request: HttpRequest) -> JsonResponse:
    upload = request.FILES.get("file")
    if upload is None:
        return JsonResponse({"errors": [_("No file was sent.")]}, status=400)
    try:
        staged = staged_upload_create(owner=request.user, upload=upload)
    except ValidationError as error:
        return JsonResponse({"errors": error.messages}, status=400)
    return JsonResponse(
        {
            "id": str(staged.pk),
            "name": staged.original_name,
            "size": staged.size,
            "content_type": staged.content_type,
        },
        status=201,
    )


@login_required
@require_POST
def upload_discard(request: HttpRequest, staged_id: uuid.UUID) -> JsonResponse:
    if not staged_upload_delete(owner=request.user, staged_id=staged_id):
        return JsonResponse({"errors": [_("No such file.")]}, status=404)
    return JsonResponse({"deleted": str(staged_id)})
