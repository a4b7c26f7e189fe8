"""The `keyword-notification` webhook (doc: seeds/001): when a message of a conversation
contains a watched keyword, Naxon POSTs `{"event": "keyword-notification", "payload":
<the conversation, plus "keyword">}` to the team's URL.

The document says nothing more; everything else is a guess, each in one place: which messages
match (rules.keywords_in), how deliveries are retried (rules.RetryPolicy), and the payload
(`notification` here): the conversation as it was when the message arrived, so that
`most_recent_message` is the message that matched and `updated_at` its time.

Deliveries are made by the process that handled the trigger, from background threads (the
`Courier`), and logged in the shared control state (deliveries.py), which tests read.
"""

import os
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from heapq import heappop, heappush
from itertools import count
from typing import Any, Self

import httpx
import orjson

from sandbox.naxon import deliveries, queries, serializers
from sandbox.naxon.deliveries import DELIVERED, FAILED, PENDING, NewDelivery, Webhook
from sandbox.naxon.ids import ulid
from sandbox.naxon.rules import EVENT, RetryPolicy
from sandbox.state import STATE, format_timestamp


@dataclass(frozen=True)
class Arrival:
    """A message as it arrived: its conversation then, and the conversation's recent messages
    then (at most rules.RECENT_MESSAGES, oldest first, this message last)."""

    conversation: queries.ConversationRow
    message: queries.MessageRow
    recent: list[queries.MessageRow]

    @classmethod
    def of(cls, conversation: queries.ConversationRow, message: queries.MessageRow) -> Self:
        """A stored message's arrival, read back from the database."""
        return cls(conversation, message, queries.messages_up_to(conversation.id, message.seq))


def notification(arrival: Arrival, keyword: str) -> bytes:
    """The body of one notification: the conversation as it was when the message arrived."""
    as_it_was = arrival.conversation._replace(updated_at=arrival.message.created_at)
    payload = {**serializers.conversation(as_it_was, arrival.recent), "keyword": keyword}
    return orjson.dumps({"event": EVENT, "payload": payload})


def notify(hook: Webhook | None, arrival: Arrival, keywords: Sequence[str]) -> list[int]:
    """Send one notification per keyword (in the background); the ids of their deliveries."""
    if hook is None:
        return []
    return send(hook, [planned_delivery(hook, arrival, keyword) for keyword in keywords])


def planned_delivery(
    hook: Webhook, arrival: Arrival, keyword: str, burst: str | None = None
) -> NewDelivery:
    """A new notification of the arrival for `keyword`, to the webhook's URL."""
    return NewDelivery(
        notification=new_notification_id(),
        redelivery=False,
        burst=burst,
        url=hook.url,
        keyword=keyword,
        conversation_id=arrival.conversation.id,
        message_id=arrival.message.id,
        body=notification(arrival, keyword),
    )


def send(hook: Webhook, planned: list[NewDelivery]) -> list[int]:
    """Log the deliveries and send them now, in the background; their ids."""
    ids = deliveries.add_deliveries(planned)
    now = time.monotonic()
    courier().send([(i, item, now) for i, item in zip(ids, planned, strict=True)], retries_of(hook))
    return ids


def new_notification_id() -> str:
    return f"ntf_{ulid(STATE.now())}"


def retries_of(hook: Webhook) -> RetryPolicy:
    return RetryPolicy(hook.max_attempts, hook.retry_delay, hook.timeout)


# --- sending -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Job:
    delivery_id: int
    url: str
    body: bytes
    retries: RetryPolicy
    attempt: int = 1


class Courier:
    """Sends deliveries from a few threads of this process: a scheduler thread keeps the jobs
    in order of when they are due (first attempts and retries alike) and hands each to a pool
    of senders when its time comes."""

    SENDERS = 16

    def __init__(self) -> None:
        self._due: list[tuple[float, int, _Job]] = []
        self._order = count()
        self._wakeup = threading.Condition()
        self._senders = ThreadPoolExecutor(self.SENDERS, thread_name_prefix="naxon-webhook")
        limits = httpx.Limits(max_connections=self.SENDERS, max_keepalive_connections=self.SENDERS)
        self._http = httpx.Client(
            limits=limits,
            follow_redirects=False,
            headers={"Content-Type": "application/json", "User-Agent": "naxon-sandbox-webhook"},
        )
        threading.Thread(target=self._schedule, name="naxon-webhook-clock", daemon=True).start()

    def send(self, planned: Sequence[tuple[int, NewDelivery, float]], retries: RetryPolicy) -> None:
        """Send each (delivery id, delivery, monotonic time due) then, or as soon after."""
        self._schedule_jobs(
            [
                (due, _Job(delivery_id, item.url, item.body, retries))
                for delivery_id, item, due in planned
            ]
        )

    def _schedule_jobs(self, jobs: list[tuple[float, _Job]]) -> None:
        with self._wakeup:
            for at, job in jobs:
                heappush(self._due, (at, next(self._order), job))
            self._wakeup.notify()

    def _schedule(self) -> None:
        while True:
            with self._wakeup:
                while not self._due or self._due[0][0] > time.monotonic():
                    self._wakeup.wait(self._due[0][0] - time.monotonic() if self._due else None)
                _, _, job = heappop(self._due)
            self._senders.submit(self._attempt, job)

    def _attempt(self, job: _Job) -> None:
        if not deliveries.is_pending(job.delivery_id):
            return  # reset or cleared since it was scheduled: abandoned
        succeeded, record = self._post(job)
        last = job.attempt >= job.retries.max_attempts
        state = DELIVERED if succeeded else FAILED if last else PENDING
        if not deliveries.record_attempt(job.delivery_id, record, state):
            return  # reset or cleared while it was sent: abandoned
        if state == PENDING:
            retry = _Job(job.delivery_id, job.url, job.body, job.retries, job.attempt + 1)
            due = time.monotonic() + job.retries.delay_before(retry.attempt)
            self._schedule_jobs([(due, retry)])

    def _post(self, job: _Job) -> tuple[bool, dict[str, Any]]:
        """One attempt: whether it was answered 2xx, and what the log keeps of it."""
        started = time.perf_counter()
        record: dict[str, Any] = {"at": format_timestamp(STATE.now()), "status": None}
        try:
            answer = self._http.post(job.url, content=job.body, timeout=job.retries.timeout)
        except httpx.TimeoutException:
            succeeded, record["error"] = False, "timeout"
        except Exception as problem:  # whatever stopped the POST, the attempt failed:
            # a sender thread that died here would leave the delivery pending for good.
            succeeded, record["error"] = False, type(problem).__name__
        else:
            record["status"] = answer.status_code
            succeeded = answer.is_success
            record["error"] = None if succeeded else f"answered {answer.status_code}"
        record["ms"] = round((time.perf_counter() - started) * 1000, 2)
        return succeeded, record


_COURIERS: dict[int, Courier] = {}
_COURIER_LOCK = threading.Lock()


def courier() -> Courier:
    """This process's courier, started on first use: in each worker, after gunicorn forked it
    (threads do not cross a fork, so a parent's courier would have none)."""
    with _COURIER_LOCK:
        if os.getpid() not in _COURIERS:
            _COURIERS[os.getpid()] = Courier()
        return _COURIERS[os.getpid()]
