"""Whether a worker is alive, in the sense that matters: it runs tasks.

Each worker, from a thread of its main process, sends itself a small probe task every
JOBS_HEARTBEAT_SECONDS on a queue that only it reads (`probe.<hostname>`, added as it starts);
running that task writes the worker's `WorkerBeat`. A runner renewing its lease writes it too, so
a worker whose task slots are all busy sending is not taken for dead. A worker whose tasks do not
run -- a wedged pool, a broker that lost its messages, a process gone -- stops moving its beat,
and after JOBS_WORKER_STALE_SECONDS:

- `/readyz` says "worker: fail" (overview/health.py),
- the compose health check of that worker fails (`python -m dashboard.jobs.healthcheck`),
- jobs that nobody holds say so on their pages (stalls.py).
"""

import logging
import os
import threading
import time
from datetime import datetime, timedelta

from celery import current_app, signals
from django.db import close_old_connections, connection
from django.utils import timezone

from dashboard.jobs.conf import setting
from dashboard.jobs.models import WorkerBeat

logger = logging.getLogger(__name__)

PROBE_TASK = "dashboard.jobs.tasks.worker_beat"  # sent by name: tasks.py imports the engine

_hostname: str | None = None
_stop = threading.Event()
_thread: threading.Thread | None = None
_last_touch = 0.0
_touch_lock = threading.Lock()


def current_worker() -> str | None:
    """This process's worker name, once it started as one (None in the web process)."""
    return _hostname


def probe_queue(hostname: str) -> str:
    return f"probe.{hostname}"


def stale_after() -> timedelta:
    return timedelta(seconds=setting("JOBS_WORKER_STALE_SECONDS"))


def record(hostname: str, now: datetime | None = None) -> None:
    """The worker `hostname` just ran a task."""
    now = now or timezone.now()
    updated = WorkerBeat.objects.filter(hostname=hostname).update(beat_at=now)
    if not updated:
        WorkerBeat.objects.update_or_create(
            hostname=hostname, defaults={"beat_at": now, "pid": os.getpid()}
        )


def touch() -> None:
    """From a running task (a runner's lease renewal): this worker runs tasks. At most one
    write per heartbeat interval."""
    global _last_touch
    if _hostname is None:
        return
    with _touch_lock:
        now = time.monotonic()
        if now - _last_touch < setting("JOBS_HEARTBEAT_SECONDS"):
            return
        _last_touch = now
    try:
        record(_hostname)
    except Exception:
        logger.exception("worker %s: writing its heartbeat failed", _hostname)


def fresh_workers(now: datetime | None = None) -> list[WorkerBeat]:
    now = now or timezone.now()
    return list(WorkerBeat.objects.filter(beat_at__gte=now - stale_after()).order_by("hostname"))


def is_fresh(hostname: str, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return WorkerBeat.objects.filter(hostname=hostname, beat_at__gte=now - stale_after()).exists()


# --- the worker's side ---------------------------------------------------------------------------


def _send_probes(hostname: str, queue: str) -> None:
    interval = setting("JOBS_HEARTBEAT_SECONDS")
    try:
        while not _stop.is_set():
            try:
                # Expires: a probe that waited longer than that proves nothing any more.
                current_app.send_task(
                    PROBE_TASK, (hostname,), queue=queue, expires=max(interval * 3, 5)
                )
            except Exception:
                logger.exception("worker %s: sending its heartbeat probe failed", hostname)
            _stop.wait(interval)
    finally:
        connection.close()


def start(hostname: str, queue: str | None = None) -> None:
    """Begin probing; `queue` is where the probes go (the worker's own queue by default)."""
    global _thread, _hostname
    if _thread is not None and _thread.is_alive():
        return
    _hostname = hostname
    _stop.clear()
    close_old_connections()
    WorkerBeat.objects.update_or_create(
        hostname=hostname,
        defaults={"pid": os.getpid(), "started_at": timezone.now()},
    )
    _thread = threading.Thread(
        target=_send_probes,
        args=(hostname, queue or probe_queue(hostname)),
        name="jobs-heartbeat",
        daemon=True,
    )
    _thread.start()


def stop() -> None:
    global _hostname
    _stop.set()
    if _thread is not None:
        _thread.join(timeout=10)
    _hostname = None


@signals.celeryd_after_setup.connect
def _add_probe_queue(sender: str, instance: object, **kwargs: object) -> None:
    """The worker reads its own probe queue beside the others (whatever -Q says); its name is
    known from here on (runner leases record it), before any task runs."""
    global _hostname
    _hostname = sender
    instance.app.amqp.queues.select_add(probe_queue(sender))  # type: ignore[attr-defined]


@signals.worker_ready.connect
def _start_with_worker(sender: object = None, **kwargs: object) -> None:
    hostname = getattr(sender, "hostname", None)
    if hostname and probe_queue(hostname) in sender.app.amqp.queues:  # type: ignore[union-attr]
        start(hostname)


@signals.worker_shutdown.connect
def _stop_with_worker(**kwargs: object) -> None:
    stop()
