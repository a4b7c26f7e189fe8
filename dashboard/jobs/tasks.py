"""The job engine's Celery task, and how it is sent.

`run_job(job_id)` takes the job's id, never a row: it reads the truth from the database, takes
a free runner slot or returns at once, and is therefore safe to deliver twice. It is sent after
the transaction that made the job runnable commits, and again with a countdown (capped by
JOBS_MAX_COUNTDOWN, below any broker's visibility timeout) when the job must wait. Nothing
depends on the message arriving: each worker's watchdog (watchdog.py) sends it again for any
runnable job without a live runner.
"""

import logging
from datetime import datetime, timedelta

from celery import shared_task
from django.utils import timezone

from dashboard.jobs import runner
from dashboard.jobs.conf import setting
from dashboard.jobs.kinds import KINDS
from dashboard.jobs.models import Job

logger = logging.getLogger(__name__)

RUN_JOB = "dashboard.jobs.tasks.run_job"


@shared_task(name=RUN_JOB, ignore_result=True, acks_late=True)
def run_job(job_id: int) -> str:
    if not Job.objects.filter(pk=job_id).exists():
        return "no such job"
    result = runner.run(job_id, start_other_runners=enqueue_runners)
    if result.run_again_at is not None:
        enqueue_at(job_id, result.run_again_at, count=1)
    logger.info("job %s: runner stopped: %s", job_id, result.reason)
    return result.reason


@shared_task(name="dashboard.jobs.tasks.worker_beat", ignore_result=True)
def worker_beat(hostname: str) -> None:
    """A worker's probe of itself (liveness.py): it ran, so the worker runs tasks."""
    from dashboard.jobs import liveness

    liveness.record(hostname)


def enqueue_runners(
    job_id: int, *, countdown: float | None = None, count: int | None = None
) -> bool:
    """Send the job's runner tasks (one per runner slot by default). A broker that cannot be
    reached is logged, not raised: the job is in the database and the watchdog sends it later."""
    if count is None:
        kind = KINDS.get(Job.objects.filter(pk=job_id).values_list("kind", flat=True).first() or "")
        count = kind.runners() if kind else 1
    if countdown is not None:
        countdown = max(0.0, min(countdown, setting("JOBS_MAX_COUNTDOWN")))
    due = timezone.now() + timedelta(seconds=countdown or 0)
    Job.objects.filter(pk=job_id).update(last_enqueued_at=due)
    try:
        for _ in range(count):
            run_job.apply_async((job_id,), countdown=countdown or None)
    except Exception:
        logger.exception("job %s: the broker refused the task; the watchdog will retry", job_id)
        return False
    return True


def enqueue_at(job_id: int, moment: datetime, *, count: int | None = None) -> bool:
    seconds = (moment - timezone.now()).total_seconds()
    if seconds > setting("JOBS_MAX_COUNTDOWN"):
        return False  # too far off for a countdown: the watchdog starts it when it is due
    return enqueue_runners(job_id, countdown=max(0.0, seconds), count=count)
