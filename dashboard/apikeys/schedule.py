"""The keys app's beat schedule; settings merge it into CELERY_BEAT_SCHEDULE.

Every 30 s is often enough for "revoked in 1 hour" to mean within half a minute of the hour, and
costs one indexed query when nothing is due. The entry expires before the next tick, so a beat
that ran while no worker was up does not leave a pile of identical tasks behind.
"""

from typing import Any

# Settings import this module, so it imports nothing of Django's apps; tasks.py imports from here.
REVOKE_DUE_KEYS = "dashboard.apikeys.tasks.revoke_due_keys"
REVOKE_DUE_KEYS_EVERY = 30.0


def beat_schedule(
    every: float = REVOKE_DUE_KEYS_EVERY, expires: float | None = None
) -> dict[str, dict[str, Any]]:
    return {
        "apikeys-revoke-due-keys": {
            "task": REVOKE_DUE_KEYS,
            "schedule": every,
            "options": {"expires": expires if expires is not None else every},
        }
    }


BEAT_SCHEDULE = beat_schedule()
