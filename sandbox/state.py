"""The sandbox's in-memory control state: faults, clock offset, request log, revoked tokens and
the outbox, in one process-wide object guarded by one lock.

It lives in the serving process only (gunicorn runs one worker), so nothing here survives a
restart; `reset` clears it all along with the database.
"""

import random
import re
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

# Enough for a benchmark's worth of requests, bounded so a long run cannot eat the memory.
REQUEST_LOG_LIMIT = 100_000
# Fault decisions come from a seeded generator, reseeded whenever faults are set, so a given
# sequence of requests meets the same faults on every run.
FAULT_RANDOM_SEED = 20261121


@dataclass(frozen=True)
class Faults:
    """What to inject into platform traffic. Zero/None means off."""

    latency_ms: int = 0
    error_rate: float = 0.0
    error_status: int = 500
    rate_limit_rps: float | None = None
    retry_after: int = 1
    drop_rate: float = 0.0
    paths: str | None = None

    def applies_to(self, path: str) -> bool:
        return self.paths is None or re.search(self.paths, path) is not None

    def to_json(self) -> dict[str, Any]:
        return {
            "latencyMs": self.latency_ms,
            "errorRate": self.error_rate,
            "errorStatus": self.error_status,
            "rateLimitRps": self.rate_limit_rps,
            "retryAfter": self.retry_after,
            "dropRate": self.drop_rate,
            "paths": self.paths,
        }


@dataclass(frozen=True)
class FaultDecision:
    """The fate of one request: wait `latency_ms`, then drop it, answer `status`, or serve it."""

    latency_ms: int = 0
    drop: bool = False
    status: int | None = None
    retry_after: int | None = None


@dataclass
class LoggedRequest:
    method: str
    path: str
    query: str
    status: int | None
    ms: float
    bodySha256: str
    at: str


@dataclass
class _TokenLedger:
    """Which tokens each user holds, so that revoking can name them exactly."""

    issued: dict[str, list[str]] = field(default_factory=dict)
    revoked_ids: set[str] = field(default_factory=set)
    # Tokens with an `iat` before this second were issued before revocation, possibly by an
    # earlier process whose ledger is gone.
    revoked_before: dict[str, int] = field(default_factory=dict)


class ControlState:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._clear()

    def _clear(self) -> None:
        self._faults = Faults()
        self._fault_random = random.Random(FAULT_RANDOM_SEED)
        self._admitted: deque[float] = deque()
        self._requests: deque[LoggedRequest] = deque(maxlen=REQUEST_LOG_LIMIT)
        self._clock_offset = 0.0
        self._tokens = _TokenLedger()
        self._outbox: list[dict[str, Any]] = []

    def reset(self) -> None:
        with self._lock:
            self._clear()

    # --- clock -----------------------------------------------------------------------------

    def now(self) -> datetime:
        """The sandbox's idea of now: real UTC time moved by the clock offset."""
        return datetime.now(UTC) + timedelta(seconds=self._clock_offset)

    def clock_offset(self) -> float:
        return self._clock_offset

    def set_clock_offset(self, seconds: float) -> None:
        with self._lock:
            self._clock_offset = seconds

    # --- faults ----------------------------------------------------------------------------

    def faults(self) -> Faults:
        return self._faults

    def set_faults(self, faults: Faults) -> None:
        with self._lock:
            self._faults = faults
            self._fault_random = random.Random(FAULT_RANDOM_SEED)
            self._admitted.clear()

    def decide_fault(self, path: str) -> FaultDecision:
        """Draw this request's fate under the current faults (rate limit counted on arrival)."""
        with self._lock:
            faults = self._faults
            if not faults.applies_to(path):
                return FaultDecision()
            latency = faults.latency_ms
            if faults.rate_limit_rps is not None and not self._admit_within_rate(faults):
                return FaultDecision(latency, status=429, retry_after=faults.retry_after)
            if faults.drop_rate and self._fault_random.random() < faults.drop_rate:
                return FaultDecision(latency, drop=True)
            if faults.error_rate and self._fault_random.random() < faults.error_rate:
                retry_after = faults.retry_after if faults.error_status == 429 else None
                return FaultDecision(latency, status=faults.error_status, retry_after=retry_after)
            return FaultDecision(latency)

    def _admit_within_rate(self, faults: Faults) -> bool:
        """A sliding one-second window: admit while fewer than `rate_limit_rps` were admitted."""
        now = time.monotonic()
        while self._admitted and now - self._admitted[0] >= 1.0:
            self._admitted.popleft()
        if len(self._admitted) >= faults.rate_limit_rps:
            return False
        self._admitted.append(now)
        return True

    # --- request log -----------------------------------------------------------------------

    def log_request(self, entry: LoggedRequest) -> None:
        with self._lock:
            self._requests.append(entry)

    def requests(self) -> list[dict[str, Any]]:
        with self._lock:
            return [asdict(entry) for entry in self._requests]

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    # --- tokens ----------------------------------------------------------------------------

    def record_token(self, user_id: str, token_id: str) -> None:
        with self._lock:
            self._tokens.issued.setdefault(user_id, []).append(token_id)

    def revoke_tokens(self, user_id: str) -> None:
        with self._lock:
            self._tokens.revoked_ids.update(self._tokens.issued.pop(user_id, []))
            self._tokens.revoked_before[user_id] = int(self.now().timestamp())

    def is_token_revoked(self, user_id: str, token_id: str, issued_at: int) -> bool:
        with self._lock:
            if token_id in self._tokens.revoked_ids:
                return True
            return issued_at < self._tokens.revoked_before.get(user_id, 0)

    # --- outbox ----------------------------------------------------------------------------

    def send_email(self, *, to: str, subject: str, body: str, kind: str, **meta: Any) -> None:
        with self._lock:
            self._outbox.append(
                {
                    "to": to,
                    "subject": subject,
                    "body": body,
                    "kind": kind,
                    "meta": meta,
                    "at": format_timestamp(self.now()),
                }
            )

    def outbox(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._outbox)


class DatabaseGate:
    """A readers-writer gate: requests share it, a reset takes it alone.

    A reset overwrites the database under the feet of every connection; it must not do so in
    the middle of a request's transaction.
    """

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._readers = 0
        self._writing = False

    @contextmanager
    def shared(self) -> Iterator[None]:
        with self._condition:
            self._condition.wait_for(lambda: not self._writing)
            self._readers += 1
        try:
            yield
        finally:
            with self._condition:
                self._readers -= 1
                self._condition.notify_all()

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        with self._condition:
            self._condition.wait_for(lambda: not self._writing)
            self._writing = True
            self._condition.wait_for(lambda: self._readers == 0)
        try:
            yield
        finally:
            with self._condition:
                self._writing = False
                self._condition.notify_all()


def format_timestamp(moment: datetime) -> str:
    """ISO 8601 UTC with milliseconds and `Z`, the one timestamp format on the wire."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


STATE = ControlState()
DATABASE_GATE = DatabaseGate()
