"""`python -m sandbox serve`: seeds an empty database, says where it listens, and serves
without the control endpoints when asked to."""

import os
import subprocess
import sys
from pathlib import Path

import httpx

from sandbox.process import free_port
from tests.fixtures.sandbox import DEMO_PASSWORD, MANAGER_EMAIL, PROJECT_ROOT


def test_serve_seeds_an_empty_database_and_can_run_without_control(tmp_path: Path) -> None:
    db_path = tmp_path / "fresh.sqlite3"
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update(SANDBOX_SIZE="test", PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "serve", "--db", str(db_path), "--port", str(port),
         "--threads", "4", "--no-control"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    try:
        output = []
        # The process prints a line when it is ready; reading blocks until then (or until
        # the process ends, which fails below with its output).
        for line in process.stdout:
            output.append(line)
            if "Sandbox ready at" in line:
                break
        assert f"http://127.0.0.1:{port}" in "".join(output), "".join(output)
        assert "Seeded" in "".join(output)

        url = f"http://127.0.0.1:{port}"
        login = httpx.post(
            f"{url}/connextlive/api/auth/login",
            json={"email": MANAGER_EMAIL, "password": DEMO_PASSWORD},
        )
        assert login.status_code == 200
        for path in ["/__sandbox__/reset", "/__sandbox__/faults", "/__sandbox__/requests"]:
            response = httpx.post(url + path)
            assert response.status_code == 404
            assert response.json()["statusCode"] == 404
    finally:
        process.terminate()
        process.wait(timeout=30)
        process.stdout.close()
    assert db_path.with_name(db_path.name + ".snapshot").exists()


def test_serve_seeds_afresh_a_database_an_older_sandbox_seeded(tmp_path: Path) -> None:
    """A migration the database lacks (here: un-recorded, its column dropped) means rows the
    code cannot read: serve seeds again instead of answering 500s."""
    import sqlite3

    db_path = tmp_path / "old.sqlite3"
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update(PYTHONUNBUFFERED="1")
    seeded = subprocess.run(
        [sys.executable, "-m", "sandbox", "seed", "--size", "test", "--db", str(db_path)],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert seeded.returncode == 0, seeded.stdout + seeded.stderr
    with sqlite3.connect(db_path) as db:
        db.execute("DROP INDEX c1_chat_email")
        db.execute("ALTER TABLE connectiveone_chatroom DROP COLUMN email")
        db.execute(
            "DELETE FROM django_migrations WHERE app = 'connectiveone'"
            " AND name = '0002_chat_room_email_and_lookups'"
        )
    port = free_port()
    env.update(SANDBOX_SIZE="test")
    process = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "serve", "--db", str(db_path), "--port", str(port),
         "--threads", "4"],
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        output = []
        for line in process.stdout:
            output.append(line)
            if "Sandbox ready at" in line:
                break
        assert "seeding it afresh" in "".join(output), "".join(output)
        from sandbox.connectiveone.credentials import API_KEY

        rooms = httpx.get(
            f"http://127.0.0.1:{port}/connectiveone/kw/api/v1/OpChatRooms/list",
            headers={"Authorization": f"API-Key {API_KEY}"},
        )
        assert rooms.status_code == 200 and "email" in rooms.json()["rows"][0]
    finally:
        process.terminate()
        process.wait(timeout=30)
        process.stdout.close()
