"""What one attempt at one item came to, decided from the exception (or its absence).

The rule that matters: an item that may have reached the platform is never sent again by the
engine. For operations that are not idempotent (a message, an invitation) only an answer that
proves nothing was done -- 429, 503, a connection that was never made -- is retried; a timeout,
a dropped connection or another 5xx after the request left makes the item *unknown*.
Idempotent operations (tagging to an absolute list, resolve, assign, delete) retry those too.
"""

import enum
from dataclasses import dataclass
from datetime import datetime

import httpx

from dashboard.platforms.errors import (
    PlatformError,
    PlatformForbidden,
    PlatformRateLimited,
    PlatformUnauthorized,
    PlatformUnavailable,
)

# Never sent: the connection was not made, so whatever the method, nothing happened.
_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
DEFAULT_RETRY_AFTER = 1.0


class Verdict(enum.Enum):
    DONE = "done"
    FAILED = "failed"  # the platform refused this item (not found, invalid...): final
    UNKNOWN = "unknown"  # it may or may not have happened: a person decides
    RETRY = "retry"  # provably not done: back to pending, the job waits a little
    PAUSE = "pause"  # not done, and nothing else will work either (sign-in ended, forbidden)
    WAIT = "wait"  # not done; the job waits until a given time (a quota), not an error


class PausesJob:
    """Mixed into an error that no item can get past (a missing integration, say)."""


class ItemRefused(Exception):
    """The item cannot be done, for a reason of our own (no conversation to send into...)."""


class WaitUntil(Exception):
    """Not now: the job should continue at `when` (say, when a quota frees up)."""

    def __init__(self, when: datetime, reason: str) -> None:
        super().__init__(reason)
        self.when = when
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Outcome:
    verdict: Verdict
    message: str = ""  # the result when done, the error otherwise
    retry_after: float | None = None
    resume_at: datetime | None = None
    final: bool = False  # a failure that no retry can change (the item itself is refused)

    @property
    def is_platform_error(self) -> bool:
        """Counts towards auto-pause: the platform is failing, not this one item."""
        return self.verdict in (Verdict.UNKNOWN, Verdict.PAUSE) or (
            self.verdict is Verdict.RETRY and self.retry_after is None
        )


def is_expected(error: Exception) -> bool:
    """An error that says something about the item or the platform; anything else is a bug of
    ours, worth a traceback in the log."""
    return isinstance(error, PlatformError | ItemRefused | WaitUntil | PausesJob)


def succeeded(result: str) -> Outcome:
    return Outcome(Verdict.DONE, result[:300])


def classify(error: Exception, *, idempotent: bool) -> Outcome:
    match error:
        case WaitUntil():
            return Outcome(Verdict.WAIT, error.reason, resume_at=error.when)
        case ItemRefused():
            return Outcome(Verdict.FAILED, str(error), final=True)
        case PlatformUnauthorized() | PlatformForbidden() | PausesJob():
            return Outcome(Verdict.PAUSE, str(error))
        case PlatformRateLimited():
            return Outcome(Verdict.RETRY, str(error), retry_after=_retry_after(error))
        case PlatformUnavailable():
            return _unavailable(error, idempotent)
        case PlatformError():
            return Outcome(Verdict.FAILED, str(error))
        case _:
            # A bug of ours, maybe after the call went out: never resend blindly.
            message = f"Unexpected error ({type(error).__name__})"
            return Outcome(Verdict.FAILED if idempotent else Verdict.UNKNOWN, message)


def _retry_after(error: PlatformRateLimited) -> float:
    return error.retry_after if error.retry_after is not None else DEFAULT_RETRY_AFTER


def _unavailable(error: PlatformUnavailable, idempotent: bool) -> Outcome:
    never_sent = error.status is None and isinstance(error.__cause__, _NEVER_SENT)
    refused = error.status == 503  # "Service Unavailable": the request was not carried out
    if idempotent or never_sent or refused:
        return Outcome(Verdict.RETRY, str(error))
    return Outcome(Verdict.UNKNOWN, f"{error} — it may or may not have been carried out")
