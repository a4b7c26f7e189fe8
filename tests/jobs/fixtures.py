"""Fixtures for tests that need the job engine running: the session's Celery worker
(tests/fixtures/celery_worker.py) with the watchdog beside it, and engine settings scaled for
tests (short leases, a quick watchdog, a generous rate).

Each test that asks for `worker` gets the worker with the watchdog running and, when it ends,
every job still active is cancelled and its runners waited for, so no test's work runs into the
next.
"""

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import close_old_connections
from django.utils import timezone

from dashboard.jobs import liveness, watchdog
from dashboard.jobs.models import Job, RunnerLease

DEADLINE_SECONDS = 60


def wait_until(condition: Callable[[], Any], what: str, deadline: float = DEADLINE_SECONDS) -> Any:
    """Poll a condition that a worker makes true, up to a deadline (no fixed sleep)."""
    give_up = time.monotonic() + deadline
    while True:
        close_old_connections()
        if result := condition():
            return result
        if time.monotonic() > give_up:
            pytest.fail(f"timed out after {deadline} s waiting for {what}")
        time.sleep(0.05)


@pytest.fixture
def job_settings(settings: Any) -> Any:
    settings.JOBS_LEASE_SECONDS = 3.0
    settings.JOBS_WATCHDOG_SECONDS = 0.5
    settings.JOBS_RATE_LIMIT = 400.0
    settings.JOBS_CONCURRENCY = 8
    settings.JOBS_RUNNERS_PER_JOB = 2
    settings.JOBS_AUTO_PAUSE_AFTER = 5
    settings.JOBS_MAX_ATTEMPTS = 8
    settings.JOBS_HEARTBEAT_SECONDS = 0.5
    settings.JOBS_WORKER_STALE_SECONDS = 5.0
    settings.JOBS_READ_BACK_AFTER_SECONDS = 0.5
    return settings


@pytest.fixture
def worker(celery_worker: Any, job_settings: Any) -> Iterator[Any]:
    """The session's worker with the watchdog and the heartbeat beside it, as in production
    (its probes go to the test queue, which only it reads)."""
    watchdog.start()
    start_heartbeat(celery_worker)
    try:
        yield celery_worker
    finally:
        liveness.stop()
        watchdog.stop()
        _wind_down_jobs()


def start_heartbeat(running_worker: Any) -> None:
    liveness.start(running_worker.hostname, queue=running_worker.app.conf.task_default_queue)


def _wind_down_jobs() -> None:
    """Cancel whatever is still active and wait for its runners to let go (a runner looks at
    its job's state every quarter of a second), so the database can be emptied under nobody."""
    Job.objects.filter(state__in=[*Job.ACTIVE_STATES, Job.State.PAUSED]).update(
        state=Job.State.CANCELLED, finished_at=timezone.now()
    )
    wait_until(lambda: not RunnerLease.objects.exists(), "the runners to stop", deadline=30)
