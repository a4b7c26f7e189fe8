"""The process that runs the tasks, killed with SIGKILL again and again in the middle of a
Connextlive broadcast to 600 conversations, as the kernel's OOM killer kills it, and started
again each time by its supervisor: the job finishes soon after the last kill, no conversation
gets the message twice, and the report agrees with what the platform received.

The worker runs on Celery's threads pool (as `make run` and compose.yaml start it): the tasks
run in threads of the one process that is killed, so there is no pool process left behind to
wedge on a lock that a dead sibling held (Celery's issues #2011 and #2917, the prefork pool).
"""

import os
import re
import shutil
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from sandbox.process import free_port, running_sandbox
from tests.fixtures.sandbox import Sandbox
from tests.jobs.test_crash_drill import Drill, _query, drill_on

RECIPIENTS = 600
KILLS = 6
FINISH_AFTER_LAST_KILL = 60.0
MESSAGES = re.compile(r"^/connextlive/api/agent/conversations/([^/]+)/messages$")


@pytest.fixture(scope="module")
def big_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    """A sandbox of its own whose demo workspace has 600 conversations."""
    with running_sandbox(
        tmp_path_factory.mktemp("sandbox-600"), seed_args=("--conversations", str(RECIPIENTS))
    ) as running:
        handle = Sandbox(running.url, running.db_path)
        yield handle
        handle.close()


def received(sandbox: Sandbox) -> Counter:
    """Messages the platform accepted, per conversation, from its own request log."""
    counts: Counter = Counter()
    for request in sandbox.requests():
        match = MESSAGES.match(request["path"])
        if request["method"] == "POST" and match and request["status"] in (200, 201):
            counts[match.group(1)] += 1
    return counts


def items(drill: Drill) -> dict[str, tuple[str, str]]:
    rows = _query(
        drill.database_url,
        "SELECT key, state, result FROM jobs_jobitem WHERE job_id = %s",
        drill.job_id,
    )
    return {key: (state, result) for key, state, result in rows}


def supervised_kills(drill: Drill, kills: int, every: int) -> float:
    """Kill the worker each time `every` more items are done, and start it again at once (what
    the supervisor does); returns when the last kill happened (monotonic)."""
    drill.start_worker()
    last_kill = time.monotonic()
    for round_ in range(kills):
        drill.wait_for(
            lambda r=round_: (
                drill.counts()["done"] >= every * (r + 1) or drill.job_state() == "done"
            ),
            f"{every * (round_ + 1)} sent",
        )
        if drill.job_state() == "done":
            pytest.fail(f"the broadcast finished before kill {round_ + 1}: send it slower")
        drill.kill_worker()
        last_kill = time.monotonic()
        drill.start_worker()
    return last_kill


def connextlive_drill(tmp_path: Path, sandbox: Sandbox, broker: str) -> Any:
    return drill_on(
        tmp_path,
        sandbox,
        broker,
        paths="/messages",
        create="create-connextlive",
        settings={
            "JOBS_RATE_LIMIT": "60",  # about 10 s of sending: room for the kills
            # The default lease: the worker started again frees its killed predecessor's leases
            # at once (leases.free_orphans) instead of waiting for them to run out.
            "JOBS_LEASE_SECONDS": "30",
        },
    )


def assert_the_report_agrees(drill: Drill, sandbox: Sandbox, last_kill: float, kills: int) -> None:
    drill.wait_for(lambda: drill.job_state() == "done", "the broadcast to finish")
    took = time.monotonic() - last_kill
    assert took <= FINISH_AFTER_LAST_KILL, f"finished {took:.1f} s after the last kill"
    sent = received(sandbox)
    report = items(drill)
    print(f"kill drill: {dict(drill.counts())}, finished {took:.1f} s after the last kill")
    assert len(report) >= 500
    assert sent and max(sent.values()) == 1, "a conversation was sent the message twice"
    states = Counter(state for state, _ in report.values())
    # Read back, every unknown was settled: none is left for a person to check.
    assert set(states) == {"done"}, states
    confirmed = sum(1 for _, result in report.values() if "confirmed by reading back" in result)
    print(f"kill drill: {confirmed} confirmed by reading back")
    # A kill leaves unknown at most what was on the wire: each runner claims only as many as it
    # has threads calling, and writes each outcome as soon as its call returns.
    sql = "SELECT COUNT(*) FROM jobs_jobitem WHERE job_id = %s AND read_back != ''"
    [(were_unknown,)] = _query(drill.database_url, sql, drill.job_id)
    on_the_wire = int(drill.env["JOBS_CONCURRENCY"]) * int(drill.env["JOBS_RUNNERS_PER_JOB"])
    assert were_unknown <= kills * on_the_wire, were_unknown
    for key, (state, _) in report.items():
        if state == "done":
            assert sent[key] == 1, f"{key} is reported done but the platform has nothing"
    assert set(sent) == set(report), "the report and the platform disagree"
    # Each worker proved it ran tasks: its probe went through its own queue and ran.
    beats = _query(drill.database_url, "SELECT hostname, beat_at FROM jobs_workerbeat")
    assert beats, drill.worker_log()


def test_the_worker_killed_again_and_again_mid_broadcast(tmp_path: Path, big_sandbox: Sandbox):
    broker = os.environ.get("CELERY_BROKER_URL", "filesystem://")
    with connextlive_drill(tmp_path, big_sandbox, broker) as drill:
        last_kill = supervised_kills(drill, KILLS, every=RECIPIENTS // (KILLS + 2))
        assert_the_report_agrees(drill, big_sandbox, last_kill, KILLS)


REDIS = os.environ.get("CELERY_BROKER_URL", "").startswith("redis")


@pytest.mark.skipif(
    not REDIS, reason="no Redis configured (CELERY_BROKER_URL): runs in CI's PostgreSQL/Redis pass"
)
@pytest.mark.skipif(not shutil.which("redis-server"), reason="no redis-server to restart")
def test_the_worker_killed_and_redis_restarted_mid_broadcast(tmp_path: Path, big_sandbox: Sandbox):
    """The same across a restart of the broker that forgets its messages (a Redis of the test's
    own, on a free port: the machine's is shared)."""
    with own_redis() as redis_server:
        broker = f"redis://127.0.0.1:{redis_server.port}/0"
        with connextlive_drill(tmp_path, big_sandbox, broker) as drill:
            every = RECIPIENTS // 6
            supervised_kills(drill, 1, every=every)
            drill.wait_for(lambda: drill.counts()["done"] >= 2 * every, f"{2 * every} sent")
            redis_server.restart()  # the broker dies with whatever it held
            drill.wait_for(lambda: drill.counts()["done"] >= 3 * every, f"{3 * every} sent")
            drill.kill_worker()  # and the worker too, after the broker forgot everything
            last_kill = time.monotonic()
            drill.start_worker()
            assert_the_report_agrees(drill, big_sandbox, last_kill, 2)


class RedisServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        import redis

        command = [shutil.which("redis-server") or "redis-server", "--port", str(self.port),
                   "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]  # fmt: skip
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        client = redis.Redis(port=self.port, socket_timeout=1)
        give_up = time.monotonic() + 30
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > give_up:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()


@contextmanager
def own_redis() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
