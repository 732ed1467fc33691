import os

from celery import Celery

# Connects the log set-up and the worker's start and stop lines to Celery signals.
from portal import process_logging  # noqa: F401

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
