"""Request id and one log line per request."""

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest
from django.http.response import HttpResponseBase

from portal.logging_config import request_id_var

logger = logging.getLogger("portal.request")

REQUEST_ID_HEADER = "X-Request-ID"
# An id from a front proxy is kept when it is short and harmless in a log line
# and a header: letters, digits and . _ : - only.
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
# Probes call these every few seconds; they are logged only when not healthy.
_QUIET_PATHS = frozenset({"/healthz", "/readyz"})


class RequestIdMiddleware:
    """Tag the request with an id, log it when done, and send the id back.

    Place it first in MIDDLEWARE, so every log line of the request, redirects
    and errors included, carries the id.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        if _VALID_REQUEST_ID.fullmatch(incoming):
            request_id = incoming
        else:
            request_id = uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            self._log(request, response, started)
            return response
        finally:
            request_id_var.reset(token)

    def _log(
        self, request: HttpRequest, response: HttpResponseBase, started: float
    ) -> None:
        status = response.status_code
        if request.path in _QUIET_PATHS and status == 200:
            return
        user = getattr(request, "user", None)
        level = logging.INFO
        if status >= 500:
            level = logging.ERROR
        elif status >= 400:
            level = logging.WARNING
        logger.log(
            level,
            "%s %s %s",
            request.method,
            request.path,
            status,
            extra={
                "method": request.method,
                "path": request.path,
                "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": user.pk
                if user is not None and user.is_authenticated
                else None,
            },
        )
