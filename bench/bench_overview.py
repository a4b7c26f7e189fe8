"""How much the overview costs in platform latency: page p50 / one platform call's p50.

    .venv/bin/python bench/bench_overview.py [--rounds 30] [--latency-ms 100]
                                             [--sandbox-workers 2]

Starts its own sandbox (bench.common.running_sandbox, the test seed) and adds `latency-ms` to
every platform call. Then, in one run and interleaved (so a change of load on the machine weighs
on every series alike):
  - one platform call: the overview's own calls, one at a time, in turn, with the real client;
  - the overview page with its calls concurrent (PLATFORM_CONCURRENCY=8, the default);
  - the same page and code path with PLATFORM_CONCURRENCY=1 (sequential), the baseline;
  - the floor: the overview's calls fired at once straight at the sandbox, with no console. The
    sandbox (`--sandbox-workers` processes) shares this machine's 2 cores, so concurrent calls
    partly queue for CPU; the page cannot cost less than this, and page - floor is what the
    console adds.
The goal is a concurrent ratio <= 1.3: the page costs about one call, not the sum of its calls.

The console runs in-process behind Django's test client, so what is timed is the page's own work
(session, platform calls over real HTTP, rendering) without a web server's queueing in front of
it; the platform calls are real HTTP to a real sandbox process either way. Like every bench here
it prints figures and asserts nothing.
"""

import argparse
import itertools
import os
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, print_table, ratio, running_sandbox, time_interleaved  # noqa: E402

MANAGER_EMAIL = "manager@example.com"
DEMO_PASSWORD = "switchboard-demo"
GOAL = 1.3


def main() -> int:
    args = parse_args()
    sandbox = running_sandbox(size="test", workers=args.sandbox_workers)
    with sandbox as sandbox_url, tempfile.TemporaryDirectory() as workdir:
        configure_django(Path(workdir), f"{sandbox_url}/connextlive")
        run(sandbox_url, args.rounds, args.latency_ms)
    return 0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=30, help="samples per series")
    parser.add_argument("--latency-ms", type=int, default=100, help="added to every platform call")
    parser.add_argument("--sandbox-workers", type=int, default=2, help="sandbox processes")
    return parser.parse_args()


def configure_django(workdir: Path, connextlive_url: str) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "dashboard.settings",
            "SWITCHBOARD_VAR_DIR": str(workdir),
            "DATABASE_URL": f"sqlite:///{workdir / 'console.sqlite3'}",
            "PLATFORM_URL": connextlive_url,
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "0",
            "LOG_LEVEL": "WARNING",
        }
    )
    os.chdir(ROOT)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def run(sandbox_url: str, rounds: int, latency_ms: int) -> None:
    from django.test import Client, override_settings

    from accounts import vault
    from dashboard.platforms.connextlive import ConnextliveClient

    # Templates render without collectstatic: no manifest, no STATIC_ROOT.
    plain_static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(STORAGES={"staticfiles": plain_static}, STATIC_ROOT=None):
        console = Client()
        signed_in = console.post("/login/", {"email": MANAGER_EMAIL, "password": DEMO_PASSWORD})
        if signed_in.status_code != 302:
            raise SystemExit(f"sign-in failed with status {signed_in.status_code}")
        client = ConnextliveClient.from_settings(vault.read_token(console.session))
        calls = itertools.cycle(overview_calls(client))
        fan_out = ThreadPoolExecutor(max_workers=8)

        def floor() -> None:
            for future in [fan_out.submit(call) for call in overview_calls(client)]:
                future.result()

        httpx.post(f"{sandbox_url}/__sandbox__/faults", json={"latencyMs": latency_ms})
        for concurrency in (8, 1):  # warm-up: connections, templates
            overview(console, concurrency)
        timings = time_interleaved(
            {
                "one platform call": lambda: next(calls)(),
                "overview, concurrent (8)": lambda: overview(console, 8),
                "overview, sequential (1)": lambda: overview(console, 1),
                "floor: same calls at once, no console": floor,
            },
            rounds,
        )
        fan_out.shutdown()
        httpx.delete(f"{sandbox_url}/__sandbox__/faults")

    one_call = timings[0].p50
    rows = [[t.label, t.p50, t.p95, ratio(t.p50, one_call)] for t in timings]
    print_table(
        f"Overview: +{latency_ms} ms per platform call, {rounds} samples per series "
        f"(goal: concurrent ratio <= {GOAL})",
        ["series", "p50 ms", "p95 ms", "p50 / one call"],
        rows,
    )


def overview_calls(client) -> list[Callable[[], object]]:
    """The overview's calls (dashboard.overview.cards.manager_overview), to time one at a time."""
    tenant = client.tenant
    return [
        tenant.get_workspace,
        lambda: tenant.list_conversations(status="ACTIVE", limit=1),
        lambda: tenant.list_conversations(status="WAITING", limit=1),
        lambda: tenant.list_conversations(status="CLOSED", limit=1),
        lambda: tenant.list_visitors(limit=1),
        tenant.list_agents,
        tenant.list_api_keys,
    ]


def overview(console, concurrency: int) -> None:
    from django.test import override_settings

    with override_settings(PLATFORM_CONCURRENCY=concurrency):
        response = console.get("/")
    if response.status_code != 200 or b"Couldn't load" in response.content:
        raise SystemExit(f"the overview failed (status {response.status_code})")


if __name__ == "__main__":
    sys.exit(main())
