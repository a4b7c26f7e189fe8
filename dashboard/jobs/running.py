"""What a runner's two ways of working share -- acting on items (runner.py) and writing an
export (exports.py): why it stopped, how often it looks at its job, and waiting for tokens."""

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from dashboard.jobs import ratelimit
from dashboard.jobs.kinds import JobKind
from dashboard.jobs.models import Job
from dashboard.jobs.outcomes import Outcome

CHECK_EVERY = 0.25  # seconds between looks at the job's state (pause, cancel, not_before)


@dataclass
class RunResult:
    """Why the runner stopped, and when the job wants to be run again (if it does)."""

    reason: str
    run_again_at: datetime | None = None


class RunControl(Protocol):
    """The runner as a way of working sees it: its job, whether to stop, and how to stop."""

    job: Job

    def should_stop(self) -> RunResult | None:
        """Paused, cancelled, told to wait, or the lease was lost: why to stop, or None."""
        ...

    def stop_for(self, outcome: Outcome) -> RunResult:
        """Stop the whole job for a failure that is not one item's."""
        ...


def pace(kind: JobKind, job: Job, requests: int = 1) -> None:
    """Wait for rate-limit tokens for a request that is not an item (a page of an audience)."""
    key, rate = kind.rate_key(job), kind.rate(job)
    while not (grant := ratelimit.take(key, requests, rate)).tokens:
        time.sleep(min(grant.wait, 1.0))
