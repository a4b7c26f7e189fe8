"""A job that should be moving and is not: running (not told to wait) or scheduled and due, and
no runner has held it for longer than JOBS_WORKER_STALE_SECONDS. Its page and the job list say
so, and the log says so once per stall (the first to notice it -- a page view or a watchdog --
writes `stall_noted_at` with a conditional update; a runner taking the job clears it).
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext, gettext_noop, override

from dashboard.jobs.conf import setting
from dashboard.jobs.models import Job

logger = logging.getLogger(__name__)

ADVICE = gettext_noop("Check that a worker is running.")


@dataclass(frozen=True)
class Stall:
    seconds: float

    @property
    def duration(self) -> str:
        """ "2 min", "45 s", "3 h 5 min"."""
        seconds = int(self.seconds)
        if seconds < 60:
            return f"{seconds} s"
        minutes = seconds // 60
        if minutes < 60:
            return f"{minutes} min"
        return f"{minutes // 60} h {minutes % 60} min" if minutes % 60 else f"{minutes // 60} h"

    @property
    def message(self) -> str:
        """In the active language (the page's); the log gets it in English."""
        return gettext("No worker has picked this job up for %(duration)s. %(advice)s") % {
            "duration": self.duration,
            "advice": gettext(ADVICE),
        }


def runnable(job: Job, now: datetime) -> bool:
    """Running and not told to wait, or scheduled and due: a runner should hold it."""
    due = job.not_before is None or job.not_before <= now
    if job.state == Job.State.RUNNING:
        return due
    return job.state == Job.State.SCHEDULED and job.not_before is not None and due


def _since(job: Job) -> datetime:
    """Since when it has been waiting for a runner: the last time one held it, or when it
    became runnable (started, due, its wait over), whichever is later."""
    moments = [m for m in (job.held_at, job.started_at, job.not_before, job.created_at) if m]
    return max(moments)


def stall_of(job: Job, now: datetime | None = None, *, held: bool | None = None) -> Stall | None:
    """The job's stall, if it is one (`held`: whether a live lease exists, if known)."""
    now = now or timezone.now()
    if not runnable(job, now):
        return None
    if held is None:
        held = job.leases.filter(expires_at__gte=now).exists()
    if held:
        return None
    waited = (now - _since(job)).total_seconds()
    if waited <= setting("JOBS_WORKER_STALE_SECONDS"):
        return None
    stall = Stall(waited)
    note(job, stall)
    return stall


def stalls_among(jobs: list[Job], now: datetime | None = None) -> dict[int, Stall]:
    """The stalled jobs among `jobs` (a page of the job list), with two queries at most."""
    now = now or timezone.now()
    limit = timedelta(seconds=setting("JOBS_WORKER_STALE_SECONDS"))
    candidates = [j for j in jobs if runnable(j, now) and now - _since(j) > limit]
    if not candidates:
        return {}
    held = set(
        Job.objects.filter(pk__in=[j.pk for j in candidates], leases__expires_at__gte=now)
        .values_list("pk", flat=True)
        .distinct()
    )
    found = {}
    for job in candidates:
        stall = stall_of(job, now, held=job.pk in held)
        if stall is not None:
            found[job.pk] = stall
    return found


def note(job: Job, stall: Stall) -> None:
    """Log the stall once: only the caller whose update marks it writes the line."""
    if job.stall_noted_at is not None:
        return
    marked = Job.objects.filter(pk=job.pk, stall_noted_at__isnull=True).update(
        stall_noted_at=timezone.now()
    )
    if marked:
        with override("en"):
            logger.warning("job %s (%s): %s", job.pk, job.kind, stall.message)
