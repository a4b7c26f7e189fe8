"""Each worker's watchdog: a thread of the worker's main process that, every few seconds,

- frees the slots of runners whose lease lapsed (their worker died; their in-flight items
  become unknown), and
- sends the runner task again for every job that should be running and has no live runner:
  one whose message was lost with a killed worker or a restarted broker, a scheduled job that
  is due, a job whose Retry-After is over.

Any number of workers may run one: what they do is conditional updates and idempotent sends.
"""

import logging
import os
import threading
from datetime import datetime, timedelta

from celery import signals
from django.db import close_old_connections, connection
from django.db.models import Count, Q
from django.utils import timezone

from dashboard.jobs import stalls
from dashboard.jobs.conf import setting
from dashboard.jobs.kinds import KINDS
from dashboard.jobs.leases import free_orphans, recover_lapsed
from dashboard.jobs.models import Job, JobItem
from dashboard.jobs.tasks import enqueue_runners

logger = logging.getLogger(__name__)

_stop = threading.Event()
_thread: threading.Thread | None = None


def sweep(now: datetime | None = None) -> list[int]:
    """One round; returns the ids of the jobs it sent again."""
    now = now or timezone.now()
    recover_lapsed(now)
    grace = timedelta(seconds=2 * setting("JOBS_WATCHDOG_SECONDS") + 1)
    runnable = (
        Job.objects.filter(state__in=[Job.State.RUNNING, Job.State.SCHEDULED])
        .filter(Q(not_before__isnull=True) | Q(not_before__lte=now))
        .exclude(state=Job.State.SCHEDULED, not_before__isnull=True)
        .filter(Q(last_enqueued_at__isnull=True) | Q(last_enqueued_at__lt=now - grace))
        .annotate(live=Count("leases", distinct=True))
    )
    sent = []
    for job in list(runnable):
        if job.live == 0:
            # Said once per stall (stalls.py), not at every round: a worker whose tasks do not
            # run would otherwise fill the log with this line while nothing changes.
            stall = stalls.stall_of(job, now, held=False)
            log = logger.debug if stall is not None or job.stall_noted_at else logger.info
            log("watchdog: job %s has no live runner; sending it again", job.pk)
            if enqueue_runners(job.pk):
                sent.append(job.pk)
        elif missing := _missing_runners(job):
            # A runner died (its worker was killed) while another goes on: the job would go on
            # at half speed to the end. Its slot is free again once the lease lapsed.
            logger.info("watchdog: job %s is short of %s runner(s); sending them", job.pk, missing)
            if enqueue_runners(job.pk, count=missing):
                sent.append(job.pk)
    return sent


def _missing_runners(job: Job) -> int:
    """Free runner slots of a job that still has items to send (0 while it collects: only one
    runner collects)."""
    kind = KINDS.get(job.kind)
    if kind is None or kind.is_export or not job.collected:
        return 0
    missing = kind.runners() - job.live  # type: ignore[attr-defined]
    if missing <= 0 or not job.items.filter(state=JobItem.State.PENDING).exists():
        return 0
    return missing


def _watch() -> None:
    interval = setting("JOBS_WATCHDOG_SECONDS")
    try:
        while not _stop.is_set():
            try:
                close_old_connections()
                sweep()
            except Exception:
                logger.exception("watchdog: sweep failed; trying again")
            _stop.wait(interval)
    finally:
        connection.close()


def start() -> None:
    global _thread
    if _thread is not None and _thread.is_alive():
        return
    _stop.clear()
    _thread = threading.Thread(target=_watch, name="jobs-watchdog", daemon=True)
    _thread.start()


def stop() -> None:
    _stop.set()
    if _thread is not None:
        _thread.join(timeout=10)


@signals.worker_ready.connect
def _start_with_worker(sender: object = None, **kwargs: object) -> None:
    hostname = getattr(sender, "hostname", None)
    if hostname:
        try:
            # Its previous process died: no need to wait for its leases to run out, and its
            # jobs get their runners back now rather than at the watchdog's next look.
            for job_id in free_orphans(hostname, os.getpid()):
                enqueue_runners(job_id, count=1)
        except Exception:
            logger.exception("watchdog: freeing the leases of a previous process failed")
    start()


@signals.worker_shutdown.connect
def _stop_with_worker(**kwargs: object) -> None:
    stop()
