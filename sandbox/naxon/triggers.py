"""What makes the sandbox post keyword notifications, for tests and benchmarks: a message
injected into a conversation (as if its customer had written it), a command to notify one
message (seeded or injected) once or a few times, and a burst of many new messages.

Each writes to the seeded database as a platform request would, holding the database gate
(sandbox/state.py) so that a reset never overwrites it half-way.
"""

import random
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, timedelta

from django.db import connection, transaction

from sandbox.database import first_row
from sandbox.naxon import deliveries, queries, webhook
from sandbox.naxon.deliveries import NewDelivery, Webhook
from sandbox.naxon.ids import ulid
from sandbox.naxon.queries import ConversationRow, MessageRow
from sandbox.naxon.rules import RECENT_MESSAGES, keywords_in
from sandbox.naxon.webhook import Arrival
from sandbox.state import DATABASE_GATE, STATE

# A burst writes its messages this many at a time, each to another conversation.
BURST_BATCH = 100
# A redelivery repeats one of the last notifications of its burst.
REDELIVERY_WINDOW = 50
# What a burst's customers write: one watched keyword each.
BURST_TEXTS = {
    "refund": "Still waiting for my refund, ref {n}.",
    "cancel": "Please cancel my subscription, ref {n}.",
    "lawyer": "I am calling my lawyer about ref {n}.",
}
OTHER_BURST_TEXT = "A question about {keyword}, ref {n}."


class NotFound(LookupError):
    """No such conversation or message."""


@dataclass(frozen=True)
class Injected:
    message: MessageRow
    keywords: list[str]
    deliveries: list[int]


def inject_message(conversation_id: int, text: str, sender: str) -> Injected:
    """Store a new message in the conversation and notify each watched keyword it contains."""
    with DATABASE_GATE.shared():
        with transaction.atomic():
            conversation = queries.conversation(conversation_id)
            if conversation is None:
                raise NotFound("Conversation")
            recent = queries.recent_messages([conversation.id]).get(conversation.id, [])
            [arrival] = _store_messages([(conversation, recent, text)], sender)
        hook = deliveries.webhook()
        keywords = keywords_in(text, hook.keywords) if hook else []
        return Injected(arrival.message, keywords, webhook.notify(hook, arrival, keywords))


def _store_messages(
    new: Sequence[tuple[ConversationRow, list[MessageRow], str]], sender: str
) -> list[Arrival]:
    """One new message in each conversation (given with its recent messages), inside the
    caller's transaction. Ids follow the largest so far: the transaction holds the write lock,
    so no other process takes the same. A message comes a second after its conversation's last
    at the earliest, so that `seq` (from the time) sorts it last even when the sandbox's clock
    was moved back."""
    now = STATE.now().replace(microsecond=0, tzinfo=None)  # naive UTC, as rows hold it
    (largest_id,) = first_row("SELECT COALESCE(MAX(id), 0) FROM naxon_message")
    arrivals = []
    for number, (conversation, recent, text) in enumerate(new, start=1):
        created_at = now
        if recent:
            created_at = max(now, queries.as_naive(recent[-1].created_at) + timedelta(seconds=1))
        seq = ulid(created_at.replace(tzinfo=UTC))
        message = MessageRow(largest_id + number, conversation.id, seq, sender, text, created_at)
        arrivals.append(
            Arrival(
                conversation._replace(updated_at=created_at),
                message,
                [*recent, message][-RECENT_MESSAGES:],
            )
        )
    stored = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO naxon_message (id, conversation_id, seq, sender, message, created_at)"
            " VALUES (%s, %s, %s, %s, %s, %s)",
            [(*arrival.message[:5], stored(arrival.message.created_at)) for arrival in arrivals],
        )
        cursor.executemany(
            "UPDATE naxon_conversation SET updated_at = %s WHERE id = %s",
            [(stored(item.message.created_at), item.conversation.id) for item in arrivals],
        )
    return arrivals


def newest_keyword_message(keywords: tuple[str, ...]) -> MessageRow | None:
    """The newest message that contains a watched keyword."""
    likes = " OR ".join(["message LIKE %s"] * len(keywords))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, message FROM naxon_message WHERE {likes} ORDER BY seq DESC",
            [f"%{keyword}%" for keyword in keywords],
        )
        for message_id, text in cursor:
            if keywords_in(text, keywords):
                return queries.message(message_id)
    return None


def notify_message(
    hook: Webhook, message_id: int | None, keyword: str | None, repeat: int
) -> tuple[MessageRow, list[str], list[int]]:
    """Notify one message (the newest with a watched keyword when none is named), once per
    watched keyword it contains (only `keyword`, when given), each sent `repeat` times: the
    same notification again, as a redelivery."""
    with DATABASE_GATE.shared():
        message = (
            queries.message(message_id)
            if message_id is not None
            else newest_keyword_message(hook.keywords)
        )
        if message is None:
            raise NotFound("Message")
        found = keywords_in(message.message, hook.keywords)
        keywords = ([keyword] if keyword in found else []) if keyword else found
        arrival = Arrival.of(queries.conversation(message.conversation_id), message)
        planned = []
        for matched in keywords:
            original = webhook.planned_delivery(hook, arrival, matched)
            planned += [original] + [replace(original, redelivery=True)] * (repeat - 1)
    return message, keywords, webhook.send(hook, planned)


# --- bursts ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Burst:
    id: str
    deliveries: int
    redeliveries: int
    per_second: float | None

    @property
    def distinct(self) -> int:
        return self.deliveries - self.redeliveries

    def is_redelivery(self, slot: int) -> bool:
        """Redeliveries spread evenly over the burst; the first delivery is never one."""
        total, repeats = self.deliveries, self.redeliveries
        return (slot + 1) * repeats // total > slot * repeats // total


def start_burst(
    hook: Webhook, count: int, redelivery_share: float, per_second: float | None
) -> Burst:
    """`count` deliveries: new customer messages, each with one watched keyword, spread over
    the seeded conversations, and a share of redeliveries of their notifications. Sent
    `per_second` (or as fast as the sandbox can), from threads of this process."""
    burst = Burst(
        id=f"bst_{ulid(STATE.now())}",
        deliveries=count,
        redeliveries=round(count * redelivery_share),
        per_second=per_second,
    )
    deliveries.start_burst(burst.id)
    threading.Thread(target=_produce, args=(burst, hook), name="naxon-burst", daemon=True).start()
    return burst


def _produce(burst: Burst, hook: Webhook) -> None:
    """Writes the burst's messages a batch at a time, ahead of their sending times; stops when
    the burst is no longer running (a reset, or the log cleared)."""
    try:
        with DATABASE_GATE.shared():
            conversations = _all_conversation_ids()
        rng = random.Random(burst.id)
        started: float | None = None  # when the first batch is ready: the pace counts from it
        interval = 1 / burst.per_second if burst.per_second else 0.0
        recent: list[NewDelivery] = []
        batch = min(BURST_BATCH, len(conversations))
        if not batch:
            return  # no conversation to write in
        for first_slot in range(0, burst.deliveries, batch):
            if not deliveries.burst_running(burst.id):
                return
            slots = range(first_slot, min(first_slot + batch, burst.deliveries))
            originals = sum(1 for slot in slots if not burst.is_redelivery(slot))
            fresh = iter(_burst_messages(burst, hook, conversations, first_slot, originals))
            planned = []
            for slot in slots:
                if burst.is_redelivery(slot):
                    planned.append(replace(rng.choice(recent), redelivery=True))
                    continue
                planned.append(next(fresh))
                recent = [*recent[-REDELIVERY_WINDOW + 1 :], planned[-1]]
            ids = deliveries.add_deliveries(planned)
            started = time.monotonic() if started is None else started
            due = [started + slot * interval for slot in slots]
            jobs = list(zip(ids, planned, due, strict=False))  # fewer ids: the burst ended
            webhook.courier().send(jobs, webhook.retries_of(hook))
    finally:
        deliveries.end_burst(burst.id)
        connection.close()


def _all_conversation_ids() -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM naxon_conversation ORDER BY id")
        return [row_id for (row_id,) in cursor.fetchall()]


def _burst_messages(
    burst: Burst, hook: Webhook, conversations: list[int], first_slot: int, count: int
) -> list[NewDelivery]:
    """`count` new messages, each in another conversation, and a notification of each."""
    numbers = range(first_slot, first_slot + count)
    chosen = [conversations[number % len(conversations)] for number in numbers]
    keywords = [hook.keywords[number % len(hook.keywords)] for number in numbers]
    with DATABASE_GATE.shared(), transaction.atomic():  # one commit for the batch
        found = {row.id: row for row in queries.conversations_by_id(chosen)}
        recent = queries.recent_messages(chosen)
        new = [
            (found[conversation_id], recent.get(conversation_id, []), _burst_text(keyword, number))
            for conversation_id, keyword, number in zip(chosen, keywords, numbers, strict=True)
        ]
        arrivals = _store_messages(new, "user")
    return [
        webhook.planned_delivery(hook, arrival, keyword, burst.id)
        for arrival, keyword in zip(arrivals, keywords, strict=True)
    ]


def _burst_text(keyword: str, number: int) -> str:
    return BURST_TEXTS.get(keyword, OTHER_BURST_TEXT).format(keyword=keyword, n=number + 1)
