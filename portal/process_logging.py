"""Logging in Celery processes: the project's format, start and stop lines.

Celery logs each task's retry ("retry: Retry in 30s: ...") and final failure
(with the traceback) itself, through the "celery.app.trace" logger. These lines
carry the task id as request_id, so they need no extra handler here.
"""

import logging
import logging.config
from typing import Any

from celery import signals

from portal.logging_config import request_id_var

logger = logging.getLogger("portal.lifecycle")


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


@signals.task_prerun.connect
def bind_task_id(task_id: str | None = None, **kwargs: Any) -> None:
    """Tag the task's log lines with its id, as the middleware does for requests."""
    request_id_var.set(task_id or "-")


@signals.task_postrun.connect
def unbind_task_id(**kwargs: Any) -> None:
    request_id_var.set("-")
