"""The job engine's knobs: a Django setting of the same name wins, else the environment, else
the default. (They live here rather than in settings.py so the engine owns its own defaults.)"""

from django.conf import settings

from dashboard.env import env_float, env_int

_DEFAULTS: dict[str, tuple[type, float]] = {
    # Requests per second to one platform, shared by every worker (a token bucket in the DB).
    "JOBS_RATE_LIMIT": (float, 50.0),
    # Requests one runner keeps in flight at once (threads doing I/O inside the task).
    "JOBS_CONCURRENCY": (int, 16),
    # Runner tasks that may work on one job at once (each claims its own items).
    "JOBS_RUNNERS_PER_JOB": (int, 2),
    # A runner renews its lease every third of this; a lease not renewed this long means its
    # worker died, and what it had in flight becomes unknown.
    "JOBS_LEASE_SECONDS": (float, 30.0),
    # How often each worker's watchdog looks for jobs without a live runner.
    "JOBS_WATCHDOG_SECONDS": (float, 5.0),
    # How often each worker proves it runs tasks (a probe task of its own; liveness.py).
    "JOBS_HEARTBEAT_SECONDS": (float, 10.0),
    # A worker that has run no task for this long counts as missing (/readyz fails, its health
    # check fails), and a runnable job that no runner has held this long says so on its page.
    "JOBS_WORKER_STALE_SECONDS": (float, 120.0),
    # An unknown item is read back (readback.py) once it was claimed, and became unknown, this
    # long ago: long enough for a request still on its way to have been carried out.
    "JOBS_READ_BACK_AFTER_SECONDS": (float, 15.0),
    # Consecutive platform errors (5xx, timeouts, dropped connections) that pause a job.
    "JOBS_AUTO_PAUSE_AFTER": (int, 10),
    # Attempts of one item before a retryable error becomes its final failure.
    "JOBS_MAX_ATTEMPTS": (int, 8),
    # The longest countdown a task is sent with; longer waits are the watchdog's to resume
    # (a countdown beyond the broker's visibility timeout would be delivered again and again).
    "JOBS_MAX_COUNTDOWN": (float, 300.0),
}


def setting(name: str) -> float:
    kind, default = _DEFAULTS[name]
    if hasattr(settings, name):
        return kind(getattr(settings, name))
    return env_int(name, int(default)) if kind is int else env_float(name, default)
