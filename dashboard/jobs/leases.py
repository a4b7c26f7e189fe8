"""Runner leases: which task executions are working on a job, proven alive by a heartbeat.

A runner takes a free slot (at most JOBS_RUNNERS_PER_JOB per job) and renews its lease every
third of JOBS_LEASE_SECONDS from a thread of its own, so a long platform call never lets it
lapse; a worker killed with SIGKILL stops renewing. When a lease has lapsed, the items its
runner had in flight become unknown -- they may have reached the platform -- and the slot is
free again. That is the only place an in-flight item becomes unknown.
"""

import logging
import os
import threading
import uuid
from datetime import datetime, timedelta

from django.db import IntegrityError, close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from dashboard.jobs import liveness
from dashboard.jobs.conf import setting
from dashboard.jobs.models import Job, JobItem, RunnerLease

logger = logging.getLogger(__name__)

LOST_IN_FLIGHT = gettext_noop(
    "The worker stopped while this was being sent: it may or may not have arrived. "
    "Check before sending it again."
)


def lease_duration() -> timedelta:
    return timedelta(seconds=setting("JOBS_LEASE_SECONDS"))


def take_slot(job_id: int, slots: int) -> RunnerLease | None:
    """A free runner slot of the job (of `slots`), or None when every one has a live runner."""
    now = timezone.now()
    recover_lapsed(now, job_id=job_id)
    taken = set(RunnerLease.objects.filter(job_id=job_id).values_list("slot", flat=True))
    for slot in range(slots):
        if slot in taken:
            continue
        try:
            with transaction.atomic():
                lease = RunnerLease.objects.create(
                    job_id=job_id,
                    slot=slot,
                    owner=uuid.uuid4().hex,
                    expires_at=now + lease_duration(),
                    worker=liveness.current_worker() or "",
                    pid=os.getpid(),
                )
                Job.objects.filter(pk=job_id).update(held_at=now, stall_noted_at=None)
                return lease
        except IntegrityError:
            continue  # another runner took it a moment ago
    return None


def free_orphans(worker: str, pid: int) -> list[int]:
    """A worker starting under the name `worker` (as process `pid`): leases held under that name
    by another process belong to its predecessor, which is dead -- a supervisor or a restart
    policy only starts a worker again once the last one has exited, and two live workers never
    share a node name -- so they lapse now rather than after JOBS_LEASE_SECONDS (their items in
    flight become unknown, to be read back). Returns the ids of the jobs they held."""
    if not worker:
        return []
    orphans = RunnerLease.objects.filter(worker=worker).exclude(pid=pid)
    job_ids = sorted(set(orphans.values_list("job_id", flat=True)))
    if not job_ids:
        return []
    orphans.update(expires_at=timezone.now() - timedelta(seconds=1))
    logger.warning("worker %s: freeing the leases of its previous process", worker)
    recover_lapsed(timezone.now())
    return job_ids


def release(lease: RunnerLease) -> None:
    """Let go of the slot. A runner that ends normally has nothing in flight (it drains first);
    one that ends on an error before writing its outcomes (a database too busy to take them)
    would leave its in-flight items orphaned -- no lease to lapse, nobody to settle them -- so
    they become unknown here, to be read back, as a lapsed runner's do."""
    now = timezone.now()
    with transaction.atomic():
        JobItem.objects.filter(
            job_id=lease.job_id, state=JobItem.State.IN_FLIGHT, claim=lease.owner
        ).update(
            state=JobItem.State.UNKNOWN,
            error=LOST_IN_FLIGHT,
            updated_at=now,
            read_back=JobItem.ReadBack.DUE,
        )
        RunnerLease.objects.filter(pk=lease.pk, owner=lease.owner).delete()
        Job.objects.filter(pk=lease.job_id).update(held_at=now)


def recover_lapsed(now: datetime, *, job_id: int | None = None) -> int:
    """Free the slots of runners that stopped renewing; their in-flight items become unknown.
    Returns how many items became unknown."""
    lapsed = RunnerLease.objects.filter(expires_at__lt=now)
    if job_id is not None:
        lapsed = lapsed.filter(job_id=job_id)
    lost = 0
    for lease in list(lapsed):
        with transaction.atomic():
            lost += JobItem.objects.filter(
                job_id=lease.job_id, state=JobItem.State.IN_FLIGHT, claim=lease.owner
            ).update(
                state=JobItem.State.UNKNOWN,
                error=LOST_IN_FLIGHT,
                updated_at=now,
                read_back=JobItem.ReadBack.DUE,
            )
            RunnerLease.objects.filter(pk=lease.pk, owner=lease.owner).delete()
        logger.warning("job %s: runner %s lapsed", lease.job_id, lease.slot)
    return lost


class Heartbeat:
    """Renews a lease from a background thread until stopped; `lost` turns true if the lease
    was taken away (the runner then stops sending at once)."""

    def __init__(self, lease: RunnerLease) -> None:
        self.lease = lease
        self.lost = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"lease-{lease.pk}", daemon=True)

    def __enter__(self) -> "Heartbeat":
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()

    def _beat(self) -> None:
        interval = setting("JOBS_LEASE_SECONDS") / 3
        try:
            while not self._stop.wait(interval):
                if not self._renew():
                    self.lost.set()
                    return
        finally:
            connection.close()

    def _renew(self) -> bool:
        """False only when the lease is gone; a failed write (a busy database) is tried again
        at the next beat, well before the lease runs out."""
        try:
            close_old_connections()
            now = timezone.now()
            renewed = RunnerLease.objects.filter(pk=self.lease.pk, owner=self.lease.owner).update(
                expires_at=now + lease_duration()
            )
            if renewed:
                Job.objects.filter(pk=self.lease.job_id).update(held_at=now)
                liveness.touch()  # a task of this worker is running: it is alive
        except Exception:
            logger.exception("job %s: renewing the lease failed", self.lease.job_id)
            return True
        return bool(renewed)
