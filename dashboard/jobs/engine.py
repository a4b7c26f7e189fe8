"""The job engine's writes and reads, as views use them: creating jobs and their items, the
controls (start, pause, resume, cancel, retry), and progress. Every transition is a conditional
UPDATE that names the states it may leave, so two clicks, two tabs or a click racing a worker
can never take a job through a transition twice. Tasks are enqueued only after the commit.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from dashboard.jobs.items import add_items as add_items  # part of this API: views add items
from dashboard.jobs.models import Job, JobItem
from dashboard.jobs.tasks import enqueue_runners

RATE_WINDOW = timedelta(seconds=15)
RECENT_ERRORS = 8
ItemState = JobItem.State


class TransitionRefused(Exception):
    """The job is not in a state this control applies to (already finished, say)."""


def create_job(
    *,
    kind: str,
    title: str,
    tenant_id: str,
    created_by: object,
    params: dict,
    sealed_token: str = "",
    collected: bool = True,
) -> Job:
    return Job.objects.create(
        kind=kind,
        title=title[:200],
        tenant_id=tenant_id,
        created_by=created_by,
        params=params,
        sealed_token=sealed_token,
        collected=collected,
    )


# --- controls ----------------------------------------------------------------------------------


def _transition(job: Job, allowed: Iterable[str], **changes: object) -> None:
    updated = Job.objects.filter(pk=job.pk, state__in=list(allowed)).update(**changes)
    if not updated:
        job.refresh_from_db()
        raise TransitionRefused(f"the job is {job.get_state_display().lower()}")
    for name, value in changes.items():
        setattr(job, name, value)


def start(job: Job, *, at: datetime | None = None, sealed_token: str | None = None) -> None:
    """Draft -> running now, or scheduled for `at`."""
    now = timezone.now()
    scheduled = at is not None and at > now
    changes: dict[str, object] = {
        "state": Job.State.SCHEDULED if scheduled else Job.State.RUNNING,
        "not_before": at if scheduled else None,
        "started_at": None if scheduled else now,
    }
    if sealed_token is not None:
        changes["sealed_token"] = sealed_token
    _transition(job, [Job.State.DRAFT], **changes)
    enqueue_after_commit(job)


def pause(job: Job, reason: str) -> None:
    _transition(
        job, [Job.State.RUNNING, Job.State.SCHEDULED], state=Job.State.PAUSED, pause_reason=reason
    )


def resume(job: Job, *, sealed_token: str | None = None) -> None:
    """Paused -> running, from where it stopped; the resuming manager's sign-in replaces the one
    the job held (it may be why it paused)."""
    changes: dict[str, object] = {
        "state": Job.State.RUNNING,
        "pause_reason": "",
        "not_before": None,
        "consecutive_errors": 0,
        "started_at": job.started_at or timezone.now(),
    }
    if sealed_token:
        changes["sealed_token"] = sealed_token
    _transition(job, [Job.State.PAUSED], **changes)
    enqueue_after_commit(job)


def cancel(job: Job) -> int:
    """Final: nothing more is sent; items not yet attempted become skipped. Items in flight keep
    their runner, which writes what happened to them."""
    with transaction.atomic():
        _transition(
            job,
            [Job.State.DRAFT, Job.State.SCHEDULED, Job.State.RUNNING, Job.State.PAUSED],
            state=Job.State.CANCELLED,
            finished_at=timezone.now(),
            sealed_token="",
        )
        return job.items.filter(state=ItemState.PENDING).update(
            state=ItemState.SKIPPED, error="cancelled before it was sent", updated_at=timezone.now()
        )


def retry_items(job: Job, state: str, *, sealed_token: str | None = None) -> int:
    """Put the failed (or, on a person's decision, the unknown) items back to pending and run
    the job again; failures that are final stay. Returns how many items will be tried again."""
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if locked.state in (Job.State.CANCELLED, Job.State.DRAFT):
            raise TransitionRefused(f"the job is {locked.get_state_display().lower()}")
        # A person's decision replaces whatever reading back had to say.
        changes: dict[str, object] = {"read_back": ""} if state == ItemState.UNKNOWN else {}
        # Final failures (the item itself was refused) would fail the same way: left alone.
        count = locked.items.filter(state=state, final=False).update(
            state=ItemState.PENDING, error="", claim="", updated_at=timezone.now(), **changes
        )
        if count:
            changes = {
                "state": Job.State.RUNNING,
                "finished_at": None,
                "pause_reason": "",
                "not_before": None,
                "consecutive_errors": 0,
            }
            if sealed_token:
                changes["sealed_token"] = sealed_token
            Job.objects.filter(pk=job.pk).update(**changes)
            enqueue_after_commit(job)
    job.refresh_from_db()
    return count


def enqueue_after_commit(job: Job) -> None:
    job_id = job.pk
    transaction.on_commit(lambda: enqueue_runners(job_id))


# --- reading -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    counts: dict[str, int]
    total: int
    expected_total: int | None
    rate: float  # items finished per second, over the last RATE_WINDOW
    eta_seconds: float | None

    @property
    def finished(self) -> int:
        return sum(
            self.counts.get(s, 0)
            for s in (ItemState.DONE, ItemState.FAILED, ItemState.UNKNOWN, ItemState.SKIPPED)
        )

    @property
    def remaining(self) -> int:
        return self.counts.get(ItemState.PENDING, 0) + self.counts.get(ItemState.IN_FLIGHT, 0)

    @property
    def percent(self) -> int:
        total = max(self.total, self.expected_total or 0)
        return 100 if total == 0 else min(100, int(self.finished * 100 / total))

    def count(self, state: str) -> int:
        return self.counts.get(state, 0)


def progress(job: Job, now: datetime | None = None) -> Progress:
    now = now or timezone.now()
    rows = job.items.values("state").annotate(n=Count("id"))
    counts = {row["state"]: row["n"] for row in rows}
    total = sum(counts.values())
    finished_states = [ItemState.DONE, ItemState.FAILED, ItemState.UNKNOWN]
    recent = job.items.filter(
        Q(updated_at__gte=now - RATE_WINDOW), state__in=finished_states
    ).count()
    rate = recent / RATE_WINDOW.total_seconds() if job.state == Job.State.RUNNING else 0.0
    remaining = counts.get(ItemState.PENDING, 0) + counts.get(ItemState.IN_FLIGHT, 0)
    eta = remaining / rate if rate > 0 and remaining else None
    return Progress(counts, total, job.expected_total, rate, eta)


def recent_errors(job: Job) -> list[JobItem]:
    return list(
        job.items.filter(state__in=[ItemState.FAILED, ItemState.UNKNOWN])
        .exclude(error="")
        .order_by("-updated_at", "-id")[:RECENT_ERRORS]
    )
