"""The contact view costs about one platform call: page and panels p50 / one call's p50.

    .venv/bin/python bench/bench_contacts.py [--rounds 20] [--latency-ms 100] [--slow-ms 2000]
                                             [--sandbox-workers 2]

Starts its own sandbox (the test seed), connects the demo workspace's ConnectiveOne, and looks
up Jane Cooper by e-mail (she is on both platforms the contact view has sources for today:
Connextlive and ConnectiveOne). What a browser does is replayed in-process with Django's test
client: the page (its first paint: the search form and a placeholder per platform), then every
panel's request at once, one thread each, as htmx fires them on load.

1. Every platform at +`latency-ms`, interleaved: one platform call (the panels' own calls, in
   turn), the page alone (first paint), the page and all its panels (the person on every
   platform), the panels alone (what follows the first paint), and the page with its panels
   asked one after the other (what one view calling every platform in turn would cost). Goal:
   page and panels p50 / one call p50 <= 1.3.
2. ConnectiveOne alone at +`slow-ms` (the fault layer has one latency for the paths it names,
   so Connextlive answers at its own speed here): the page's first paint, the fast panel, and
   the slow one. Goal: first paint <= 1.3 x one call of part 1; the slow panel arrives later.

The figures depend on the machine and what else runs on it: indicative, compare ratios of one run.
"""

import argparse
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_overview import DEMO_PASSWORD, MANAGER_EMAIL, configure_django  # noqa: E402
from bench.common import (  # noqa: E402
    Timing,
    print_table,
    ratio,
    running_sandbox,
    time_interleaved,
)

GOAL = 1.3
JANE = "jane.cooper@example.net"


def main() -> int:
    args = parse_args()
    with running_sandbox(size="test", workers=args.sandbox_workers) as sandbox_url:
        with tempfile.TemporaryDirectory() as workdir:
            configure_django(Path(workdir), f"{sandbox_url}/connextlive")
            run(sandbox_url, args)
    return 0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20, help="samples per series")
    parser.add_argument("--latency-ms", type=int, default=100, help="added to every call")
    parser.add_argument("--slow-ms", type=int, default=2000, help="ConnectiveOne's, in part 2")
    parser.add_argument("--sandbox-workers", type=int, default=2, help="sandbox processes")
    return parser.parse_args()


def run(sandbox_url: str, args: argparse.Namespace) -> None:
    from django.test import Client, override_settings

    from accounts import vault
    from accounts.models import User
    from dashboard.contacts.sources.connectiveone import INCLUDE, MAX_CHATS
    from dashboard.contacts.sources.connextlive import MAX_VISITORS
    from dashboard.integrations.models import Integration
    from dashboard.platforms.connectiveone import ApiKeyAuth, ConnectiveOneClient
    from dashboard.platforms.connextlive import ConnextliveClient
    from sandbox.connectiveone.credentials import API_KEY

    plain_static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(STORAGES={"staticfiles": plain_static}, STATIC_ROOT=None):
        console = Client()
        signed_in = console.post("/login/", {"email": MANAGER_EMAIL, "password": DEMO_PASSWORD})
        if signed_in.status_code != 302:
            raise SystemExit(f"sign-in failed with status {signed_in.status_code}")
        integration = Integration(
            tenant_id=User.objects.get(email=MANAGER_EMAIL).tenant_id,
            kind=Integration.Kind.CONNECTIVEONE,
            config={"base_url": f"{sandbox_url}/connectiveone", "auth_mode": "api_key"},
        )
        integration.store_secrets({"api_key": API_KEY})
        integration.save()
        cookie = console.cookies
        connextlive = ConnextliveClient.from_settings(vault.read_token(console.session))
        connectiveone = ConnectiveOneClient(f"{sandbox_url}/connectiveone", ApiKeyAuth(API_KEY))
        one_calls = [
            lambda: connextlive.tenant.list_visitors(search=JANE, limit=MAX_VISITORS),
            lambda: connectiveone.list_chat_rooms(email=JANE, include=INCLUDE, limit=MAX_CHATS),
        ]
        turn = iter(range(10**9))
        pool = ThreadPoolExecutor(max_workers=8)

        def one_call() -> None:
            one_calls[next(turn) % len(one_calls)]()

        def page() -> list[str]:
            response = console.get("/contacts/", {"q": JANE})
            urls = panel_urls(response.content.decode())
            if response.status_code != 200 or len(urls) < 2:
                raise SystemExit(f"the contacts page failed ({response.status_code}, {urls})")
            return urls

        def panel(url: str) -> float:
            client = Client()
            client.cookies = cookie
            response = client.get(url, headers={"HX-Request": "true"})
            if response.status_code != 200 or b"Could not look" in response.content:
                raise SystemExit(f"a panel failed: {url}")
            return time.perf_counter()

        urls = page()

        def page_and_panels() -> None:
            for future in [pool.submit(panel, url) for url in page()]:
                future.result()

        def panels_only() -> None:
            for future in [pool.submit(panel, url) for url in urls]:
                future.result()

        def panels_in_turn() -> None:
            for url in page():
                panel(url)

        set_faults(sandbox_url, latencyMs=args.latency_ms)
        for _ in range(2):  # warm-up: connections, templates
            page_and_panels()
            one_call()
        timings = time_interleaved(
            {
                "one platform call": one_call,
                "page alone (first paint)": page,
                "every panel at once (page already shown)": panels_only,
                "page and every panel at once": page_and_panels,
                "page, then the panels in turn": panels_in_turn,
            },
            args.rounds,
        )
        one = timings[0].p50
        print_table(
            f"Contacts: {len(urls)} platforms at +{args.latency_ms} ms each, {args.rounds} "
            f"samples per series (goal: page and every panel <= {GOAL}x one call)",
            ["series", "p50 ms", "p95 ms", "p50 / one call"],
            [[t.label, t.p50, t.p95, ratio(t.p50, one)] for t in timings],
        )

        set_faults(sandbox_url, latencyMs=args.slow_ms, paths=r"^/connectiveone/")
        first_paint, fast, slow = [], [], []
        for _ in range(max(3, args.rounds // 4)):
            started = time.perf_counter()
            shown = page()
            painted = time.perf_counter()
            arrived = {url: pool.submit(panel, url) for url in shown}
            for url, future in arrived.items():
                (slow if "/connectiveone/" in url else fast).append(
                    (future.result() - started) * 1000
                )
            first_paint.append((painted - started) * 1000)
        rows = [
            Timing("first paint (form and placeholders)", tuple(first_paint), 0),
            Timing("Connextlive panel in", tuple(fast), 0),
            Timing(f"ConnectiveOne panel in (+{args.slow_ms} ms)", tuple(slow), 0),
        ]
        print_table(
            f"Contacts with ConnectiveOne at +{args.slow_ms} ms (goal: first paint <= {GOAL}x "
            f"one call of the table above, {one:.1f} ms)",
            ["series", "p50 ms", "p95 ms", "p50 / one call"],
            [[t.label, t.p50, t.p95, ratio(t.p50, one)] for t in rows],
        )
        pool.shutdown()
        httpx.delete(f"{sandbox_url}/__sandbox__/faults")


def panel_urls(html: str) -> list[str]:
    import re

    return [
        url.replace("&amp;", "&") for url in re.findall(r'hx-get="(/contacts/panels/[^"]+)"', html)
    ]


def set_faults(sandbox_url: str, **faults: object) -> None:
    httpx.post(f"{sandbox_url}/__sandbox__/faults", json=faults).raise_for_status()


if __name__ == "__main__":
    sys.exit(main())
