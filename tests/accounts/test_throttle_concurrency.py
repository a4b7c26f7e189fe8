"""Parallel guesses against the running console (its live server, real HTTP, many threads): no
number of simultaneous attempts gets more tries past the platform than the limit allows.
Counted where it matters, in the sandbox's log of the logins it received; in each counter
store (the database configured, SQLite or PostgreSQL, and Redis)."""

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.fixtures import sandbox as sandbox_fixtures

pytestmark = pytest.mark.django_db(transaction=True)

PARALLEL = 30


def login_calls(sandbox) -> int:
    return sum(1 for r in sandbox.requests() if r["path"].endswith("/api/auth/login"))


def sign_in_all_at_once(console_url: str, emails: list[str], password: str) -> list[int]:
    """POST /login/ for each email, all released at the same moment; their statuses.

    Each client first opens its page (its connection, cookie and CSRF token), so that the
    moment they are released, all that is left to send is the POST on an open connection."""
    start = threading.Barrier(len(emails))

    def post(email: str) -> int:
        with httpx.Client(base_url=console_url, timeout=60) as client:
            form = open_page(client, "/login/")
            [token] = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
            data = {"email": email, "password": password, "csrfmiddlewaretoken": token}
            start.wait()
            return client.post("/login/", data=data).status_code

    with ThreadPoolExecutor(max_workers=len(emails)) as pool:
        return list(pool.map(post, emails))


def open_page(client: httpx.Client, path: str) -> httpx.Response:
    """GET, again if the live server's short listen queue (10) turned the connection away."""
    for _ in range(10):
        try:
            return client.get(path)
        except httpx.TransportError:
            continue
    return client.get(path)


@pytest.mark.usefixtures("counter_store")
def test_thirty_parallel_wrong_passwords_reach_the_platform_at_most_five_times(
    live_console, sandbox, settings
):
    limit = settings.SIGN_IN_FAILURES_PER_ACCOUNT_AND_IP
    assert limit == 5
    sandbox.clear_requests()

    statuses = sign_in_all_at_once(
        live_console.url, [sandbox_fixtures.MANAGER_EMAIL] * PARALLEL, "wrong-password"
    )

    assert login_calls(sandbox) == limit
    assert sorted(statuses) == [200] * limit + [429] * (PARALLEL - limit)


@pytest.mark.usefixtures("counter_store")
def test_thirty_parallel_guesses_across_accounts_stop_at_the_address_limit(
    live_console, sandbox, settings
):
    settings.SIGN_IN_FAILURES_PER_IP = 20
    sandbox.clear_requests()

    statuses = sign_in_all_at_once(
        live_console.url, [f"guess{n}@example.com" for n in range(PARALLEL)], "wrong-password"
    )

    assert login_calls(sandbox) == 20
    assert statuses.count(429) == PARALLEL - 20
