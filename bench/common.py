"""Shared bench helpers: a sandbox of one's own, timing (p50, p95, total), tables of ratios.

Benchmarks print figures and ratios; they assert nothing, so a slow machine is a slower report,
never a failure.
"""

import math
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sandbox import process as sandbox_process

ROOT = Path(__file__).resolve().parent.parent
SANDBOX_READY_SECONDS = 60.0


@contextmanager
def running_sandbox(
    size: str = "demo", threads: int = 16, workers: int | None = None
) -> Iterator[str]:
    """Seed a temporary database, serve it on a free port, yield the sandbox's URL, stop it."""
    with tempfile.TemporaryDirectory(prefix="bench-sandbox-") as workdir:
        with sandbox_process.running_sandbox(
            Path(workdir), size=size, threads=threads, workers=workers
        ) as running:
            yield running.url


def percentile(samples: Sequence[float], fraction: float) -> float:
    """Linear interpolation between the closest ranks (numpy's default method)."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    position = (len(ordered) - 1) * fraction
    lower, upper = math.floor(position), math.ceil(position)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


@dataclass(frozen=True)
class Timing:
    """Per-call times of one series, in milliseconds, and its wall-clock total in seconds."""

    label: str
    samples_ms: tuple[float, ...]
    total_s: float

    @property
    def p50(self) -> float:
        return percentile(self.samples_ms, 0.50)

    @property
    def p95(self) -> float:
        return percentile(self.samples_ms, 0.95)

    @property
    def per_second(self) -> float:
        return len(self.samples_ms) / self.total_s if self.total_s else math.nan


def time_calls(label: str, call: Callable[[], object], count: int) -> Timing:
    """Run `call` `count` times in a row, timing each."""
    samples = []
    started = time.perf_counter()
    for _ in range(count):
        before = time.perf_counter()
        call()
        samples.append((time.perf_counter() - before) * 1000)
    return Timing(label, tuple(samples), time.perf_counter() - started)


def time_interleaved(calls: dict[str, Callable[[], object]], count: int) -> list[Timing]:
    """Time several kinds of call in turns (A, B, C, A, B, C, ...), so that a change of load on
    the machine during the run weighs on every series alike. Totals are the sums of the samples."""
    samples: dict[str, list[float]] = {label: [] for label in calls}
    for _ in range(count):
        for label, call in calls.items():
            before = time.perf_counter()
            call()
            samples[label].append((time.perf_counter() - before) * 1000)
    return [Timing(label, tuple(ms), sum(ms) / 1000) for label, ms in samples.items()]


def ratio(slow: float, fast: float) -> str:
    if not fast or math.isnan(fast) or math.isnan(slow):
        return "n/a"
    return f"{slow / fast:.2f}x"


def print_table(title: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """A plain fixed-width table: the first column left-aligned, the rest right-aligned."""
    cells = [[str(h) for h in header]] + [[_cell(value) for value in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    print(f"\n{title}")
    for index, row in enumerate(cells):
        line = "  ".join(
            value.ljust(widths[i]) if i == 0 else value.rjust(widths[i])
            for i, value in enumerate(row)
        )
        print(line)
        if index == 0:
            print("  ".join("-" * width for width in widths))


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}"
    return str(value)
