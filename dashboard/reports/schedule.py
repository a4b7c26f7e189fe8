"""The reports app's beat schedule; settings merge it into CELERY_BEAT_SCHEDULE.

Hourly: each workspace's agents are read once a day of its own zone (the first run of the day
does it; the others find the day's snapshot and stop at one query). Expires before the next run,
so a beat that ran while no worker was up leaves no pile behind.
"""

from typing import Any

# Settings import this module, so it imports nothing of Django's apps; tasks.py imports from here.
SNAPSHOT_AGENTS = "dashboard.reports.tasks.snapshot_agents"
SNAPSHOT_EVERY = 3600.0

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "reports-snapshot-agents": {
        "task": SNAPSHOT_AGENTS,
        "schedule": SNAPSHOT_EVERY,
        "options": {"expires": SNAPSHOT_EVERY},
    }
}
