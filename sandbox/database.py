"""The sandbox's SQLite file and its snapshot: what `reset` restores.

`seed` writes the snapshot right after seeding; `reset` copies it back over the live database
with SQLite's online backup API, which is fast (a page copy) and safe beside open connections.
"""

import sqlite3
from pathlib import Path
from typing import Any

from django.db import connection


def snapshot_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".snapshot")


def write_snapshot(db_path: Path) -> None:
    """Copy the live database to its snapshot file."""
    _copy_database(db_path, snapshot_path(db_path))


def restore_snapshot(db_path: Path) -> None:
    """Copy the snapshot back over the live database."""
    snapshot = snapshot_path(db_path)
    if not snapshot.exists():
        raise FileNotFoundError(f"no snapshot at {snapshot}: seed the database first")
    _copy_database(snapshot, db_path)


def _copy_database(source_path: Path, target_path: Path) -> None:
    source = sqlite3.connect(source_path)
    target = sqlite3.connect(target_path, timeout=30)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def remove_database(db_path: Path) -> None:
    """Delete the database, its WAL side files, its snapshot and the control state beside it."""
    for suffix in (
        *("", "-wal", "-shm", ".snapshot", ".snapshot-wal", ".snapshot-shm"),
        *(".control", ".control-wal", ".control-shm"),
        *(".control.gate", ".control.turnstile", ".control.writer"),
    ):
        db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)


def first_row(sql: str, *params: Any) -> tuple | None:
    """The first row of a query on the sandbox's database (Django's connection), or None."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()
