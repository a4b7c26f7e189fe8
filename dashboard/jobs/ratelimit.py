"""One request rate per platform, shared by every worker process: a token bucket kept in a
database row (Celery's `rate_limit` is per worker, so N workers would send N times the rate).

`take(key, wanted, limit)` refills the bucket for the time elapsed, hands out up to `wanted`
whole tokens, and says how long until the next token when it had none; in any one second it
hands out at most `limit` tokens. It runs inside the
caller's transaction, so claiming items and spending the tokens for them commit together.
The row is locked for the read-modify-write (SELECT ... FOR UPDATE; SQLite's IMMEDIATE
transactions serialise writers anyway).
"""

import math
import time
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F

from dashboard.jobs.models import RateBucket

# A burst of about a twentieth of a second's worth, but never more than a few tokens: a runner
# claims a few items at a time anyway, and every token the burst holds is one the steady refill
# must leave out (see refill_for), so a small cap keeps more of the limit for steady sending
# (the figures: bench/README.md, bench_jobs.py).
BURST_SECONDS = 0.05
BURST_MAX_TOKENS = 4.0
# Requests reach the platform a little after their token was taken, some later than others
# (threads, a busy machine): the bucket leaves this share of the limit unused to absorb that
# (and it is used: bench/README.md, bench_channels.py's run 5, the busiest second).
JITTER_MARGIN = 0.05


@dataclass(frozen=True, slots=True)
class Grant:
    tokens: int
    wait: float  # seconds until a token will be there, when none was given


def burst_for(limit: float) -> float:
    return max(1.0, min(limit * BURST_SECONDS / (1 + BURST_SECONDS), BURST_MAX_TOKENS))


def refill_for(limit: float) -> float:
    """The bucket refills a little below `limit`: a full bucket (of which whole tokens are
    handed out) plus one second of refill is `limit`, less a margin for the jitter between
    taking a token and the request arriving. A platform counting a sliding one-second window
    (as rate limits usually do) then never sees more than its limit, and a steady job never
    meets a 429 -- each of which would make the whole job wait its Retry-After."""
    return (limit - burst_for(limit) + 1) * (1 - JITTER_MARGIN)


def take(key: str, wanted: int, limit: float, *, now: float | None = None) -> Grant:
    """Take up to `wanted` tokens from the bucket `key` of at most `limit` a second."""
    if wanted <= 0:
        return Grant(0, 0.0)
    now = time.time() if now is None else now
    burst, refill = burst_for(limit), refill_for(limit)
    with transaction.atomic():
        bucket = _locked_bucket(key, burst, now)
        elapsed = max(0.0, now - bucket.updated_at)
        tokens = min(burst, bucket.tokens + elapsed * refill)
        granted = min(wanted, math.floor(tokens))
        tokens -= granted
        RateBucket.objects.filter(pk=bucket.pk).update(tokens=tokens, updated_at=now)
    wait = 0.0 if granted else (1.0 - tokens) / refill
    return Grant(granted, wait)


def give_back(key: str, tokens: int) -> None:
    """Return tokens taken but not used (fewer items were left than tokens asked for)."""
    if tokens > 0:
        RateBucket.objects.filter(key=key).update(tokens=F("tokens") + tokens)


def _locked_bucket(key: str, burst: float, now: float) -> RateBucket:
    bucket = RateBucket.objects.select_for_update().filter(key=key).first()
    if bucket is not None:
        return bucket
    try:
        with transaction.atomic():
            return RateBucket.objects.create(key=key, tokens=burst, updated_at=now)
    except IntegrityError:  # another worker created it first
        return RateBucket.objects.select_for_update().get(key=key)
