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


# --- the demo content (`make run`) -------------------------------------------------------------


def _rows(db_path: Path, sql: str, params: tuple | list = ()) -> list[tuple]:
    with sqlite3.connect(db_path) as db:
        return db.execute(sql, params).fetchall()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db_path = tmp_path_factory.mktemp("demo") / "sandbox.sqlite3"
    _seed(db_path, "--size", "test", "--content", "demo", "--anchor", "2026-01-15")
    return db_path


def test_the_demo_content_has_no_attack_string_anywhere(demo_db: Path) -> None:
    dump = "\n".join(_dump(demo_db))

    for text in (*HOSTILE_STRINGS, *HOSTILE_TAGS, LONG_NAME):
        if text.strip():  # (one of them is the empty string)
            assert text.replace("'", "''") not in dump


def test_demo_visitors_with_an_email_or_phone_have_a_name_and_a_local_number(
    demo_db: Path,
) -> None:
    dialling = {"US": "+1 ", "CA": "+1 ", "GB": "+44 ", "DE": "+49 ", "TR": "+90 ", "ES": "+34 ",
                "FR": "+33 ", "BR": "+55 ", "IN": "+91 ", "JP": "+81 ", "MX": "+52 ",
                "NG": "+234 ", "AU": "+61 ", "NL": "+31 ", "PL": "+48 ", "EG": "+20 "}  # fmt: skip
    visitors = _rows(
        demo_db, "SELECT user_name, user_email, user_phone, country_code FROM connextlive_visitor"
    )

    assert not [v for v in visitors if v[0] is None and (v[1] or v[2])]
    phones = [(phone, code) for _, _, phone, code in visitors if phone]
    assert phones and all(phone.startswith(dialling[code]) for phone, code in phones)
    assert len({code for *_, code in visitors}) >= 10  # people from many countries


def test_demo_conversations_are_about_their_subject_and_open_ones_wait_minutes_or_hours(
    demo_db: Path,
) -> None:
    from datetime import datetime

    from sandbox.connextlive.demo import TOPICS

    topics = {topic.subject: topic for topic in TOPICS}
    anchor = datetime(2026, 1, 15)
    conversations = _rows(
        demo_db, "SELECT id, subject, status, created_at FROM connextlive_conversation"
    )
    for conversation_id, subject, status, created_at in conversations:
        topic = topics[subject]
        lines = [
            text
            for (text,) in _rows(
                demo_db,
                "SELECT content FROM connextlive_message WHERE conversation_id = ? "
                "AND sender_type = 'VISITOR' ORDER BY created_at, id",
                [conversation_id],
            )
        ]
        opener = lines[0]
        assert any(opener.split("{")[0][:20] in o or o.split("{")[0][:20] in opener
                   for o in topic.openers), (subject, opener)  # fmt: skip
        waited = anchor - datetime.fromisoformat(created_at)
        if status == "CLOSED":
            assert lines[-1] in topic.thanks
        else:
            assert lines[-1] not in topic.thanks
            assert 0 < waited.total_seconds() <= 6 * 3600, (status, created_at)


def test_a_different_content_reseeds_without_force(tmp_path: Path) -> None:
    db_path = tmp_path / "sandbox.sqlite3"
    _seed(db_path, "--size", "test", "--anchor", "2026-01-15")

    switched = _seed(db_path, "--size", "test", "--anchor", "2026-01-15", "--content", "demo")

    assert "Seeded" in switched.stdout
    assert (tmp_path / "sandbox.sqlite3.content").read_text() == "demo"
    names = {name for (name,) in _rows(db_path, "SELECT user_name FROM connextlive_visitor")}
    assert not names & set(HOSTILE_STRINGS)
