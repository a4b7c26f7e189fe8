"""Suite-wide setup. Fixtures live in tests/fixtures/, one module per concern, so each area owns
its own file."""

import tempfile
from pathlib import Path

pytest_plugins = [
    "tests.fixtures.sandbox",
    "tests.fixtures.console",
    "tests.fixtures.celery_worker",
    "tests.fixtures.counters",
]


def pytest_configure(config):
    """A SQLite test database in a file, not Django's shared in-memory one: workers (threads of
    this process, or other processes) write while the tests read, and the in-memory database locks
    whole tables and fails at once ("database table is locked") where a WAL file waits its turn,
    as the production database does. A fresh folder per run, so parallel runs never collide."""
    from django.db import connections

    database = connections["default"].settings_dict
    test = database.setdefault("TEST", {})
    if database["ENGINE"].endswith("sqlite3") and not test.get("NAME"):
        folder = Path(tempfile.mkdtemp(prefix="switchboard-tests-"))
        test["NAME"] = str(folder / "test.sqlite3")
