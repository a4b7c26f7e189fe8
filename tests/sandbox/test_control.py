"""The control endpoints: reset, faults, request log, clock, revocation and outbox."""

import hashlib
import json
import threading
import time

import httpx
import pytest

from tests.fixtures.sandbox import MANAGER_EMAIL, Sandbox
from tests.sandbox.helpers import assert_error, ok

WORKSPACE = "/api/tenant/workspace"


def _control(sandbox: Sandbox, method: str, path: str, **kwargs: object) -> httpx.Response:
    return sandbox.http.request(method, f"/__sandbox__/{path}", **kwargs)


# --- reset ------------------------------------------------------------------------------------


def test_reset_restores_the_seed_and_clears_the_control_state(platform: Sandbox) -> None:
    manager = platform.login(MANAGER_EMAIL)
    seeded_keys = ok(platform.api("GET", "/api/tenant/api-keys", manager))
    seeded_workspace = ok(platform.api("GET", WORKSPACE, manager))
    ok(platform.api("POST", "/api/tenant/api-keys", manager, json={"name": "Temporary"}))
    ok(platform.api("PUT", WORKSPACE, manager, json={"name": "Renamed"}))
    ok(platform.api("POST", "/api/tenant/agents", manager, json={"name": "A", "email": "a@x.io"}))
    platform.set_faults(latencyMs=1)
    platform.set_clock(60)

    elapsed_ms = platform.reset()

    print(f"\nreset of the test seed took {elapsed_ms} ms (sandbox-side)")
    assert platform.outbox() == [] and platform.requests() == []
    assert ok(platform.api("GET", "/api/tenant/api-keys", manager)) == seeded_keys
    assert ok(platform.api("GET", WORKSPACE, manager)) == seeded_workspace
    assert ok(_control(platform, "GET", "faults"))["latencyMs"] == 0
    assert ok(_control(platform, "GET", "clock"))["offsetSeconds"] == 0


def test_reset_waits_for_requests_in_flight(platform: Sandbox) -> None:
    """A reset during a slow request neither breaks it nor is broken by it."""
    manager = platform.login(MANAGER_EMAIL)
    platform.set_faults(latencyMs=300, paths="/api/tenant/visitors$")
    answers: list[int] = []
    slow = threading.Thread(
        target=lambda: answers.append(
            platform.api("GET", "/api/tenant/visitors", manager).status_code
        )
    )
    slow.start()
    platform.reset()
    slow.join()
    assert answers == [200]


# --- faults -----------------------------------------------------------------------------------


def test_latency_delays_platform_calls_only(platform: Sandbox) -> None:
    manager = platform.login(MANAGER_EMAIL)
    platform.set_faults(latencyMs=400)

    started = time.perf_counter()
    ok(platform.api("GET", WORKSPACE, manager))
    delayed = time.perf_counter() - started
    started = time.perf_counter()
    ok(_control(platform, "GET", "clock"))
    control = time.perf_counter() - started

    assert delayed >= 0.4
    assert control < 0.4


def test_latency_does_not_serialise_concurrent_requests(platform: Sandbox) -> None:
    manager = platform.login(MANAGER_EMAIL)
    platform.set_faults(latencyMs=500)
    statuses: list[int] = []

    def call() -> None:
        statuses.append(platform.api("GET", WORKSPACE, manager).status_code)

    threads = [threading.Thread(target=call) for _ in range(8)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started

    assert statuses == [200] * 8
    assert elapsed < 8 * 0.5 / 2  # far less than one after the other


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_an_error_rate_of_1_answers_the_error_status(platform: Sandbox, status: int) -> None:
    manager = platform.login(MANAGER_EMAIL)
    platform.set_faults(errorRate=1, errorStatus=status)
    for _ in range(3):
        response = platform.api("GET", WORKSPACE, manager)
        assert_error(response, status)
        assert "Retry-After" not in response.headers


def test_an_error_rate_hits_about_that_share(platform: Sandbox) -> None:
    manager = platform.login(MANAGER_EMAIL)
    platform.set_faults(errorRate=0.5)
    statuses = [platform.api("GET", WORKSPACE, manager).status_code for _ in range(60)]
    assert set(statuses) == {200, 500}
    assert 15 <= statuses.count(500) <= 45


def test_an_injected_429_carries_retry_after(platform: Sandbox) -> None:
    manager = platform.login(MANAGER_EMAIL)
    platform.set_faults(errorRate=1, errorStatus=429, retryAfter=7)
    response = platform.api("GET", WORKSPACE, manager)
    assert_error(response, 429)
    assert response.headers["Retry-After"] == "7"


def test_the_rate_limit_answers_429_beyond_the_rate(platform: Sandbox) -> None:
    manager = platform.login(MANAGER_EMAIL)
    platform.set_faults(rateLimitRps=3, retryAfter=2)

    responses = [platform.api("GET", WORKSPACE, manager) for _ in range(8)]

    limited = [r for r in responses if r.status_code == 429]
    assert [r.status_code for r in responses[:3]] == [200, 200, 200]
    assert limited  # eight calls in a row take far less than the one-second window
    assert all(r.headers["Retry-After"] == "2" for r in limited)
    assert all(r.status_code in (200, 429) for r in responses)


def test_the_rate_limit_admits_again_after_a_second(platform: Sandbox) -> None:
    manager = platform.login(MANAGER_EMAIL)
    platform.set_faults(rateLimitRps=2)
    [platform.api("GET", WORKSPACE, manager) for _ in range(3)]
    assert platform.api("GET", WORKSPACE, manager).status_code == 429
    time.sleep(1.05)  # the documented window is one second; nothing to poll for
    assert platform.api("GET", WORKSPACE, manager).status_code == 200


def test_a_drop_closes_the_connection_without_an_answer(platform: Sandbox) -> None:
    manager = platform.login(MANAGER_EMAIL)
    platform.clear_requests()
    platform.set_faults(dropRate=1)
    with pytest.raises(httpx.TransportError):
        httpx.get(
            f"{platform.connextlive_url}{WORKSPACE}", headers={"Authorization": f"Bearer {manager}"}
        )
    [entry] = platform.requests()
    assert entry["status"] is None
    platform.clear_faults()
    ok(platform.api("GET", WORKSPACE, manager))


def test_paths_scope_the_faults(platform: Sandbox) -> None:
    manager = platform.login(MANAGER_EMAIL)
    platform.set_faults(errorRate=1, errorStatus=503, paths=r"/api/tenant/visitors")
    assert_error(platform.api("GET", "/api/tenant/visitors", manager), 503)
    ok(platform.api("GET", WORKSPACE, manager))


def test_faults_never_touch_control_or_openapi(platform: Sandbox) -> None:
    platform.set_faults(errorRate=1, errorStatus=500, dropRate=0)
    assert _control(platform, "GET", "faults").status_code == 200
    assert platform.http.get("/openapi.json").status_code in (200, 503)
    assert platform.requests() == []


def test_faults_can_be_read_and_cleared(platform: Sandbox) -> None:
    platform.set_faults(latencyMs=5, paths="x")
    assert ok(_control(platform, "GET", "faults")) == {
        "latencyMs": 5, "errorRate": 0.0, "errorStatus": 500, "rateLimitRps": None,
        "retryAfter": 1, "dropRate": 0.0, "paths": "x",
    }  # fmt: skip
    platform.clear_faults()
    assert ok(_control(platform, "GET", "faults"))["latencyMs"] == 0


@pytest.mark.parametrize(
    "body, field",
    [
        ({"latencyMs": -1}, "latencyMs"),
        ({"latencyMs": 1.5}, "latencyMs"),
        ({"errorRate": 2}, "errorRate"),
        ({"errorRate": "half"}, "errorRate"),
        ({"errorStatus": 200}, "errorStatus"),
        ({"rateLimitRps": 0}, "rateLimitRps"),
        ({"dropRate": True}, "dropRate"),
        ({"paths": "("}, "paths"),
        ({"chaos": 1}, "chaos"),
    ],
)
def test_bad_faults_are_400(platform: Sandbox, body: dict, field: str) -> None:
    response = _control(platform, "POST", "faults", json=body)
    assert list(assert_error(response, 400)["data"]["fieldErrors"]) == [field]


# --- request log ------------------------------------------------------------------------------


def test_the_request_log_records_platform_calls(platform: Sandbox) -> None:
    manager = platform.login(MANAGER_EMAIL)
    body = json.dumps({"name": "Logged"}).encode()
    platform.clear_requests()

    ok(platform.api("GET", "/api/tenant/visitors?limit=2&search=a", manager))
    platform.api("POST", "/api/tenant/api-keys", manager, content=body)
    platform.api("GET", "/nope", manager)
    platform.http.get("/openapi.json")

    entries = platform.requests()
    assert [(e["method"], e["path"], e["status"]) for e in entries] == [
        ("GET", "/connextlive/api/tenant/visitors", 200),
        ("POST", "/connextlive/api/tenant/api-keys", 200),
        ("GET", "/connextlive/nope", 404),
    ]
    assert entries[0]["query"] == "limit=2&search=a"
    assert entries[0]["bodySha256"] == hashlib.sha256(b"").hexdigest()
    assert entries[1]["bodySha256"] == hashlib.sha256(body).hexdigest()
    assert all(entry["ms"] >= 0 and entry["at"].endswith("Z") for entry in entries)


def test_the_request_log_hashes_multipart_bodies_whole(platform: Sandbox) -> None:
    agent = platform.login("agent@example.com")
    conversation = ok(platform.api("GET", "/api/agent/conversations?limit=1", agent))
    request = httpx.Request(
        "POST",
        f"{platform.connextlive_url}/api/agent/conversations/"
        f"{conversation['conversations'][0]['id']}/messages",
        headers={"Authorization": f"Bearer {agent}"},
        files=[("attachments", ("a.pdf", b"%PDF" + b"1" * 300_000, "application/pdf"))],
    )
    body = request.read()
    platform.clear_requests()
    with httpx.Client() as client:
        assert client.send(request).status_code == 200
    assert platform.requests()[0]["bodySha256"] == hashlib.sha256(body).hexdigest()


def test_injected_answers_are_logged_with_their_status(platform: Sandbox) -> None:
    manager = platform.login(MANAGER_EMAIL)
    platform.clear_requests()
    platform.set_faults(errorRate=1, errorStatus=502)
    platform.api("GET", WORKSPACE, manager)
    assert [entry["status"] for entry in platform.requests()] == [502]


# --- clock, revocation, outbox ----------------------------------------------------------------


def test_the_clock_moves_and_reads(platform: Sandbox) -> None:
    before = ok(_control(platform, "GET", "clock"))
    platform.set_clock(3600)
    after = ok(_control(platform, "GET", "clock"))
    assert after["offsetSeconds"] == 3600
    assert after["now"] > before["now"]
    for bad in [{"offsetSeconds": "soon"}, {}, {"offsetSeconds": 10**12}]:
        assert_error(_control(platform, "POST", "clock", json=bad), 400)


def test_revoking_an_unknown_user_is_404(platform: Sandbox) -> None:
    assert_error(_control(platform, "POST", "revoke-tokens", json={"email": "x@y.z"}), 404)
    assert_error(_control(platform, "POST", "revoke-tokens", json={}), 400)


def test_the_outbox_starts_empty(platform: Sandbox) -> None:
    assert platform.outbox() == []
    assert_error(_control(platform, "DELETE", "outbox"), 405)


# --- published credentials ----------------------------------------------------------------------


def test_the_published_credentials_sign_in_on_each_platform(platform: Sandbox) -> None:
    """`/__sandbox__/credentials` lists every platform's seeded credentials, and they work."""
    published = ok(_control(platform, "GET", "credentials"))
    assert {"connextlive", "connectiveone"} <= set(published)
    for account in published["connextlive"]["accounts"]:
        login = platform.http.post(
            "/connextlive/api/auth/login",
            json={"email": account["email"], "password": account["password"]},
        )
        assert login.status_code == 200, account["email"]
    connectiveone = published["connectiveone"]
    rooms = platform.http.get(
        "/connectiveone/kw/api/v1/OpChatRooms/list",
        headers={"Authorization": f"API-Key {connectiveone['apiKey']}"},
    )
    assert rooms.status_code == 200
    assert_error(_control(platform, "POST", "credentials"), 405)
