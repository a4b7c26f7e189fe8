"""The console's own work per request, in CPU instructions: a figure that does not drift.

    .venv/bin/python bench/bench_work.py [--requests 100]

Wall-clock ratios (bench_visitors.py) move with the machine's speed: on this workplace's shared
machines the same page has cost 13 ms of CPU one day and 18 ms another. The number of
instructions the CPU retires for it does not move: this bench counts them with the processor's
own counter (Linux `perf_event_open`, user space only, this thread only), so a change's effect on
the console's work shows as it is, on a busy machine too.

Starts its own sandbox (the test seed, no added latency) and the console in this process behind
Django's test client (bench_visitors.in_process_console), signs in as the demo manager, then
counts, per request: a signed-in /healthz (the floor every page pays: middleware, session, user),
the visitors page with 100 rows, its table and rows fragments, and the conversations page; and,
apart, reading a 100-visitor answer into records. Prints millions of instructions; asserts
nothing. Where the counter is not available (not Linux, or perf_event_paranoid forbids it), it
says so and stops.
"""

import argparse
import ctypes
import os
import struct
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import print_table, running_sandbox  # noqa: E402

PERF_EVENT_OPEN = 298  # the syscall's number on x86_64
PERF_TYPE_HARDWARE = 0
PERF_COUNT_HW_INSTRUCTIONS = 1
EXCLUDE_KERNEL_AND_HYPERVISOR = (1 << 5) | (1 << 6)  # perf_event_attr bit flags
FRAGMENT = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "visitor-table"}
ROWS = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "visitor-rows"}


class _PerfEventAttr(ctypes.Structure):
    _fields_ = [  # noqa: RUF012 (ctypes reads this class attribute)
        ("type", ctypes.c_uint32),
        ("size", ctypes.c_uint32),
        ("config", ctypes.c_uint64),
        ("sample_period", ctypes.c_uint64),
        ("sample_type", ctypes.c_uint64),
        ("read_format", ctypes.c_uint64),
        ("flags", ctypes.c_uint64),
        ("rest", ctypes.c_uint64 * 12),
    ]


class InstructionCounter:
    """Instructions retired by the calling thread in user space, from a hardware counter."""

    def __init__(self) -> None:
        if sys.platform != "linux" or os.uname().machine != "x86_64":
            raise OSError("the counter is read through Linux's perf_event_open on x86_64")
        libc = ctypes.CDLL(None, use_errno=True)
        attr = _PerfEventAttr(
            type=PERF_TYPE_HARDWARE,
            size=112,  # PERF_ATTR_SIZE_VER5: what every kernel since 4.1 reads
            config=PERF_COUNT_HW_INSTRUCTIONS,
            flags=EXCLUDE_KERNEL_AND_HYPERVISOR,
        )
        self.fd = libc.syscall(PERF_EVENT_OPEN, ctypes.byref(attr), 0, -1, -1, 0)
        if self.fd < 0:
            errno = ctypes.get_errno()
            raise OSError(errno, f"perf_event_open: {os.strerror(errno)}")

    def read(self) -> int:
        return struct.unpack("Q", os.read(self.fd, 8))[0]

    def per_call(self, call: Callable[[], object], times: int) -> float:
        """Millions of instructions per call, after a few calls to warm caches up."""
        for _ in range(10):
            call()
        start = self.read()
        for _ in range(times):
            call()
        return (self.read() - start) / times / 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=100, help="requests per series")
    args = parser.parse_args()
    try:
        counter = InstructionCounter()
    except OSError as error:
        print(f"bench_work: no instruction counter here ({error}); nothing measured")
        return 0
    from bench.bench_visitors import in_process_console, platform_session

    with running_sandbox(size="test") as sandbox_url, tempfile.TemporaryDirectory() as workdir:
        client = in_process_console(Path(workdir), sandbox_url)
        answer = platform_session(sandbox_url).get("/api/tenant/visitors?limit=100").content
        series = {
            "signed-in /healthz (the floor)": lambda: client.get("/healthz"),
            "visitors page, 100 rows": lambda: client.get("/visitors/?limit=100"),
            "visitors table fragment": lambda: client.get("/visitors/?limit=100", **FRAGMENT),
            "visitors rows fragment (live)": lambda: client.get("/visitors/?limit=100", **ROWS),
            "conversations page": lambda: client.get("/conversations/"),
        }
        rows = [[name, counter.per_call(call, args.requests)] for name, call in series.items()]
        rows += records_rows(counter, answer)
    print_table(
        f"Instructions per request, user space, {args.requests} requests each",
        ["series", "M instructions"],
        [[name, round(millions, 2)] for name, millions in rows],
    )
    return 0


def records_rows(counter: InstructionCounter, answer: bytes) -> list[list]:
    """A 100-visitor answer read into records, as the client does, and as JSON to Python data."""
    from dashboard.platforms.base import decode_json
    from dashboard.platforms.connextlive_records import VisitorPage

    return [
        [
            "100-visitor answer -> records",
            counter.per_call(lambda: VisitorPage.from_json(answer), 200),
        ],
        [
            "100-visitor answer -> dicts (orjson)",
            counter.per_call(lambda: decode_json(answer), 200),
        ],
    ]


if __name__ == "__main__":
    sys.exit(main())
