"""One pooled httpx.Client per process and base URL, safe across threads and forks; settings."""

import json
import os
import subprocess
import sys
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from dashboard.platforms import base
from dashboard.platforms.base import (
    ClientOptions,
    close_shared_clients,
    options_from_settings,
    shared_http_client,
)
from dashboard.platforms.connextlive import ConnextliveClient

ROOT = Path(__file__).resolve().parents[2]


def test_the_same_base_url_shares_one_client():
    first = shared_http_client("http://pool.test/a")

    assert shared_http_client("http://pool.test/a/") is first
    assert shared_http_client("http://pool.test/b") is not first


def test_clients_and_their_copies_share_the_pool():
    client = ConnextliveClient("http://pool.test/shared", "t1")
    copies = [client.with_token("t2"), client.with_options(max_retries=0), client]

    pooled = {id(shared_http_client(c.base_url)) for c in copies}

    assert len(pooled) == 1


def test_threads_racing_for_a_new_base_url_get_one_client():
    url = "http://pool.test/race"
    barrier = threading.Barrier(16)

    def grab(_: int) -> httpx.Client:
        barrier.wait()
        return shared_http_client(url)

    with ThreadPoolExecutor(max_workers=16) as pool:
        clients = set(map(id, pool.map(grab, range(16))))

    assert len(clients) == 1


def test_a_closed_pool_is_replaced():
    url = "http://pool.test/closed"
    first = shared_http_client(url)
    close_shared_clients()

    assert first.is_closed
    assert shared_http_client(url) is not first


def test_the_pool_has_explicit_limits_and_timeouts():
    client = shared_http_client("http://pool.test/limits")
    pool = client._transport._pool  # the limits live on httpcore's pool

    assert pool._max_connections == base.DEFAULT_LIMITS.max_connections
    assert pool._max_keepalive_connections == base.DEFAULT_LIMITS.max_keepalive_connections
    assert client.timeout.connect is not None and client.timeout.read is not None


def test_a_forked_child_starts_its_own_pool():
    url = "http://pool.test/fork"
    parent_client = shared_http_client(url)
    read_end, write_end = os.pipe()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # "multi-threaded process forked"
        pid = os.fork()
    if pid == 0:  # the child: report whether it got a fresh client, then leave at once
        fresh = shared_http_client(url) is not parent_client
        os.write(write_end, b"fresh" if fresh else b"shared")
        os._exit(0)
    os.close(write_end)
    answer = os.read(read_end, 16)
    os.close(read_end)
    os.waitpid(pid, 0)

    assert answer == b"fresh"
    assert shared_http_client(url) is parent_client, "the parent keeps its own pool"


def test_options_come_from_django_settings(settings):
    settings.PLATFORM_CONNECT_TIMEOUT = 1.5
    settings.PLATFORM_READ_TIMEOUT = 12.0
    settings.PLATFORM_MAX_RETRIES = 4
    settings.PLATFORM_RETRY_AFTER_CAP = 9.0

    options = options_from_settings()

    assert (options.timeout.connect, options.timeout.read) == (1.5, 12.0)
    assert (options.retry.max_retries, options.retry.retry_after_cap) == (4, 9.0)


def test_a_client_reads_settings_when_built(settings):
    settings.PLATFORM_MAX_RETRIES = 0
    settings.PLATFORM_URL = "http://platform.test/connextlive"

    client = ConnextliveClient.from_settings("tok")

    assert client.base_url == "http://platform.test/connextlive"
    assert client._http.options.retry.max_retries == 0


def test_the_base_works_without_django():
    # Django made unimportable: the base must still build options and send a request.
    script = """
import sys
sys.modules["django"] = None
import httpx
from dashboard.platforms.base import PlatformHttp, options_from_settings
assert options_from_settings().retry.max_retries == 2
transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"ok": True}))
print(PlatformHttp("http://x.test", transport=transport).request("GET", "/ping"))
"""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "{'ok': True}"


def test_options_default_without_settings():
    options = ClientOptions()

    assert (options.timeout.connect, options.timeout.read) == (3.0, 10.0)
    assert options.retry.max_retries == 2


def test_the_sandbox_keeps_idle_connections_open_longer_than_the_console_reuses_them():
    # Otherwise a reused connection can be closed by the sandbox as a request goes out on it:
    # the request fails unanswered, and a POST (a sign-in) must not be sent again.
    from sandbox.server import KEEPALIVE_SECONDS

    assert KEEPALIVE_SECONDS > base.DEFAULT_LIMITS.keepalive_expiry


class _SetsACookie(BaseHTTPRequestHandler):
    """Answers every GET with a Set-Cookie (as a platform's load balancer might) and echoes the
    Cookie header it was sent."""

    def do_GET(self) -> None:
        body = json.dumps({"cookie": self.headers.get("Cookie")}).encode()
        self.send_response(200)
        self.send_header("Set-Cookie", "session=one-users-session; Path=/")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_the_pooled_client_sends_no_cookie_a_platform_set_for_another_call():
    """The pool serves every user of the process: a cookie set in one user's answer must not go
    out with the next user's request."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SetsACookie)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        client = shared_http_client(f"http://127.0.0.1:{server.server_port}")
        first = client.get("/one-user")
        second = client.get("/another-user")
    finally:
        server.shutdown()
        server.server_close()

    assert first.headers["set-cookie"].startswith("session=")
    assert second.json() == {"cookie": None}
    assert not client.cookies


def test_a_client_on_a_given_transport_keeps_no_cookie_either():
    sent_cookies: list[str | None] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent_cookies.append(request.headers.get("Cookie"))
        return httpx.Response(200, json={}, headers={"Set-Cookie": "session=one; Path=/"})

    http = base.PlatformHttp("https://platform.example", transport=httpx.MockTransport(answer))
    http.request("GET", "/one-user")
    http.request("GET", "/another-user")

    assert sent_cookies == [None, None]
    assert not http._private_client.cookies


def test_cookies_cannot_be_given_to_a_platform_client():
    client = shared_http_client("https://platform.example")
    with pytest.raises(AttributeError):
        client.cookies = {"session": "one"}
    assert not client.cookies
