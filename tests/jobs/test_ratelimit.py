"""The shared token bucket: never more than the limit in any one-second window (what a platform
with a sliding-window limit counts), yet close to it over time."""

import pytest

from dashboard.jobs import ratelimit

pytestmark = pytest.mark.django_db

STEP = 0.005  # a taker asking every 5 ms, as hungry as many threads together


def grants_over(seconds: float, limit: float) -> list[float]:
    """The moments tokens were handed out to a taker that always wants more."""
    moments, now = [], 1_000.0
    while now < 1_000.0 + seconds:
        grant = ratelimit.take("platform", 50, limit, now=now)
        moments += [now] * grant.tokens
        now += STEP
    return moments


@pytest.mark.parametrize("limit", [5.0, 50.0, 200.0])
def test_no_one_second_window_gets_more_than_the_limit(limit):
    moments = grants_over(3.0, limit)

    busiest = max(sum(1 for m in moments if start <= m < start + 1.0) for start in moments)
    assert busiest <= limit
    assert len(moments) / 3.0 >= 0.9 * limit  # and the limit is used, not wasted


def test_a_taker_with_no_token_is_told_how_long_to_wait():
    ratelimit.take("platform", 100, 10.0, now=0.0)  # empties the bucket

    grant = ratelimit.take("platform", 1, 10.0, now=0.0)

    assert grant.tokens == 0 and 0 < grant.wait <= 1 / ratelimit.refill_for(10.0)
