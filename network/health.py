"""/healthz: whether this app server can reach what it needs, for load balancers and monitoring."""

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
    # A value of this request's own, so a stale entry cannot pass for a working cache.
    key, value = "healthz", uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    return cache.get(key) == value


CHECKS = {"database": check_database, "cache": check_cache}


def run_check(name, check):
    try:
        return check()
    except Exception:
        logger.exception("Health check %s failed", name)
        return False


@never_cache
def healthz(request):
    results = {name: "ok" if run_check(name, check) else "failed" for name, check in CHECKS.items()}
    failed = [name for name, result in results.items() if result != "ok"]
    return JsonResponse(
        {"status": "failed" if failed else "ok", "failed": failed, "checks": results},
        status=503 if failed else 200,
    )
