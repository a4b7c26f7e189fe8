"""The new broadcast channels at scale: a UChat sub-flow broadcast against UChat's rate limit,
and what a LivePerson broadcast costs in platform calls per recipient.

    .venv/bin/python bench/bench_channels.py [--subscribers 5000] [--limit 100] [--latency-ms 50]
                                             [--consumers 1000] [--lp-limit 300]
                                             [--sandbox-workers 2]

One run, on a sandbox of its own (the bench seed: 12,000 UChat subscribers on the store bot, the
first 5,000 tagged "Spring campaign"), a console database and a filesystem broker of its own,
and 2 Celery worker processes (the threads pool, one task at a time, prefetch 1), as
bench_jobs.py runs them:

1. UChat. The Spring sale sub-flow to the subscribers tagged "Spring campaign" (`subscribers`
   of them at the bench size; a smaller --subscribers sends to a CSV of that many of them), the
   sandbox adding `latency-ms` to each send and answering 429 beyond `limit` sends in any second,
   the integration's own limit set to the same. Achieved sends/s (the sandbox's request log:
   successful send-sub-flow calls over the time from the first to the last) / limit, goal
   >= 0.9; and the 429s met.
2. LivePerson. A message to `consumers` consumers of a CSV (new to the console: each needs its
   ConsumerJWS first). Platform calls per recipient (every request the sandbox logged under
   /liveperson during the job / recipients), goal <= 3.05: three each (consumer token,
   CONVERSATION, SEND) and the AppJWT once, not once per item. Beside it: what fetching the
   AppJWT for every message would cost (4.00), and the same broadcast again to the same
   consumers, whose tokens are kept (2.00 and the kept AppJWT).

Prints figures and asserts nothing. The machine's load weighs on the figures: run it quietly.
"""

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_jobs import (  # noqa: E402
    WORKERS,
    Workers,
    bench_sandbox,
    configure_django,
    parse_time,
    wait_until_done,
)
from bench.common import print_table  # noqa: E402

TENANT = "bench"
SEND_SUB_FLOW = "/uchat/api/subscriber/send-sub-flow"
SPRING_TAG = "f190385t7215006"  # "Spring campaign": the first 5,000 at the bench size
RATE_GOAL, CALLS_GOAL = 0.9, 3.05
NOTES: list[str] = []


def outcomes(job_id: int, label: str) -> str:
    """The job's items by state, and the commonest reasons of those not done (for the notes)."""
    from dashboard.jobs.models import JobItem

    states = Counter(JobItem.objects.filter(job_id=job_id).values_list("state", flat=True))
    reasons = Counter(
        JobItem.objects.filter(job_id=job_id).exclude(state="done").values_list("error", flat=True)
    )
    for reason, count in reasons.most_common(3):
        NOTES.append(f"{label}: {count} x {reason[:160]}")
    return " ".join(f"{state} {count}" for state, count in sorted(states.items()))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=5_000)
    parser.add_argument("--limit", type=float, default=100.0, help="UChat requests/s")
    parser.add_argument("--latency-ms", type=int, default=50, help="added to each send")
    parser.add_argument("--consumers", type=int, default=1_000)
    parser.add_argument("--lp-limit", type=float, default=300.0, help="LivePerson requests/s")
    parser.add_argument("--sandbox-workers", type=int, default=2, help="sandbox processes")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at the start")
    import tempfile

    with tempfile.TemporaryDirectory(prefix="bench-channels-") as workdir_name:
        workdir = Path(workdir_name)
        with bench_sandbox(workdir, args.sandbox_workers) as sandbox:
            configure_django(workdir, sandbox.url)
            uchat = uchat_rate(sandbox, workdir, args)
            liveperson = liveperson_calls(sandbox, workdir, args)
    print_table(
        f"UChat sub-flow broadcast, {WORKERS} workers, +{args.latency_ms} ms per send",
        ["", "limit/s", "sent", "429s", "seconds", "sends/s", "rate / limit", "goal", "items"],
        uchat,
    )
    print_table(
        "LivePerson broadcast: platform calls per recipient",
        ["", "recipients", "calls", "AppJWT", "consumer", "open", "send", "per recipient",
         "goal", "items"],
        liveperson,
    )  # fmt: skip
    for line in NOTES:
        print(line)
    print(f"\nload average {os.getloadavg()[0]:.2f} at the end")
    return 0


# --- UChat -------------------------------------------------------------------------------------


def uchat_rate(sandbox, workdir: Path, args: argparse.Namespace) -> list[list[object]]:
    from dashboard.integrations.models import Integration
    from sandbox.uchat.credentials import BOT_TOKEN

    integration = Integration(
        tenant_id=TENANT, kind=Integration.Kind.UCHAT,
        config={"base_url": f"{sandbox.url}/uchat/api", "rate_limit": args.limit},
    )  # fmt: skip
    integration.store_secrets({"bot_token": BOT_TOKEN})
    integration.save()
    sandbox.faults(latencyMs=args.latency_ms, rateLimitRps=args.limit, paths="send-sub-flow")
    sandbox.clear_requests()
    with Workers(workdir, "uchat"):
        started = time.monotonic()
        job_id = start_uchat_broadcast(sandbox, args.subscribers)
        wait_until_done(job_id, deadline=args.subscribers / args.limit * 4 + 120)
        seconds = time.monotonic() - started
    states = outcomes(job_id, "UChat")
    calls = [r for r in sandbox.requests() if r["path"] == SEND_SUB_FLOW]
    sent = [parse_time(r["at"]) for r in calls if r["status"] == 200]
    refused = sum(1 for r in calls if r["status"] == 429)
    rate = len(sent) / (max(sent) - min(sent)).total_seconds()
    send_profile(calls, args.limit)
    sandbox.clear_faults()
    ceiling = uchat_ceiling(sandbox, args)
    return [
        ["job engine", args.limit, f"{len(sent):,}", refused, seconds, rate,
         f"{rate / args.limit:.2f}", f">= {RATE_GOAL}", states],
        ["sandbox ceiling (32 threads, no console, no limit)", "none", "", "", "", ceiling,
         f"{ceiling / args.limit:.2f}", "", ""],
    ]  # fmt: skip


def send_profile(calls: list[dict], limit: float) -> None:
    """Where the rate goes (notes): the sends by status, the rate of every request the limit
    counts (the sandbox admits a 400 into its window as it does a 200; a 429 is not admitted),
    against the bucket's own refill, the busiest second of the sandbox's sliding window, and
    the rate with the first and last 5 % of the requests (ramp-up, ramp-down) left out."""
    from bisect import bisect_right

    from dashboard.jobs.ratelimit import refill_for

    statuses = Counter(r["status"] for r in calls)
    admitted = sorted(parse_time(r["at"]).timestamp() for r in calls if r["status"] != 429)
    if len(admitted) < 40:
        return
    span = admitted[-1] - admitted[0]
    busiest = max(bisect_right(admitted, at + 1.0, lo=i) - i for i, at in enumerate(admitted))
    cut = len(admitted) // 20
    middle = (len(admitted) - 2 * cut - 1) / (admitted[-cut - 1] - admitted[cut])
    refill = refill_for(limit)
    NOTES.extend([
        "UChat sends by status: "
        + ", ".join(f"{status}: {count}" for status, count in sorted(statuses.items())),
        f"UChat: every request the limit counts (not 429): {len(admitted) / span:.1f}/s over "
        f"{span:.1f} s = {len(admitted) / span / limit:.3f} of the limit; the middle 90 % "
        f"{middle:.1f}/s; the bucket's refill {refill:.2f}/s ({refill / limit:.3f}); the "
        f"busiest 1-second window {busiest} requests",
    ])  # fmt: skip


def uchat_ceiling(sandbox, args: argparse.Namespace) -> float:
    """Successful send-sub-flow answers per second from 32 threads with the latency and no
    limit (to subscribers outside the tag): what the sandbox itself serves on this machine now;
    if it cannot reach the limit, no client can."""
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    from sandbox.uchat.credentials import BOT_TOKEN, SPRING_SUB_FLOW_NS

    sandbox.faults(latencyMs=args.latency_ms, paths="send-sub-flow")
    headers = {"Authorization": f"Bearer {BOT_TOKEN}"}
    with httpx.Client(base_url=sandbox.url, timeout=30, headers=headers) as client:
        # The newest 100 subscribers: outside the tag (its 5,000 are the first, the oldest).
        page = client.get("/uchat/api/subscribers", params={"limit": 100}).json()["data"]
        targets = [s["user_ns"] for s in page if s["allow_send_message"]] * 10

        def send(user_ns: str) -> bool:
            body = {"user_ns": user_ns, "sub_flow_ns": SPRING_SUB_FLOW_NS}
            return client.post(SEND_SUB_FLOW, json=body).status_code == 200

        started = time.perf_counter()
        with ThreadPoolExecutor(32) as pool:
            ok = sum(pool.map(send, targets))
        elapsed = time.perf_counter() - started
    sandbox.clear_faults()
    return ok / elapsed


def start_uchat_broadcast(sandbox, count: int) -> int:
    """The Spring sale sub-flow to the "Spring campaign" tag (collected by the job, as a manager
    starts it), or to a CSV of that many of them for a smaller run."""
    from django.db import transaction

    from dashboard.broadcasts.channels import UChatBroadcastKind
    from dashboard.broadcasts.models import Broadcast
    from dashboard.jobs import engine
    from dashboard.jobs.kinds import ItemSpec
    from sandbox.uchat.credentials import SPRING_SUB_FLOW_NS

    whole_tag = count >= 5_000
    items = [] if whole_tag else subscribers_of_the_tag(sandbox, count)
    with transaction.atomic():
        job = engine.create_job(
            kind=UChatBroadcastKind.kind, title="Spring sale", tenant_id=TENANT, created_by=None,
            params={"channel": "uchat"}, collected=not whole_tag,
        )  # fmt: skip
        Broadcast.objects.create(
            job=job, name="Spring sale", message="", channel=Broadcast.Channel.UCHAT,
            audience=Broadcast.Audience.UCHAT_TAGS if whole_tag else Broadcast.Audience.CSV,
            uchat_tags=[SPRING_TAG], sub_flow_ns=SPRING_SUB_FLOW_NS,
        )  # fmt: skip
        engine.add_items(job, [ItemSpec(user_ns) for user_ns in items])
        engine.start(job)
    return job.pk


def subscribers_of_the_tag(sandbox, count: int) -> list[str]:
    from dashboard.platforms.uchat import UChatClient
    from sandbox.uchat.credentials import BOT_TOKEN

    client = UChatClient(f"{sandbox.url}/uchat/api", BOT_TOKEN)
    found = []
    for subscriber in client.iter_subscribers(tag_ns=SPRING_TAG):
        if subscriber.allow_send_message and subscriber.subscribed:
            found.append(subscriber.user_ns)
        if len(found) >= count:
            break
    return found


# --- LivePerson --------------------------------------------------------------------------------


def liveperson_calls(sandbox, workdir: Path, args: argparse.Namespace) -> list[list[object]]:
    from dashboard.integrations.models import Integration
    from sandbox.liveperson.credentials import ACCOUNT_ID, CLIENT_ID, CLIENT_SECRET

    integration = Integration(
        tenant_id=TENANT, kind=Integration.Kind.LIVEPERSON,
        config={"account_id": ACCOUNT_ID, "client_id": CLIENT_ID, "rate_limit": args.lp_limit},
    )  # fmt: skip
    integration.store_secrets({"client_secret": CLIENT_SECRET})
    integration.save()
    consumers = [f"bench-{n:05d}" for n in range(args.consumers)]
    rows = []
    for label in ("new consumers", "the same consumers again (tokens kept)"):
        sandbox.clear_requests()
        with Workers(workdir, "liveperson"):
            job_id = start_liveperson_broadcast(consumers, label)
            wait_until_done(job_id, deadline=args.consumers * 3 / args.lp_limit * 4 + 120)
        paths = Counter(
            kind_of(r["path"]) for r in sandbox.requests() if r["path"].startswith("/liveperson/")
        )
        calls = sum(paths.values())
        rows.append(
            [label, args.consumers, calls, paths["token"], paths["consumer"],
             paths["conversation"], paths["send"], f"{calls / args.consumers:.3f}",
             f"<= {CALLS_GOAL}", outcomes(job_id, f"LivePerson, {label}")]
        )  # fmt: skip
    every = args.consumers
    rows.append(["an AppJWT per message (what it avoids)", every, every * 4, every, every,
                 every, every, "4.000", "", ""])  # fmt: skip
    return rows


def kind_of(path: str) -> str:
    """token, consumer, conversation or send: the last segment of the Connector API's paths."""
    return path.rstrip("/").rsplit("/", 1)[-1]


def start_liveperson_broadcast(consumers: list[str], title: str) -> int:
    from django.db import transaction

    from dashboard.broadcasts.channels import LivePersonBroadcastKind
    from dashboard.broadcasts.models import Broadcast
    from dashboard.jobs import engine
    from dashboard.jobs.kinds import ItemSpec

    with transaction.atomic():
        job = engine.create_job(
            kind=LivePersonBroadcastKind.kind, title=title, tenant_id=TENANT, created_by=None,
            params={"channel": "liveperson"},
        )  # fmt: skip
        Broadcast.objects.create(
            job=job, name=title, message="Bench: your order has shipped",
            channel=Broadcast.Channel.LIVEPERSON, audience=Broadcast.Audience.CSV,
        )  # fmt: skip
        engine.add_items(job, [ItemSpec(consumer) for consumer in consumers])
        engine.start(job)
    return job.pk


if __name__ == "__main__":
    sys.exit(main())
