"""What computing a report costs beside reading the platform's lists, whether its memory stays
flat, and what the cached reports page costs beside the overview.

    .venv/bin/python bench/bench_reports.py [--sizes 10000 100000] [--rounds 30] [--walks 4]

For each size, a sandbox of its own seeded with that many conversations over 90 days (the test
seed otherwise; `python -m sandbox seed --conversations N`), then in one run:
  - the 90-day report computed in-process, its sections one after the other (the job runs them
    side by side, which can only be faster), with no rate limit; against
  - the same pages fetched one after the other with the same client and nothing else done:
    every conversation page down to the range's start, the visitor pages, the sampled
    conversations, the agents calls. Goal: report ÷ fetch <= 1.1. One walk of each kind first,
    unmeasured, so that both start warm (connections, decoders, the sandbox's caches); then
    `--walks` of each in turns R F F R R F ..., so that a change of load weighs on both alike;
    the medians are compared.
  - the peak of Python's allocations while computing (tracemalloc, a run of its own since it
    slows everything down). Goal: the largest size's peak within 10 % of the smallest's.
Then, on the smallest sandbox, the reports page served from its cache and the overview, timed
interleaved in the console behind Django's test client. Goal: reports p50 ÷ overview p50 <= 1.2.
Prints figures and asserts nothing; note the load average beside them (2 shared cores).
"""

import argparse
import math
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_overview import configure_django  # noqa: E402
from bench.common import print_table, ratio, time_interleaved  # noqa: E402
from sandbox import process as sandbox_process  # noqa: E402

MANAGER_EMAIL = "manager@example.com"
DEMO_PASSWORD = "switchboard-demo"


def main() -> int:
    args = parse_args()
    print(f"load average at start: {os.getloadavg()}")
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-reports-") as workdir:
        configured = False
        for size in args.sizes:
            folder = Path(workdir) / str(size)
            folder.mkdir()
            seeding = time.perf_counter()
            with sandbox_process.running_sandbox(
                folder, size="test", seed_args=("--conversations", str(size))
            ) as sandbox:
                seeded_in = time.perf_counter() - seeding
                print(f"{size} conversations seeded and served in {seeded_in:.0f} s")
                if not configured:
                    configure_django(Path(workdir), f"{sandbox.url}/connextlive")
                    configured = True
                from django.conf import settings

                settings.PLATFORM_URL = f"{sandbox.url}/connextlive"
                if args.peak_only:
                    results.append((size, math.nan, math.nan, measure_peak_only()))
                    continue
                results.append((size, *measure_compute(size, args.walks)))
                if size == args.sizes[0]:
                    page_rows = measure_pages(args.rounds)
    rows = [
        [f"{size:,}", f"{fetch:.2f}", f"{compute:.2f}", ratio(compute, fetch), f"{peak / 1e6:.2f}"]
        for size, fetch, compute, peak in results
    ]
    print_table(
        "90-day report, medians of the walks (goals: report / fetch <= 1.1; peak memory flat"
        " within 10 %)",
        ["conversations", "fetch s", "report s", "report / fetch", "peak MB"],
        rows,
    )
    if len(results) > 1:
        print(f"peak memory, largest / smallest: {ratio(results[-1][3], results[0][3])}")
    if args.peak_only:
        print(f"load average at end: {os.getloadavg()}")
        return 0
    print_table(
        "Cached reports page vs overview (goal: reports p50 / overview p50 <= 1.2)",
        ["page", "p50 ms", "p95 ms", "p50 / overview"],
        page_rows,
    )
    print(f"load average at end: {os.getloadavg()}")
    return 0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--rounds", type=int, default=30, help="page samples per series")
    parser.add_argument(
        "--walks", type=int, default=4, help="timed 90-day walks of each kind, per size"
    )
    parser.add_argument(
        "--peak-only",
        action="store_true",
        help="only the peak of allocations (one 90-day walk per size, not 3 + 2 * walks; no pages)",
    )
    return parser.parse_args()


def manager_client():
    from dashboard.platforms.connextlive import ConnextliveClient

    client = ConnextliveClient.from_settings()
    return client.with_token(client.login(MANAGER_EMAIL, DEMO_PASSWORD).token)


def ninety_days(days: int = 90):
    from datetime import date, timedelta

    from dashboard.reports.ranges import ReportRange

    today = date.today()
    return ReportRange(today - timedelta(days=days - 1), today, "UTC")


def compute(client, days: int = 90) -> dict:
    """The report's three sections, one after the other; returns the conversations section."""
    from dashboard.reports.computing import (
        TenantSource,
        agents_section,
        conversations_section,
        visitors_section,
    )

    source = TenantSource(client, lambda: None)
    span = ninety_days(days)
    conversations = conversations_section(source, span, seed="bench")
    visitors_section(source, span)
    agents_section(source, "bench", span.zone_name)
    return conversations


def fetch_only(client, sampled: list[str]) -> None:
    """The same requests, one after the other, nothing counted."""
    from dashboard.reports.computing import TENANT_PAGE_SIZE, VISITOR_PAGE_SIZE

    start = ninety_days().start
    tenant = client.tenant
    offset = 0
    while True:
        page = tenant.list_conversations("all", limit=TENANT_PAGE_SIZE, offset=offset)
        offset += len(page.items)
        if not page.items or offset >= page.total or page.items[-1].updated_at < start:
            break
    number = 1
    while True:
        page = tenant.list_visitors(page=number, limit=VISITOR_PAGE_SIZE)
        if not page.items or number >= page.total_pages or page.items[-1].last_seen_at < start:
            break
        number += 1
    for conversation_id in sampled:
        tenant.get_conversation(conversation_id)
    tenant.list_conversations("all", limit=1)
    tenant.list_agents()


def measure_compute(size: int, walks: int) -> tuple[float, float, float]:
    from dashboard.reports import computing

    client = manager_client()
    sampled: list[str] = []
    original = computing.ConversationFigures

    class Remembering(original):  # the bench's baseline fetches the very same sample
        def to_json(self, replies_read: int):
            sampled[:] = [entry[0] for entry in self.sample]
            return super().to_json(replies_read)

    computing.ConversationFigures = Remembering
    try:
        compute(client)  # warm-up, which also picks the sample
    finally:
        computing.ConversationFigures = original
    fetch_only(client, sampled)  # the other kind's warm-up: neither walk is the first
    kinds = {"report": lambda: compute(client), "fetch": lambda: fetch_only(client, sampled)}
    seconds: dict[str, list[float]] = {kind: [] for kind in kinds}
    for kind in in_turns(walks):
        started = time.perf_counter()
        kinds[kind]()
        seconds[kind].append(time.perf_counter() - started)
    for kind, times in seconds.items():
        print(f"{size:,} conversations, {kind} walks: {', '.join(f'{t:.2f}' for t in times)} s")
    tracemalloc.start()
    compute(client)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(seconds["fetch"]), statistics.median(seconds["report"]), float(peak)


def in_turns(walks: int) -> list[str]:
    """report, fetch, fetch, report, ...: each kind as often first as second in a pair, so that
    a load that rises or falls through the run does not favour either."""
    pairs = [
        ("report", "fetch") if number % 2 == 0 else ("fetch", "report") for number in range(walks)
    ]
    return [kind for pair in pairs for kind in pair]


def measure_peak_only() -> float:
    """The peak alone, for sizes whose four walks would take hours: one report of a single day
    first (it stops after the first pages; it warms what the full run's warm-up warms: the
    connections, the decoders' types), then the 90-day report under tracemalloc."""
    client = manager_client()
    compute(client, days=1)
    tracemalloc.start()
    compute(client)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return float(peak)


def measure_pages(rounds: int) -> list[list[object]]:
    from django.test import Client, override_settings

    from dashboard.jobs.kinds import KINDS
    from dashboard.reports.models import Report

    plain_static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(
        STORAGES={"staticfiles": plain_static}, STATIC_ROOT=None, REPORTS_MAX_AGE=86_400
    ):
        console = Client()
        console.post("/login/", {"email": MANAGER_EMAIL, "password": DEMO_PASSWORD})
        console.get("/reports/?range=90d")  # creates the report and its job (no worker here)
        report = Report.objects.get(first_day=ninety_days().first_day)
        performer = KINDS["reports.compute"].performer(report.job)
        from dashboard.jobs.kinds import ItemSpec

        for section in ("conversations", "visitors", "agents"):
            performer.perform(ItemSpec(section))
        report.job.state = "done"
        report.job.save(update_fields=["state"])
        for path in ("/", "/reports/?range=90d"):
            if console.get(path).status_code != 200:
                raise SystemExit(f"{path} failed")
        timings = time_interleaved(
            {
                "overview (its platform calls)": lambda: console.get("/"),
                "reports, 90 days from the cache": lambda: console.get("/reports/?range=90d"),
            },
            rounds,
        )
    overview = timings[0].p50
    return [[t.label, t.p50, t.p95, ratio(t.p50, overview)] for t in timings]


if __name__ == "__main__":
    sys.exit(main())
