"""The retry policy against real faults injected into the sandbox, counted in its request log.

Where a test needs the fault to stop after a few attempts, the client's sleep hook (called
between attempts) clears the faults: the order of events is fixed, nothing depends on timing.
"""

import time
import uuid
from collections.abc import Callable

import pytest

from dashboard.platforms.base import ClientOptions, RetryPolicy
from dashboard.platforms.connextlive import ConnextliveClient
from dashboard.platforms.errors import PlatformRateLimited, PlatformUnavailable
from tests.fixtures.sandbox import MANAGER_EMAIL

WORKSPACE = "/connextlive/api/tenant/workspace"
VISITORS = "/connextlive/api/tenant/visitors"
AGENTS = "/connextlive/api/tenant/agents"
API_KEYS = "/connextlive/api/tenant/api-keys"
LOG_DEADLINE_SECONDS = 15


class SleepHook:
    """The client's `sleep`: records each delay, may act between attempts, may really sleep."""

    def __init__(self, between: Callable[[int], None] = lambda n: None, real: bool = False):
        self.delays: list[float] = []
        self._between = between
        self._real = real

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        if self._real:
            time.sleep(seconds)
        self._between(len(self.delays))


def manager_client(platform, sleep: SleepHook, **retry: float) -> ConnextliveClient:
    options = ClientOptions(retry=RetryPolicy(**retry))
    token = platform.login(MANAGER_EMAIL)
    platform.clear_requests()
    return ConnextliveClient(platform.connextlive_url, token, options=options, sleep=sleep)


def _poll(read: Callable[[], list[dict]], done: Callable[[list[dict]], bool]) -> list[dict]:
    deadline = time.monotonic() + LOG_DEADLINE_SECONDS
    while not done(entries := read()) and time.monotonic() < deadline:
        time.sleep(0.02)
    return entries


def logged(platform, method: str, path: str) -> list[dict]:
    """The log entries of `method path`, once every request answered so far is in the log.

    The sandbox writes an entry when it has finished sending the answer, a moment after the
    client has it. So a marker request is sent last and the log read until the marker is in it.
    """
    marker = f"/api/__log-marker__/{uuid.uuid4().hex}"
    platform.api("GET", marker)
    entries = _poll(platform.requests, lambda log: any(r["path"].endswith(marker) for r in log))
    return [r for r in entries if r["method"] == method and r["path"] == path]


def wait_for_logged(platform, method: str, path: str, count: int) -> list[dict]:
    """For a request the client gave up on (a timeout), the server finishes, and logs it, later
    still: poll until `count` entries show up, then settle as `logged` does."""
    _poll(
        platform.requests,
        lambda log: sum(r["method"] == method and r["path"] == path for r in log) >= count,
    )
    return logged(platform, method, path)


def test_a_429_with_retry_after_is_waited_out_then_succeeds(platform):
    sleep = SleepHook(real=True)
    client = manager_client(platform, sleep)
    platform.set_faults(rateLimitRps=1, retryAfter=1, paths=f"{WORKSPACE}$")

    first = client.tenant.get_workspace()
    second = client.tenant.get_workspace()  # over the rate: 429, waits 1 s, then admitted

    assert second == first
    assert sleep.delays == [1.0]
    assert [r["status"] for r in logged(platform, "GET", WORKSPACE)] == [200, 429, 200]


def test_a_retry_after_beyond_the_cap_is_not_retried(platform):
    sleep = SleepHook()
    client = manager_client(platform, sleep, retry_after_cap=5)
    platform.set_faults(errorRate=1.0, errorStatus=429, retryAfter=30, paths=f"{WORKSPACE}$")

    with pytest.raises(PlatformRateLimited) as caught:
        client.tenant.get_workspace()

    assert caught.value.retry_after == 30
    assert sleep.delays == []
    assert len(logged(platform, "GET", WORKSPACE)) == 1


def test_a_503_burst_then_success(platform):
    sleep = SleepHook(between=lambda n: n == 2 and platform.clear_faults())
    client = manager_client(platform, sleep, max_retries=3)
    platform.set_faults(errorRate=1.0, errorStatus=503, paths=f"{VISITORS}$")

    page = client.tenant.list_visitors()

    assert page.items
    assert [r["status"] for r in logged(platform, "GET", VISITORS)] == [503, 503, 200]
    assert len(sleep.delays) == 2


def test_a_lasting_503_gives_up_after_max_retries(platform):
    client = manager_client(platform, SleepHook(), max_retries=2)
    platform.set_faults(errorRate=1.0, errorStatus=503, paths=f"{VISITORS}$")

    with pytest.raises(PlatformUnavailable):
        client.tenant.list_visitors()

    assert [r["status"] for r in logged(platform, "GET", VISITORS)] == [503, 503, 503]


def test_a_read_timeout_on_a_get_is_retried_then_reported(platform):
    client = manager_client(platform, SleepHook(), max_retries=1).with_options(read_timeout=0.3)
    platform.set_faults(latencyMs=2500, paths=f"{WORKSPACE}$")

    started = time.monotonic()
    with pytest.raises(PlatformUnavailable) as caught:
        client.tenant.get_workspace()
    waited = time.monotonic() - started

    assert str(caught.value) == "The platform is unavailable right now (timeout)"
    assert waited < 2.0, "the client gave up at its read timeouts, not at the server's pace"
    assert len(wait_for_logged(platform, "GET", WORKSPACE, 2)) == 2


def test_a_timed_out_invitation_is_not_sent_again(platform):
    client = manager_client(platform, SleepHook()).with_options(read_timeout=0.3)
    platform.set_faults(latencyMs=1200, paths=f"{AGENTS}$")

    with pytest.raises(PlatformUnavailable, match="timeout"):
        client.tenant.invite_agent("Slow Sam", "sam@example.com")

    assert len(wait_for_logged(platform, "POST", AGENTS, 1)) == 1
    platform.clear_faults()
    # Why no blind retry: the invitation was created although the client heard nothing.
    invited = [i for i in client.tenant.list_agents().invitations if i.email == "sam@example.com"]
    assert len(invited) == 1
    assert len(logged(platform, "POST", AGENTS)) == 1


def test_a_dropped_connection_on_a_get_is_retried(platform):
    sleep = SleepHook(between=lambda n: platform.clear_faults())
    client = manager_client(platform, sleep)
    platform.set_faults(dropRate=1.0, paths=f"{VISITORS}$")

    page = client.tenant.list_visitors()

    assert page.items
    assert [r["status"] for r in logged(platform, "GET", VISITORS)] == [None, 200]


def test_a_dropped_connection_on_a_creating_post_is_not_retried(platform):
    client = manager_client(platform, SleepHook())
    platform.set_faults(dropRate=1.0, paths=f"{API_KEYS}$")

    with pytest.raises(PlatformUnavailable, match="connection dropped"):
        client.tenant.create_api_key("Widget", ["example.com"])

    assert [r["status"] for r in logged(platform, "POST", API_KEYS)] == [None]


@pytest.mark.parametrize("status", [503, 502, 429])
def test_a_creating_post_is_sent_exactly_once_on_errors(platform, status):
    sleep = SleepHook()
    client = manager_client(platform, sleep)
    keys_before = client.tenant.list_api_keys()
    platform.set_faults(errorRate=1.0, errorStatus=status, retryAfter=1, paths=f"{API_KEYS}$")

    with pytest.raises((PlatformUnavailable, PlatformRateLimited)):
        client.tenant.create_api_key("Widget", ["example.com"])

    assert [r["status"] for r in logged(platform, "POST", API_KEYS)] == [status]
    assert sleep.delays == []
    platform.clear_faults()
    assert client.tenant.list_api_keys() == keys_before, "nothing was created"


def test_an_idempotent_post_is_retried_through_a_503(platform):
    sleep = SleepHook(between=lambda n: platform.clear_faults())
    client = manager_client(platform, sleep)
    conversation = next(client.tenant.iter_conversations(status="WAITING"))
    resolve_path = f"/connextlive/api/tenant/conversations/{conversation.id}/resolve"
    platform.set_faults(errorRate=1.0, errorStatus=503, paths=f"{resolve_path}$")

    assert client.tenant.resolve_conversation(conversation.id).status == "CLOSED"
    assert [r["status"] for r in logged(platform, "POST", resolve_path)] == [503, 200]
