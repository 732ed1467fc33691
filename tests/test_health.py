"""Health probes: /healthz (alive) and /readyz (database, Redis, migrations)."""

import json

import pytest
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client

from portal import health

# A port in this project's range where nothing listens.
CLOSED_REDIS_URL = "redis://127.0.0.1:18899/0"


@pytest.fixture(autouse=True)
def _fresh_migration_check(monkeypatch):
    monkeypatch.setattr(health, "_migrations_applied", False)


def test_healthz_is_ok_without_session():
    response = Client().get("/healthz")

    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok"}
    assert response.cookies == {}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_does_not_redirect_without_slash():
    response = Client().get("/healthz/")

    assert response.status_code == 404


@pytest.mark.django_db
def test_readyz_is_ok_when_services_answer(settings):
    response = Client().get("/readyz")

    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok"}
    assert response.cookies == {}


@pytest.mark.django_db
def test_readyz_fails_when_redis_unreachable(settings, caplog):
    settings.REDIS_URL = CLOSED_REDIS_URL

    response = Client().get("/readyz")

    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "unavailable"}
    assert "readiness check failed: redis" in caplog.text


@pytest.mark.django_db
def test_readyz_fails_with_unapplied_migration(caplog):
    # The newest migration of the app: the readiness check plans towards
    # the leaf migrations, so it sees an unapplied leaf.
    app, name = MigrationLoader(None).graph.leaf_nodes("tickets")[0]
    MigrationRecorder.Migration.objects.filter(app=app, name=name).delete()

    response = Client().get("/readyz")

    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "unavailable"}
    assert "1 migrations are not applied yet" in caplog.text
    assert "readiness check failed: migrations" in caplog.text


@pytest.mark.django_db
def test_readyz_hides_failure_details(settings):
    settings.REDIS_URL = CLOSED_REDIS_URL

    response = Client().get("/readyz")

    assert b"redis" not in response.content.lower()
    assert b"18899" not in response.content


def test_probes_reject_post():
    assert Client().post("/healthz").status_code == 405
    assert Client().post("/readyz").status_code == 405


def test_healthy_probe_is_not_logged(caplog):
    Client().get("/healthz")

    assert not [r for r in caplog.records if r.name == "portal.request"]
