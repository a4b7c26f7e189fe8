"""The control state is shared by every process of the sandbox (sandbox/state.py).

Two `ControlState` objects on one file stand for two worker processes: each has its own SQLite
connections, as each process does. The gate is checked across a real second process, and the
served sandbox across its real workers.
"""

import multiprocessing
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from sandbox.state import ControlState, DatabaseGate, Faults, LoggedRequest
from tests.fixtures.sandbox import MANAGER_EMAIL, Sandbox

WORKSPACE = "/api/tenant/workspace"


@pytest.fixture
def two_processes(tmp_path: Path) -> tuple[ControlState, ControlState]:
    path = tmp_path / "sandbox.sqlite3.control"
    return ControlState(path), ControlState(path)


def test_faults_set_through_one_process_hold_in_the_other(two_processes) -> None:
    first, second = two_processes
    first.set_faults(Faults(latency_ms=250, paths="visitors"))

    assert second.faults() == Faults(latency_ms=250, paths="visitors")
    assert second.decide_fault("/connextlive/api/tenant/visitors").latency_ms == 250
    assert second.decide_fault("/connextlive/api/tenant/workspace").latency_ms == 0


def test_the_rate_limit_counts_the_requests_of_every_process(two_processes) -> None:
    first, second = two_processes
    first.set_faults(Faults(rate_limit_rps=4))

    decisions = [state.decide_fault("/x") for _ in range(3) for state in (first, second)]

    assert [decision.status for decision in decisions] == [None] * 4 + [429] * 2


def test_random_faults_follow_one_sequence_whichever_process_draws(two_processes) -> None:
    first, second = two_processes
    first.set_faults(Faults(error_rate=0.5))
    alternating = [state.decide_fault("/x").status for _ in range(20) for state in two_processes]
    first.set_faults(Faults(error_rate=0.5))  # setting faults restarts the sequence
    one_process = [first.decide_fault("/x").status for _ in range(40)]

    assert alternating == one_process
    assert {None, 500} == set(one_process)


def test_log_clock_revocations_and_outbox_are_shared(two_processes) -> None:
    first, second = two_processes
    entry = LoggedRequest("GET", "/x", "", 200, 1.5, "00", "2026-11-21T10:00:00.000Z")
    first.log_request(entry)
    second.log_request(entry)
    first.set_clock_offset(3600)
    first.record_token("usr_1", "jti-a")
    second.revoke_tokens("usr_1")
    second.send_email(to="a@example.com", subject="Hi", body="Hello", kind="invite")

    assert len(second.requests()) == 2
    assert second.clock_offset() == 3600
    assert first.is_token_revoked("usr_1", "jti-a", issued_at=2**40)  # by id, whenever issued
    assert [email["to"] for email in first.outbox()] == ["a@example.com"]

    second.reset()
    assert first.requests() == [] and first.outbox() == [] and first.clock_offset() == 0
    assert not first.is_token_revoked("usr_1", "jti-a", issued_at=0)


def _hold_shared_gate(path: Path, holding, release) -> None:
    gate = DatabaseGate(path)
    with gate.shared():
        holding.set()
        release.wait(30)


def test_a_reset_waits_for_a_request_in_flight_in_another_process(tmp_path: Path) -> None:
    path = tmp_path / "sandbox.sqlite3.control"
    context = multiprocessing.get_context("spawn")
    holding, release = context.Event(), context.Event()
    other = context.Process(target=_hold_shared_gate, args=(path, holding, release))
    other.start()
    try:
        assert holding.wait(30), "the other process never entered the gate"
        resetting = threading.Event()
        reset_done = threading.Event()

        def reset() -> None:
            resetting.set()
            with DatabaseGate(path).exclusive():
                reset_done.set()

        thread = threading.Thread(target=reset)
        thread.start()
        resetting.wait()
        assert not reset_done.wait(0.3), "the reset ran beside a request in flight"
        release.set()
        assert reset_done.wait(30)
        thread.join()
    finally:
        release.set()
        other.join(30)


def test_the_served_sandbox_shares_its_rate_limit_across_its_workers(platform: Sandbox) -> None:
    """20 requests at once on 20 connections, spread over the workers: one window for all."""
    manager = platform.login(MANAGER_EMAIL)
    url = f"{platform.connextlive_url}{WORKSPACE}"
    headers = {"Authorization": f"Bearer {manager}"}
    # Each connection opened (and spread over the workers) before the burst, so that the 20
    # requests leave within milliseconds of each other even on a busy machine: opening 20
    # connections at once under load can take longer than the one-second window.
    connections = [httpx.Client(timeout=30) for _ in range(20)]
    for connection in connections:
        connection.get(url, headers=headers).raise_for_status()
    platform.clear_requests()
    platform.set_faults(rateLimitRps=5, latencyMs=100)
    start = threading.Barrier(20)

    def call(connection: httpx.Client) -> int:
        start.wait()
        return connection.get(url, headers=headers).status_code

    # Counted on arrival, before the latency: all 20 arrive well within the one-second window.
    try:
        with ThreadPoolExecutor(20) as pool:
            statuses = list(pool.map(call, connections))
    finally:
        for connection in connections:
            connection.close()
    assert sorted(statuses) == [200] * 5 + [429] * 15
    logged = [entry["status"] for entry in platform.requests() if entry["path"].endswith(WORKSPACE)]
    assert sorted(logged) == sorted(statuses)
