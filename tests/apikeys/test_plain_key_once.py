"""A plain key exists in exactly one response: after it, no page, fragment, header, cookie,
database row, session or log line holds it, for a created key and for a rotated one."""

import logging
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.db import connection

from tests.apikeys.helpers import create_key, key_named, keys_on_platform, rotate_key

pytestmark = pytest.mark.django_db


def later_pages(key_id: str, successor_id: str = "") -> list[tuple[str, dict]]:
    htmx = {"HX-Request": "true", "HX-Current-URL": "http://testserver/keys/"}
    pages = [
        ("/keys/", {}),
        ("/keys/", htmx),
        ("/keys/new/", {}),
        (f"/keys/{key_id}/rotate/", {}),
        (f"/keys/{key_id}/revoke/", {}),
        ("/audit/", {}),
        ("/audit/export.csv", {}),
        ("/", {}),
    ]
    if successor_id:
        pages += [(f"/keys/{successor_id}/revoke/", {}), (f"/keys/{successor_id}/rotate/", {})]
    return pages


def everything_the_browser_got(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    headers = "\n".join(f"{name}: {value}" for name, value in response.items())
    cookies = "\n".join(morsel.OutputString() for morsel in response.cookies.values())
    return "\n".join([body.decode(errors="replace"), headers, cookies])


def database_contents() -> str:
    """Every row of every table, as text (SQLite or PostgreSQL alike), plus the SQLite files."""
    dump = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            dump.extend(repr(row) for row in cursor.fetchall())
    name = str(connection.settings_dict["NAME"])
    for path in (Path(name), Path(name + "-wal")):
        if connection.vendor == "sqlite" and path.is_file():
            dump.append(path.read_bytes().decode("latin-1"))
    return "\n".join(dump)


def every_session() -> str:
    return "\n".join(
        f"{session.session_data}\n{session.get_decoded()!r}" for session in Session.objects.all()
    )


def assert_nowhere_but_the_one_response(client, plain_key, key_id, pages, caplog, capfd):
    for url, headers in pages:
        response = client.get(url, headers=headers)
        assert response.status_code < 500, url
        assert plain_key not in everything_the_browser_got(response), url
    assert plain_key not in "\n".join(f"{c.key}={c.value}" for c in client.cookies.values())
    assert plain_key not in database_contents()
    assert plain_key not in every_session()
    out, err = capfd.readouterr()
    assert plain_key not in caplog.text + out + err
    # The same searches do find what is there (the key's id in the audit log, the session's
    # vault, the platform calls in the log): the checks themselves can fail.
    assert key_id in database_contents()
    assert "_platform_token" in every_session()
    assert "/api/tenant/api-keys" in caplog.text


@pytest.fixture
def everything_logged(caplog):
    caplog.set_level(logging.DEBUG)
    return caplog


def test_a_created_key_is_in_its_one_response_and_nowhere_else(
    keys_manager, platform, everything_logged, capfd
):
    first, plain_key = create_key(keys_manager, name="Once", domains="once.example.com")
    assert plain_key in everything_the_browser_got(first)
    assert "no-store" in first["Cache-Control"]
    key = key_named(platform, "Once")

    assert_nowhere_but_the_one_response(
        keys_manager, plain_key, key.id, later_pages(key.id), everything_logged, capfd
    )


def test_a_rotated_keys_successor_is_in_its_one_response_and_nowhere_else(
    keys_manager, platform, everything_logged, capfd
):
    create_key(keys_manager, name="Twice", domains="twice.example.com")
    old = key_named(platform, "Twice")
    first, plain_key = rotate_key(keys_manager, old.id, "1h")
    assert plain_key in everything_the_browser_got(first)
    successor = next(
        key for key in keys_on_platform(platform).values() if key.name.startswith("Twice (rot")
    )

    assert_nowhere_but_the_one_response(
        keys_manager,
        plain_key,
        successor.id,
        later_pages(old.id, successor.id),
        everything_logged,
        capfd,
    )
