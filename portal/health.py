"""Probes for load balancers and orchestrators: /healthz and /readyz.

Both return a bare status and no details, because they are public. The
reason for a failed readiness check goes to the log instead.
"""

import logging

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

# Seconds each dependency may take to respond before the probe fails.
PROBE_TIMEOUT = 2

_migrations_applied = False


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Report that the process is alive and serving requests."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Report whether the database and Redis respond and all migrations are applied."""
    failed = [
        name
        for name, check in (
            ("database", _check_database),
            ("migrations", _check_migrations),
            ("redis", _check_redis),
        )
        if not check()
    ]
    if failed:
        logger.warning(
            "readiness check failed: %s", ", ".join(failed), extra={"failed": failed}
        )
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def _check_database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.warning("database is not reachable", exc_info=True)
        return False
    return True


def _check_migrations() -> bool:
    # Once everything is applied, it stays so for this process's code, so the
    # migration graph is loaded only until the first success.
    global _migrations_applied
    if _migrations_applied:
        return True
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        logger.warning("migration state could not be read", exc_info=True)
        return False
    if plan:
        logger.warning(
            "%d migrations are not applied yet", len(plan), extra={"pending": len(plan)}
        )
        return False
    _migrations_applied = True
    return True


def _check_redis() -> bool:
    if not settings.REDIS_URL:
        return True  # No broker configured: tasks run in the web process.
    client = redis.Redis.from_url(
        settings.REDIS_URL,
        socket_connect_timeout=PROBE_TIMEOUT,
        socket_timeout=PROBE_TIMEOUT,
    )
    try:
        client.ping()
    except redis.RedisError:
        logger.warning("Redis is not reachable", exc_info=True)
        return False
    finally:
        client.close()
    return True
