"""`make run` (scripts/run.sh): the sandbox, the console and a worker start, answer, keep their data
across restarts, and stop together on Ctrl-C or SIGTERM; a busy port stops it with a clear word."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from sandbox.process import free_port
from tests.fixtures.sandbox import MANAGER_EMAIL, Sandbox
from tests.ops.helpers import ROOT, clean_env, direct_client

START_TIMEOUT = 180
STOP_TIMEOUT = 60
# Starts run.sh the way a terminal starts a foreground job: in its own process group (Ctrl-C
# reaches the whole group) and with SIGINT at its default even if this test runner ignores it.
AS_FOREGROUND_JOB = (
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
    "os.execvp(sys.argv[1], sys.argv[1:])"
)


@dataclass
class Run:
    process: subprocess.Popen[str]
    console_url: str
    sandbox_url: str
    lines: list[str] = field(default_factory=list)
    # Set when run.sh reports it is ready, or when its output ends (it stopped first).
    settled: threading.Event = field(default_factory=threading.Event)
    ready: bool = False

    @property
    def output(self) -> str:
        return "".join(self.lines)


def start_run(var_dir: Path, console_port: int, sandbox_port: int) -> Run:
    env = clean_env(
        SWITCHBOARD_VAR_DIR=str(var_dir),
        PORT=str(console_port),
        SANDBOX_PORT=str(sandbox_port),
        WEB_CONCURRENCY="1",
        CELERY_CONCURRENCY="1",
        SANDBOX_SIZE="test",
    )
    process = subprocess.Popen(
        [sys.executable, "-c", AS_FOREGROUND_JOB, "bash", "scripts/run.sh"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    run = Run(process, f"http://127.0.0.1:{console_port}", f"http://127.0.0.1:{sandbox_port}")
    threading.Thread(target=_collect_output, args=(run,), daemon=True).start()
    return run


def _collect_output(run: Run) -> None:
    assert run.process.stdout is not None
    for line in run.process.stdout:
        run.lines.append(line)
        if "Press Ctrl-C to stop" in line:
            run.ready = True
            run.settled.set()
    run.settled.set()


def wait_until_ready(run: Run) -> None:
    run.settled.wait(START_TIMEOUT)
    if not run.ready:
        stop(run, signal.SIGTERM, to_group=True)
        pytest.fail(f"make run did not report ready within {START_TIMEOUT}s:\n{run.output}")


def stop(run: Run, signum: int, *, to_group: bool) -> int:
    pgid = run.process.pid  # the leader of its own session and group
    if to_group:
        os.killpg(pgid, signum)
    else:
        run.process.send_signal(signum)
    try:
        return run.process.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(pgid, signal.SIGKILL)
        run.process.wait()
        raise


def group_is_gone(pgid: int) -> bool:
    """Nothing of the process group still runs. A process that has exited but waits for its
    parent to read its status (a zombie, reparented to the machine's PID 1, which in a container
    may be slow to reap it, or never) has stopped: signal 0 would still find it, /proc tells."""
    proc = Path("/proc")
    if not proc.is_dir():  # not Linux: signal 0 alone
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        return False
    return not _running_in_group(proc, pgid)


def still_running(pgid: int) -> list[str]:
    """What of the group still runs, for a failed check's message."""
    proc = Path("/proc")
    return _running_in_group(proc, pgid) if proc.is_dir() else ["(no /proc to tell)"]


def _running_in_group(proc: Path, pgid: int) -> list[str]:
    """The processes of group `pgid` that are not zombies, as "pid name" (for the message)."""
    running = []
    for stat in proc.glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # it exited while we looked
            continue
        # "pid (name) state ppid pgrp ...": the name may hold spaces and parentheses.
        name_end = text.rindex(")")
        state, _ppid, group = text[name_end + 2 :].split()[:3]
        if int(group) == pgid and state != "Z":
            running.append(f"{text.split(' ', 1)[0]} {text[text.index('(') + 1 : name_end]}")
    return running


def test_make_run_starts_all_three_stops_on_ctrl_c_and_restarts_with_its_data(
    tmp_path: Path,
) -> None:
    ports = free_port(), free_port()
    first = start_run(tmp_path, *ports)
    wait_until_ready(first)

    with direct_client(first.console_url) as console:
        assert console.get("/healthz").status_code == 200
        assert console.get("/login/").status_code == 200
    sandbox = Sandbox(first.sandbox_url)
    assert sandbox.http.get("/openapi.json").status_code == 200
    token = sandbox.login(MANAGER_EMAIL)  # the demo password, as the banner says
    renamed = sandbox.api("PUT", "/api/tenant/workspace", token, json={"name": "Kept on restart"})
    sandbox.close()
    assert renamed.status_code == 200, renamed.text
    assert "manager@example.com" in first.output
    assert " ready." in first.output  # the worker's, awaited before the banner

    # Ctrl-C in a terminal: SIGINT to the whole foreground group.
    assert stop(first, signal.SIGINT, to_group=True) == 130, first.output
    assert "run: stopped" in first.output
    assert group_is_gone(first.process.pid), f"still running: {still_running(first.process.pid)}"

    started = time.monotonic()
    second = start_run(tmp_path, *ports)
    wait_until_ready(second)
    seconds_to_ready = time.monotonic() - started
    sandbox = Sandbox(second.sandbox_url)
    workspace = sandbox.api("GET", "/api/tenant/workspace", sandbox.login(MANAGER_EMAIL)).json()
    sandbox.close()

    # `kill <pid>`: SIGTERM to run.sh alone, which must stop the rest itself.
    assert stop(second, signal.SIGTERM, to_group=False) == 143, second.output
    assert group_is_gone(second.process.pid), f"still running: {still_running(second.process.pid)}"
    assert workspace["name"] == "Kept on restart"
    print(f"second start ready after {seconds_to_ready:.1f}s")


def test_a_busy_port_stops_it_before_anything_starts(tmp_path: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        busy_port = taken.getsockname()[1]
        result = subprocess.run(
            ["bash", "scripts/run.sh"],
            cwd=ROOT,
            env=clean_env(
                SWITCHBOARD_VAR_DIR=str(tmp_path),
                PORT=str(busy_port),
                SANDBOX_PORT=str(free_port()),
            ),
            capture_output=True,
            text=True,
            timeout=60,
        )

    assert result.returncode == 1
    assert f"127.0.0.1:{busy_port} is already in use" in result.stderr
    assert f"PORT={busy_port + 10} make run" in result.stderr
    assert not (tmp_path / "switchboard.sqlite3").exists(), "it migrated before checking ports"


def processes_of(session: int, *words: str) -> list[int]:
    """Pids in the session whose command line has each of `words`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if os.getsid(int(entry.name)) != session:
                continue
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except (ProcessLookupError, PermissionError, FileNotFoundError):
            continue
        text = [part.decode(errors="replace") for part in argv]
        if all(any(word == part or part.endswith("/" + word) for part in text) for word in words):
            found.append(int(entry.name))
    return found


def wait_for_output(run: Run, text: str, count: int = 1, deadline: float = START_TIMEOUT) -> None:
    give_up = time.monotonic() + deadline
    while run.output.count(text) < count:
        if time.monotonic() > give_up:
            pytest.fail(f"{text!r} did not appear {count} times:\n{run.output[-4000:]}")
        time.sleep(0.1)


def test_a_killed_worker_or_beat_is_started_again_and_the_rest_keeps_running(
    tmp_path: Path,
) -> None:
    run = start_run(tmp_path, free_port(), free_port())
    wait_until_ready(run)
    session = run.process.pid
    try:
        for round_ in (1, 2):
            (worker,) = processes_of(session, "celery", "worker")
            os.kill(worker, signal.SIGKILL)  # as the kernel's OOM killer does
            wait_for_output(run, "run: the worker exited (status 137): starting it again", round_)
            wait_for_output(run, " ready.", round_ + 1)  # the new worker is consuming
            assert processes_of(session, "celery", "worker") != [worker]
        # Killed twice within a minute: the second start waited longer (the back-off).
        assert "starting it again in 1s" in run.output
        assert "starting it again in 2s" in run.output

        (beat,) = processes_of(session, "celery", "beat")
        os.kill(beat, signal.SIGKILL)
        wait_for_output(run, "run: the beat exited (status 137): starting it again")
        give_up = time.monotonic() + START_TIMEOUT
        while not (new := processes_of(session, "celery", "beat")) or new == [beat]:
            assert time.monotonic() < give_up, run.output[-4000:]
            time.sleep(0.1)

        assert run.process.poll() is None, run.output[-4000:]  # make run itself kept running
        with direct_client(run.console_url) as console:
            assert console.get("/healthz").status_code == 200
        with direct_client(run.sandbox_url) as sandbox:
            assert sandbox.get("/openapi.json").status_code == 200
    finally:
        status = stop(run, signal.SIGINT, to_group=True)
    assert status == 130, run.output[-4000:]
    assert group_is_gone(session), f"still running: {still_running(session)}"
    # Stopping is not a death: nothing is started again on the way out.
    assert run.output.count("starting it again") == 3, run.output[-4000:]
