"""Naxon's numbers, names and rules in one place, where the sandbox's code and its OpenAPI
description (openapi.py) both read them. Pure Python, no Django: the console's tests import the
description without the sandbox's settings.

What seeds/001 states is marked doc; everything else is a guess, and sandbox/README.md lists it.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

# --- the API -----------------------------------------------------------------------------------

LARGEST_INT32 = 2**31 - 1  # `page` and `per_page` are int32 (doc)
SMALLEST_INT64, LARGEST_INT64 = -(2**63), 2**63 - 1  # ids are int64 (doc)
DEFAULT_PER_PAGE = 10  # guess: the document's example answers 10 rows per page
MAX_PER_PAGE = 100  # guess: larger pages are capped, not refused
SORT_FIELDS = ("created_at", "updated_at")  # doc; created_at is the default (doc)
RECENT_MESSAGES = 5  # guess: how many of its last messages a conversation carries
SENDERS = ("user", "bot", "agent")  # guess: seeds/001 shows no value

# --- the keyword-notification webhook ------------------------------------------------------------

EVENT = "keyword-notification"  # doc


def keywords_in(text: str, watched: Sequence[str]) -> list[str]:
    """GUESS, the one place it is decided: which watched keywords a message contains. Whole
    words or phrases, in any case ("cancel" matches "Cancel!" but not "cancelled"), in a message
    from any sender; in `watched` order. Each is notified once."""
    return [keyword for keyword in watched if _keyword_pattern(keyword).search(text)]


def _keyword_pattern(keyword: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(keyword)}(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class RetryPolicy:
    """GUESS, the one place it is decided: seeds/001 does not say how Naxon retries.

    A delivery is done when the URL answers 2xx. A non-2xx answer, a connection failure or no
    answer within `timeout` seconds is a failed attempt; the next follows `first_delay` seconds
    later, the delay doubling each time, up to `max_attempts` attempts in all (by default 1, 2,
    4, 8 and 16 seconds apart: six attempts over half a minute). Redirects are not followed.
    The webhook's settings may change the three numbers, for tests and benches.
    """

    max_attempts: int = 6
    first_delay: float = 1.0
    timeout: float = 5.0

    def delay_before(self, attempt: int) -> float:
        """Seconds to wait before attempt number `attempt` (2 and up)."""
        return self.first_delay * 2 ** (attempt - 2)


DEFAULT_RETRIES = RetryPolicy()

# --- the control endpoints (tests and benchmarks) ------------------------------------------------

MAX_KEYWORDS = 50
MAX_KEYWORD_LENGTH = 100
MAX_MESSAGE_LENGTH = 4_000
MAX_BURST = 100_000
MAX_REPEAT = 100
DEFAULT_LOG_PAGE, MAX_LOG_PAGE = 1_000, 10_000
