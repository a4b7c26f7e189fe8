"""Tenant — API Keys: hashed storage, the plain key once, `domains` as a JSON string."""

import hashlib
import json
import re

import pytest

from tests.fixtures.sandbox import MANAGER_EMAIL, Sandbox
from tests.sandbox.helpers import assert_error, field_errors, ok

KEY_FIELDS = {"id", "name", "keyHash", "keyPrefix", "domains", "status", "createdAt", "lastUsedAt"}


def _keys(sandbox: Sandbox, token: str) -> list[dict]:
    return ok(sandbox.api("GET", "/api/tenant/api-keys", token))["apiKeys"]


def _create(sandbox: Sandbox, token: str, **body: object):
    return sandbox.api("POST", "/api/tenant/api-keys", token, json=body)


def test_the_list_shows_hashes_and_metadata_only(sandbox: Sandbox, manager: str) -> None:
    keys = _keys(sandbox, manager)
    assert len(keys) == 3
    assert sorted(key["status"] for key in keys) == ["ACTIVE", "ACTIVE", "INACTIVE"]
    for key in keys:
        assert set(key) == KEY_FIELDS
        assert re.fullmatch(r"[0-9a-f]{64}", key["keyHash"])
        assert isinstance(json.loads(key["domains"]), list)


def test_create_returns_the_plain_key_once_and_stores_its_sha256(platform: Sandbox) -> None:
    manager = platform.login(MANAGER_EMAIL)
    domains = json.dumps(["company.com", "www.company.com"])

    created = ok(_create(platform, manager, name="Production Widget", domains=domains))

    plain_key = created.pop("plainKey")
    assert re.fullmatch(r"cxl_live_[A-Za-z0-9_-]{40}", plain_key)
    assert created["keyHash"] == hashlib.sha256(plain_key.encode()).hexdigest()
    assert created["keyPrefix"] == plain_key[:12]
    assert created["status"] == "ACTIVE"
    assert created["domains"] == domains
    listed = _keys(platform, manager)
    assert created in listed
    assert plain_key not in json.dumps(listed)


def test_create_defaults_and_inactive_status(platform: Sandbox) -> None:
    manager = platform.login(MANAGER_EMAIL)
    created = ok(_create(platform, manager, name="Paused", status="INACTIVE"))
    assert (created["status"], created["domains"], created["lastUsedAt"]) == (
        "INACTIVE",
        "[]",
        None,
    )


def test_two_keys_never_share_a_plain_key(platform: Sandbox) -> None:
    manager = platform.login(MANAGER_EMAIL)
    first = ok(_create(platform, manager, name="A"))["plainKey"]
    second = ok(_create(platform, manager, name="B"))["plainKey"]
    assert first != second


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"name": 7}, "name"),
        ({"name": "W", "domains": ["company.com"]}, "domains"),
        ({"name": "W", "domains": "company.com"}, "domains"),
        ({"name": "W", "domains": '{"a": 1}'}, "domains"),
        ({"name": "W", "domains": "[1, 2]"}, "domains"),
        ({"name": "W", "domains": '["company.com",'}, "domains"),
        ({"name": "W", "status": "PAUSED"}, "status"),
        ({"name": "W", "status": "active"}, "status"),
    ],
)
def test_create_validates_its_fields(platform: Sandbox, body: dict, field: str) -> None:
    manager = platform.login(MANAGER_EMAIL)
    assert list(field_errors(_create(platform, manager, **body))) == [field]
    assert len(_keys(platform, manager)) == 3


def test_a_name_of_exactly_100_characters_is_accepted(platform: Sandbox) -> None:
    manager = platform.login(MANAGER_EMAIL)
    assert ok(_create(platform, manager, name="x" * 100))["name"] == "x" * 100


def test_delete_revokes_at_once(platform: Sandbox) -> None:
    manager = platform.login(MANAGER_EMAIL)
    key = _keys(platform, manager)[0]
    path = f"/api/tenant/api-keys/{key['id']}"

    assert ok(platform.api("DELETE", path, manager)) == {"success": True}

    assert key["id"] not in {k["id"] for k in _keys(platform, manager)}
    assert_error(platform.api("DELETE", path, manager), 404, "API key not found")
