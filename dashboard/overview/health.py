"""Probes for orchestrators: /healthz (the process answers) and /readyz (it can do its job:
database, broker and platform reachable). Unauthenticated; they name no host, URL or secret."""

import time
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.access import public
from dashboard.platforms.connextlive import ConnextliveClient
from dashboard.platforms.errors import PlatformError, PlatformUnavailable

BROKER_TIMEOUT_SECONDS = 2.0


@public
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@public
@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    checks = {
        "database": run_check(check_database),
        "broker": run_check(check_broker),
        "platform": run_check(check_platform),
    }
    ready = all(check["status"] == "ok" for check in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "fail", "checks": checks}, status=200 if ready else 503
    )


def run_check(check: Callable[[], None]) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        check()
    except PlatformError as error:
        result: dict[str, Any] = {"status": "fail", "error": str(error)}
    except Exception as error:  # a probe reports every failure; the class name leaks nothing
        result = {"status": "fail", "error": type(error).__name__}
    else:
        result = {"status": "ok"}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_broker() -> None:
    from dashboard.celery import app  # imported late: only this probe needs Celery

    with app.connection_for_write(connect_timeout=BROKER_TIMEOUT_SECONDS) as broker:
        broker.ensure_connection(max_retries=1, interval_start=0, timeout=BROKER_TIMEOUT_SECONDS)


def check_platform() -> None:
    """Reachable means it answers HTTP: without a token any answer but 5xx or no answer will do."""
    try:
        probe = ConnextliveClient.from_settings().with_options(max_retries=0, timeout=2.0)
        probe.tenant.get_workspace()
    except PlatformUnavailable:
        raise
    except PlatformError:
        return  # 401 without a token: the platform is up
