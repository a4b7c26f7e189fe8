"""The visitors page: what it costs over the platform call behind it, and how it holds 20 users.

    .venv/bin/python bench/bench_visitors.py [--rounds 40] [--latency-ms 100] [--users 20]
                                             [--seconds 15] [--think-ms 1000]
                                             [--workers N] [--threads N]

Starts its own sandbox (bench.common.running_sandbox, the test seed: 150 visitors) and the
console under gunicorn (dashboard/gunicorn.conf.py, a temporary SQLite database and collected
static files), both on free ports, signs in over HTTP like a browser, then:

1. Single user, interleaved (so a change of load weighs on every series alike), with the sandbox
   adding `latency-ms` to every call: the bare platform call the page makes
   (`GET /api/tenant/visitors?limit=100`, pooled httpx client), the full page
   `/visitors/?limit=100` and its table fragment (htmx, `HX-Target: visitor-table`) through
   gunicorn, and the same page in this process behind Django's test client (the page's own work
   without a web server, as bench_overview.py measures). Goal: page p50 / bare call p50 <= 1.10.
   Also the bytes of the page and of both fragments.
2. `users` concurrent users, each with its own session, asking for the table fragment for
   `seconds`: back to back (no pause at all: a stress test, harsher than people), then with a
   pause of about `think-ms` between a user's requests (people typing, reading, paging). Goal:
   fragment p95 under load / single-user fragment p50 <= 3. The bare platform call under the
   same concurrency, back to back, is measured too: sandbox, console and load generator share
   this machine's cores, so the platform's own slowdown under load is part of the console's.

Prints figures and ratios side by side; asserts nothing.
"""

import argparse
import os
import random
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    ROOT,
    Timing,
    print_table,
    ratio,
    running_sandbox,
    time_interleaved,
)
from sandbox.process import free_port  # noqa: E402

MANAGER_EMAIL = "manager@example.com"
DEMO_PASSWORD = "switchboard-demo"
PAGE = "/visitors/?limit=100"
FRAGMENT_HEADERS = {"HX-Request": "true", "HX-Target": "visitor-table"}
ROWS_HEADERS = {"HX-Request": "true", "HX-Target": "visitor-rows"}
PAGE_GOAL = 1.10
LOAD_GOAL = 3.0
CONSOLE_READY_SECONDS = 60.0


def main() -> int:
    args = parse_args()
    print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()}")
    sandbox = running_sandbox(size="test", workers=args.sandbox_workers)
    with sandbox as sandbox_url, tempfile.TemporaryDirectory() as workdir:
        with running_console(Path(workdir), sandbox_url, args.workers, args.threads) as console:
            in_process = in_process_console(Path(workdir) / "in-process", sandbox_url)
            run(console, in_process, sandbox_url, args)
    return 0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=40, help="samples per single-user series")
    parser.add_argument("--latency-ms", type=int, default=100, help="added to every platform call")
    parser.add_argument("--users", type=int, default=20, help="concurrent users")
    parser.add_argument("--seconds", type=float, default=15.0, help="length of each load run")
    parser.add_argument("--think-ms", type=int, default=1000, help="pause between a user's calls")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=None, help="gunicorn threads per worker")
    parser.add_argument("--sandbox-workers", type=int, default=2, help="sandbox processes")
    return parser.parse_args()


# --- the console under gunicorn -----------------------------------------------------------


def console_environment(workdir: Path, sandbox_url: str, workers: int | None, threads: int | None):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "dashboard.settings",
            "SWITCHBOARD_VAR_DIR": str(workdir),
            "DATABASE_URL": f"sqlite:///{workdir / 'console.sqlite3'}",
            "CELERY_BROKER_URL": "memory://",
            "PLATFORM_URL": f"{sandbox_url}/connextlive",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            # Plain HTTP on the loopback: no HTTPS redirect, cookies not Secure.
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "SECURE_HSTS_SECONDS": "0",
            "LOG_LEVEL": "WARNING",
        }
    )
    if workers:
        env["WEB_CONCURRENCY"] = str(workers)
    if threads:
        env["WEB_THREADS"] = str(threads)
    return env


@contextmanager
def running_console(workdir: Path, sandbox_url: str, workers: int | None, threads: int | None):
    env = console_environment(workdir, sandbox_url, workers, threads)
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        subprocess.run([*manage, *command], cwd=ROOT, env=env, check=True, capture_output=True)
    port = free_port()
    env["PORT"] = str(port)
    log_path = workdir / "gunicorn.log"
    gunicorn = [sys.executable, "-m", "gunicorn", "-c", "dashboard/gunicorn.conf.py"]
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [*gunicorn, "dashboard.wsgi"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(url, process, log_path)
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_answering(url: str, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + CONSOLE_READY_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the console did not start at {url}:\n{log_path.read_text()}")


def in_process_console(workdir: Path, sandbox_url: str):
    """The same console in this process behind Django's test client: the page's own work
    (session, the platform call over real HTTP, rendering) without a web server in front, as
    bench_overview.py measures it. Returns a signed-in test client."""
    (workdir / "staticfiles").mkdir(parents=True)  # WhiteNoise warns about a missing STATIC_ROOT
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "dashboard.settings",
            "SWITCHBOARD_VAR_DIR": str(workdir),
            "DATABASE_URL": f"sqlite:///{workdir / 'console.sqlite3'}",
            "PLATFORM_URL": f"{sandbox_url}/connextlive",
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "0",
            "LOG_LEVEL": "WARNING",
        }
    )
    os.chdir(ROOT)
    import django
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    django.setup()
    call_command("migrate", verbosity=0)
    # Templates render without collectstatic: no manifest needed.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    client = Client()
    answer = client.post("/login/", {"email": MANAGER_EMAIL, "password": DEMO_PASSWORD})
    if answer.status_code != 302:
        raise SystemExit(f"in-process sign-in failed with status {answer.status_code}")
    return client


def signed_in_session(console_url: str) -> httpx.Client:
    """A browser-like session: the sign-in form's CSRF token, then the session cookie."""
    session = httpx.Client(base_url=console_url, timeout=30)
    form = session.get("/login/").text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    if token is None:
        raise SystemExit("no CSRF token on the sign-in page")
    answer = session.post(
        "/login/",
        data={"email": MANAGER_EMAIL, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token[1]},
    )
    if answer.status_code != 302:
        raise SystemExit(f"sign-in failed with status {answer.status_code}")
    return session


def platform_session(sandbox_url: str) -> httpx.Client:
    """The bare platform call the page makes, through a pooled client like the console's."""
    login = httpx.post(
        f"{sandbox_url}/connextlive/api/auth/login",
        json={"email": MANAGER_EMAIL, "password": DEMO_PASSWORD},
    )
    login.raise_for_status()
    return httpx.Client(
        base_url=f"{sandbox_url}/connextlive",
        headers={"Authorization": f"Bearer {login.json()['token']}"},
        timeout=30,
    )


def checked(response: httpx.Response, marker: bytes) -> httpx.Response:
    if response.status_code != 200 or marker not in response.content:
        raise SystemExit(f"unexpected answer {response.status_code} for {response.request.url}")
    return response


# --- the measurements ---------------------------------------------------------------------


def run(console_url: str, in_process, sandbox_url: str, args: argparse.Namespace) -> None:
    user = signed_in_session(console_url)
    platform = platform_session(sandbox_url)

    def bare_call() -> httpx.Response:
        response = platform.get("/api/tenant/visitors", params={"limit": 100})
        response.raise_for_status()
        return response

    def page() -> httpx.Response:
        return checked(user.get(PAGE), b'id="visitor-rows"')

    def fragment() -> httpx.Response:
        return checked(user.get(PAGE, headers=FRAGMENT_HEADERS), b'id="visitor-table"')

    def page_in_process() -> None:
        response = in_process.get(PAGE)
        if response.status_code != 200 or b'id="visitor-rows"' not in response.content:
            raise SystemExit(f"the in-process page failed ({response.status_code})")

    sizes = {
        "full page": len(page().content),
        "table fragment (filters, paging)": len(fragment().content),
        "rows fragment (live refresh)": len(user.get(PAGE, headers=ROWS_HEADERS).content),
        "platform JSON (100 visitors)": len(bare_call().content),
    }
    rows_shown = _rows_in(page().text)

    httpx.post(f"{sandbox_url}/__sandbox__/faults", json={"latencyMs": args.latency_ms})
    for warm in (bare_call, page, fragment, page_in_process):
        warm()
    single = time_interleaved(
        {
            "bare platform call": bare_call,
            "visitors page (gunicorn)": page,
            "table fragment (gunicorn)": fragment,
            "visitors page (in-process)": page_in_process,
        },
        args.rounds,
    )
    bare_p50 = single[0].p50
    print_table(
        f"Single user, {rows_shown} rows, +{args.latency_ms} ms per platform call, "
        f"{args.rounds} samples each (goal: page p50 / bare call p50 <= {PAGE_GOAL})",
        ["series", "p50 ms", "p95 ms", "p50 / bare call"],
        [[t.label, t.p50, t.p95, ratio(t.p50, bare_p50)] for t in single],
    )
    print_table("Answer sizes", ["answer", "bytes"], [[k, v] for k, v in sizes.items()])

    sessions = [signed_in_session(console_url) for _ in range(args.users)]
    platforms = [platform_session(sandbox_url) for _ in range(args.users)]
    fragment_calls = [
        lambda s=s: checked(s.get(PAGE, headers=FRAGMENT_HEADERS), b"table") for s in sessions
    ]
    platform_calls = [
        lambda p=p: p.get("/api/tenant/visitors", params={"limit": 100}) for p in platforms
    ]
    load = [
        closed_loop(f"table fragment, {args.users} users, no pause", fragment_calls, args.seconds),
        closed_loop(
            f"table fragment, {args.users} users, ~{args.think_ms} ms pauses",
            fragment_calls,
            args.seconds,
            think_ms=args.think_ms,
        ),
        closed_loop(f"bare platform call, {args.users} clients", platform_calls, args.seconds),
    ]
    httpx.delete(f"{sandbox_url}/__sandbox__/faults")
    fragment_p50 = single[2].p50
    print_table(
        f"{args.users} concurrent users for {args.seconds:.0f} s each "
        f"(goal: fragment p95 / single-user fragment p50 <= {LOAD_GOAL})",
        ["series", "requests", "per s", "p50 ms", "p95 ms", "p95 / single-user p50"],
        [
            [t.label, len(t.samples_ms), t.per_second, t.p50, t.p95, ratio(t.p95, fragment_p50)]
            for t in load
        ],
    )
    for client in (user, platform, *sessions, *platforms):
        client.close()


def closed_loop(
    label: str, users: list[Callable[[], object]], seconds: float, think_ms: int = 0
) -> Timing:
    """Each user repeats its request when the last one answered, after a pause of think_ms
    (0.5x to 1.5x, so users drift apart) when one is given, for `seconds`."""
    samples: list[float] = []
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def loop(call: Callable[[], object], pauses: random.Random) -> None:
        mine = []
        while time.perf_counter() < stop_at:
            before = time.perf_counter()
            call()
            mine.append((time.perf_counter() - before) * 1000)
            if think_ms:
                time.sleep(think_ms * pauses.uniform(0.5, 1.5) / 1000)
        with lock:
            samples.extend(mine)

    started = time.perf_counter()
    threads = [
        threading.Thread(target=loop, args=(call, random.Random(index)))
        for index, call in enumerate(users)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Timing(label, tuple(samples), time.perf_counter() - started)


def _rows_in(html: str) -> int:
    """The rows of the visitors table's body (`<tbody id="visitor-rows">`)."""
    body = html.split('id="visitor-rows"', 1)[-1].split("</tbody>", 1)[0]
    return body.count("<tr")


if __name__ == "__main__":
    sys.exit(main())
