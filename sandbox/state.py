"""The sandbox's control state: faults, clock offset, request log, revoked tokens and the outbox.

The sandbox serves from several processes (sandbox/server.py), and a fault set through one must
hold in all of them, a rate limit must count every process's requests, and the request log must
list them all. So the state lives in a small SQLite file of its own beside the database
(`control_path`), shared by every process and thread, each with its own connection. It is not
part of the seeded database: `reset` restores that from its snapshot and clears this.

`serve` clears it at start, so nothing here survives a restart.
"""

import fcntl
import hashlib
import json
import os
import re
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

# Enough for a benchmark's worth of requests, bounded so a long run cannot fill the disk.
REQUEST_LOG_LIMIT = 100_000
_TRIM_EVERY = 1_000
# Fault decisions are drawn from a sequence fixed by this seed and restarted whenever faults
# are set, so a given sequence of requests meets the same faults on every run.
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

    @property
    def draws_state(self) -> bool:
        """Whether deciding a request's fate counts it (rate limit) or draws a random number."""
        return self.rate_limit_rps is not None or bool(self.drop_rate or self.error_rate)

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


_LOG_COLUMNS = tuple(field.name for field in fields(LoggedRequest))

_SCHEMA = """
CREATE TABLE IF NOT EXISTS control (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    faults TEXT NOT NULL,
    draws INTEGER NOT NULL,
    clock_offset REAL NOT NULL
);
INSERT OR IGNORE INTO control VALUES (1, '{}', 0, 0);
CREATE TABLE IF NOT EXISTS admitted (at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS admitted_at ON admitted (at);
CREATE TABLE IF NOT EXISTS request_log (
    id INTEGER PRIMARY KEY,
    method TEXT, path TEXT, query TEXT, status INTEGER, ms REAL, bodySha256 TEXT, at TEXT
);
CREATE TABLE IF NOT EXISTS issued_token (user_id TEXT NOT NULL, token_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS issued_token_user ON issued_token (user_id);
CREATE TABLE IF NOT EXISTS revoked_token (token_id TEXT PRIMARY KEY);
-- Tokens with an `iat` before this second were issued before revocation, possibly by an
-- earlier run of the sandbox whose ledger is gone.
CREATE TABLE IF NOT EXISTS revoked_before (user_id TEXT PRIMARY KEY, at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS outbox (id INTEGER PRIMARY KEY, email TEXT NOT NULL);
-- Where a platform posts its webhooks (set through a control endpoint), and each attempt made.
CREATE TABLE IF NOT EXISTS webhook_target (name TEXT PRIMARY KEY, url TEXT NOT NULL,
                                           secret TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS webhook_delivery (id INTEGER PRIMARY KEY, name TEXT NOT NULL,
                                             delivery TEXT NOT NULL);
"""
_CLEARED_TABLES = ("admitted", "request_log", "issued_token", "revoked_token", "revoked_before",
                   "outbox", "webhook_target", "webhook_delivery")  # fmt: skip
# Control state a platform keeps for itself (sandbox/naxon/deliveries.py: the webhook's settings
# and delivery log) joins the file through `register_tables`: created with the rest, emptied by
# reset. Registered when Django sets up, before any connection is opened.
_PLATFORM_SCHEMAS: list[str] = []
_PLATFORM_TABLES: list[str] = []


def register_tables(schema: str, tables: tuple[str, ...]) -> None:
    _PLATFORM_SCHEMAS.append(schema)
    _PLATFORM_TABLES.extend(tables)


def control_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".control")


class ControlState:
    """One connection per thread (and per process: none crosses a fork) to the control file."""

    def __init__(self, path: Path | None = None) -> None:
        self._path = path
        self._local = threading.local()

    @property
    def path(self) -> Path:
        if self._path is None:
            from django.conf import settings

            self._path = control_path(settings.DB_PATH)
        return self._path

    def _db(self) -> sqlite3.Connection:
        local = self._local
        if getattr(local, "pid", None) != os.getpid():
            # isolation_level=None: autocommit, with transactions opened explicitly below.
            local.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            local.db.executescript(
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                + _SCHEMA
                + "".join(_PLATFORM_SCHEMAS)
            )
            local.writer_lock = os.open(f"{self.path}.writer", os.O_RDWR | os.O_CREAT, 0o600)
            local.pid = os.getpid()
        return local.db

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """A write transaction. Writers queue on a flock first: SQLite's own busy handler
        would make a writer that finds the lock taken sleep a millisecond or more, for a
        transaction that takes microseconds."""
        db = self._db()
        writer_lock = self._local.writer_lock
        fcntl.flock(writer_lock, fcntl.LOCK_EX)
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        finally:
            fcntl.flock(writer_lock, fcntl.LOCK_UN)

    def reset(self) -> None:
        with self._writing() as db:
            for table in (*_CLEARED_TABLES, *_PLATFORM_TABLES):
                db.execute(f"DELETE FROM {table}")  # noqa: S608 - names from a constant
            db.execute("UPDATE control SET faults = '{}', draws = 0, clock_offset = 0")

    def connection(self) -> sqlite3.Connection:
        """This thread's connection, for reads of a platform's own tables (register_tables)."""
        return self._db()

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        """A write transaction, for a platform's own tables (register_tables)."""
        return self._writing()

    # --- clock -----------------------------------------------------------------------------

    def now(self) -> datetime:
        """The sandbox's idea of now: real UTC time moved by the clock offset."""
        return datetime.now(UTC) + timedelta(seconds=self.clock_offset())

    def clock_offset(self) -> float:
        return self._db().execute("SELECT clock_offset FROM control").fetchone()[0]

    def set_clock_offset(self, seconds: float) -> None:
        with self._writing() as db:
            db.execute("UPDATE control SET clock_offset = ?", (seconds,))

    # --- faults ----------------------------------------------------------------------------

    def faults(self) -> Faults:
        return _parse_faults(self._db().execute("SELECT faults FROM control").fetchone()[0])

    def set_faults(self, faults: Faults) -> None:
        stored = json.dumps(
            {field.name: getattr(faults, field.name) for field in fields(Faults)}, sort_keys=True
        )
        with self._writing() as db:
            db.execute("UPDATE control SET faults = ?, draws = 0", (stored,))
            db.execute("DELETE FROM admitted")

    def decide_fault(self, path: str) -> FaultDecision:
        """Draw this request's fate under the current faults (rate limit counted on arrival)."""
        faults = self.faults()
        if not faults.applies_to(path):
            return FaultDecision()
        if not faults.draws_state:
            return FaultDecision(faults.latency_ms)
        with self._writing() as db:
            # Read again inside the transaction: faults may have changed since.
            faults_text, draws = db.execute("SELECT faults, draws FROM control").fetchone()
            faults = _parse_faults(faults_text)
            decision, draws_used = _decide(db, faults, draws)
            if draws_used:
                db.execute("UPDATE control SET draws = draws + ?", (draws_used,))
        return decision

    # --- request log -----------------------------------------------------------------------

    def log_request(self, entry: LoggedRequest) -> None:
        values = tuple(getattr(entry, name) for name in _LOG_COLUMNS)
        with self._writing() as db:
            row_id = db.execute(
                f"INSERT INTO request_log ({', '.join(_LOG_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?)",  # noqa: S608
                values,
            ).lastrowid
            if row_id % _TRIM_EVERY == 0:
                db.execute("DELETE FROM request_log WHERE id <= ?", (row_id - REQUEST_LOG_LIMIT,))

    def requests(self) -> list[dict[str, Any]]:
        rows = self._db().execute(
            f"SELECT {', '.join(_LOG_COLUMNS)} FROM request_log ORDER BY id"  # noqa: S608
        )
        return [dict(zip(_LOG_COLUMNS, row, strict=True)) for row in rows]

    def clear_requests(self) -> None:
        with self._writing() as db:
            db.execute("DELETE FROM request_log")

    # --- tokens ----------------------------------------------------------------------------

    def record_token(self, user_id: str, token_id: str) -> None:
        with self._writing() as db:
            db.execute("INSERT INTO issued_token VALUES (?, ?)", (user_id, token_id))

    def revoke_tokens(self, user_id: str) -> None:
        revoked_at = int(self.now().timestamp())
        with self._writing() as db:
            db.execute(
                "INSERT OR IGNORE INTO revoked_token "
                "SELECT token_id FROM issued_token WHERE user_id = ?",
                (user_id,),
            )
            db.execute("DELETE FROM issued_token WHERE user_id = ?", (user_id,))
            db.execute("INSERT OR REPLACE INTO revoked_before VALUES (?, ?)", (user_id, revoked_at))

    def is_token_revoked(self, user_id: str, token_id: str, issued_at: int) -> bool:
        [revoked] = (
            self._db()
            .execute(
                "SELECT EXISTS (SELECT 1 FROM revoked_token WHERE token_id = ?)"
                " OR ? < COALESCE((SELECT at FROM revoked_before WHERE user_id = ?), 0)",
                (token_id, issued_at, user_id),
            )
            .fetchone()
        )
        return bool(revoked)

    # --- outbox ----------------------------------------------------------------------------

    def send_email(self, *, to: str, subject: str, body: str, kind: str, **meta: Any) -> None:
        email = {
            "to": to,
            "subject": subject,
            "body": body,
            "kind": kind,
            "meta": meta,
            "at": format_timestamp(self.now()),
        }
        with self._writing() as db:
            db.execute("INSERT INTO outbox (email) VALUES (?)", (json.dumps(email),))

    def outbox(self) -> list[dict[str, Any]]:
        rows = self._db().execute("SELECT email FROM outbox ORDER BY id")
        return [json.loads(email) for (email,) in rows]

    # --- outbound webhooks -----------------------------------------------------------------
    # `name` says whose webhook it is (a platform, and an account where it has several).

    def set_webhook_target(self, name: str, url: str, secret: str) -> None:
        with self._writing() as db:
            db.execute(
                "INSERT OR REPLACE INTO webhook_target VALUES (?, ?, ?)", (name, url, secret)
            )

    def clear_webhook_target(self, name: str) -> None:
        with self._writing() as db:
            db.execute("DELETE FROM webhook_target WHERE name = ?", (name,))

    def webhook_target(self, name: str) -> tuple[str, str] | None:
        """(url, secret), or None when no webhook is set."""
        row = (
            self._db()
            .execute("SELECT url, secret FROM webhook_target WHERE name = ?", (name,))
            .fetchone()
        )
        return (row[0], row[1]) if row else None

    def log_webhook_delivery(self, name: str, delivery: dict[str, Any]) -> None:
        with self._writing() as db:
            db.execute(
                "INSERT INTO webhook_delivery (name, delivery) VALUES (?, ?)",
                (name, json.dumps(delivery)),
            )

    def webhook_deliveries(self, name_prefix: str) -> list[dict[str, Any]]:
        """Every attempt logged under a name starting with `name_prefix`, oldest first."""
        rows = self._db().execute(
            "SELECT delivery FROM webhook_delivery WHERE substr(name, 1, ?) = ? ORDER BY id",
            (len(name_prefix), name_prefix),
        )
        return [json.loads(delivery) for (delivery,) in rows]


@lru_cache(maxsize=64)
def _parse_faults(stored: str) -> Faults:
    """Faults from their stored JSON (cached: every platform request reads them)."""
    return Faults(**json.loads(stored))


def _decide(db: sqlite3.Connection, faults: Faults, draws: int) -> tuple[FaultDecision, int]:
    """The decision, and how many numbers of the fault sequence it used."""
    latency = faults.latency_ms
    if faults.rate_limit_rps is not None and not _admit_within_rate(db, faults.rate_limit_rps):
        return FaultDecision(latency, status=429, retry_after=faults.retry_after), 0
    used = 0
    if faults.drop_rate:
        used += 1
        if _fault_number(draws + used) < faults.drop_rate:
            return FaultDecision(latency, drop=True), used
    if faults.error_rate:
        used += 1
        if _fault_number(draws + used) < faults.error_rate:
            retry_after = faults.retry_after if faults.error_status == 429 else None
            return FaultDecision(latency, status=faults.error_status, retry_after=retry_after), used
    return FaultDecision(latency), used


def _fault_number(position: int) -> float:
    """The `position`-th number in [0, 1) of the fault sequence: the same in every process."""
    digest = hashlib.blake2b(f"{FAULT_RANDOM_SEED}:{position}".encode(), digest_size=8).digest()
    return int.from_bytes(digest) / 2**64


def _admit_within_rate(db: sqlite3.Connection, rate_limit_rps: float) -> bool:
    """A sliding one-second window: admit while fewer than the limit were admitted in it.

    CLOCK_MONOTONIC is one clock for every process of the machine, and never jumps."""
    now = time.monotonic()
    db.execute("DELETE FROM admitted WHERE at <= ?", (now - 1.0,))
    [admitted] = db.execute("SELECT COUNT(*) FROM admitted").fetchone()
    if admitted >= rate_limit_rps:
        return False
    db.execute("INSERT INTO admitted VALUES (?)", (now,))
    return True


class DatabaseGate:
    """A readers-writer gate across the sandbox's processes: requests share it, a reset takes
    it alone (a reset overwrites the database under every connection; it must not do so in the
    middle of a request).

    Built on flock(2), whose locks belong to an open file: each thread opens the lock files
    itself, so that its lock conflicts with those of the other threads as with other processes.
    A turnstile, taken briefly by readers and held by the writer, keeps a stream of requests
    from starving a reset.
    """

    def __init__(self, path: Path | None = None) -> None:
        self._path = path
        self._local = threading.local()

    def _files(self) -> tuple[int, int]:
        local = self._local
        if getattr(local, "pid", None) != os.getpid():
            base = self._path or STATE.path
            local.turnstile = os.open(f"{base}.turnstile", os.O_RDWR | os.O_CREAT, 0o600)
            local.gate = os.open(f"{base}.gate", os.O_RDWR | os.O_CREAT, 0o600)
            local.pid = os.getpid()
        return local.turnstile, local.gate

    @contextmanager
    def shared(self) -> Iterator[None]:
        turnstile, gate = self._files()
        fcntl.flock(turnstile, fcntl.LOCK_EX)
        fcntl.flock(gate, fcntl.LOCK_SH)
        fcntl.flock(turnstile, fcntl.LOCK_UN)
        try:
            yield
        finally:
            fcntl.flock(gate, fcntl.LOCK_UN)

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        turnstile, gate = self._files()
        fcntl.flock(turnstile, fcntl.LOCK_EX)
        try:
            fcntl.flock(gate, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(gate, fcntl.LOCK_UN)
        finally:
            fcntl.flock(turnstile, fcntl.LOCK_UN)


def format_timestamp(moment: datetime) -> str:
    """ISO 8601 UTC with milliseconds and `Z`, the one timestamp format on the wire.

    A naive moment is UTC: rows read with SQL hold them so. `isoformat` is much cheaper than
    `strftime` (bench/README.md), and a list page formats hundreds; but it pads years below
    1000 to four digits, where the format has always written them as `strftime` does."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    if moment.year < 1000:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    return moment.isoformat(timespec="milliseconds") + "Z"


STATE = ControlState()
DATABASE_GATE = DatabaseGate()
