"""Naxon's ids: 64-bit integers (doc), and ULIDs for a message's `seq` (doc).

Conversation and message ids are made like Snowflake ids (guess): the milliseconds since an
epoch in the high bits, a counter in the low 22. They sort by creation, and every one exceeds
2**53, so a client that reads ids as floating-point numbers gets them wrong at once.
"""

import random
import secrets
from datetime import UTC, datetime

from sandbox.connextlive.ids import new_id

EPOCH = datetime(2015, 1, 1, tzinfo=UTC)
_COUNTER_BITS = 22
LARGEST_ID = 2**63 - 1


def snowflake(at: datetime, counter: int) -> int:
    """The id of a record created at `at`; `counter` tells apart records of one millisecond."""
    milliseconds = int((at - EPOCH).total_seconds() * 1000)
    return (milliseconds << _COUNTER_BITS) | (counter % 2**_COUNTER_BITS)


def random_snowflake(at: datetime) -> int:
    """An id for a record created now (injected messages): a random counter, checked unused."""
    return snowflake(at, secrets.randbelow(2**_COUNTER_BITS))


def ulid(at: datetime, rng: random.Random | None = None) -> str:
    """A ULID: 48 bits of milliseconds and 80 random bits (the seed's `rng`: reproducible)."""
    return new_id("seq", at, rng).removeprefix("seq_")
