"""The scheduled revocation with real Celery parts: beat sends `revoke_due_keys` on its schedule,
a worker picks it up from the broker and revokes a due rotation, with nobody signed in.

Both run in threads of this process: the session's worker (tests/fixtures/celery_worker.py,
on a private queue), and beat, started here on the worker's app. The test database is shared
with them through real transactions (transaction=True).
"""

import time
from collections.abc import Callable
from datetime import timedelta

import pytest
from celery.beat import EmbeddedService
from django.db import close_old_connections
from django.utils import timezone

import dashboard.apikeys.tasks  # noqa: F401 - registers the shared task before the app finalizes
from dashboard.apikeys.models import KeyRotation
from dashboard.apikeys.schedule import REVOKE_DUE_KEYS, beat_schedule
from tests.apikeys.helpers import create_key, key_named, keys_on_platform, rotate_key

pytestmark = pytest.mark.django_db(transaction=True)

DEADLINE_SECONDS = 30


def wait_until(condition: Callable[[], bool], what: str) -> None:
    """Poll a condition that a worker makes true, up to a deadline (no fixed sleep)."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {DEADLINE_SECONDS} s waiting for {what}")
        time.sleep(0.1)


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


def test_a_worker_revokes_a_due_rotation_from_the_queue(
    keys_manager, platform, celery_app, celery_worker
):
    rotation = due_rotation(keys_manager, platform)
    keys_manager.logout()  # nobody is signed in from here on

    celery_app.send_task(REVOKE_DUE_KEYS)  # exactly what beat sends

    wait_until(revoked(rotation), "the worker to revoke the old key")
    keys = keys_on_platform(platform)
    assert rotation.old_key_id not in keys
    assert keys[rotation.successor_key_id].status == "ACTIVE"


def test_beat_sends_the_task_on_its_schedule_and_the_worker_revokes(
    keys_manager, platform, celery_app, celery_worker, tmp_path
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
