"""What following the platform session costs a page: revalidation with a warm check, per request.

    .venv/bin/python bench/bench_revalidation.py [--requests 100] [--rounds 60]

Every signed-in page asks accounts.platform_session whether the platform should be asked about
the session's token; within SESSION_REVALIDATE_SECONDS the answer comes from the session (a
"warm" check, what nearly every request meets), and only once per interval does a page pay a
platform call. This bench puts a number on the warm check, as the issue asks: the overview's
cost with it / without it (the check switched off), goal <= 1.02.

Starts its own sandbox (the test seed, no added latency) and the console in this process behind
Django's test client (bench_visitors.in_process_console), signed in as the demo manager. The
interval is set to an hour so that no check falls due during the run (the per-request code path
is the same whatever the interval). Prints:
  1. the work per request in the request's thread, with and without the check, for the
     overview (its platform calls made one at a time, so that all of the page's work is in this
     thread) and for the audit page (local data only: where the check weighs most), and for the
     overview with a check due on every request (interval 0: one more platform call), to show
     what the interval saves. In instructions where the processor's counter can be read
     (bench_work.InstructionCounter; not in every virtual machine), and always in Python calls
     (exact, unmoved by load) and CPU-time p50;
  2. wall-clock p50/p95 of the overview (its calls concurrent, as served), with and without,
     timed in turns. Wall time moves with the machine's load, printed beside it; the counts do
     not, so they are the figures to quote.
Asserts nothing.
"""

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    percentile,
    print_table,
    ratio,
    running_sandbox,
    time_interleaved,
)

GOAL = 1.02


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=100, help="requests per counted series")
    parser.add_argument("--rounds", type=int, default=60, help="samples per timed series")
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}, load average at start: {load_average()}")
    from bench.bench_visitors import in_process_console

    with running_sandbox(size="test") as sandbox_url, tempfile.TemporaryDirectory() as workdir:
        console = in_process_console(Path(workdir), sandbox_url)
        from django.conf import settings

        settings.SESSION_REVALIDATE_SECONDS = 3600
        page = checked_get(console)
        work_per_request(page, args.requests)
        wall_clock(page, args.rounds)
    print(f"\nload average at the end: {load_average()}")
    return 0


def checked_get(console) -> Callable[[str], None]:
    def get(path: str) -> None:
        response = console.get(path)
        if response.status_code != 200 or b"Couldn't load" in response.content:
            raise SystemExit(f"{path} failed (status {response.status_code})")

    return get


@contextmanager
def revalidation_off() -> Iterator[None]:
    """The check switched off: what pages cost before sessions followed the platform."""
    from accounts import platform_session

    original = platform_session.check_session
    platform_session.check_session = lambda request, force=False: None
    try:
        yield
    finally:
        platform_session.check_session = original


def work_per_request(get: Callable[[str], None], times: int) -> None:
    """Work per request in this thread, with and without the check, in every unit available:
    instructions (when the processor's counter can be read), Python calls (exact, whatever the
    load), CPU time p50 (thread time, with and without in turns: the load weighs on both)."""
    from django.test import override_settings

    units = work_units()
    overview = lambda: get("/")  # noqa: E731
    audit = lambda: get("/audit/")  # noqa: E731
    rows = []
    with override_settings(PLATFORM_CONCURRENCY=1):
        for name, call in (("overview", overview), ("audit page", audit)):
            for unit, measure in units.items():
                warm, off = measure(call, times)
                rows.append([f"{name}, check warm", unit, warm, off, ratio(warm, off)])
        with override_settings(SESSION_REVALIDATE_SECONDS=0):
            for unit, measure in units.items():
                due, off = measure(overview, times)
                rows.append(["overview, check due every time", unit, due, off, ratio(due, off)])
    print_table(
        f"Work per request in the request's thread, {times} requests each, platform calls one at a "
        f"time (goal: overview ratio <= {GOAL})",
        ["series", "unit", "with the check", "check off", "ratio"],
        rows,
    )


type Measure = Callable[[Callable[[], None], int], tuple[float, float]]


def work_units() -> dict[str, Measure]:
    """{unit: measure(call, times) -> (with the check, without it)}."""
    from bench.bench_work import InstructionCounter

    units: dict[str, Measure] = {}
    try:
        counter = InstructionCounter()
    except OSError as error:
        print(f"no instruction counter here ({error}): Python calls and CPU time instead")
    else:
        units["M instructions"] = lambda call, times: in_blocks(counter.per_call, call, times)
    units["Python calls"] = lambda call, times: in_blocks(python_calls, call, times)
    units["CPU ms p50"] = cpu_ms_p50
    return units


def in_blocks(
    measure: Callable[[Callable[[], None], int], float], call: Callable[[], None], times: int
) -> tuple[float, float]:
    """A counted measure, with then without, twice, keeping each side's least (a warming cache
    favours neither)."""
    with_check, without = [], []
    for _ in range(2):
        with_check.append(measure(call, times))
        with revalidation_off():
            without.append(measure(call, times))
    return min(with_check), min(without)


def python_calls(call: Callable[[], None], times: int) -> float:
    """Python and C function calls per request in this thread (sys.setprofile): exact, and the
    same on a busy machine as on an idle one."""
    for _ in range(5):
        call()
    calls = 0

    def count(frame: object, event: str, arg: object) -> None:
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(count)
    try:
        for _ in range(times):
            call()
    finally:
        sys.setprofile(None)
    return calls / times


def cpu_ms_p50(call: Callable[[], None], times: int) -> tuple[float, float]:
    """Thread CPU time per request, with and without the check in turns."""
    for _ in range(5):
        call()
    with_check: list[float] = []
    without: list[float] = []
    for _ in range(times):
        for samples, off in ((with_check, False), (without, True)):
            with revalidation_off() if off else nullcontext():
                before = time.thread_time()
                call()
                samples.append((time.thread_time() - before) * 1000)
    return percentile(with_check, 0.5), percentile(without, 0.5)


def wall_clock(get: Callable[[str], None], rounds: int) -> None:
    for _ in range(5):  # warm-up: connections, templates
        get("/")

    def without() -> None:
        with revalidation_off():
            get("/")

    timings = time_interleaved(
        {"overview, check warm": lambda: get("/"), "overview, off": without}, rounds
    )
    baseline = timings[1].p50
    print_table(
        f"Overview wall clock, {rounds} samples each, in turns (load average {load_average()})",
        ["series", "p50 ms", "p95 ms", "p50 / off"],
        [[t.label, t.p50, t.p95, ratio(t.p50, baseline)] for t in timings],
    )


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


if __name__ == "__main__":
    sys.exit(main())
