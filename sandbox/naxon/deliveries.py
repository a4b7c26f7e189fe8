"""The keyword webhook's settings and delivery log, kept in the sandbox's shared control file
(sandbox/state.py) so that every process reads the same: a trigger handled by one process is
delivered by that process, and any process can answer what was delivered.

Tables:
- `naxon_webhook`: the one webhook (URL, watched keywords, how it retries).
- `naxon_delivery`: one row per POST the sandbox makes or will make, with its attempts. A
  redelivery is a row of its own carrying the same notification (same body) as an earlier one.
- `naxon_burst`: bursts under way; a burst's producer stops when its row is gone.

A reset (or clearing the log) empties them; a delivery whose row is gone is abandoned by the
thread that was sending it, so nothing from before a reset lands in the log after it.
"""

import json
from dataclasses import dataclass
from typing import Any

from sandbox.state import STATE, format_timestamp, register_tables

_SCHEMA = """
CREATE TABLE IF NOT EXISTS naxon_webhook (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    url TEXT NOT NULL,
    keywords TEXT NOT NULL,
    timeout REAL NOT NULL,
    retry_delay REAL NOT NULL,
    max_attempts INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS naxon_delivery (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    notification TEXT NOT NULL,
    redelivery INTEGER NOT NULL,
    burst TEXT,
    url TEXT NOT NULL,
    keyword TEXT NOT NULL,
    conversation_id INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    body TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS naxon_delivery_burst ON naxon_delivery (burst);
CREATE TABLE IF NOT EXISTS naxon_burst (id TEXT PRIMARY KEY);
"""
register_tables(_SCHEMA, ("naxon_webhook", "naxon_delivery", "naxon_burst"))

PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"


@dataclass(frozen=True)
class Webhook:
    url: str
    keywords: tuple[str, ...]
    timeout: float
    retry_delay: float
    max_attempts: int

    def to_json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "keywords": list(self.keywords),
            "timeoutSeconds": self.timeout,
            "retryDelaySeconds": self.retry_delay,
            "maxAttempts": self.max_attempts,
        }


@dataclass(frozen=True)
class NewDelivery:
    notification: str
    redelivery: bool
    burst: str | None
    url: str
    keyword: str
    conversation_id: int
    message_id: int
    body: bytes


# --- the webhook -------------------------------------------------------------------------------


def webhook() -> Webhook | None:
    row = (
        STATE.connection()
        .execute("SELECT url, keywords, timeout, retry_delay, max_attempts FROM naxon_webhook")
        .fetchone()
    )
    if row is None:
        return None
    url, keywords, timeout, retry_delay, max_attempts = row
    return Webhook(url, tuple(json.loads(keywords)), timeout, retry_delay, max_attempts)


def set_webhook(hook: Webhook) -> None:
    with STATE.transaction() as db:
        db.execute(
            "INSERT OR REPLACE INTO naxon_webhook VALUES (1, ?, ?, ?, ?, ?)",
            (
                hook.url,
                json.dumps(hook.keywords),
                hook.timeout,
                hook.retry_delay,
                hook.max_attempts,
            ),
        )


def clear_webhook() -> None:
    with STATE.transaction() as db:
        db.execute("DELETE FROM naxon_webhook")


# --- the delivery log --------------------------------------------------------------------------


def add_deliveries(planned: list[NewDelivery]) -> list[int]:
    """Log them as pending; their ids, in order. A burst's are logged only while it runs."""
    created_at = format_timestamp(STATE.now())
    ids = []
    with STATE.transaction() as db:
        for item in planned:
            if item.burst and not _burst_running(db, item.burst):
                return ids
            ids.append(
                db.execute(
                    "INSERT INTO naxon_delivery (notification, redelivery, burst, url, keyword,"
                    " conversation_id, message_id, body, state, attempts, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', ?)",
                    (
                        item.notification,
                        int(item.redelivery),
                        item.burst,
                        item.url,
                        item.keyword,
                        item.conversation_id,
                        item.message_id,
                        item.body.decode(),
                        PENDING,
                        created_at,
                    ),
                ).lastrowid
            )
    return ids


def record_attempt(delivery_id: int, attempt: dict[str, Any], state: str) -> bool:
    """Add an attempt and set the state; False when the delivery is no longer in the log
    (reset or cleared): its sender then stops."""
    with STATE.transaction() as db:
        cursor = db.execute(
            "UPDATE naxon_delivery SET attempts = json_insert(attempts, '$[#]', json(?)),"
            " state = ? WHERE id = ?",
            (json.dumps(attempt), state, delivery_id),
        )
        return cursor.rowcount == 1


def is_pending(delivery_id: int) -> bool:
    row = (
        STATE.connection()
        .execute("SELECT state FROM naxon_delivery WHERE id = ?", (delivery_id,))
        .fetchone()
    )
    return row is not None and row[0] == PENDING


def deliveries(*, after: int = 0, limit: int, burst: str | None = None) -> list[dict[str, Any]]:
    condition, values = ("AND burst = ?", [burst]) if burst else ("", [])
    rows = STATE.connection().execute(
        "SELECT id, notification, redelivery, burst, url, keyword, conversation_id, message_id,"
        " body, state, attempts, created_at FROM naxon_delivery"
        f" WHERE id > ? {condition} ORDER BY id LIMIT ?",
        [after, *values, limit],
    )
    return [_delivery_json(row) for row in rows]


def summary(burst: str | None = None) -> dict[str, int]:
    condition, values = ("WHERE burst = ?", [burst]) if burst else ("", [])
    counts = dict.fromkeys((PENDING, DELIVERED, FAILED), 0)
    rows = STATE.connection().execute(
        f"SELECT state, COUNT(*) FROM naxon_delivery {condition} GROUP BY state", values
    )
    counts.update(dict(rows.fetchall()))
    redelivered = STATE.connection().execute(
        f"SELECT COUNT(*) FROM naxon_delivery {condition or 'WHERE 1'} AND redelivery = 1",
        values,
    )
    return {
        "total": sum(counts.values()),
        **counts,
        "redeliveries": redelivered.fetchone()[0],
    }


def clear_deliveries() -> None:
    """Empty the log and end bursts under way (their senders stop)."""
    with STATE.transaction() as db:
        db.execute("DELETE FROM naxon_delivery")
        db.execute("DELETE FROM naxon_burst")


def _delivery_json(row: tuple) -> dict[str, Any]:
    (delivery_id, notification, redelivery, burst, url, keyword, conversation_id, message_id,
     body, state, attempts, created_at) = row  # fmt: skip
    return {
        "id": delivery_id,
        "notification": notification,
        "redelivery": bool(redelivery),
        "burst": burst,
        "url": url,
        "keyword": keyword,
        "conversationId": conversation_id,
        "messageId": message_id,
        "state": state,
        "attempts": json.loads(attempts),
        "body": json.loads(body),
        "createdAt": created_at,
    }


# --- bursts ------------------------------------------------------------------------------------


def start_burst(burst_id: str) -> None:
    with STATE.transaction() as db:
        db.execute("INSERT INTO naxon_burst VALUES (?)", (burst_id,))


def burst_running(burst_id: str) -> bool:
    return _burst_running(STATE.connection(), burst_id)


def _burst_running(db: Any, burst_id: str) -> bool:
    return db.execute("SELECT 1 FROM naxon_burst WHERE id = ?", (burst_id,)).fetchone() is not None


def end_burst(burst_id: str) -> None:
    with STATE.transaction() as db:
        db.execute("DELETE FROM naxon_burst WHERE id = ?", (burst_id,))
