"""The default database, SQLite, as the console opens it: WAL, and commits that do not each wait
for an fsync (synchronous=NORMAL), so that many small writes (webhook deliveries, job items) do
not queue behind the disk."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the PostgreSQL pass: not SQLite")
def test_sqlite_runs_in_wal_with_normal_synchronous():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        (synchronous,) = cursor.fetchone()
        cursor.execute("PRAGMA journal_mode")
        (journal,) = cursor.fetchone()
    assert synchronous == 1  # NORMAL
    assert journal in {"wal", "memory"}  # an in-memory test database has no WAL file
