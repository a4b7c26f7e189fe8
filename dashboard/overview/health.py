"""Probes for orchestrators: /healthz (the process answers) and /readyz (it can do its job:
database, broker and platform reachable, and a worker that runs tasks: one whose heartbeat is
fresher than JOBS_WORKER_STALE_SECONDS, dashboard/jobs/liveness.py). Unauthenticated; they name
no host, URL or secret.

/healthz does nothing but answer. /readyz reuses its platform check for
READYZ_PLATFORM_CHECK_SECONDS (probes come every few seconds from every orchestrator: the
platform should not get a call for each), and says which check failed, and why, only to a
caller on this machine (loopback, after AUDIT_TRUSTED_PROXIES) or one that presents READYZ_TOKEN
as a bearer token; everyone else gets the status alone.
"""

import hmac
import ipaddress
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.access import public
from dashboard.audit.log import client_ip
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
        "platform": PLATFORM_CHECK.result(),
        "worker": run_check(check_worker),
    }
    ready = all(check["status"] == "ok" for check in checks.values())
    body: dict[str, Any] = {"status": "ok" if ready else "fail"}
    if may_see_details(request):
        body["checks"] = checks
    return JsonResponse(body, status=200 if ready else 503)


def may_see_details(request: HttpRequest) -> bool:
    """A caller on this machine, or one that presents READYZ_TOKEN (compared in constant time)."""
    address = client_ip(request)
    if address is not None and ipaddress.ip_address(address).is_loopback:
        return True
    token = settings.READYZ_TOKEN
    presented = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    return bool(token and presented) and hmac.compare_digest(presented.encode(), token.encode())


class CachedCheck:
    """One check's result, reused for a few seconds. Callers that arrive while it runs wait for
    it rather than each calling the platform."""

    def __init__(self, check: Callable[[], None], seconds: Callable[[], float]) -> None:
        self._check = check
        self._seconds = seconds
        self._lock = threading.Lock()
        self._result: dict[str, Any] | None = None
        self._checked_at = 0.0
        self._key: object = None

    def result(self) -> dict[str, Any]:
        key = settings.PLATFORM_URL  # a new platform is a new question
        with self._lock:
            age = time.monotonic() - self._checked_at
            if self._result is not None and self._key == key and 0 <= age < self._seconds():
                return {**self._result, "cached": True}
            self._result = run_check(self._check)
            self._checked_at, self._key = time.monotonic(), key
            return self._result

    def forget(self) -> None:
        with self._lock:
            self._result = None


def run_check(check: Callable[[], None]) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        check()
    except (PlatformError, NoWorker) as error:
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


class NoWorker(Exception):
    """No worker has run a task lately: jobs, broadcasts and reports would wait forever."""


def check_worker() -> None:
    from dashboard.jobs import liveness
    from dashboard.jobs.conf import setting

    if not liveness.fresh_workers():
        limit = int(setting("JOBS_WORKER_STALE_SECONDS"))
        raise NoWorker(f"no worker has run a task in the last {limit} s: start one")


def check_platform() -> None:
    """Reachable means it answers HTTP: without a token any answer but 5xx or no answer will do."""
    try:
        probe = ConnextliveClient.from_settings().with_options(max_retries=0, timeout=2.0)
        probe.tenant.get_workspace()
    except PlatformUnavailable:
        raise
    except PlatformError:
        return  # 401 without a token: the platform is up


PLATFORM_CHECK = CachedCheck(check_platform, lambda: settings.READYZ_PLATFORM_CHECK_SECONDS)
