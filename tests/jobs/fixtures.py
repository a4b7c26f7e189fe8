"""Fixtures for tests that need the job engine running: a real Celery worker (threads of this
process, celery.contrib.testing) on a private queue, the watchdog, and engine settings scaled
for tests (short leases, a quick watchdog, a generous rate).

The worker starts once per session (stopping one takes celery about 4 s, most of it spent in
the broker's 2-second polls); each test that asks for `worker` gets it with the watchdog
running and, when it ends, every job still active is cancelled and its runners waited for, so
no test's work runs into the next. Jobs, broadcasts and integrations tests import these into
their conftest.
"""

import logging
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import pytest
from celery import Celery, signals
from celery import _state as celery_state
from celery.contrib.testing.worker import start_worker
from django.db import close_old_connections
from django.utils import timezone

import dashboard.jobs.tasks  # noqa: F401 - registers the task before the app finalizes
from dashboard.jobs import watchdog
from dashboard.jobs.models import Job, RunnerLease
from tests.fixtures.broker import use_private_filesystem_broker

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
    return settings


class _SessionWorker:
    """The one worker of the session. Several conftests import these fixtures, and pytest keeps
    a session fixture per conftest that defines it: without this, each would start its own
    worker, all polling the broker at once."""

    def __init__(self) -> None:
        self.app: Celery | None = None
        self.running: Any = None
        self._stack = ExitStack()
        self._users = 0

    def app_for(self, tmp_path_factory: pytest.TempPathFactory) -> Celery:
        if self.app is None:
            self.app = _new_celery_app(tmp_path_factory)
        return self.app

    def start(self, app: Celery, django_db_blocker: Any) -> Any:
        self._users += 1
        if self.running is None:
            self.running = self._stack.enter_context(_started_worker(app, django_db_blocker))
        return self.running

    def release(self) -> None:
        self._users -= 1
        if self._users == 0:
            self.running = None
            self._stack.close()


_SESSION = _SessionWorker()


def _new_celery_app(tmp_path_factory: pytest.TempPathFactory) -> Celery:
    from django.conf import settings

    app = Celery("jobs-test", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.task_default_queue = f"jobs-test-{uuid.uuid4().hex}"
    if str(settings.CELERY_BROKER_URL).startswith("filesystem://"):
        folder = tmp_path_factory.mktemp("broker")
        use_private_filesystem_broker(app, folder, polling_interval=0.05)
    return app


@contextmanager
def _started_worker(app: Celery, django_db_blocker: Any) -> Iterator[Any]:
    """A worker with 2 concurrent task slots, on the test database. (Celery runs Django's checks
    as it starts, which read the database.)"""
    previous_current, previous_default = celery_state.get_current_app(), celery_state.default_app
    warnings_were_captured = logging._warnings_showwarning is not None  # type: ignore[attr-defined]
    signals.setup_logging.connect(_keep_logging)
    try:
        with (
            django_db_blocker.unblock(),
            start_worker(
                app, pool="threads", concurrency=2, perform_ping_check=False, shutdown_timeout=30
            ) as running,
        ):
            # start_worker made the test app the current and default one; each test that uses
            # the worker makes it so again for its own duration (see `worker`).
            _use_apps(previous_current, previous_default)
            yield running
    finally:
        signals.setup_logging.disconnect(_keep_logging)
        logging.captureWarnings(warnings_were_captured)
        _use_apps(previous_current, previous_default)


@pytest.fixture(scope="session")
def celery_app(tmp_path_factory: pytest.TempPathFactory) -> Celery:
    return _SESSION.app_for(tmp_path_factory)


@pytest.fixture(scope="session")
def running_worker(
    celery_app: Celery, django_db_setup: None, django_db_blocker: Any
) -> Iterator[Any]:
    """The worker, started once for the whole session (see `worker`)."""
    try:
        yield _SESSION.start(celery_app, django_db_blocker)
    finally:
        _SESSION.release()


@pytest.fixture
def worker(running_worker: Any, celery_app: Celery, job_settings: Any) -> Iterator[Any]:
    """The session's worker with the watchdog beside it, as in production. Tasks sent during the
    test (from any thread) go to its queue: the test app is the current and default app."""
    previous_current, previous_default = celery_state.get_current_app(), celery_state.default_app
    _use_apps(celery_app, celery_app)
    watchdog.start()
    try:
        yield running_worker
    finally:
        watchdog.stop()
        _wind_down_jobs()
        _use_apps(previous_current, previous_default)


def _wind_down_jobs() -> None:
    """Cancel whatever is still active and wait for its runners to let go (a runner looks at
    its job's state every quarter of a second), so the database can be emptied under nobody."""
    Job.objects.filter(state__in=[*Job.ACTIVE_STATES, Job.State.PAUSED]).update(
        state=Job.State.CANCELLED, finished_at=timezone.now()
    )
    wait_until(lambda: not RunnerLease.objects.exists(), "the runners to stop", deadline=30)


def _use_apps(current: Celery, default: Celery) -> None:
    current.set_current()
    celery_state.set_default_app(default)


def _keep_logging(**kwargs: Any) -> None:
    return None
