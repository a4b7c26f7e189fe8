"""`python -m sandbox seed|serve` (see sandbox/README.md)."""

import argparse
import os
import sqlite3
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Django is set up only once the options are read
    from sandbox.connextlive.seed import SeedSize


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    _configure(args)
    return args.command(args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__)
    commands = parser.add_subparsers(required=True)

    seed = commands.add_parser("seed", help="fill the database with the deterministic seed")
    seed.add_argument("--size", choices=["test", "demo", "bench"], default="demo")
    seed.add_argument("--visitors", type=_positive, help="visitors of the demo workspace")
    seed.add_argument("--conversations", type=_positive, help="conversations of the demo workspace")
    seed.add_argument("--db", type=Path, help="SQLite file (default var/sandbox.sqlite3)")
    seed.add_argument("--force", action="store_true", help="replace an already seeded db")
    seed.add_argument(
        "--anchor",
        type=_anchor,
        help="the seed's 'now' as YYYY-MM-DD (default: today, UTC); fixes every timestamp",
    )
    seed.set_defaults(command=_seed_command)

    serve = commands.add_parser("serve", help="serve the emulated APIs (seeds an empty db)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8001)
    serve.add_argument("--db", type=Path, help="SQLite file (default var/sandbox.sqlite3)")
    serve.add_argument("--threads", type=_positive, default=32, help="per process")
    serve.add_argument("--workers", type=_positive, default=2, help="processes")
    serve.add_argument("--no-control", action="store_true", help="no /__sandbox__/ endpoints")
    serve.set_defaults(command=_serve_command)
    return parser


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _anchor(text: str) -> datetime:
    try:
        return datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        raise argparse.ArgumentTypeError("expected YYYY-MM-DD") from None


def _configure(args: argparse.Namespace) -> None:
    """Settings come from the environment: fill it before Django reads it."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "sandbox.settings"
    if args.db is not None:
        os.environ["SANDBOX_DB"] = str(args.db.resolve())
    if args.command is _serve_command:
        os.environ["SANDBOX_CONTROL"] = "0" if args.no_control else "1"
    import django

    django.setup()


def _seed_command(args: argparse.Namespace) -> int:
    from django.conf import settings

    from sandbox.connextlive.seed import SIZES, size_with_conversations, size_with_visitors

    size = SIZES[args.size]
    if args.visitors is not None:
        size = size_with_visitors(size, args.visitors)
    if args.conversations is not None:
        size = size_with_conversations(size, args.conversations)
    if is_seeded(settings.DB_PATH) and not args.force:
        print(f"{settings.DB_PATH} is already seeded; nothing to do (--force replaces it).")
        return 0
    seed_database(settings.DB_PATH, size, args.anchor)
    return 0


def seed_database(db_path: Path, size: "SeedSize", anchor: datetime | None) -> None:
    from django.core.management import call_command
    from django.db import connection, connections

    from sandbox.connectiveone.seed import seed as seed_connectiveone
    from sandbox.connextlive.seed import default_anchor, seed
    from sandbox.database import remove_database, write_snapshot
    from sandbox.liveperson.seed import seed as seed_liveperson
    from sandbox.naxon.seed import seed as seed_naxon
    from sandbox.uchat.seed import seed as seed_uchat

    started = time.perf_counter()
    connections.close_all()
    remove_database(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    call_command("migrate", verbosity=0)
    anchor = anchor or default_anchor()
    counts = seed(size, anchor)
    counts |= seed_connectiveone(size.name, anchor)
    counts |= seed_naxon(size.name, anchor)
    counts |= seed_uchat(size.name, anchor)
    counts |= seed_liveperson(size.name, anchor)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connections.close_all()
    write_snapshot(db_path)
    elapsed = time.perf_counter() - started
    summary = ", ".join(f"{count} {name}" for name, count in counts.items())
    print(f"Seeded {db_path} ({size.name}) in {elapsed:.2f} s: {summary}")


def has_unapplied_migrations() -> bool:
    """Whether the database (settings.DB_PATH) misses migrations the code has."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def is_seeded(db_path: Path) -> bool:
    if not db_path.exists():
        return False
    try:
        with sqlite3.connect(db_path) as db:
            return db.execute("SELECT COUNT(*) FROM connextlive_seedinfo").fetchone()[0] > 0
    except sqlite3.DatabaseError:
        return False


def _serve_command(args: argparse.Namespace) -> int:
    from django.conf import settings
    from django.db import connections

    from sandbox.connextlive.seed import SIZES
    from sandbox.database import snapshot_path, write_snapshot
    from sandbox.server import SandboxServer
    from sandbox.state import STATE

    db_path = settings.DB_PATH
    stale = is_seeded(db_path) and has_unapplied_migrations()
    if stale:
        # Seeded by an older sandbox: its tables lack what the code now serves (a new column)
        # and its rows what the seed now holds, so it is seeded afresh rather than migrated.
        print(f"{db_path} was seeded by an older sandbox; seeding it afresh.")
    if stale or not is_seeded(db_path):
        size_name = os.environ.get("SANDBOX_SIZE", "demo")
        if size_name not in SIZES:
            print(f"SANDBOX_SIZE must be one of {', '.join(SIZES)}", file=sys.stderr)
            return 2
        seed_database(db_path, SIZES[size_name], None)
    elif not snapshot_path(db_path).exists():
        write_snapshot(db_path)
    STATE.reset()  # faults, clock and logs start afresh with every serve
    # The worker processes open their own connections; none may cross the fork.
    connections.close_all()
    SandboxServer(args.host, args.port, args.threads, args.workers).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
