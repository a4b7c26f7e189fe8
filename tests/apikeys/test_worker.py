"""The scheduled revocation with real Celery parts: beat sends `revoke_due_keys` on its schedule,
a worker picks it up from the broker and revokes a due rotation, with nobody signed in.

Both run in threads of this process (celery.contrib.testing) on a private queue, and for the
filesystem broker a private folder, so a developer's running worker can never take the message.
The test database is shared with them through real transactions (transaction=True).
"""

import logging
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from celery import Celery, signals
from celery import _state as celery_state
from celery.beat import EmbeddedService
from celery.contrib.testing.worker import start_worker
from django.db import close_old_connections
from django.utils import timezone

import dashboard.apikeys.tasks  # noqa: F401 - registers the shared task before the app finalizes
from dashboard.apikeys.models import KeyRotation
from dashboard.apikeys.schedule import REVOKE_DUE_KEYS, beat_schedule
from tests.apikeys.helpers import create_key, key_named, keys_on_platform, rotate_key
from tests.fixtures.broker import use_private_filesystem_broker

pytestmark = pytest.mark.django_db(transaction=True)

DEADLINE_SECONDS = 30


def wait_until(condition: Callable[[], bool], what: str) -> None:
    """Poll a condition that a worker makes true, up to a deadline (no fixed sleep)."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {DEADLINE_SECONDS} s waiting for {what}")
        time.sleep(0.1)


@pytest.fixture
def celery_app(tmp_path, settings) -> Celery:
    app = Celery("apikeys-worker-test", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.task_default_queue = f"apikeys-test-{uuid.uuid4().hex}"
    if str(settings.CELERY_BROKER_URL).startswith("filesystem://"):
        use_private_filesystem_broker(app, tmp_path / "broker")
    return app


@pytest.fixture
def worker(celery_app: Celery) -> Iterator[Any]:
    # start_worker makes its app the current and default one; give them back afterwards, or
    # every later `task.delay()` in this process would go to this test's private queue.
    # It also configures logging for a worker process (the root logger's level among others):
    # a receiver of `setup_logging` tells Celery that logging is configured already.
    previous_current, previous_default = celery_state.get_current_app(), celery_state.default_app
    warnings_were_captured = logging._warnings_showwarning is not None  # type: ignore[attr-defined]
    signals.setup_logging.connect(keep_logging_as_it_is)
    try:
        with start_worker(celery_app, perform_ping_check=False, shutdown_timeout=20) as running:
            yield running
    finally:
        signals.setup_logging.disconnect(keep_logging_as_it_is)
        logging.captureWarnings(warnings_were_captured)
        previous_current.set_current()
        celery_state.set_default_app(previous_default)


def keep_logging_as_it_is(**kwargs: Any) -> None:
    return None


def due_rotation(client, platform) -> KeyRotation:
    """A rotation whose window has just ended."""
    create_key(client, name="Live site", domains="live.example.com")
    rotate_key(client, key_named(platform, "Live site").id, "1h")
    past = timezone.now() - timedelta(seconds=1)
    KeyRotation.objects.update(revoke_at=past, next_attempt_at=past)
    return KeyRotation.objects.get()


def revoked(rotation: KeyRotation) -> Callable[[], bool]:
    def check() -> bool:
        close_old_connections()
        return KeyRotation.objects.get(pk=rotation.pk).state == KeyRotation.State.REVOKED

    return check


def test_a_worker_revokes_a_due_rotation_from_the_queue(keys_manager, platform, celery_app, worker):
    rotation = due_rotation(keys_manager, platform)
    keys_manager.logout()  # nobody is signed in from here on

    celery_app.send_task(REVOKE_DUE_KEYS)  # exactly what beat sends

    wait_until(revoked(rotation), "the worker to revoke the old key")
    keys = keys_on_platform(platform)
    assert rotation.old_key_id not in keys
    assert keys[rotation.successor_key_id].status == "ACTIVE"


def test_beat_sends_the_task_on_its_schedule_and_the_worker_revokes(
    keys_manager, platform, celery_app, worker, tmp_path
):
    rotation = due_rotation(keys_manager, platform)
    # The production entry, at a one-second period so the test does not wait 30 s (and an expiry
    # that leaves the worker time to poll the broker).
    celery_app.conf.beat_schedule = beat_schedule(every=1.0, expires=DEADLINE_SECONDS)
    beat = EmbeddedService(
        celery_app, thread=True, schedule_filename=str(tmp_path / "beat-schedule")
    )
    beat.start()
    try:
        wait_until(revoked(rotation), "beat and the worker to revoke the old key")
    finally:
        beat.stop()
    assert rotation.old_key_id not in keys_on_platform(platform)
