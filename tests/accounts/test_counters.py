"""The guarding counters (accounts.counters), in each store: no update lost under concurrency, and
a window that lasts its own time from its first hit, whatever else is configured."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections

from accounts import counters
from tests.fixtures.counters import redis_url

pytestmark = pytest.mark.django_db(transaction=True)

KEY = "test:counter"


def test_hits_count_up_within_one_window(counter_store, console_clock):
    store = counters.store()
    first = store.hit(KEY, window_seconds=900)
    second = store.hit(KEY, window_seconds=900)

    assert (first.count, second.count) == (1, 2)
    assert second.ends_at == first.ends_at
    assert 899 <= first.seconds_left() <= 900


def test_the_window_lasts_its_time_from_the_first_hit_and_later_hits_never_extend_it(
    counter_store, console_clock
):
    store = counters.store()
    first = store.hit(KEY, window_seconds=900)
    console_clock.advance(minutes=14)
    later = store.hit(KEY, window_seconds=900)
    assert later.count == 2 and later.ends_at == first.ends_at

    console_clock.advance(minutes=1)
    renewed = store.hit(KEY, window_seconds=900)

    assert renewed.count == 1
    assert renewed.ends_at > first.ends_at + 14 * 60


def test_a_slot_given_back_no_longer_counts(counter_store, console_clock):
    store = counters.store()
    store.hit(KEY, 900)
    store.hit(KEY, 900)
    store.give_back(KEY)

    assert store.hit(KEY, 900).count == 2


def test_giving_back_never_goes_below_zero_or_into_a_new_window(counter_store, console_clock):
    store = counters.store()
    store.give_back(KEY)  # nothing to give back
    store.hit(KEY, 900)
    console_clock.advance(minutes=16)
    store.give_back(KEY)  # the window ended: nothing to give back either

    assert store.hit(KEY, 900).count == 1


def test_the_first_mark_is_given_once_per_window(counter_store, console_clock):
    store = counters.store()
    assert not store.first_mark(KEY)  # no window yet
    store.hit(KEY, 900)

    assert [store.first_mark(KEY) for _ in range(3)] == [True, False, False]
    console_clock.advance(minutes=15)
    store.hit(KEY, 900)
    assert store.first_mark(KEY)


def test_clear_forgets_the_counter(counter_store):
    store = counters.store()
    store.hit(KEY, 900)
    store.clear(KEY)

    assert store.hit(KEY, 900).count == 1


def test_thirty_hits_at_once_count_thirty(counter_store):
    """The race the database cache's incr() loses (a get then a set): no update is lost."""
    store = counters.store()
    start = threading.Barrier(30)

    def hit() -> int:
        try:
            start.wait()
            return store.hit(KEY, 900).count
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=30) as pool:
        seen = sorted(pool.map(lambda _: hit(), range(30)))

    assert seen == list(range(1, 31))  # every hit saw its own count


def test_redis_keys_expire_with_their_window_set_once(redis_counters):
    import redis

    name = counters.REDIS_PREFIX + KEY
    direct = redis.Redis.from_url(redis_url())
    redis_counters.hit(KEY, 900)
    first_ttl = direct.pttl(name)
    direct.pexpire(name, 5_000)  # as if time had passed

    redis_counters.hit(KEY, 900)

    assert 900_000 < first_ttl <= 900_000 + counters.REDIS_EXPIRY_SLACK_MS
    # A later hit did not set the expiry again (as cache.incr() re-saving the key would).
    assert direct.pttl(name) <= 5_000
