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
nothing.

Where the processor's counter is not available (a virtual machine without it, not Linux, or
perf_event_paranoid forbids it), the bench runs itself again under valgrind's callgrind, which
counts the same instructions by emulating the CPU (about 50 times slower, so it makes fewer
requests, which is enough: the count is exact). It compiles a three-function shim against
callgrind's client-request header (`valgrind` and `gcc` must be installed) so that only the
requests are counted, on the main thread, not start-up. Without either counter it says so and
stops.
"""

import argparse
import ctypes
import os
import re
import shutil
import struct
import subprocess
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
NEW_YORK = "America/New_York"  # the test seed's Acme workspace, the demo manager's zone


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


# Callgrind's client requests (valgrind/callgrind.h) as C functions that ctypes can call.
CALLGRIND_SHIM = r"""
#include <valgrind/callgrind.h>
void bench_start(void) { CALLGRIND_ZERO_STATS; CALLGRIND_TOGGLE_COLLECT; }
void bench_stop(const char *label) { CALLGRIND_TOGGLE_COLLECT; CALLGRIND_DUMP_STATS_AT(label); }
int bench_under_valgrind(void) { return RUNNING_ON_VALGRIND; }
"""
CALLGRIND_ENV = "BENCH_WORK_CALLGRIND_DIR"
CALLGRIND_REQUESTS = 8


class CallgrindCounter:
    """The same figure as InstructionCounter, counted by callgrind (this process runs under it).

    Each series is counted from zero with collection on, then dumped to a file of its own; the
    main thread's dump holds the total (`--separate-threads=yes`: the platform calls that a
    page makes from a thread pool count elsewhere, as with the hardware counter)."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.shim = ctypes.CDLL(str(workdir / "shim.so"))
        if not self.shim.bench_under_valgrind():
            raise OSError("not running under valgrind")

    def per_call(self, call: Callable[[], object], times: int) -> float:
        for _ in range(2):
            call()
        before = set(self.workdir.glob("callgrind.out*"))
        self.shim.bench_start()
        for _ in range(times):
            call()
        self.shim.bench_stop(b"series")
        dumps = sorted(set(self.workdir.glob("callgrind.out*")) - before)
        main_thread = [dump for dump in dumps if dump.name.endswith("-01")] or dumps
        return _callgrind_total(main_thread[0]) / times / 1e6


def _callgrind_total(dump: Path) -> int:
    match = re.search(r"^(?:summary|totals):\s+(\d+)", dump.read_text(), re.MULTILINE)
    if not match:
        raise RuntimeError(f"no total in {dump}")
    return int(match.group(1))


def run_under_callgrind(argv: list[str]) -> int:
    """Run this bench again under callgrind, with the shim compiled into a temporary folder."""
    if not (shutil.which("valgrind") and shutil.which("gcc")):
        print("bench_work: no hardware instruction counter, and no valgrind and gcc to count with")
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-work-") as workdir:
        source = Path(workdir) / "shim.c"
        source.write_text(CALLGRIND_SHIM)
        subprocess.run(
            ["gcc", "-shared", "-fPIC", "-O1", "-o", str(Path(workdir) / "shim.so"), str(source)],
            check=True,
        )
        command = [
            "valgrind",
            "--tool=callgrind",
            "--collect-atstart=no",
            "--separate-threads=yes",
            f"--callgrind-out-file={workdir}/callgrind.out",
            f"--log-file={workdir}/valgrind.log",  # valgrind's own lines, apart from the bench's
            sys.executable,
            __file__,
            *argv,
        ]
        env = {**os.environ, CALLGRIND_ENV: workdir}
        print("bench_work: no hardware instruction counter here; counting under callgrind")
        return subprocess.run(command, env=env).returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=None, help="requests per series")
    parser.add_argument("--only", default="", help="only the series whose name contains this")
    args = parser.parse_args()
    counter: InstructionCounter | CallgrindCounter
    if callgrind_dir := os.environ.get(CALLGRIND_ENV):
        counter = CallgrindCounter(Path(callgrind_dir))
        args.requests = args.requests or CALLGRIND_REQUESTS
    else:
        try:
            counter = InstructionCounter()
        except OSError:
            return run_under_callgrind(sys.argv[1:])
        args.requests = args.requests or 100
    from bench.bench_visitors import in_process_console, platform_session

    # Under callgrind everything runs about 50 times slower: neither the page deadline nor the
    # session's revalidation interval may fire in the middle of a series (the revalidation's own
    # cost is bench_revalidation.py's figure).
    os.environ.setdefault("PLATFORM_PAGE_DEADLINE", "600")
    os.environ.setdefault("SESSION_REVALIDATE_SECONDS", "3600")

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
        rows = [
            [name, counter.per_call(call, args.requests)]
            for name, call in series.items()
            if args.only in name
        ]
        if args.only in "100-visitor answer -> records":
            rows += records_rows(counter, answer)
        if args.only in "100 visitor rows":
            rows += table_rows(counter, answer)
    print_table(
        f"Instructions per request, user space, {args.requests} requests each",
        ["series", "M instructions"],
        [[name, round(millions, 2)] for name, millions in rows],
    )
    return 0


def records_rows(counter: "InstructionCounter | CallgrindCounter", answer: bytes) -> list[list]:
    """A 100-visitor answer read into records, as the client does, and as JSON to Python data."""
    from dashboard.platforms.base import decode_json
    from dashboard.platforms.connextlive_records import VisitorPage

    return [
        [
            "100-visitor answer -> records",
            counter.per_call(lambda: VisitorPage.from_json(answer), args_times(counter)),
        ],
        [
            "100-visitor answer -> dicts (orjson)",
            counter.per_call(lambda: decode_json(answer), args_times(counter)),
        ],
    ]


# The visitors rows template (templates/jinja2/visitors/rows.html) written for Django's engine: the
# alternative the rows template was chosen against, fed the same values.
DJANGO_ROWS = """{% for row in rows %}<tr>
<td>{% if row.url %}<a href="{{ row.url }}">{{ row.name }}</a>{% else %}{{ row.name }}{% endif %}{% if row.email %}<div class="small text-secondary text-break">{{ row.email }}</div>{% endif %}</td>
<td class="text-nowrap">{% if row.phone %}{{ row.phone }}{% else %}{{ dash }}{% endif %}</td>
<td>{% if row.location %}{{ row.location }}{% else %}{{ dash }}{% endif %}</td>
<td>{% if row.site %}{{ row.site }}{% else %}{{ dash }}{% endif %}</td>
<td>{% for tag in row.tags %}<span class="badge bg-secondary-lt me-1">{{ tag }}</span>{% empty %}{{ dash }}{% endfor %}</td>
<td>{% if row.online %}<span class="status-dot status-dot-animated status-green" aria-hidden="true"></span> <span>Online</span>{% else %}<span class="status-dot status-secondary" aria-hidden="true"></span> <span class="text-secondary">Offline</span>{% endif %}</td>
<td>{% if row.returning %}<span class="badge bg-blue-lt">Returning</span>{% else %}<span class="text-secondary">New</span>{% endif %}</td>
<td class="text-nowrap">{% if row.last_seen %}<time datetime="{{ row.last_seen.iso }}" title="{{ row.last_seen.exact }}">{{ row.last_seen.ago }}</time>{% else %}{{ dash }}{% endif %}</td>
</tr>
{% endfor %}"""  # noqa: E501


def table_rows(counter: "InstructionCounter | CallgrindCounter", answer: bytes) -> list[list]:
    """A 100-visitor page's rows: their values, and those values placed by the Jinja2 rows
    template (what the page does) and by the same template in Django's engine."""
    from django.template import engines
    from django.utils.safestring import mark_safe

    from dashboard.platforms.connextlive_records import VisitorPage

    visitors = VisitorPage.from_json(answer).items
    values = page_values(visitors)
    jinja = engines["jinja2"].get_template("visitors/rows.html")
    django = engines["django"].from_string(DJANGO_ROWS)
    dash = mark_safe('<span class="text-secondary">—</span>')  # noqa: S308 (a constant)
    times = args_times(counter)
    return [
        [
            "100 visitor rows: values only",
            counter.per_call(lambda: page_values(visitors), times),
        ],
        [
            "100 visitor rows: values only, in New York",
            counter.per_call(lambda: page_values(visitors, NEW_YORK), times),
        ],
        [
            "100 visitor rows: Jinja2 template",
            counter.per_call(lambda: jinja.render({"rows": values}), times),
        ],
        [
            "100 visitor rows: Django template",
            counter.per_call(lambda: django.render({"rows": values, "dash": dash}), times),
        ],
    ]


def page_values(visitors: list, zone: str = "") -> list:
    """The rows' values as the page works them out: one clock (now and the zone) for all rows.
    Without a zone, UTC's (no zone is active here); the demo manager's pages are in their
    workspace's, America/New_York, where each time is converted and named."""
    from zoneinfo import ZoneInfo

    from dashboard.lib.rows import Clock
    from dashboard.visitors.rows import visitor_row

    clock = Clock(zone=ZoneInfo(zone) if zone else None)
    return [visitor_row(visitor, "/visitors/", clock) for visitor in visitors]


def args_times(counter: "InstructionCounter | CallgrindCounter") -> int:
    return 200 if isinstance(counter, InstructionCounter) else 20


if __name__ == "__main__":
    sys.exit(main())
