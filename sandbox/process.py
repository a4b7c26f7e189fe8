"""The sandbox as a child process, for the test suite and the benchmarks: seed a database, serve
it on a free port, wait until it answers, stop it. (Nothing here is imported by the sandbox's
own server; the console never imports any of it.)"""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

PROJECT_ROOT = Path(__file__).resolve().parent.parent
STARTUP_DEADLINE_SECONDS = 60


@dataclass(frozen=True)
class RunningSandbox:
    url: str
    db_path: Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_sandbox(
    workdir: Path,
    *,
    size: str = "test",
    threads: int = 16,
    workers: int | None = None,
    seed_args: tuple[str, ...] = (),
) -> Iterator[RunningSandbox]:
    """Seed `size` (and `seed_args`, e.g. `--conversations N`) into workdir/sandbox.sqlite3,
    serve it (`workers` processes of `threads` threads; None: serve's default), yield where it
    answers, stop it."""
    db_path = workdir / "sandbox.sqlite3"
    log_path = workdir / "sandbox.log"
    seeding = subprocess.run(
        _command("seed", "--size", size, *seed_args, "--db", str(db_path)),
        cwd=PROJECT_ROOT,
        env=_environment(),
        capture_output=True,
        text=True,
    )
    if seeding.returncode != 0:
        raise RuntimeError(f"Seeding the sandbox failed:\n{seeding.stdout}{seeding.stderr}")
    port = free_port()
    serve = ("serve", "--db", str(db_path), "--port", str(port), "--threads", str(threads))
    if workers is not None:
        serve += ("--workers", str(workers))
    with log_path.open("w") as log:
        process = subprocess.Popen(
            _command(*serve),
            cwd=PROJECT_ROOT,
            env=_environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_answering(url, process, log_path)
        yield RunningSandbox(url, db_path)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "sandbox", *args]


def _environment() -> dict[str, str]:
    # The caller may run with the console's settings; the sandbox chooses its own.
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _wait_until_answering(url: str, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_DEADLINE_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(url + "/__sandbox__/clock", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    process.kill()
    process.wait()
    raise RuntimeError(
        f"The sandbox did not answer at {url} within {STARTUP_DEADLINE_SECONDS} s "
        f"(exit code {process.returncode}). Its output:\n{log_path.read_text()}"
    )
