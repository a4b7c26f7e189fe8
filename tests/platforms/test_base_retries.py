"""The retry policy: only what is safe is sent again, after a jittered or announced wait."""

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.platforms.base import RetryPolicy, parse_retry_after
from dashboard.platforms.errors import (
    PlatformNotFound,
    PlatformRateLimited,
    PlatformUnavailable,
)
from tests.platforms.answers import INVITATION, SUMMARY, WORKSPACE
from tests.platforms.helpers import (
    ScriptedTransport,
    error_response,
    json_response,
    make_client,
    make_http,
)

OK = WORKSPACE


def ok() -> httpx.Response:
    return json_response(200, OK)


# --- Retry-After ---------------------------------------------------------------------------


def test_retry_after_in_seconds_is_waited_then_the_call_succeeds(sleeps):
    transport = ScriptedTransport(error_response(429, "Slow down", **{"Retry-After": "2"}), ok())

    assert make_http(transport, sleeps).request("GET", "/api/tenant/workspace") == OK

    assert len(transport.requests) == 2
    assert sleeps == [2.0]


def test_retry_after_as_an_http_date_is_waited_then_the_call_succeeds(sleeps):
    soon = format_datetime(datetime.now(UTC) + timedelta(seconds=3), usegmt=True)
    transport = ScriptedTransport(error_response(429, **{"Retry-After": soon}), ok())

    assert make_http(transport, sleeps).request("GET", "/api/tenant/workspace") == OK

    assert len(sleeps) == 1
    assert 1.0 <= sleeps[0] <= 3.0


def test_retry_after_beyond_the_cap_is_not_retried(sleeps):
    transport = ScriptedTransport(error_response(429, **{"Retry-After": "30"}))

    with pytest.raises(PlatformRateLimited) as caught:
        make_http(transport, sleeps, retry_after_cap=5).request("GET", "/api/tenant/workspace")

    assert caught.value.retry_after == 30.0
    assert len(transport.requests) == 1
    assert sleeps == []


def test_an_http_date_beyond_the_cap_is_not_retried(sleeps):
    later = format_datetime(datetime.now(UTC) + timedelta(minutes=10), usegmt=True)
    transport = ScriptedTransport(error_response(503, **{"Retry-After": later}))

    with pytest.raises(PlatformUnavailable) as caught:
        make_http(transport, sleeps).request("GET", "/api/tenant/workspace")

    assert caught.value.retry_after == pytest.approx(600, abs=5)
    assert len(transport.requests) == 1


def test_rate_limited_after_every_retry_is_used(sleeps):
    transport = ScriptedTransport(*[error_response(429, **{"Retry-After": "1"})] * 3)

    with pytest.raises(PlatformRateLimited):
        make_http(transport, sleeps, max_retries=2).request("GET", "/api/tenant/workspace")

    assert len(transport.requests) == 3
    assert sleeps == [1.0, 1.0]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("0", 0.0),
        ("120", 120.0),
        (" 7 ", 7.0),
        ("Wed, 21 Oct 2026 07:28:10 GMT", 10.0),
        ("Wed, 21 Oct 2026 07:27:00 GMT", 0.0),  # already past
        ("soon", None),
        ("-5", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_retry_after(header, expected):
    now = datetime(2026, 10, 21, 7, 28, 0, tzinfo=UTC)
    assert parse_retry_after(header, now=now) == expected


# --- what is retried ----------------------------------------------------------------------


def test_an_idempotent_get_is_retried_through_a_503_burst(sleeps):
    transport = ScriptedTransport(error_response(503), error_response(502), ok())

    assert make_http(transport, sleeps).request("GET", "/api/tenant/workspace") == OK

    assert [r.method for r in transport.requests] == ["GET", "GET", "GET"]
    assert len(sleeps) == 2


def test_a_500_is_not_retried(sleeps):
    transport = ScriptedTransport(error_response(500))

    with pytest.raises(PlatformUnavailable):
        make_http(transport, sleeps).request("GET", "/api/tenant/workspace")

    assert len(transport.requests) == 1


def test_a_creating_post_is_not_retried_after_a_503(sleeps):
    transport = ScriptedTransport(error_response(503))
    client = make_client(transport, sleeps)

    with pytest.raises(PlatformUnavailable):
        client.tenant.invite_agent("Bob", "bob@example.com")

    assert len(transport.requests) == 1
    assert sleeps == []


def test_a_creating_post_is_not_retried_after_a_429(sleeps):
    transport = ScriptedTransport(error_response(429, **{"Retry-After": "1"}))
    client = make_client(transport, sleeps)

    with pytest.raises(PlatformRateLimited) as caught:
        client.tenant.create_api_key("Widget", ["example.com"])

    assert caught.value.retry_after == 1.0
    assert len(transport.requests) == 1


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ReadTimeout("timed out"),
        httpx.WriteTimeout("timed out"),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
        httpx.ReadError("connection reset"),
    ],
)
def test_a_creating_post_is_not_retried_when_it_may_have_arrived(sleeps, failure):
    transport = ScriptedTransport(failure)
    client = make_client(transport, sleeps)

    with pytest.raises(PlatformUnavailable):
        client.agent.send_message("cnv_1", "Hello")

    assert len(transport.requests) == 1


@pytest.mark.parametrize("failure", [httpx.ConnectError("refused"), httpx.ConnectTimeout("slow")])
def test_a_creating_post_is_retried_when_the_connection_never_opened(sleeps, failure):
    invitation = INVITATION | {"id": "inv_1"}
    transport = ScriptedTransport(failure, json_response(200, invitation))
    client = make_client(transport, sleeps)

    assert client.tenant.invite_agent("Bob", "bob@example.com").id == "inv_1"
    assert len(transport.requests) == 2


def test_login_is_a_creating_post(sleeps):
    transport = ScriptedTransport(error_response(503))

    with pytest.raises(PlatformUnavailable):
        make_client(transport, sleeps).login("manager@example.com", "switchboard-demo")

    assert len(transport.requests) == 1


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ReadTimeout("timed out"),
        httpx.RemoteProtocolError("disconnected"),
        httpx.ReadError("x"),
    ],
)
def test_an_idempotent_get_is_retried_after_a_timeout_or_a_drop(sleeps, failure):
    transport = ScriptedTransport(failure, ok())

    assert make_http(transport, sleeps).request("GET", "/api/tenant/workspace") == OK
    assert len(transport.requests) == 2


def test_naturally_idempotent_posts_are_retried(sleeps):
    summary = SUMMARY | {"status": "CLOSED"}
    transport = ScriptedTransport(
        error_response(503),
        json_response(200, summary),
        httpx.ReadTimeout("timed out"),
        json_response(200, {"success": True, "markedCount": 3}),
    )
    client = make_client(transport, sleeps)

    assert client.tenant.resolve_conversation("cnv_1").status == "CLOSED"
    assert client.agent.mark_conversation_read("cnv_1") == 3
    assert len(transport.requests) == 4


def test_a_delete_whose_retry_finds_nothing_counts_as_done(sleeps):
    transport = ScriptedTransport(httpx.ReadTimeout("timed out"), error_response(404, "Not found"))

    make_client(transport, sleeps).tenant.delete_visitor("vis_1")

    assert [r.method for r in transport.requests] == ["DELETE", "DELETE"]


def test_a_delete_of_something_missing_is_not_found(sleeps):
    transport = ScriptedTransport(error_response(404, "Visitor not found"))

    with pytest.raises(PlatformNotFound):
        make_client(transport, sleeps).tenant.delete_visitor("vis_1")


def test_retries_give_up_after_max_retries(sleeps):
    transport = ScriptedTransport(*[error_response(503)] * 4)

    with pytest.raises(PlatformUnavailable):
        make_http(transport, sleeps, max_retries=3).request("GET", "/api/tenant/workspace")

    assert len(transport.requests) == 4


# --- per-call options ----------------------------------------------------------------------


def test_with_options_overrides_retries_and_timeout_for_one_call(sleeps):
    transport = ScriptedTransport(error_response(503), error_response(503), ok())
    client = make_client(transport, sleeps, max_retries=2)

    with pytest.raises(PlatformUnavailable):
        client.with_options(max_retries=0, timeout=0.5).tenant.get_workspace()
    assert len(transport.requests) == 1
    assert transport.last.extensions["timeout"] == {
        "connect": 0.5,
        "read": 0.5,
        "write": 0.5,
        "pool": 0.5,
    }

    assert client.tenant.get_workspace().id == "wsp_01", "the original keeps its retries"
    assert len(transport.requests) == 3


def test_connect_and_read_timeouts_can_be_set_apart(sleeps):
    transport = ScriptedTransport(ok())
    client = make_client(transport, sleeps).with_options(connect_timeout=1.5, read_timeout=7)

    client.tenant.get_workspace()

    timeout = transport.last.extensions["timeout"]
    assert (timeout["connect"], timeout["read"], timeout["pool"]) == (1.5, 7, 1.5)


# --- backoff ----------------------------------------------------------------------------------


@given(
    retries_done=st.integers(min_value=0, max_value=30),
    draw=st.floats(min_value=0, max_value=1, exclude_max=True),
)
def test_backoff_is_full_jitter_within_its_ceiling(retries_done, draw):
    policy = RetryPolicy(backoff_base=0.2, backoff_max=4.0, random=lambda: draw)

    delay = policy.backoff(retries_done)

    assert 0 <= delay <= min(4.0, 0.2 * 2**retries_done)


def test_backoff_ceiling_doubles_then_stops_at_the_maximum():
    top = RetryPolicy(backoff_base=0.2, backoff_max=4.0, random=lambda: 1.0)

    assert [top.backoff(n) for n in range(7)] == [0.2, 0.4, 0.8, 1.6, 3.2, 4.0, 4.0]


def test_backoff_really_is_random():
    policy = RetryPolicy(backoff_base=1.0, backoff_max=4.0)

    delays = {policy.backoff(2) for _ in range(50)}

    assert len(delays) > 40
    assert all(0 <= d <= 4.0 for d in delays)


def test_backoff_waits_grow_between_attempts(sleeps):
    transport = ScriptedTransport(
        error_response(503), error_response(504), error_response(503), ok()
    )

    make_http(transport, sleeps, max_retries=3).request("GET", "/api/tenant/workspace")

    # fixed_options draws the top of each jitter range.
    assert sleeps == [0.2, 0.4, 0.8]
