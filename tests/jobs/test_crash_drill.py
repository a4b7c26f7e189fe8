"""Workers killed with SIGKILL in the middle of a broadcast to thousands of chats, and a broker
that restarts and forgets its messages: every recipient still ends done, failed or unknown, and
the sandbox's own request log shows that no chat was sent the message twice.

The workers are real processes (`celery worker` on the threads pool, as `make run` starts it)
on a database and broker of the drill's own -- a SQLite file, or a fresh PostgreSQL database
when DATABASE_URL says postgres -- because a process killed with SIGKILL must not be the test's.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dj_database_url
import pytest

from sandbox.process import free_port
from tests.fixtures.sandbox import PROJECT_ROOT

CALL_NODE = "/connectiveone/kw/api/call_node/"
FINAL = {"done", "failed", "unknown"}
DEADLINE = 180


class Drill:
    """The drill's database, broker, environment and worker processes."""

    def __init__(
        self,
        tmp_path: Path,
        sandbox: Any,
        broker_url: str,
        *,
        create: str = "create",
        settings: dict[str, str] | None = None,
    ) -> None:
        self.tmp_path = tmp_path
        self.sandbox = sandbox
        self.database_url, self._drop_database = _drill_database(tmp_path)
        broker_dir = tmp_path / "broker"
        broker_dir.mkdir()
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "JOBS_"))},
            "PYTHONPATH": str(PROJECT_ROOT),
            "PYTHONUNBUFFERED": "1",
            "DATABASE_URL": self.database_url,
            "CELERY_BROKER_URL": broker_url,
            "DRILL_QUEUE": f"drill-{uuid.uuid4().hex}",
            "DRILL_BROKER_DIR": str(broker_dir),
            "SWITCHBOARD_VAR_DIR": str(tmp_path / "var"),
            "PLATFORM_URL": sandbox.connextlive_url,
            "JOBS_LEASE_SECONDS": "2",
            "JOBS_WATCHDOG_SECONDS": "0.5",
            "JOBS_RATE_LIMIT": "2000",
            "JOBS_CONCURRENCY": "8",
            "JOBS_RUNNERS_PER_JOB": "2",
            "JOBS_AUTO_PAUSE_AFTER": "1000",
            "JOBS_READ_BACK_AFTER_SECONDS": "3",
            **(settings or {}),
        }
        self.workers: list[subprocess.Popen] = []
        self._run("migrate")
        self.job_id = int(self._run(create, sandbox.url).strip().splitlines()[-1])

    def _run(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "tests.jobs.drill", *args],
            cwd=self.tmp_path,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    def start_worker(self) -> None:
        log = (self.tmp_path / f"worker-{len(self.workers)}.log").open("w")
        self.workers.append(
            subprocess.Popen(
                [sys.executable, "-m", "tests.jobs.drill", "worker"],
                cwd=self.tmp_path,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: SIGKILL reaches the pool too
            )
        )

    def kill_worker(self) -> None:
        worker = self.workers[-1]
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)

    def worker_log(self) -> str:
        return "\n".join(p.read_text()[-3000:] for p in sorted(self.tmp_path.glob("worker-*.log")))

    def stop(self) -> None:
        for worker in self.workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait(timeout=30)
        self._drop_database()

    def counts(self) -> Counter:
        sql = "SELECT state, COUNT(*) FROM jobs_jobitem WHERE job_id = %s GROUP BY state"
        return Counter(dict(_query(self.database_url, sql, self.job_id)))

    def job_state(self) -> str:
        rows = _query(self.database_url, "SELECT state FROM jobs_job WHERE id = %s", self.job_id)
        return rows[0][0]

    def wait_for(self, condition: Any, what: str) -> None:
        give_up = time.monotonic() + DEADLINE
        while not condition():
            if time.monotonic() > give_up:
                counts = self.counts()
                pytest.fail(f"timed out waiting for {what}; counts {counts}\n{self.worker_log()}")
            time.sleep(0.1)

    def wait_until_done_at_least(self, count: int) -> None:
        self.wait_for(lambda: self.counts()["done"] >= count, f"{count} sent")


def _query(database_url: str, sql: str, *params: Any) -> list[tuple]:
    config = dj_database_url.parse(database_url)
    if config["ENGINE"].endswith("sqlite3"):
        with sqlite3.connect(config["NAME"], timeout=30) as db:
            return db.execute(sql.replace("%s", "?"), params).fetchall()
    import psycopg

    with psycopg.connect(database_url) as db:
        return db.execute(sql, params).fetchall()


def _drill_database(tmp_path: Path) -> tuple[str, Any]:
    """A SQLite file, or a fresh database on the PostgreSQL server of DATABASE_URL."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{tmp_path / 'drill.sqlite3'}", lambda: None
    import psycopg

    name = f"drill_{uuid.uuid4().hex[:12]}"
    server = url.rsplit("/", 1)[0]
    with psycopg.connect(server + "/postgres", autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(server + "/postgres", autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{server}/{name}", drop


def deliveries(sandbox: Any) -> Counter:
    """Successful call_node requests per body; a body names exactly one chat."""
    return Counter(
        r["bodySha256"]
        for r in sandbox.requests()
        if r["method"] == "POST" and r["path"] == CALL_NODE and r["status"] == 200
    )


def assert_exactly_once(drill: Drill, sandbox: Any) -> Counter:
    counts = drill.counts()
    assert set(counts) <= FINAL, counts
    sent = deliveries(sandbox)
    assert sent and max(sent.values()) == 1, "a chat was sent the message twice"
    # Every done item was delivered; an unknown one may or may not have been.
    assert counts["done"] <= sum(sent.values()) <= counts["done"] + counts["unknown"]
    # call_node cannot be read back: its unknowns are left for a person, none waits for a read.
    sql = "SELECT COUNT(*) FROM jobs_jobitem WHERE job_id = %s AND read_back != ''"
    assert _query(drill.database_url, sql, drill.job_id) == [(0,)]
    return counts


@contextmanager
def drill_on(
    tmp_path: Path, sandbox: Any, broker_url: str, *, paths: str = "call_node", **options: Any
) -> Iterator[Drill]:
    sandbox.reset()
    sandbox.set_faults(latencyMs=25, paths=paths)  # so that a kill always finds some in flight
    sandbox.clear_requests()
    drill = Drill(tmp_path, sandbox, broker_url, **options)
    try:
        yield drill
    finally:
        drill.stop()
        sandbox.reset()


def test_workers_killed_again_and_again_never_send_twice(tmp_path, sandbox):
    broker = os.environ.get("CELERY_BROKER_URL", "filesystem://")
    with drill_on(tmp_path, sandbox, broker) as drill:
        for sent in (300, 900, 1500):
            drill.start_worker()
            drill.wait_until_done_at_least(sent)
            drill.kill_worker()
        drill.start_worker()
        drill.wait_for(lambda: drill.job_state() == "done", "the broadcast to finish")

        counts = assert_exactly_once(drill, sandbox)
    print(f"crash drill: {dict(counts)}")
    assert sum(counts.values()) > 2000  # thousands of recipients
    assert counts["done"] > 2000


@pytest.mark.skipif(not Path("/usr/bin/redis-server").exists(), reason="no redis-server")
def test_a_broker_that_restarts_and_forgets_its_messages_loses_no_one(tmp_path, sandbox):
    port = free_port()
    command = ["/usr/bin/redis-server", "--port", str(port), "--bind", "127.0.0.1",
               "--save", "", "--appendonly", "no"]  # fmt: skip

    def start_redis() -> subprocess.Popen:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        import redis

        client = redis.Redis(port=port, socket_timeout=1)
        give_up = time.monotonic() + 30
        while True:
            try:
                client.ping()
                return process
            except redis.ConnectionError:
                if time.monotonic() > give_up:
                    raise
                time.sleep(0.05)

    redis_process = start_redis()
    try:
        with drill_on(tmp_path, sandbox, f"redis://127.0.0.1:{port}/0") as drill:
            drill.start_worker()
            drill.wait_until_done_at_least(400)
            redis_process.kill()  # the broker dies with whatever it held
            redis_process.wait()
            redis_process = start_redis()
            drill.wait_until_done_at_least(1000)
            drill.kill_worker()  # and a worker too, after the broker forgot everything
            drill.start_worker()
            drill.wait_for(lambda: drill.job_state() == "done", "the broadcast to finish")

            assert_exactly_once(drill, sandbox)
    finally:
        redis_process.kill()
        redis_process.wait()
