"""Bulk jobs at scale: the engine's send rate under a platform's rate limit, its memory against
the size of a job, and an export's speed against the platform's own page-fetch rate.

    .venv/bin/python bench/bench_jobs.py [--recipients 10000] [--limit 200] [--latency-ms 50]
                                         [--memory-seconds 60] [--naive 300]
                                         [--sandbox-workers 2] [--kills 10]
                                         [--phases rate,memory,export,kills,cost]

One run, on a sandbox of its own (the bench seed: 100,000 visitors, 5,000 conversations,
100,000 ConnectiveOne chats; with only the kills and cost phases, a small seed with 2,000
conversations), a console database and a filesystem broker of its own, and 2 Celery worker
processes (the threads pool, as `make run` starts one; one task at a time each, prefetch 1),
each phase with fresh workers:

1. Send rate. A ConnectiveOne broadcast (call_node) to `recipients` chats, the sandbox adding
   `latency-ms` to each call and answering 429 beyond `limit` requests in any second; the
   integration's own limit is set to the same figure. Achieved sends/s (the sandbox's request
   log: successful calls over the time from the first to the last) / limit, goal >= 0.9. Beside
   it: the same at `low-limit` (half the recipients), a naive loop (one call after the other,
   timed on `naive` recipients) and the sandbox's ceiling under the same latency without a
   limit (32 threads, no console): the sandbox's processes share the same 2 cores, and if it
   does not reach the limit itself, no client can.
2. Worker memory. Peak resident memory (VmHWM, the largest worker process) through a
   1,000-recipient broadcast and through a 100,000-recipient one, goal: within 10 %. At the
   limit the second would take about 9 minutes, so it is sent for `memory-seconds` (some
   thousands of recipients) and cancelled; its RSS is sampled on the way, to show whether it
   grows with the items done.
3. Export. Every visitor (100,000) as CSV through an export job: rows/s / the platform's own
   page-fetch rate (the same 100-row pages fetched one after the other by a plain pooled
   client, every 10th page across the list), goal >= 0.9; and the worker's peak memory beside a
   small export's (flat memory).

4. Kills. A Connextlive broadcast (as the sender agent) to 2,000 conversations, the sandbox
   adding `latency-ms` to each call, at JOBS_RATE_LIMIT=100/s: once undisturbed, once with
   `kills` SIGKILLs of a worker process spread over the run (each started again at once, as
   the supervisor does). Time to finish with kills / without (goal <= 1.5), unknown items left
   after reading back (goal 0), and the most any conversation received (must be 1).
5. The engine's own cost. The same broadcast against a sandbox with no latency and no limit
   (JOBS_RATE_LIMIT=100000): items/s / the raw calls/s of a pooled client sending the same
   message to the same conversations from as many threads as the engine has (goal >= 0.5).

Like every bench here it prints figures and asserts nothing. Run it on a quiet machine: the
workers, the sandbox and this script share the cores.
"""

import argparse
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, print_table, ratio  # noqa: E402
from sandbox.process import running_sandbox  # noqa: E402

MANAGER_EMAIL = "manager@example.com"
DEMO_PASSWORD = "switchboard-demo"
TENANT = "bench"
CALL_NODE = "/connectiveone/kw/api/call_node/"
SMALL_JOB = 1_000
LARGE_JOB = 100_000
WORKERS = 2
READY_SECONDS = 60.0
RATE_GOAL, MEMORY_GOAL, EXPORT_GOAL = 0.9, 0.10, 0.9
KILL_GOAL, COST_GOAL = 1.5, 0.5
CONVERSATIONS = 2_000
SENDER_EMAIL = "priya@example.com"
PHASES = ("rate", "memory", "export", "kills", "cost")


def main() -> int:
    args = parse_args()
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at the start")
    with tempfile.TemporaryDirectory(prefix="bench-jobs-") as workdir_name:
        workdir = Path(workdir_name)
        light = set(args.phases) <= {"kills", "cost"}
        with bench_sandbox(workdir, args.sandbox_workers, light=light) as sandbox:
            configure_django(workdir, sandbox.url)
            bench = Bench(sandbox, workdir, args)
            for phase in args.phases:
                {
                    "rate": bench.send_rate,
                    "memory": bench.worker_memory,
                    "export": bench.export,
                    "kills": bench.kills,
                    "cost": bench.engine_cost,
                }[phase]()
            bench.report()
    return 0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--limit", type=float, default=200.0, help="platform requests/s")
    parser.add_argument(
        "--low-limit", type=float, default=100.0, help="a second limit, below the ceiling"
    )
    parser.add_argument("--latency-ms", type=int, default=50, help="added to each call")
    parser.add_argument("--memory-seconds", type=float, default=60.0)
    parser.add_argument("--naive", type=int, default=300, help="recipients of the naive loop")
    parser.add_argument("--sandbox-workers", type=int, default=2, help="sandbox processes")
    parser.add_argument("--kills", type=int, default=10, help="SIGKILLs in the kills phase")
    parser.add_argument(
        "--phases",
        type=lambda text: [p for p in text.split(",") if p],
        default=list(PHASES),
        help="comma-separated, of " + ",".join(PHASES),
    )
    args = parser.parse_args()
    unknown = set(args.phases) - set(PHASES)
    if unknown:
        parser.error(f"unknown phases: {', '.join(sorted(unknown))}")
    return args


# --- the sandbox, the console's settings, the workers ------------------------------------------


@dataclass
class Sandbox:
    url: str
    db_path: Path
    http: httpx.Client = field(init=False)

    def __post_init__(self) -> None:
        self.http = httpx.Client(base_url=self.url, timeout=60)

    def faults(self, **faults: object) -> None:
        self.http.post("/__sandbox__/faults", json=faults).raise_for_status()

    def clear_faults(self) -> None:
        self.http.delete("/__sandbox__/faults").raise_for_status()

    def clear_requests(self) -> None:
        self.http.delete("/__sandbox__/requests").raise_for_status()

    def requests(self) -> list[dict]:
        return self.http.get("/__sandbox__/requests").json()["requests"]

    def chats(self, count: int, offset: int = 0) -> list[tuple[str, str]]:
        """(channel, chat id) of the seed's chats, the main bot's first: read from the sandbox's
        database (read-only), since listing 100,000 through the API would take minutes."""
        with sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True) as db:
            return db.execute(
                "SELECT channel, chat_id FROM connectiveone_chatroom "
                "ORDER BY bot_id != ?, id LIMIT ? OFFSET ?",
                (main_bot_id(), count, offset),
            ).fetchall()


def main_bot_id() -> int:
    from sandbox.connectiveone.credentials import MAIN_BOT_ID

    return MAIN_BOT_ID


@contextmanager
def bench_sandbox(workdir: Path, workers: int, *, light: bool = False) -> Iterator[Sandbox]:
    """The bench seed in `workdir` (`light`: the test seed with 2,000 conversations), served
    with threads enough for the added latency."""
    started = time.monotonic()
    size, seed_args = ("test", ("--conversations", str(CONVERSATIONS))) if light else ("bench", ())
    with running_sandbox(
        workdir, size=size, threads=64, workers=workers, seed_args=seed_args
    ) as running:
        print(f"sandbox seeded ({size} size) and started in {time.monotonic() - started:.0f} s")
        yield Sandbox(running.url, running.db_path)


def wait_for(condition, what: str, log_path: Path | None = None, deadline=READY_SECONDS) -> None:
    give_up = time.monotonic() + deadline
    while not condition():
        if time.monotonic() > give_up:
            log = log_path.read_text()[-3000:] if log_path else ""
            raise SystemExit(f"gave up waiting for {what}\n{log}")
        time.sleep(0.1)


def stop(process: subprocess.Popen, timeout: float = 30) -> None:
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def configure_django(workdir: Path, sandbox_url: str) -> None:
    """The console's settings for this script and its workers (the same environment)."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "dashboard.settings",
            "SWITCHBOARD_VAR_DIR": str(workdir / "console-var"),
            "DATABASE_URL": f"sqlite:///{workdir / 'console.sqlite3'}",
            "CELERY_BROKER_URL": "filesystem://",
            "PLATFORM_URL": f"{sandbox_url}/connextlive",
            "LOG_LEVEL": "WARNING",
            "JOBS_RATE_LIMIT": "200",  # the Connextlive side (the export's page fetches)
            "JOBS_CONCURRENCY": "16",
            "JOBS_RUNNERS_PER_JOB": str(WORKERS),
            "PYTHONPATH": str(ROOT),
        }
    )
    os.chdir(ROOT)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    import dashboard.celery  # noqa: F401 - the app the jobs' tasks are sent with


class Workers:
    """`WORKERS` Celery worker processes, as `make run` starts one (the threads pool), one task
    at a time each and prefetching one, so the two runner tasks of a job land on two workers."""

    def __init__(self, workdir: Path, name: str) -> None:
        self.workdir, self.name = workdir, name
        self.logs = [workdir / f"worker-{name}-{n}.log" for n in range(WORKERS)]
        self.processes: list[subprocess.Popen] = []
        self.restarts = 0

    def _start(self, n: int) -> subprocess.Popen:
        command = [sys.executable, "-m", "celery", "--app", "dashboard", "worker",
                   "--pool=threads", "--concurrency=1", "--prefetch-multiplier=1",
                   "--without-gossip", "--without-mingle", "--loglevel=INFO",
                   f"--hostname=bench{n}@%h"]  # fmt: skip
        # INFO, as `make run` logs: the line "... ready." says the worker takes tasks.
        env = {**os.environ, "LOG_LEVEL": "INFO"}
        with self.logs[n].open("a") as log:
            return subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )

    def __enter__(self) -> "Workers":
        self.processes = [self._start(n) for n in range(WORKERS)]
        for log_path in self.logs:
            wait_for(lambda p=log_path: " ready." in p.read_text(), "a worker", log_path)
        return self

    def kill_and_restart(self, n: int) -> None:
        """SIGKILL worker `n`, as the kernel's OOM killer does, and start it again at once under
        the same name, as the supervisor does."""
        process = self.processes[n]
        process.send_signal(signal.SIGKILL)
        process.wait()
        self.processes[n] = self._start(n)
        self.restarts += 1

    def __exit__(self, *exc_info: object) -> None:
        for process in self.processes:
            process.send_signal(signal.SIGTERM)
        for process in self.processes:
            stop(process)

    def peak_kb(self) -> int:
        """The largest peak resident set (VmHWM) among the workers' processes."""
        return max((status_kb(pid, "VmHWM") for pid in self.pids()), default=0)

    def rss_kb(self) -> int:
        return max((status_kb(pid, "VmRSS") for pid in self.pids()), default=0)

    def pids(self) -> list[int]:
        parents = {p.pid for p in self.processes}
        return sorted(parents | {pid for pid in all_pids() if parent_of(pid) in parents})


def all_pids() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def parent_of(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def status_kb(pid: int, field_name: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


# --- jobs --------------------------------------------------------------------------------------


def connectiveone_integration(sandbox: Sandbox, limit: float) -> None:
    from dashboard.integrations.models import Integration
    from sandbox.connectiveone.credentials import API_KEY

    integration, _ = Integration.objects.get_or_create(
        tenant_id=TENANT, kind=Integration.Kind.CONNECTIVEONE
    )
    integration.config = {
        "base_url": f"{sandbox.url}/connectiveone",
        "auth_mode": "api_key",
        "rate_limit": limit,
    }
    integration.store_secrets({"api_key": API_KEY})
    integration.save()


def start_broadcast(chats: list[tuple[str, str]], title: str) -> int:
    """A ConnectiveOne broadcast to these chats (as an uploaded CSV would give), started."""
    from django.db import transaction

    from dashboard.broadcasts.models import Broadcast
    from dashboard.broadcasts.sending import BroadcastKind, chat_key
    from dashboard.jobs import engine
    from dashboard.jobs.kinds import ItemSpec
    from sandbox.connectiveone.credentials import ENTRY_ALIAS

    with transaction.atomic():
        job = engine.create_job(kind=BroadcastKind.kind, title=title, tenant_id=TENANT,
                                created_by=None, params={"channel": "connectiveone"})  # fmt: skip
        Broadcast.objects.create(
            job=job, name=title, message="Bench: hello!", channel=Broadcast.Channel.CONNECTIVEONE,
            audience=Broadcast.Audience.CSV, bot_id=main_bot_id(), connector_alias=ENTRY_ALIAS,
        )  # fmt: skip
        engine.add_items(
            job,
            (ItemSpec(chat_key(channel, chat), chat, {"channel": channel, "chatId": chat})
             for channel, chat in chats),
        )  # fmt: skip
        engine.start(job)
    return job.pk


def start_export(query: str) -> int:
    from accounts import vault
    from dashboard.jobs import engine
    from dashboard.platforms.connextlive import ConnextliveClient
    from dashboard.visitors.exports import VisitorExportKind

    login = ConnextliveClient.from_settings().login(MANAGER_EMAIL, DEMO_PASSWORD)
    job = engine.create_job(kind=VisitorExportKind.kind, title=f"Export {query or 'all'}",
                            tenant_id=login.user.tenant_id or TENANT, created_by=None,
                            params={"query": query}, sealed_token=vault.seal(login.token),
                            collected=True)  # fmt: skip
    engine.start(job)
    return job.pk


def sender_setup() -> tuple[str, str, list[str]]:
    """The demo workspace's sender agent as its Connextlive sender integration; returns the
    workspace id, the sender's token, and the first `CONVERSATIONS` conversations' ids."""
    from dashboard.integrations.models import Integration
    from dashboard.platforms.connextlive import ConnextliveClient

    client = ConnextliveClient.from_settings()
    manager = client.with_token(client.login(MANAGER_EMAIL, DEMO_PASSWORD).token)
    tenant_id = manager.tenant.get_workspace().id
    integration, _ = Integration.objects.get_or_create(
        tenant_id=tenant_id, kind=Integration.Kind.CONNEXTLIVE_SENDER
    )
    integration.config = {"email": SENDER_EMAIL}
    integration.store_secrets({"password": DEMO_PASSWORD})
    integration.save()
    ids = [c.id for c in manager.tenant.iter_conversations(status="all", page_size=100)]
    sender_token = client.login(SENDER_EMAIL, DEMO_PASSWORD).token
    return tenant_id, sender_token, ids[:CONVERSATIONS]


def start_connextlive_broadcast(tenant_id: str, conversations: list[str], message: str) -> int:
    """A Connextlive broadcast of `message` to these conversations (as an uploaded CSV would
    give them), started."""
    from django.db import transaction

    from dashboard.broadcasts.models import Broadcast
    from dashboard.broadcasts.sending import BroadcastKind
    from dashboard.jobs import engine
    from dashboard.jobs.kinds import ItemSpec

    with transaction.atomic():
        job = engine.create_job(kind=BroadcastKind.kind, title=message, tenant_id=tenant_id,
                                created_by=None, params={"channel": "connextlive"})  # fmt: skip
        Broadcast.objects.create(
            job=job, name=message, message=message, channel=Broadcast.Channel.CONNEXTLIVE,
            audience=Broadcast.Audience.CSV,
        )  # fmt: skip
        engine.add_items(job, (ItemSpec(c, c, {"conversationId": c}) for c in conversations))
        engine.start(job)
    return job.pk


def job_seconds(job_id: int) -> float:
    from dashboard.jobs.models import Job

    job = Job.objects.get(pk=job_id)
    return (job.finished_at - job.started_at).total_seconds()


def item_counts(job_id: int) -> dict[str, int]:
    from django.db.models import Count

    from dashboard.jobs.models import JobItem

    rows = JobItem.objects.filter(job_id=job_id).values("state").annotate(n=Count("id"))
    return {row["state"]: row["n"] for row in rows}


def read_back_counts(job_id: int) -> dict[str, int]:
    from django.db.models import Count

    from dashboard.jobs.models import JobItem

    rows = (
        JobItem.objects.filter(job_id=job_id)
        .exclude(read_back="")
        .values("read_back")
        .annotate(n=Count("id"))
    )
    return {row["read_back"]: row["n"] for row in rows}


def most_received(requests: list[dict]) -> int:
    """The most messages any one conversation accepted (the sandbox's own request log)."""
    from collections import Counter

    counts = Counter(
        r["path"].split("/")[-2]
        for r in requests
        if r["method"] == "POST" and r["path"].endswith("/messages") and r["status"] == 200
    )
    return max(counts.values(), default=0)


def job_state(job_id: int) -> str:
    from django.db import close_old_connections

    from dashboard.jobs.models import Job

    close_old_connections()
    return Job.objects.values_list("state", flat=True).get(pk=job_id)


def finished_items(job_id: int) -> int:
    from dashboard.jobs.models import JobItem

    done = ["done", "failed", "unknown"]
    return JobItem.objects.filter(job_id=job_id, state__in=done).count()


def wait_until_done(job_id: int, deadline: float) -> None:
    wait_for(lambda: job_state(job_id) == "done", f"job {job_id} to finish", deadline=deadline)


def cancel(job_id: int) -> None:
    from dashboard.jobs import engine
    from dashboard.jobs.models import Job, RunnerLease

    engine.cancel(Job.objects.get(pk=job_id))
    wait_for(lambda: not RunnerLease.objects.filter(job_id=job_id).exists(), "runners to stop")


# --- the bench ---------------------------------------------------------------------------------


@dataclass
class Bench:
    sandbox: Sandbox
    workdir: Path
    args: argparse.Namespace
    rows: dict[str, list[list[object]]] = field(default_factory=dict)

    def send_rate(self) -> None:
        args, sandbox = self.args, self.sandbox
        ceiling_before = self._sandbox_ceiling()
        sandbox.faults(latencyMs=args.latency_ms, rateLimitRps=args.limit, paths="call_node")
        naive = self._naive_loop(sandbox.chats(args.naive, offset=args.recipients))
        runs = [
            (limit, *self._engine_rate(limit, recipients))
            for limit, recipients in ((args.limit, args.recipients),
                                      (args.low_limit, args.recipients // 2))
        ]  # fmt: skip
        # Measured before and after the engine's runs: the machine's load drifts meanwhile.
        ceiling = (ceiling_before + self._sandbox_ceiling()) / 2
        self.rows["rate"] = []
        for limit, sent, refused, achieved in runs:
            self.rows["rate"].append(
                [f"job engine, {WORKERS} workers", limit, f"{sent:,}", refused, achieved,
                 f"{achieved / limit:.2f}", f"{achieved / min(limit, ceiling):.2f}"]
            )  # fmt: skip
        self.rows["rate"] += [
            ["naive loop, one call after another", args.limit, args.naive, 0, naive,
             f"{naive / args.limit:.2f}", f"{naive / min(args.limit, ceiling):.2f}"],
            ["sandbox ceiling (32 threads, no console; mean of before and after)",
             "none", "", "", ceiling, f"{ceiling / args.limit:.2f}", ""],
        ]  # fmt: skip

    def _engine_rate(self, limit: float, recipients: int) -> tuple[int, int, float]:
        """A broadcast to `recipients` chats at a platform limit of `limit` (the integration
        set to the same): successful sends, 429s, and sends per second."""
        self.sandbox.faults(latencyMs=self.args.latency_ms, rateLimitRps=limit, paths="call_node")
        connectiveone_integration(self.sandbox, limit)
        self.sandbox.clear_requests()
        with Workers(self.workdir, f"rate-{limit:g}"):
            job_id = start_broadcast(self.sandbox.chats(recipients), f"Send rate at {limit:g}/s")
            wait_until_done(job_id, deadline=recipients / limit * 4 + 60)
        sent, refused, seconds = call_node_log(self.sandbox.requests())
        self.sandbox.clear_faults()
        return sent, refused, sent / seconds

    def _sandbox_ceiling(self) -> float:
        """Successful call_node answers per second from 32 threads, with the latency and no
        rate limit: what the sandbox process itself can serve on this machine."""
        from concurrent.futures import ThreadPoolExecutor

        from sandbox.connectiveone.credentials import API_KEY, ENTRY_ALIAS

        self.sandbox.faults(latencyMs=self.args.latency_ms, paths="call_node")
        chats = self.sandbox.chats(2_000, offset=self.args.recipients + self.args.naive)
        headers = {"Authorization": f"API-Key {API_KEY}"}
        limits = httpx.Limits(max_connections=32, max_keepalive_connections=32)
        with httpx.Client(base_url=self.sandbox.url, limits=limits, timeout=30) as client:

            def send(chat: tuple[str, str]) -> bool:
                body = {
                    "bot_id": main_bot_id(),
                    "connector_alias": ENTRY_ALIAS,
                    "channel": chat[0],
                    "chat_id": chat[1],
                    "data": {"message": "ceiling"},
                }
                return client.post(CALL_NODE, json=body, headers=headers).status_code == 200

            started = time.perf_counter()
            with ThreadPoolExecutor(32) as pool:
                ok = sum(pool.map(send, chats))
            elapsed = time.perf_counter() - started
        self.sandbox.clear_faults()
        return ok / elapsed

    def _naive_loop(self, chats: list[tuple[str, str]]) -> float:
        """One call_node after the other with the console's own client: sends per second."""
        from dashboard.platforms.connectiveone import ApiKeyAuth, ConnectiveOneClient
        from sandbox.connectiveone.credentials import API_KEY, ENTRY_ALIAS

        client = ConnectiveOneClient(f"{self.sandbox.url}/connectiveone", ApiKeyAuth(API_KEY))
        started = time.perf_counter()
        for channel, chat in chats:
            client.call_node(bot_id=main_bot_id(), channel=channel, chat_id=chat,
                             data={"message": "naive"}, connector_alias=ENTRY_ALIAS)  # fmt: skip
        return len(chats) / (time.perf_counter() - started)

    def worker_memory(self) -> None:
        args, sandbox = self.args, self.sandbox
        connectiveone_integration(sandbox, args.limit)  # also when the rate phase did not run
        sandbox.faults(latencyMs=args.latency_ms, rateLimitRps=args.limit, paths="call_node")
        with Workers(self.workdir, "memory-small") as workers:
            job_id = start_broadcast(sandbox.chats(SMALL_JOB), "Memory, 1,000")
            wait_until_done(job_id, deadline=SMALL_JOB / args.limit * 4 + 60)
            small = workers.peak_kb()
        with Workers(self.workdir, "memory-large") as workers:
            job_id = start_broadcast(sandbox.chats(LARGE_JOB), "Memory, 100,000")
            samples = sample_rss(workers, job_id, args.memory_seconds)
            cancel(job_id)
            large, done = workers.peak_kb(), finished_items(job_id)
        sandbox.clear_faults()
        growth = (large - small) / small
        self.rows["memory"] = [
            [f"{SMALL_JOB:,} recipients, sent in full", f"{SMALL_JOB:,}", small / 1024, ""],
            [f"{LARGE_JOB:,} recipients, sent for {args.memory_seconds:.0f} s", f"{done:,}",
             large / 1024, f"{growth:+.1%}"],
        ]  # fmt: skip
        self.rows["memory samples"] = [[f"{n:,}", kb / 1024] for n, kb in samples]

    def export(self) -> None:
        from dashboard.jobs.models import Job

        page_rate_before = self._page_fetch_rate()
        runs = []
        for query in ("tags=vip&tags=trial", ""):
            with Workers(self.workdir, f"export-{len(runs)}") as workers:
                job_id = start_export(query)
                wait_until_done(job_id, deadline=900)
                runs.append((query, Job.objects.get(pk=job_id), workers.peak_kb()))
        # Before and after the exports: the machine's load drifts meanwhile.
        page_rate = (page_rate_before + self._page_fetch_rate()) / 2
        small_kb = runs[0][2]
        self.rows["export"] = []
        for query, job, peak_kb in runs:
            rows_written = int(job.cursor["rows"])
            rows_per_s = rows_written / (job.finished_at - job.started_at).total_seconds()
            self.rows["export"].append(
                [query or "every visitor", f"{rows_written:,}", rows_per_s,
                 f"{rows_per_s / page_rate:.2f}", peak_kb / 1024,
                 f"{(peak_kb - small_kb) / small_kb:+.1%}"]
            )  # fmt: skip
        self.rows["export"].append(
            ["platform page fetches (every 10th page; mean of before and after)", "",
             page_rate, "1.00", "", ""]
        )  # fmt: skip

    def _page_fetch_rate(self) -> float:
        """Visitors per second through 100-row pages fetched one after the other by a pooled
        client, as the export fetches them: every 10th page, so deep pages weigh their share."""
        from dashboard.platforms.connextlive import ConnextliveClient

        client = ConnextliveClient.from_settings()
        client = client.with_token(client.login(MANAGER_EMAIL, DEMO_PASSWORD).token)
        pages = client.tenant.list_visitors(limit=100).total_pages
        rows, started = 0, time.perf_counter()
        for page in range(1, pages + 1, 10):
            rows += len(client.tenant.list_visitors(page=page, limit=100).items)
        return rows / (time.perf_counter() - started)

    def kills(self) -> None:
        args, sandbox = self.args, self.sandbox
        os.environ.update({"JOBS_RATE_LIMIT": "100", "JOBS_READ_BACK_AFTER_SECONDS": "5"})
        tenant_id, _, conversations = sender_setup()
        sandbox.faults(latencyMs=args.latency_ms, paths="/messages$")
        runs = []
        for kills in (0, args.kills):
            sandbox.clear_requests()
            with Workers(self.workdir, f"kills-{kills}") as workers:
                job_id = start_connextlive_broadcast(
                    tenant_id, conversations, f"Bench: {kills} kills, hello!"
                )
                if kills:
                    # Spread over the undisturbed run's time (the first measured).
                    every = runs[0][1] * 0.9 / (kills + 1)
                    for n in range(kills):
                        time.sleep(every)
                        workers.kill_and_restart(n % WORKERS)
                wait_until_done(job_id, deadline=600)
            runs.append((kills, job_seconds(job_id), item_counts(job_id), read_back_counts(job_id),
                         most_received(sandbox.requests())))  # fmt: skip
        sandbox.clear_faults()
        base = runs[0][1]
        self.rows["kills"] = [
            [f"{kills} SIGKILLs" if kills else "no kills", f"{CONVERSATIONS:,}", seconds,
             f"{seconds / base:.2f}", counts.get("done", 0), counts.get("unknown", 0),
             read_back.get("confirmed", 0), read_back.get("resent", 0), most]
            for kills, seconds, counts, read_back, most in runs
        ]  # fmt: skip

    def engine_cost(self) -> None:
        os.environ.update({"JOBS_RATE_LIMIT": "100000"})
        tenant_id, sender_token, conversations = sender_setup()
        self.sandbox.clear_faults()
        threads = int(os.environ["JOBS_CONCURRENCY"]) * WORKERS
        raw = self._raw_sends(sender_token, conversations, threads)
        with Workers(self.workdir, "cost"):
            job_id = start_connextlive_broadcast(tenant_id, conversations, "Bench: cost, hi!")
            wait_until_done(job_id, deadline=600)
        engine = CONVERSATIONS / job_seconds(job_id)
        self.rows["cost"] = [
            [f"job engine, {WORKERS} workers x {threads // WORKERS} threads", engine,
             f"{engine / raw:.2f}"],
            [f"raw pooled client, {threads} threads, no database", raw, "1.00"],
        ]  # fmt: skip

    def _raw_sends(self, token: str, conversations: list[str], threads: int) -> float:
        """Messages/s from `threads` threads sharing one pooled client: the same POST the
        engine makes for each item, and nothing else."""
        from concurrent.futures import ThreadPoolExecutor

        limits = httpx.Limits(max_connections=threads, max_keepalive_connections=threads)
        headers = {"Authorization": f"Bearer {token}"}
        base = f"{self.sandbox.url}/connextlive/api/agent/conversations"
        with httpx.Client(limits=limits, timeout=30, headers=headers) as client:

            def send(conversation: str) -> bool:
                body = {"content": "Bench: raw, hi!"}
                return client.post(f"{base}/{conversation}/messages", json=body).is_success

            started = time.perf_counter()
            with ThreadPoolExecutor(threads) as pool:
                ok = sum(pool.map(send, conversations))
            return ok / (time.perf_counter() - started)

    def report(self) -> None:
        args = self.args
        if "rate" in self.rows:
            print_table(
                f"1. Send rate: {args.recipients:,} recipients, +{args.latency_ms} ms per call, "
                f"platform limit {args.limit:.0f}/s (goal: engine / limit >= {RATE_GOAL})",
                [
                    "series",
                    "limit/s",
                    "sent",
                    "429s",
                    "sends/s",
                    "/ limit",
                    "/ min(limit, ceiling)",
                ],
                self.rows["rate"],
            )
        if "memory" in self.rows:
            print_table(
                f"2. Worker peak memory, largest process (goal: within {MEMORY_GOAL:.0%})",
                ["job", "items done", "peak MB", "vs 1,000"],
                self.rows["memory"],
            )
            print_table(
                "   RSS of the 100,000-recipient job as it goes",
                ["items done", "RSS MB"],
                self.rows["memory samples"],
            )
        if "export" in self.rows:
            print_table(
                f"3. Export to CSV (goal: rows/s / page-fetch rate >= {EXPORT_GOAL}; flat memory)",
                ["export", "rows", "rows/s", "/ page fetch", "peak MB", "vs small"],
                self.rows["export"],
            )
        if "kills" in self.rows:
            print_table(
                f"4. Workers SIGKILLed mid-broadcast: {CONVERSATIONS:,} Connextlive conversations,"
                f" +{args.latency_ms} ms per call, 100/s (goals: time / undisturbed <= "
                f"{KILL_GOAL}, unknown after reading back = 0, most received = 1)",
                ["run", "items", "seconds", "/ no kills", "done", "unknown", "confirmed by "
                 "read-back", "sent again", "most received"],
                self.rows["kills"],
            )  # fmt: skip
        if "cost" in self.rows:
            print_table(
                f"5. The engine's own cost: no latency, no limit (goal: engine / raw >= "
                f"{COST_GOAL})",
                ["series", "items/s", "/ raw"],
                self.rows["cost"],
            )
        if "rate" in self.rows:
            engine, naive = self.rows["rate"][0][4], self.rows["rate"][2][4]
            print(f"\nengine / naive loop: {ratio(engine, naive)}")
        print(f"load average {os.getloadavg()[0]:.2f} at the end")


def call_node_log(requests: list[dict]) -> tuple[int, int, float]:
    """Successful call_node requests, 429s, and the seconds from the first success to the last
    (timestamps of the sandbox's own request log)."""
    calls = [r for r in requests if r["method"] == "POST" and r["path"] == CALL_NODE]
    sent = [parse_time(r["at"]) for r in calls if r["status"] == 200]
    refused = sum(1 for r in calls if r["status"] == 429)
    return len(sent), refused, (max(sent) - min(sent)).total_seconds()


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def sample_rss(workers: Workers, job_id: int, seconds: float) -> list[tuple[int, int]]:
    """(items done, largest worker RSS in KB) every 5 seconds for `seconds`."""
    samples, stop_at = [], time.monotonic() + seconds
    while time.monotonic() < stop_at:
        time.sleep(min(5.0, stop_at - time.monotonic()))
        samples.append((finished_items(job_id), workers.rss_kb()))
    return samples


if __name__ == "__main__":
    sys.exit(main())
