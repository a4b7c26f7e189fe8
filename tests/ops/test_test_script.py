"""`make test` (scripts/test.sh): its header says what the suite runs against without leaking
credentials, and a run that collects no tests is a failure, so CI cannot pass on nothing."""

import subprocess

import pytest

from tests.ops.helpers import ROOT, clean_env

DATABASE_PASSWORD = "database-password-never-printed"
BROKER_PASSWORD = "broker-password-never-printed"


@pytest.fixture(scope="module")
def run_collecting_nothing() -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "scripts/test.sh", "tests/ops/test_test_script.py", "-k", "no_test_has_this_name"],
        cwd=ROOT,
        # Without lint: what is under test is the header and pytest's exit status.
        env=clean_env(
            CI="",
            LINT="0",
            DATABASE_URL=f"postgres://switchboard:{DATABASE_PASSWORD}@db.internal:5433/console",
            CELERY_BROKER_URL=f"redis://:{BROKER_PASSWORD}@redis.internal:6379/2",
        ),
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_run_that_collects_no_tests_fails(
    run_collecting_nothing: subprocess.CompletedProcess[str],
) -> None:
    assert run_collecting_nothing.returncode == 5, run_collecting_nothing.stderr
    assert "collected no tests" in run_collecting_nothing.stderr


def test_the_header_names_database_and_broker_without_their_passwords(
    run_collecting_nothing: subprocess.CompletedProcess[str],
) -> None:
    output = run_collecting_nothing.stdout + run_collecting_nothing.stderr

    assert "test: database postgresql db.internal:5433/console" in output
    assert "test: broker   redis://redis.internal:6379/2" in output
    assert "test: Python 3." in output
    assert "test: chromium " in output
    assert DATABASE_PASSWORD not in output
    assert BROKER_PASSWORD not in output
