"""Gunicorn settings for the web container: ``gunicorn -c python:portal.gunicorn_conf``.

Values come from the environment so the same image serves small and large
set-ups.
"""

import logging

from portal.env import env_int, env_str
from portal.logging_config import logging_from_environment

bind = env_str("GUNICORN_BIND", "0.0.0.0:8000")  # noqa: S104 - inside a container
workers = env_int("WEB_CONCURRENCY", 3, minimum=1)
threads = env_int("GUNICORN_THREADS", 1, minimum=1)
timeout = env_int("GUNICORN_TIMEOUT", 60, minimum=1)
graceful_timeout = 30
# Uploads and slow clients are buffered by the front proxy in production; this
# caps how long an idle keep-alive connection keeps a worker busy.
keepalive = 5
# RequestIdMiddleware writes one line per request, so gunicorn's access log
# would only repeat it without the request id.
accesslog = None
errorlog = "-"
logconfig_dict = logging_from_environment()
# Workers start from the loaded app, which saves memory and start-up time.
preload_app = True
worker_tmp_dir = env_str("GUNICORN_WORKER_TMP_DIR") or None
# The control socket (gunicorn 24+) would live in the home folder, which is
# read-only in the image; nothing here uses it.
control_socket_disable = True

logger = logging.getLogger("portal.lifecycle")


def when_ready(server) -> None:
    logger.info(
        "web server started",
        extra={"bind": ",".join(server.cfg.bind), "workers": server.cfg.workers},
    )


def on_exit(server) -> None:
    logger.info("web server stopped")


def worker_abort(worker) -> None:
    logger.error(
        "web worker %s aborted after timeout", worker.pid, extra={"pid": worker.pid}
    )
