"""Unknown items settled by reading back, before a person is asked.

An item becomes unknown when its request may or may not have reached the platform (a timeout,
a dropped connection, a runner killed while it was in flight); it is then marked `read_back =
due`. Where the kind's performer can read what it did (`can_read_back`: a Connextlive broadcast
reads the conversation's messages through the sender agent), the runner asks the platform once
the item was claimed, and became unknown, at least JOBS_READ_BACK_AFTER_SECONDS ago -- long
enough for a request still on its way to have been carried out:

- found: the item is done, "confirmed by reading back";
- certainly absent: it goes back to pending and is sent again (`read_back = resent`);
- anything else (the read failed, the answer is ambiguous): it stays unknown for a person,
  with what reading back said (`read_back = unclear`).

Kinds that cannot read back (ConnectiveOne's call_node) leave their unknowns to a person at once.
Every update names the state it leaves (unknown, due), so two runners reading back the same
item can never both act on it, and an item a person already retried is left alone.
"""

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import close_old_connections, connection
from django.utils import timezone
from django.utils.translation import gettext_noop

from dashboard.jobs.conf import setting
from dashboard.jobs.kinds import Answer, ItemSpec, ReadBackAnswer
from dashboard.jobs.models import JobItem, ReadBack
from dashboard.jobs.running import pace

logger = logging.getLogger(__name__)

ItemState = JobItem.State
BATCH = 200
CONFIRMED = "confirmed by reading back"
# Stored in English on the item; said in the reader's language where shown (job_tags.stored).
RESENT_NOTE = gettext_noop("Not found by reading back: sent again.")


@dataclass(frozen=True)
class Settled:
    again: bool = False  # items went back to pending, or more are due now: send, then again
    wait_until: datetime | None = None  # due items too recent to read back yet


def settle_unknowns(sender: Any, pool: ThreadPoolExecutor) -> Settled:
    """Read back the sender's job's due unknown items (a Sender of runner.py)."""
    job, performer, kind = sender.job, sender.performer, sender.kind
    due = JobItem.objects.filter(job_id=job.pk, state=ItemState.UNKNOWN, read_back=ReadBack.DUE)
    if not performer.can_read_back:
        due.update(read_back=ReadBack.NONE)  # for a person to decide
        return Settled()
    now = timezone.now()
    after = timedelta(seconds=setting("JOBS_READ_BACK_AFTER_SECONDS"))
    items = list(
        due.order_by("id").only(
            "id", "key", "label", "payload", "error", "claimed_at", "updated_at"
        )[:BATCH]
    )
    if not items:
        return Settled()
    ready = [item for item in items if _eligible(item) + after <= now]
    if not ready:
        return Settled(wait_until=min(_eligible(item) for item in items) + after)

    def read(item: JobItem) -> ReadBackAnswer:
        close_old_connections()
        try:
            pace(kind, job)
            return performer.read_back(ItemSpec(item.key, item.label, item.payload), _since(item))
        except Exception as error:  # a bug of ours: the item stays for a person
            logger.exception("job %s item %s: reading back failed", job.pk, item.pk)
            return ReadBackAnswer(Answer.UNCLEAR, f"reading back failed ({type(error).__name__})")
        finally:
            connection.close()

    answers = list(pool.map(read, ready))
    resent = 0
    for item, answer in zip(ready, answers, strict=True):
        resent += _write(item, answer)
    confirmed = sum(1 for a in answers if a.answer is Answer.FOUND)
    logger.info(
        "job %s: read back %s unknown items: %s confirmed, %s sent again, %s unclear",
        job.pk,
        len(ready),
        confirmed,
        resent,
        len(ready) - confirmed - resent,
    )
    return Settled(again=bool(resent) or len(ready) < len(items) or len(items) == BATCH)


def _since(item: JobItem) -> datetime:
    """When its request may have left: its claim (or, for an item from before claims were
    recorded, when it became unknown)."""
    return item.claimed_at or item.updated_at


def _eligible(item: JobItem) -> datetime:
    """Read back only `after` both its claim and the moment it became unknown: a request that
    timed out may still be carried out a little later."""
    return max(_since(item), item.updated_at)


def _write(item: JobItem, answer: ReadBackAnswer) -> int:
    """Record one answer; returns 1 if the item went back to pending."""
    mine = JobItem.objects.filter(pk=item.pk, state=ItemState.UNKNOWN, read_back=ReadBack.DUE)
    now = timezone.now()
    match answer.answer:
        case Answer.FOUND:
            result = f"{CONFIRMED} ({answer.note})" if answer.note else CONFIRMED
            mine.update(
                state=ItemState.DONE,
                result=result[:300],
                error="",
                read_back=ReadBack.CONFIRMED,
                updated_at=now,
            )
            return 0
        case Answer.ABSENT:
            return mine.update(
                state=ItemState.PENDING,
                claim="",
                error=RESENT_NOTE,
                read_back=ReadBack.RESENT,
                updated_at=now,
            )
        case _:
            note = f"Reading back could not tell: {answer.note or 'no answer'}."
            mine.update(
                error=f"{note} {item.error}".strip()[:500] if item.error else note[:500],
                read_back=ReadBack.UNCLEAR,
                updated_at=now,
            )
            return 0
