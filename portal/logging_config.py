"""Logging for every process: one line per event on stdout, plain or JSON.

Web, worker, beat and gunicorn itself share this configuration, so an operator
reads one format. Each record carries the id of the HTTP request (or Celery
task) it belongs to. This module must import without Django settings, because
gunicorn's config file uses it before Django starts.

Conventions for code that logs:
- ``logger = logging.getLogger(__name__)`` at module level.
- The message is a short lowercase sentence with %-style arguments, and facts a
  machine should read go into ``extra={...}``: ``logger.warning("e-mail delivery
  failed, retrying", extra={"ticket_id": 7, "attempt": 2, "retry_in": 60})``.
- Log ids, never secrets or personal data: no passwords, tokens, e-mail
  addresses or message bodies. Use ``fingerprint()`` to correlate an address.
- Every exception caught and not re-raised gets ``logger.exception(...)`` or
  ``logger.warning(..., exc_info=True)`` with the ids involved.
"""

import contextvars
import hashlib
import hmac
import json
import logging
from datetime import UTC, datetime
from typing import Any

# The id of the request or task being handled, set by RequestIdMiddleware and by
# the Celery task signals; "-" outside of both.
request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar(
    "request_id", default="-"
)

# Attributes every LogRecord has; anything else was passed with extra={...}.
_RECORD_FIELDS = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {
    "message",
    "asctime",
    "request_id",
    "color_message",
}


class RequestIdFilter(logging.Filter):
    """Add ``request_id`` to every record, from the current context."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        for key, value in record.__dict__.items():
            if key not in _RECORD_FIELDS and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class PlainFormatter(logging.Formatter):
    """Format a record as readable text, keeping a traceback on the same line."""

    def __init__(self) -> None:
        super().__init__(
            "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
        )

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):
            record.request_id = "-"
        text = super().format(record)
        extras = {
            key: value
            for key, value in record.__dict__.items()
            if key not in _RECORD_FIELDS and not key.startswith("_")
        }
        if extras:
            text += " " + " ".join(f"{key}={value}" for key, value in extras.items())
        # Escaped newlines keep one event on one line for line-based collectors.
        return text.replace("\n", "\\n")


def build_logging(log_format: str, level: str) -> dict[str, Any]:
    """Return a dictConfig for stdout in ``log_format`` ("plain" or "json")."""
    formatter = JsonFormatter if log_format == "json" else PlainFormatter
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {"default": {"()": formatter}},
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "default",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["stdout"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            # RequestIdMiddleware logs every request once, so Django's own
            # "Not Found: /x" warnings would only repeat it. Errors stay.
            "django.request": {"level": "ERROR"},
            "django.server": {"level": "WARNING"},
            # Gunicorn adds its own handlers to these loggers unless they are set here.
            "gunicorn.error": {"handlers": [], "propagate": True},
            "gunicorn.access": {"handlers": [], "propagate": False},
        },
    }


LOG_FORMATS = ("plain", "json")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def read_log_settings() -> tuple[str, str]:
    """Read LOG_FORMAT and LOG_LEVEL; raise ImproperlyConfigured on bad values."""
    from django.core.exceptions import ImproperlyConfigured

    from portal.env import env_choice, env_str

    log_format = env_choice("LOG_FORMAT", "plain", LOG_FORMATS)
    level = env_str("LOG_LEVEL", "INFO").upper()
    if level not in LOG_LEVELS:
        raise ImproperlyConfigured(
            f"LOG_LEVEL={level!r} is not one of {', '.join(LOG_LEVELS)}."
        )
    return log_format, level


def logging_from_environment() -> dict[str, Any]:
    """Build the same configuration as the settings do, for gunicorn's config."""
    return build_logging(*read_log_settings())


def fingerprint(value: str) -> str:
    """Return a short keyed hash of ``value``, e.g. an e-mail address, for logs.

    The same address always gives the same fingerprint on one installation, so
    repeated failed logins can be correlated without writing the address down.
    The key is SECRET_KEY, so nobody can confirm a guessed address from the logs.
    """
    from django.conf import settings

    key = settings.SECRET_KEY.encode()
    digest = hmac.new(key, value.strip().lower().encode(), hashlib.sha256)
    return digest.hexdigest()[:16]
