"""The page deadline of the shared HTTP base (`page_deadline`): one budget for every call made
inside it, retries and their waits included, in the page's threads too; nothing outside it.
Against real latency and errors injected into the sandbox."""

import time

import pytest

from dashboard.concurrent import gather
from dashboard.platforms.base import ClientOptions, RetryPolicy, page_deadline, time_left
from dashboard.platforms.connextlive import ConnextliveClient
from dashboard.platforms.errors import PlatformUnavailable
from tests.fixtures.sandbox import MANAGER_EMAIL
from tests.platforms.test_retries_with_sandbox_faults import (
    AGENTS,
    WORKSPACE,
    SleepHook,
    logged,
    wait_for_logged,
)

# Slow enough that only a deadline explains an early answer, short enough not to hold the
# sandbox's threads for long after the test.
SLOW_MS = 3000


def client_for(platform, sleep: SleepHook, **retry: float) -> ConnextliveClient:
    options = ClientOptions(retry=RetryPolicy(random=lambda: 1.0, **retry)).with_changes(
        read_timeout=10.0
    )
    token = platform.login(MANAGER_EMAIL)
    platform.clear_requests()
    return ConnextliveClient(platform.connextlive_url, token, options=options, sleep=sleep)


def test_a_call_that_would_run_past_the_deadline_is_cut_short_and_not_retried(platform):
    sleep = SleepHook()
    client = client_for(platform, sleep)
    platform.set_faults(latencyMs=SLOW_MS, paths=f"{WORKSPACE}$")

    started = time.monotonic()
    with page_deadline(0.5), pytest.raises(PlatformUnavailable) as caught:
        client.tenant.get_workspace()

    assert time.monotonic() - started < 1.0  # not the 10 s read timeout, nor 3 attempts
    assert "no answer within the page's 0.5 s for platform calls" in str(caught.value)
    assert sleep.delays == []  # a timed-out GET is retryable, but not past the deadline
    assert len(wait_for_logged(platform, "GET", WORKSPACE, 1)) == 1


def test_no_call_starts_once_the_deadline_is_spent(platform):
    client = client_for(platform, SleepHook())
    platform.set_faults(latencyMs=SLOW_MS, paths=f"{WORKSPACE}$")

    with page_deadline(0.3):
        with pytest.raises(PlatformUnavailable):
            client.tenant.get_workspace()
        with pytest.raises(PlatformUnavailable, match="no answer within the page's 0.3 s"):
            client.tenant.list_agents()  # a fast endpoint, but the page has no time left

    assert logged(platform, "GET", AGENTS) == []  # never sent


def test_a_retry_that_could_not_start_before_the_deadline_is_not_made(platform):
    sleep = SleepHook()
    client = client_for(platform, sleep, backoff_base=1.0)  # the first wait would be 1 s
    platform.set_faults(errorRate=1.0, errorStatus=503, paths=f"{WORKSPACE}$")

    with page_deadline(0.5), pytest.raises(PlatformUnavailable) as caught:
        client.tenant.get_workspace()

    assert caught.value.status == 503  # the platform's own answer, given at once
    assert sleep.delays == []
    assert len(logged(platform, "GET", WORKSPACE)) == 1


def test_without_a_deadline_the_same_failure_is_retried(platform):
    """The control for the test above: the retries it did not make are the deadline's doing."""
    sleep = SleepHook()
    client = client_for(platform, sleep, backoff_base=1.0)
    platform.set_faults(errorRate=1.0, errorStatus=503, paths=f"{WORKSPACE}$")

    with pytest.raises(PlatformUnavailable):
        client.tenant.get_workspace()

    assert sleep.delays == [1.0, 2.0]
    assert len(logged(platform, "GET", WORKSPACE)) == 3


def test_the_deadline_covers_the_calls_a_page_makes_in_threads(platform):
    client = client_for(platform, SleepHook())
    platform.set_faults(latencyMs=SLOW_MS, paths=f"({WORKSPACE}|{AGENTS})$")

    started = time.monotonic()
    with page_deadline(0.5):
        outcomes = gather(workspace=client.tenant.get_workspace, agents=client.tenant.list_agents)

    assert time.monotonic() - started < 1.0
    for outcome in outcomes.values():
        assert outcome.error is not None and "no answer within" in str(outcome.error)


def test_the_deadline_ends_with_its_block(platform):
    client = client_for(platform, SleepHook())
    with page_deadline(0.2):
        assert time_left() is not None
    platform.set_faults(latencyMs=400, paths=f"{WORKSPACE}$")

    assert time_left() is None
    assert client.tenant.get_workspace().name  # slower than that deadline, and answered


def test_no_deadline_when_none_is_configured():
    with page_deadline(0):
        assert time_left() is None
    with page_deadline(None):
        assert time_left() is None
