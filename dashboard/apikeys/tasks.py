"""Celery tasks of the keys app. `revoke_due_keys` runs every 30 s from beat (schedule.py).

Beat only sends the task; the schedule of revocations is rows in the database, so a restart of
beat, the worker or the whole machine loses nothing: the next tick finds whatever is due. No task
is sent with a countdown, so nothing depends on the broker's visibility timeout.
"""

from celery import shared_task
from django.utils import timezone

from dashboard.apikeys.revocation import revoke_due_rotations
from dashboard.apikeys.schedule import REVOKE_DUE_KEYS
from dashboard.platforms.connextlive import ConnextliveClient


@shared_task(name=REVOKE_DUE_KEYS, ignore_result=True)
def revoke_due_keys() -> int:
    """Revoke the old keys whose overlap window has ended; returns how many were revoked."""
    attempts = revoke_due_rotations(
        timezone.now(), client_for_token=ConnextliveClient.from_settings
    )
    return sum(1 for attempt in attempts if attempt.revoked)
