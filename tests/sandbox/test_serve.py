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
