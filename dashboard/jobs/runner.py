"""One runner: a task execution working on one job until it is done, paused, told to wait, or
its lease is lost.

    claim (pending -> in flight, with rate-limit tokens, in one transaction)
      -> the platform call, in a thread of a bounded pool
      -> the outcome, written within a tenth of a second (batched in one transaction)

Waiting is never a sleep in the worker: a 429's Retry-After or an error backoff is written to
the job as `not_before`, the runner finishes what it has in flight and exits, and the task is
sent again with a countdown (the watchdog resumes it if that message is lost).
"""

import logging
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from dashboard.jobs import ratelimit
from dashboard.jobs.conf import setting
from dashboard.jobs.ending import finish
from dashboard.jobs.exports import run_export
from dashboard.jobs.items import add_items
from dashboard.jobs.kinds import KINDS, ItemSpec, JobKind, Performer, kind_of
from dashboard.jobs.leases import Heartbeat, release, take_slot
from dashboard.jobs.models import Job, JobItem, ReadBack, RunnerLease
from dashboard.jobs.outcomes import Outcome, Verdict, classify, is_expected, succeeded
from dashboard.jobs.readback import settle_unknowns
from dashboard.jobs.running import CHECK_EVERY, RunResult, pace

logger = logging.getLogger(__name__)

ItemState = JobItem.State
# Seconds a round waits for a call to return (or for tokens) before it looks at the job again.
FLUSH_EVERY = 0.1
# States in which an item's result is still its runner's to write.
CLAIMED = (JobItem.State.IN_FLIGHT, JobItem.State.UNKNOWN)
FINAL_VERDICTS = (Verdict.DONE, Verdict.FAILED, Verdict.UNKNOWN)
BACKOFF_BASE = 0.5
BACKOFF_CAP = 30.0


type StartRunners = Callable[[int], object]


def run(job_id: int, start_other_runners: StartRunners) -> RunResult:
    """Take a runner slot of the job and work on it; the task's whole body.
    `start_other_runners(job_id)` sends the job's other runners once its audience is collected
    (tasks.enqueue_runners: the task module passes it, so this one need not know tasks)."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.kind not in KINDS:
        return RunResult("no such job")
    lease = take_slot(job_id, KINDS[job.kind].runners())
    if lease is None:
        return RunResult("every runner slot is taken")
    try:
        with Heartbeat(lease) as heartbeat:
            return Runner(lease, heartbeat, start_other_runners).run()
    finally:
        release(lease)


class Runner:
    def __init__(
        self, lease: RunnerLease, heartbeat: Heartbeat, start_other_runners: StartRunners
    ) -> None:
        self.lease = lease
        self.heartbeat = heartbeat
        self.start_other_runners = start_other_runners
        self.job = Job.objects.get(pk=lease.job_id)

    def run(self) -> RunResult:
        job = self.job
        if not self._ready_to_run():
            return RunResult(f"the job is {job.state}", self._wait_until())
        kind = kind_of(job)
        try:
            performer = kind.performer(job)
        except Exception as error:  # signing in for the run failed: a job-level outcome
            return self.stop_for(classify(error, idempotent=True))
        if kind.is_export:
            return run_export(self, kind, performer)
        if not job.collected:
            if self.lease.slot != 0:
                return RunResult("runner 0 is collecting the audience")
            stopped = Collector(self, kind, performer).collect()
            if stopped is not None:
                return stopped
            transaction.on_commit(lambda: self.start_other_runners(job.pk))
        return Sender(self, kind, performer).send()

    # --- the job's state, as the runner sees it ----------------------------------------------

    def _ready_to_run(self) -> bool:
        job = self.job
        now = timezone.now()
        if job.state == Job.State.SCHEDULED and job.not_before and job.not_before <= now:
            started = Job.objects.filter(pk=job.pk, state=Job.State.SCHEDULED).update(
                state=Job.State.RUNNING, not_before=None, started_at=now
            )
            job.refresh_from_db()
            return bool(started) or job.state == Job.State.RUNNING
        return job.state == Job.State.RUNNING and not (job.not_before and job.not_before > now)

    def _wait_until(self) -> datetime | None:
        job = self.job
        if job.state in (Job.State.RUNNING, Job.State.SCHEDULED) and job.not_before:
            return job.not_before
        return None

    def should_stop(self) -> RunResult | None:
        """Paused, cancelled, told to wait, or the lease was lost: stop sending."""
        if self.heartbeat.lost.is_set():
            return RunResult("the lease was lost")
        state, not_before = (
            Job.objects.filter(pk=self.job.pk).values_list("state", "not_before").get()
        )
        if state != Job.State.RUNNING:
            return RunResult(f"the job is {state}")
        if not_before and not_before > timezone.now():
            return RunResult("the job is waiting", not_before)
        return None

    def stop_for(self, outcome: Outcome) -> RunResult:
        """A failure before any item was tried (signing in, collecting a page): what would fail
        one item stops the whole job, so it pauses with the reason instead."""
        if outcome.verdict in (Verdict.FAILED, Verdict.UNKNOWN):
            outcome = Outcome(Verdict.PAUSE, outcome.message)
        # Counted on from the job's own tally: repeated failures back off longer each time and
        # end in the auto-pause, as they do for items.
        effects = JobEffects(base_errors=self.job.consecutive_errors)
        effects.note(outcome)
        effects.apply(self.job)
        return RunResult(outcome.message, effects.not_before)

    def finish_if_done(self) -> bool:
        """Running, audience collected, nothing pending, in flight or to be read back: the job
        is done."""
        with transaction.atomic():
            items = JobItem.objects.filter(job_id=self.job.pk)
            busy = (
                items.filter(state__in=[ItemState.PENDING, ItemState.IN_FLIGHT]).exists()
                or items.filter(state=ItemState.UNKNOWN, read_back=ReadBack.DUE).exists()
            )
            return not busy and finish(self.job, collected=True)


@dataclass
class JobEffects:
    """What outcomes mean for the whole job: consecutive platform errors (auto-pause), a wait
    (429, backoff, a quota) or a pause (the sign-in ended)."""

    consecutive_errors: int | None = None  # None: unchanged
    last_error: str = ""
    not_before: datetime | None = None
    pause_reason: str = ""
    base_errors: int = 0
    changed: bool = False
    _errors: int = field(default=0, init=False)

    def note(self, outcome: Outcome) -> None:
        now = timezone.now()
        if outcome.verdict is Verdict.DONE:
            self._errors = 0
            self.base_errors = 0
            self.consecutive_errors = 0
        elif outcome.is_platform_error:
            self._errors += 1
            self.consecutive_errors = self.base_errors + self._errors
            self.last_error = outcome.message
        self.changed = True
        if outcome.verdict is Verdict.PAUSE:
            self.pause_reason = f"Paused: {outcome.message}. Fix it, then resume."[:500]
        elif outcome.verdict is Verdict.WAIT and outcome.resume_at:
            self._wait_until(outcome.resume_at)
            self.last_error = outcome.message
        elif outcome.verdict is Verdict.RETRY:
            delay = outcome.retry_after
            if delay is None:
                count = max(1, self.consecutive_errors or 1)
                delay = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** (count - 1))
            self._wait_until(now + timedelta(seconds=delay))
        limit = int(setting("JOBS_AUTO_PAUSE_AFTER"))
        if not self.pause_reason and (self.consecutive_errors or 0) >= limit:
            self.pause_reason = (
                f"Paused automatically after {limit} consecutive platform errors. "
                f"Last: {self.last_error}"
            )[:500]

    def _wait_until(self, moment: datetime) -> None:
        if self.not_before is None or moment > self.not_before:
            self.not_before = moment

    @property
    def stops_sending(self) -> bool:
        return bool(self.pause_reason) or self.not_before is not None

    def apply(self, job: Job) -> None:
        """Write to the job, only while it is running (never undo a person's pause or cancel)."""
        if not self.changed:
            return
        changes: dict[str, object] = {}
        if self.consecutive_errors is not None:
            changes["consecutive_errors"] = self.consecutive_errors
        if self.last_error:
            changes["last_error"] = self.last_error[:500]
        if self.not_before:
            changes["not_before"] = self.not_before
        if self.pause_reason:
            changes |= {"state": Job.State.PAUSED, "pause_reason": self.pause_reason}
        if changes:
            Job.objects.filter(pk=job.pk, state=Job.State.RUNNING).update(**changes)
        self.changed = False


class Collector:
    """Collects an audience given as a filter, a page per transaction with its cursor, so a
    runner that dies resumes after the last page it stored."""

    def __init__(self, runner: Runner, kind: JobKind, performer: Performer) -> None:
        self.runner, self.kind, self.performer = runner, kind, performer

    def collect(self) -> RunResult | None:
        job = self.runner.job
        pages = self.performer.collect(dict(job.cursor))
        while True:
            if stopped := self.runner.should_stop():
                return stopped
            pace(self.kind, job)
            try:
                page = next(pages, None)
            except Exception as error:
                return self.runner.stop_for(classify(error, idempotent=True))
            if page is None:
                page_cursor, last = job.cursor, True
            else:
                page_cursor, last = page.cursor, page.last
            with transaction.atomic():
                if page is not None:
                    add_items(job, page.items)
                changes: dict[str, object] = {
                    "cursor": page_cursor,
                    "collected": last,
                    "consecutive_errors": 0,
                }
                if page is not None and page.total is not None:
                    changes["expected_total"] = page.total
                Job.objects.filter(pk=job.pk).update(**changes)
            job.cursor, job.collected, job.consecutive_errors = page_cursor, last, 0
            if last:
                return None


class Sender:
    """Claims items with tokens, calls the platform from a pool of threads, writes outcomes."""

    def __init__(self, runner: Runner, kind: JobKind, performer: Performer) -> None:
        self.runner, self.kind, self.performer = runner, kind, performer
        self.job = runner.job
        self.concurrency = kind.concurrency()
        self.claim_batch = max(1, self.concurrency // 4)
        self.effects = JobEffects(base_errors=self.job.consecutive_errors)
        self.outcomes: list[tuple[JobItem, Outcome]] = []
        self.in_flight: dict[Future[Outcome], JobItem] = {}
        self.rate_key, self.rate = kind.rate_key(self.job), kind.rate(self.job)
        self.max_attempts = int(setting("JOBS_MAX_ATTEMPTS"))

    def send(self) -> RunResult:
        with ThreadPoolExecutor(self.concurrency, thread_name_prefix="job-io") as pool:
            try:
                while True:
                    stopped = self._send_pending(pool)
                    if stopped is not None:
                        return stopped
                    settled = settle_unknowns(self, pool)
                    if settled.again:
                        continue  # some were not found: they are pending again
                    if settled.wait_until is not None:
                        return RunResult("unknown items to read back", settled.wait_until)
                    break
            finally:
                self._drain()
        if self.runner.finish_if_done():
            return RunResult("done")
        return RunResult("nothing left to claim")

    def _send_pending(self, pool: ThreadPoolExecutor) -> RunResult | None:
        """Send until nothing is pending (None) or the runner must stop (why).

        Each round writes the outcomes that came back and claims their successors in one
        transaction, as soon as a call returns: an item is "in flight" in the database only
        while its request is on the wire, so a runner killed at any moment leaves at most those
        unknown -- never finished calls whose outcome was still waiting in memory."""
        stopped: RunResult | None = None
        exhausted = False
        last_check = time.monotonic()
        while True:
            now = time.monotonic()
            if stopped is None and now - last_check >= CHECK_EVERY:
                stopped, last_check = self.runner.should_stop(), now
            if stopped is None and self.effects.stops_sending:
                stopped = RunResult("the job must wait", self.effects.not_before)
            claiming = stopped is None and not exhausted
            claimed, wait_for, back_to_pending = self._write_and_claim(pool, claiming=claiming)
            if back_to_pending:
                exhausted = False
            elif claiming and claimed == 0 and wait_for == 0:
                exhausted = True
            if not self.in_flight and (stopped is not None or exhausted):
                if back_to_pending and stopped is None and not self.effects.stops_sending:
                    continue
                return stopped or (
                    RunResult("the job must wait", self.effects.not_before)
                    if self.effects.stops_sending
                    else None
                )
            self._collect(wait_for)

    def _write_and_claim(
        self, pool: ThreadPoolExecutor, *, claiming: bool
    ) -> tuple[int, float, bool]:
        """Write the outcomes waiting in memory and, if `claiming`, claim as many items as there
        are free threads and tokens, in one transaction. Returns how many were claimed (-1: not
        tried), how long to wait before the next round (for tokens, or for calls to return) and
        whether an item went back to pending."""
        outcomes, self.outcomes = self.outcomes, []
        free = self.concurrency - len(self.in_flight)
        # Claim a few at a time: each claim is a write, and the calls still in flight keep the
        # other threads busy meanwhile.
        claim = claiming and free > 0 and not (self.in_flight and free < self.claim_batch)
        if not outcomes and not claim:
            return -1, FLUSH_EVERY, False
        per_item = self.kind.requests_per_item
        items: list[JobItem] = []
        claimed, wait_for, back_to_pending = -1, FLUSH_EVERY, False
        with transaction.atomic():
            if outcomes:
                owner = self.runner.lease.owner
                back_to_pending = write_outcomes(outcomes, owner, self.max_attempts)
                self.effects.apply(self.job)
            if claim and not self.effects.stops_sending:
                grant = ratelimit.take(self.rate_key, free * per_item, self.rate)
                wanted = grant.tokens // per_item
                if wanted == 0:
                    # Fewer tokens than one item costs: back in the bucket, not lost (a kind of
                    # 4 requests an item, at a bucket of 4, would otherwise starve).
                    ratelimit.give_back(self.rate_key, grant.tokens)
                    wait_for = max(0.005, min(grant.wait, FLUSH_EVERY))
                else:
                    items = claim_items(self.job.pk, wanted, self.runner.lease.owner)
                    ratelimit.give_back(self.rate_key, grant.tokens - len(items) * per_item)
                    claimed, wait_for = len(items), 0.0
        for item in items:
            self.in_flight[pool.submit(self._attempt, item)] = item
        return claimed, wait_for, back_to_pending

    def _attempt(self, item: JobItem) -> Outcome:
        spec = ItemSpec(item.key, item.label, item.payload)
        try:
            return succeeded(self.performer.perform(spec))
        except Exception as error:
            if not is_expected(error):
                logger.exception("job %s item %s: unexpected error", self.job.pk, item.pk)
            return classify(error, idempotent=self.kind.idempotent)

    def _collect(self, timeout: float) -> None:
        if not self.in_flight:
            if timeout > 0:
                time.sleep(timeout)  # only ever a wait for rate-limit tokens (milliseconds)
            return
        finished, _ = wait(list(self.in_flight), timeout=timeout, return_when=FIRST_COMPLETED)
        for future in finished:
            item = self.in_flight.pop(future)
            outcome = future.result()
            self.outcomes.append((item, outcome))
            self.effects.note(outcome)

    def _drain(self) -> None:
        """Wait for everything in flight and write every outcome (also on an exception)."""
        while self.in_flight:
            self._collect(1.0)
        if self.outcomes:
            self._flush()

    def _flush(self) -> bool:
        """Write the waiting outcomes and their effect on the job in one transaction; returns
        whether an item went back to pending."""
        outcomes, self.outcomes = self.outcomes, []
        with transaction.atomic():
            back_to_pending = write_outcomes(outcomes, self.runner.lease.owner, self.max_attempts)
            self.effects.apply(self.job)
        return back_to_pending


def claim_items(job_id: int, count: int, owner: str) -> list[JobItem]:
    """Atomically move up to `count` pending items to in flight for `owner`; no two runners can
    claim the same item (row locks with SKIP LOCKED where the database has them, SQLite's single
    writer otherwise, and the state condition in the UPDATE either way)."""
    candidates = list(
        JobItem.objects.select_for_update(skip_locked=True)
        .filter(job_id=job_id, state=ItemState.PENDING)
        .order_by("id")
        .only("id", "key", "label", "payload", "attempts")[:count]
    )
    if not candidates:
        return []
    now = timezone.now()
    ids = [item.pk for item in candidates]
    claimed = JobItem.objects.filter(id__in=ids, state=ItemState.PENDING).update(
        state=ItemState.IN_FLIGHT, claim=owner, updated_at=now, claimed_at=now
    )
    if claimed != len(candidates):  # a database without row locks let another runner in
        return list(JobItem.objects.filter(id__in=ids, claim=owner, state=ItemState.IN_FLIGHT))
    for item in candidates:
        item.state, item.claim, item.updated_at = ItemState.IN_FLIGHT, owner, now
        item.claimed_at = now
    return candidates


_SETTLED = Case(When(read_back=ReadBack.DUE, then=Value("")), default=F("read_back"))


def write_outcomes(outcomes: list[tuple[JobItem, Outcome]], owner: str, max_attempts: int) -> bool:
    """Record outcomes, each only if this runner still owns its item (in flight, or marked
    unknown by a watchdog that thought this runner dead). Final outcomes with the same verdict
    and message are one UPDATE (a ConnectiveOne broadcast's are all "Node called"); retries,
    which count attempts, one each. Returns whether an item went back to pending."""
    now = timezone.now()
    final: dict[tuple[Verdict, str, bool], list[int]] = defaultdict(list)
    back_to_pending = False
    for item, outcome in outcomes:
        if outcome.verdict in FINAL_VERDICTS:
            final[outcome.verdict, outcome.message, outcome.final].append(item.pk)
        else:
            back_to_pending |= _write_retry(item, outcome, owner, max_attempts, now)
    # An item a watchdog had made unknown (and due to be read back) that its runner then saw
    # through is no longer to be read back; one sent again after a read keeps saying so.
    for (verdict, message, for_good), item_ids in final.items():
        mine = JobItem.objects.filter(pk__in=item_ids, claim=owner, state__in=CLAIMED)
        if verdict is Verdict.DONE:
            mine.update(
                state=ItemState.DONE, result=message, error="", updated_at=now, read_back=_SETTLED
            )
        elif verdict is Verdict.UNKNOWN:
            # It may have arrived: read back where the kind can (readback.py), else a person.
            mine.update(
                state=ItemState.UNKNOWN, error=message[:500], updated_at=now, read_back=ReadBack.DUE
            )
        else:
            mine.update(
                state=verdict.value,
                error=message[:500],
                updated_at=now,
                read_back=_SETTLED,
                final=for_good,
            )
    return back_to_pending


def _write_retry(
    item: JobItem, outcome: Outcome, owner: str, max_attempts: int, now: datetime
) -> bool:
    """Not done, provably: back to pending (a retry counts as an attempt unless the platform
    said when to come back), or failed for good after `max_attempts`."""
    mine = JobItem.objects.filter(pk=item.pk, claim=owner, state__in=CLAIMED)
    counts = outcome.verdict is Verdict.RETRY and outcome.retry_after is None
    attempts = item.attempts + (1 if counts else 0)
    if attempts >= max_attempts:
        message = f"Gave up after {attempts} attempts. Last error: {outcome.message}"
        mine.update(
            state=ItemState.FAILED,
            attempts=attempts,
            error=message[:500],
            updated_at=now,
            read_back=_SETTLED,
        )
        return False
    mine.update(
        state=ItemState.PENDING,
        claim="",
        attempts=attempts,
        error=outcome.message[:500],
        updated_at=now,
        read_back=_SETTLED,
    )
    return True
