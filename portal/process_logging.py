"""Logging in Celery processes: the project's format, start and stop lines.

Celery logs each task's retry ("retry: Retry in 30s: ...") and final failure
(with the traceback) itself, through the "celery.app.trace" logger. These lines
carry the request id (see bind_request_id), so they need no extra handler here.
"""

import logging
import logging.config
from typing import Any

from celery import signals

from portal.logging_config import request_id_var

logger = logging.getLogger("portal.lifecycle")

# Message header that carries the id of the HTTP request which queued a task.
REQUEST_ID_HEADER = "portal_request_id"


@signals.setup_logging.connect
def configure_logging(**kwargs: Any) -> None:
    """Use the project's LOGGING in Celery processes instead of Celery's own format."""
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)


@signals.worker_ready.connect
def log_worker_ready(sender: Any = None, **kwargs: Any) -> None:
    logger.info(
        "worker started",
        extra={
            "hostname": getattr(sender, "hostname", None),
            "concurrency": getattr(
                getattr(sender, "controller", None), "concurrency", None
            ),
        },
    )


@signals.worker_shutdown.connect
def log_worker_shutdown(sender: Any = None, **kwargs: Any) -> None:
    logger.info("worker stopped", extra={"hostname": getattr(sender, "hostname", None)})


@signals.beat_init.connect
def log_beat_init(sender: Any = None, **kwargs: Any) -> None:
    logger.info("beat started")


@signals.before_task_publish.connect
def attach_request_id(headers: dict | None = None, **kwargs: Any) -> None:
    """Send the current request id along with a task queued during a request."""
    request_id = request_id_var.get()
    if headers is not None and request_id != "-":
        headers.setdefault(REQUEST_ID_HEADER, request_id)


@signals.task_prerun.connect
def bind_request_id(
    task_id: str | None = None, task: Any = None, **kwargs: Any
) -> None:
    """Tag the task's log lines with the id of the request that queued it.

    A task queued outside a request (beat, shell) is tagged with its own id.
    """
    origin = getattr(getattr(task, "request", None), REQUEST_ID_HEADER, None)
    request_id_var.set(origin or task_id or "-")


@signals.task_postrun.connect
def unbind_request_id(**kwargs: Any) -> None:
    request_id_var.set("-")
