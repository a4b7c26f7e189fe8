"""What the pooled platform client buys, and how fast the sandbox serves a 100-row page.

    .venv/bin/python bench/bench_client.py [--calls 200] [--pages 240] [--threads 8]

Starts its own sandbox (a fresh `--size demo` seed in a temporary directory, on a free port), then
prints, from one run:
  1. N sequential calls (GET workspace) through the pooled client (kept-alive connections shared
     by every client of the process) vs a new client per call (a new httpx.Client, a new TCP
     connection each time, as `httpx.get(...)` would do): p50, p95, total, and the ratio; and
     the same with the SSL context shared, to separate client set-up from reconnecting (the three
     kinds are timed in turns, so that load on the machine weighs on each alike);
  2. the sandbox's requests/s for a 100-row visitors page from one thread and from 8 threads,
     through the pooled client.
"""

import argparse
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    Timing,
    print_table,
    ratio,
    running_sandbox,
    time_interleaved,
)
from dashboard.platforms.base import ClientOptions  # noqa: E402
from dashboard.platforms.connextlive import ConnextliveClient  # noqa: E402

MANAGER_EMAIL = "manager@example.com"
DEMO_PASSWORD = "switchboard-demo"
WARM_UP_CALLS = 20


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=200, help="sequential calls per client kind")
    parser.add_argument("--pages", type=int, default=240, help="100-row pages per thread count")
    parser.add_argument("--threads", type=int, default=8, help="threads of the concurrent run")
    parser.add_argument("--size", default="demo", choices=["test", "demo", "bench"])
    parser.add_argument("--sandbox-threads", type=int, default=16)
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    print(f"sandbox: --size {args.size}, {args.sandbox_threads} threads")
    with running_sandbox(args.size, args.sandbox_threads) as url:
        base_url = f"{url}/connextlive"
        # Plain options: a bench must not depend on the console's Django settings.
        anonymous = ConnextliveClient(base_url, options=ClientOptions())
        token = anonymous.login(MANAGER_EMAIL, DEMO_PASSWORD).token
        pooled = anonymous.with_token(token)
        compare_pooled_with_new_clients(pooled, token, args.calls)
        measure_page_throughput(pooled, args.pages, args.threads)
    return 0


def call_with_a_new_client(base_url: str, token: str, **transport: Any) -> None:
    """What code without a shared pool pays: a client (and a TCP connection) per call."""
    fresh = ConnextliveClient(
        base_url, token, options=ClientOptions(), transport=httpx.HTTPTransport(**transport)
    )
    try:
        fresh.tenant.get_workspace()
    finally:
        fresh.close()


def compare_pooled_with_new_clients(pooled: ConnextliveClient, token: str, calls: int) -> None:
    # httpx builds an SSL context (loading the CA bundle) for every new client, even for plain
    # HTTP; the third series shares one, to show what the new TCP connection alone costs.
    ssl_context = httpx.create_ssl_context()

    def new_client_call() -> None:
        call_with_a_new_client(pooled.base_url, token)

    def new_connection_call() -> None:
        call_with_a_new_client(pooled.base_url, token, verify=ssl_context)

    for _ in range(WARM_UP_CALLS):
        pooled.tenant.get_workspace()
        new_client_call()
        new_connection_call()
    timings = time_interleaved(
        {
            "pooled client (keep-alive)": pooled.tenant.get_workspace,
            "new client per call": new_client_call,
            "new client, SSL context shared": new_connection_call,
        },
        calls,
    )
    shared, fresh = timings[0], timings[1]
    rows = [
        [t.label, len(t.samples_ms), t.p50, t.p95, t.total_s * 1000, ratio(t.p50, shared.p50)]
        for t in timings
    ]
    print_table(
        f"1. {calls} sequential calls, GET /api/tenant/workspace",
        ["client", "calls", "p50 ms", "p95 ms", "total ms", "p50 vs pooled"],
        rows,
    )
    print(f"   total time ratio (new client / pooled): {ratio(fresh.total_s, shared.total_s)}")


def fetch_pages(client: ConnextliveClient, pages: int, threads: int) -> Timing:
    """`pages` requests for a 100-row page, spread over `threads` threads, timed per request."""
    samples: list[float] = []
    lock = threading.Lock()

    def worker(count: int) -> None:
        mine = []
        for _ in range(count):
            before = time.perf_counter()
            page = client.tenant.list_visitors(limit=100)
            mine.append((time.perf_counter() - before) * 1000)
            if len(page.items) != 100:
                raise RuntimeError(f"expected a 100-row page, got {len(page.items)} rows")
        with lock:
            samples.extend(mine)

    shares = [pages // threads + (1 if i < pages % threads else 0) for i in range(threads)]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        for future in [pool.submit(worker, share) for share in shares]:
            future.result()
    return Timing(f"{threads} thread(s)", tuple(samples), time.perf_counter() - started)


def measure_page_throughput(client: ConnextliveClient, pages: int, threads: int) -> None:
    fetch_pages(client, WARM_UP_CALLS, 1)
    single = fetch_pages(client, pages, 1)
    many = fetch_pages(client, pages, threads)
    rows = [
        [t.label, len(t.samples_ms), t.total_s, t.per_second, t.p50, t.p95] for t in (single, many)
    ]
    print_table(
        "2. sandbox throughput, GET /api/tenant/visitors?limit=100 (100 rows per page)",
        ["threads", "requests", "wall s", "req/s", "p50 ms", "p95 ms"],
        rows,
    )
    speedup = ratio(many.per_second, single.per_second)
    print(f"   req/s ratio ({threads} threads / 1 thread): {speedup}")


if __name__ == "__main__":
    sys.exit(main())
