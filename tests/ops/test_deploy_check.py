"""Production settings: `check --deploy` is clean, and gunicorn with DEBUG=0 serves the console,
its health probe, and WhiteNoise's hashed static files with a far-future cache header."""

import json
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from sandbox.process import free_port
from tests.ops.helpers import PRODUCTION_HOST, ROOT, direct_client, production_env

ONE_YEAR_OR_MORE = 31536000
# Behind the TLS proxy every request carries this; gunicorn's own check trusts 127.0.0.1.
FROM_PROXY = {"Host": PRODUCTION_HOST, "X-Forwarded-Proto": "https"}


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_nothing_with_the_production_variables(tmp_path: Path) -> None:
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_still_flags_debug_left_on(tmp_path: Path) -> None:
    result = manage(
        production_env(tmp_path, DEBUG="1"), "check", "--deploy", "--fail-level", "WARNING"
    )

    assert result.returncode != 0
    assert "security.W018" in result.stdout + result.stderr


@dataclass
class ProductionConsole:
    url: str
    port: int
    static_root: Path
    env: dict[str, str]


@pytest.fixture(scope="module")
def production_console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProductionConsole]:
    """Gunicorn as the container runs it: DEBUG=0, static files collected beforehand."""
    var_dir = tmp_path_factory.mktemp("var")
    env = production_env(
        var_dir,
        DATABASE_URL=f"sqlite:///{var_dir / 'switchboard.sqlite3'}",
        BEHIND_PROXY="1",
        WEB_CONCURRENCY="1",
        WEB_THREADS="2",
    )
    collected = manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    assert collected.returncode == 0, collected.stderr
    # The socket is listening before gunicorn starts, so the first request simply waits for a
    # worker: no polling for readiness, and no race for the port.
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    log_path = var_dir / "gunicorn.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "dashboard/gunicorn.conf.py"]
            + ["--bind", f"fd://{listener.fileno()}", "dashboard.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            pass_fds=[listener.fileno()],
        )
    listener.close()
    try:
        yield ProductionConsole(f"http://127.0.0.1:{port}", port, var_dir / "staticfiles", env)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert "Traceback" not in log_path.read_text(errors="replace")


def test_gunicorn_serves_healthz_with_debug_off(production_console: ProductionConsole) -> None:
    with direct_client(production_console.url, headers=FROM_PROXY) as client:
        health = client.get("/healthz")
        missing = client.get("/no-such-page/")

    assert health.status_code == 200
    assert missing.status_code == 404
    # DEBUG=1 would answer with the technical 404 page that lists the URL patterns.
    assert "URLconf" not in missing.text


def test_health_probes_speak_plain_http_while_pages_redirect_to_https(
    production_console: ProductionConsole,
) -> None:
    with direct_client(production_console.url, headers={"Host": PRODUCTION_HOST}) as client:
        health = client.get("/healthz")
        page = client.get("/login/")

    assert health.status_code == 200
    assert page.status_code == 301
    assert page.headers["Location"] == f"https://{PRODUCTION_HOST}/login/"


def test_whitenoise_serves_a_hashed_static_file_with_a_far_future_cache_header(
    production_console: ProductionConsole,
) -> None:
    manifest = json.loads((production_console.static_root / "staticfiles.json").read_text())
    assert manifest["paths"], "collectstatic found no static files to serve"
    original, hashed = sorted(manifest["paths"].items())[0]
    assert hashed != original

    with direct_client(production_console.url, headers=FROM_PROXY) as client:
        response = client.get(f"/static/{hashed}")

    assert response.status_code == 200
    assert response.content == (production_console.static_root / hashed).read_bytes()
    cache_control = response.headers["Cache-Control"]
    assert "immutable" in cache_control
    max_age = int(cache_control.split("max-age=")[1].split(",")[0])
    assert max_age >= ONE_YEAR_OR_MORE


def dockerfile_healthcheck() -> list[str]:
    """The exec-form command of the Dockerfile's HEALTHCHECK (its last line)."""
    lines = (ROOT / "Dockerfile").read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("HEALTHCHECK"))
    instruction = ""
    for line in lines[start:]:
        instruction += line.rstrip("\\").strip() + " "
        if not line.rstrip().endswith("\\"):
            break
    return json.loads(instruction.split(" CMD ", 1)[1])


def test_the_dockerfile_healthcheck_passes_against_the_console(
    production_console: ProductionConsole,
) -> None:
    program, *arguments = dockerfile_healthcheck()
    assert program == "python"  # the image's PATH starts with its virtual environment
    command = [sys.executable, *arguments]
    env = {**production_console.env, "PORT": str(production_console.port)}

    healthy = subprocess.run(command, env=env, capture_output=True, timeout=30)
    down = subprocess.run(command, env={**env, "PORT": str(free_port())}, capture_output=True)

    assert healthy.returncode == 0, healthy.stderr
    assert down.returncode != 0
