"""/healthz: whether this app server can serve pages, for load balancers and monitoring.

It answers 200 while the server can serve pages and 503 when it cannot: only the database is
essential. A shared cache that fails is reported as degraded, with a 200 and a log line, since
pages are then built afresh instead of failing; taking every server out of the load balancer for
it would turn a slower site into none. A check builds no page.
"""

import logging
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def check_cache():
    # A key and value of this check's own: a stale entry cannot pass for a working cache, and
    # checks running at once, on this server or another sharing the cache, cannot overwrite it.
    key, value = f"healthz:{uuid.uuid4().hex}", "ok"
    cache.set(key, value, timeout=10)
    try:
        return cache.get(key) == value
    finally:
        cache.delete(key)


def passes(name, check):
    try:
        return check()
    except Exception:
        logger.exception("Health check %s failed", name)
        return False


@never_cache
def healthz(request):
    database = "ok" if passes("database", check_database) else "failed"
    cache_state = "ok" if passes("cache", check_cache) else "degraded"
    if cache_state == "degraded":
        logger.warning("Health check: the cache is not working; pages are built without it")
    failed = ["database"] if database == "failed" else []
    status = "failed" if failed else "ok" if cache_state == "ok" else "degraded"
    return JsonResponse(
        {"status": status, "failed": failed, "checks": {"database": database, "cache": cache_state}},
        status=503 if failed else 200,
    )
