"""Naxon's ids: 64-bit integers (doc), and ULIDs for a message's `seq` (doc).

Conversation and message ids are made like Snowflake ids (guess): the milliseconds since an
epoch in the high bits, a counter in the low 22. They sort by creation, and every one exceeds
2**53, so a client that reads ids as floating-point numbers gets them wrong at once. Messages
the sandbox stores later (injected, or a burst's) take the ids after the largest.
"""

import random
from datetime import UTC, datetime

from sandbox.connextlive.ids import new_id

EPOCH = datetime(2015, 1, 1, tzinfo=UTC)
_COUNTER_BITS = 22


def snowflake(at: datetime, counter: int) -> int:
    """The id of a record created at `at`; `counter` tells apart records of one millisecond."""
    milliseconds = int((at - EPOCH).total_seconds() * 1000)
    return (milliseconds << _COUNTER_BITS) | (counter % 2**_COUNTER_BITS)


def ulid(at: datetime, rng: random.Random | None = None) -> str:
    """A ULID: 48 bits of milliseconds and 80 random bits (the seed's `rng`: reproducible).
    A naive `at` would be read as local time: pass it aware."""
    return new_id("seq", at, rng).removeprefix("seq_")
