"""`python -m sandbox seed`: deterministic, idempotent, with the accounts and the hostile
strings the console's tests rely on."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from sandbox.connextlive.hostile import HOSTILE_STRINGS, HOSTILE_TAGS, LONG_NAME
from tests.fixtures.sandbox import PROJECT_ROOT, Sandbox
from tests.sandbox.helpers import every_conversation, every_visitor, ok


def _seed(db_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run(
        [sys.executable, "-m", "sandbox", "seed", "--db", str(db_path), *args],
        cwd=PROJECT_ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )


def _dump(db_path: Path) -> list[str]:
    """Schema and rows, without Django's record of when the migrations ran."""
    with sqlite3.connect(db_path) as db:
        return [line for line in db.iterdump() if '"django_migrations"' not in line]


def test_two_seeds_with_the_same_anchor_are_identical(tmp_path: Path) -> None:
    first, second = tmp_path / "first.sqlite3", tmp_path / "second.sqlite3"
    _seed(first, "--size", "test", "--anchor", "2026-01-15")
    _seed(second, "--size", "test", "--anchor", "2026-01-15")

    assert _dump(first) == _dump(second)
    assert _dump(first.with_name(first.name + ".snapshot")) == _dump(first)


def test_a_seeded_database_is_left_alone_without_force(tmp_path: Path) -> None:
    db_path = tmp_path / "sandbox.sqlite3"
    _seed(db_path, "--size", "test", "--anchor", "2026-01-15")
    before = _dump(db_path)

    again = _seed(db_path, "--size", "test", "--anchor", "2026-02-01")
    assert "already seeded" in again.stdout
    assert _dump(db_path) == before

    forced = _seed(db_path, "--size", "test", "--anchor", "2026-02-01", "--force")
    assert "Seeded" in forced.stdout
    assert _dump(db_path) != before


def test_visitors_overrides_the_size(tmp_path: Path) -> None:
    db_path = tmp_path / "sandbox.sqlite3"
    _seed(db_path, "--size", "test", "--visitors", "300")
    with sqlite3.connect(db_path) as db:
        acme = db.execute("SELECT id FROM connextlive_tenant WHERE name = 'Acme'").fetchone()[0]
        count = db.execute(
            "SELECT COUNT(*) FROM connextlive_visitor WHERE tenant_id = ?", (acme,)
        ).fetchone()[0]
    assert count == 300


def test_the_test_size_has_what_the_console_needs(sandbox: Sandbox, manager: str) -> None:
    visitors = every_visitor(sandbox, manager)
    conversations = every_conversation(sandbox, manager)
    agents = ok(sandbox.api("GET", "/api/tenant/agents", manager))

    assert len(visitors) >= 120 and len(conversations) >= 40
    assert {c["status"] for c in conversations} == {"ACTIVE", "WAITING", "CLOSED"}
    assert len({v["siteId"] for v in visitors}) == 3
    assert len({v["country"] for v in visitors}) >= 5
    assert {"vip", "trial", "enterprise", "churn-risk"} <= {t for v in visitors for t in v["tags"]}
    assert (
        {True, False} == {v["isOnline"] for v in visitors} == {v["isReturning"] for v in visitors}
    )
    assert len(agents["agents"]) >= 5
    assert {i["status"] for i in agents["invitations"]} == {"PENDING", "EXPIRED"}


@pytest.mark.parametrize("text", HOSTILE_STRINGS)
def test_every_hostile_string_is_a_visitor_name_and_notes(
    sandbox: Sandbox, manager: str, text: str
) -> None:
    visitors = every_visitor(sandbox, manager)
    assert text in {v["userName"] for v in visitors}
    assert text in {v["notes"] for v in visitors}


def test_hostile_strings_are_also_tags_and_message_contents(sandbox: Sandbox, manager: str) -> None:
    tags = {tag for visitor in every_visitor(sandbox, manager) for tag in visitor["tags"]}
    assert set(HOSTILE_TAGS) <= tags
    contents = set()
    for conversation in every_conversation(sandbox, manager)[: len(HOSTILE_STRINGS) + 5]:
        detail = ok(sandbox.api("GET", f"/api/tenant/conversations/{conversation['id']}", manager))
        contents |= {message["content"] for message in detail["messages"]}
    assert set(HOSTILE_STRINGS) <= contents
    assert len(LONG_NAME) == 5000


def test_hostile_visitors_are_on_the_first_page(sandbox: Sandbox, manager: str) -> None:
    first_page = ok(sandbox.api("GET", "/api/tenant/visitors", manager))["visitors"]
    assert {v["userName"] for v in first_page} & set(HOSTILE_STRINGS)
