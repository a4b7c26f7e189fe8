"""dashboard.concurrent.gather: calls really run at once, and each keeps its own outcome.

Concurrency is shown with a barrier rather than a clock: every call waits until all of them have
started, which only ever happens if they run at the same time.
"""

import threading

import pytest

from dashboard.concurrent import gather
from dashboard.platforms.errors import PlatformUnavailable

BARRIER_TIMEOUT = 5


def test_it_runs_every_call_at_the_same_time():
    barrier = threading.Barrier(4, timeout=BARRIER_TIMEOUT)

    def call(value):
        return lambda: (barrier.wait(), value)[1]

    results = gather(max_workers=4, a=call(1), b=call(2), c=call(3), d=call(4))

    assert {name: outcome.value for name, outcome in results.items()} == {
        "a": 1,
        "b": 2,
        "c": 3,
        "d": 4,
    }
    assert all(outcome.ok for outcome in results.values())


def test_one_worker_runs_the_calls_one_after_the_other_in_the_callers_thread():
    caller = threading.get_ident()
    seen = []

    def call(name):
        return lambda: seen.append((name, threading.get_ident()))

    gather(max_workers=1, first=call("first"), second=call("second"), third=call("third"))

    assert seen == [("first", caller), ("second", caller), ("third", caller)]


def test_concurrency_comes_from_the_setting(settings):
    settings.PLATFORM_CONCURRENCY = 1
    caller = threading.get_ident()

    results = gather(a=threading.get_ident, b=threading.get_ident)

    assert results["a"].value == results["b"].value == caller


def test_a_platform_error_stays_with_its_call():
    error = PlatformUnavailable("connection failed")

    def failing():
        raise error

    results = gather(ok=lambda: "fine", broken=failing)

    assert results["ok"].ok and results["ok"].value == "fine"
    assert not results["broken"].ok
    assert results["broken"].error is error
    assert results["broken"].value is None


def test_any_other_exception_is_a_bug_and_propagates():
    def buggy():
        raise KeyError("oops")

    with pytest.raises(KeyError):
        gather(ok=lambda: 1, buggy=buggy)


def test_results_keep_the_order_the_calls_were_given_in():
    results = gather(z=lambda: 1, a=lambda: 2, m=lambda: 3)

    assert list(results) == ["z", "a", "m"]


def test_no_calls_give_no_results():
    assert gather() == {}
