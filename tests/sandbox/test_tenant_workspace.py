"""Tenant — Workspace: read, auto-create, partial update with deep-merged settings."""

import pytest

from tests.fixtures.sandbox import MANAGER_EMAIL, NEWCOMER_EMAIL, Sandbox
from tests.sandbox.helpers import field_errors, ok

WORKSPACE_KEYS = {
    "id", "tenantId", "name", "companyName", "contactEmail", "language", "timezone", "settings",
    "createdAt", "updatedAt",
}  # fmt: skip


def _get(sandbox: Sandbox, token: str) -> dict:
    return ok(sandbox.api("GET", "/api/tenant/workspace", token))


def _put(sandbox: Sandbox, token: str, body: object):
    return sandbox.api("PUT", "/api/tenant/workspace", token, json=body)


def test_get_returns_the_configuration(sandbox: Sandbox, manager: str) -> None:
    workspace = _get(sandbox, manager)
    assert set(workspace) == WORKSPACE_KEYS
    assert workspace["name"] == "Acme Support"
    assert workspace["language"] == "en"
    assert set(workspace["settings"]) >= {"notifications", "widget"}


def test_get_creates_a_default_workspace_for_a_tenant_without_one(platform: Sandbox) -> None:
    newcomer = platform.login(NEWCOMER_EMAIL)

    created = _get(platform, newcomer)
    again = _get(platform, newcomer)

    assert created == again
    assert (created["language"], created["timezone"]) == ("en", "UTC")
    assert created["contactEmail"] == NEWCOMER_EMAIL
    assert created["settings"]["notifications"]["visitorSound"] is True


def test_put_updates_only_the_given_keys(platform: Sandbox) -> None:
    manager = platform.login(MANAGER_EMAIL)
    before = _get(platform, manager)

    after = ok(_put(platform, manager, {"timezone": "Europe/Berlin", "language": "de"}))

    assert after["updatedAt"] > before["updatedAt"]
    unchanged = {key: value for key, value in before.items() if key != "updatedAt"}
    assert after == {**unchanged, "timezone": "Europe/Berlin", "language": "de",
                     "updatedAt": after["updatedAt"]}  # fmt: skip
    assert _get(platform, manager) == after


def test_put_deep_merges_settings(platform: Sandbox) -> None:
    manager = platform.login(MANAGER_EMAIL)
    before = _get(platform, manager)["settings"]

    after = ok(
        _put(
            platform,
            manager,
            {"settings": {"notifications": {"agentSound": False}, "custom": {"beta": True}}},
        )
    )["settings"]

    assert after["notifications"] == {**before["notifications"], "agentSound": False}
    assert after["widget"] == before["widget"]
    assert after["custom"] == {"beta": True}


def test_the_documented_example_body_is_accepted(platform: Sandbox) -> None:
    manager = platform.login(MANAGER_EMAIL)
    body = {
        "name": "Acme Support",
        "language": "en",
        "timezone": "UTC",
        "settings": {"notifications": {"visitorSound": True, "agentSound": False}},
    }
    after = ok(_put(platform, manager, body))
    assert after["timezone"] == "UTC"
    assert after["settings"]["notifications"]["agentSound"] is False


@pytest.mark.parametrize(
    "body, field",
    [
        ({"language": "fr"}, "language"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"timezone": 3}, "timezone"),
        ({"contactEmail": "support at acme"}, "contactEmail"),
        ({"name": ""}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"companyName": 42}, "companyName"),
        ({"settings": "loud"}, "settings"),
        ({"settings": ["a"]}, "settings"),
        ({"settings": {"notifications": {"visitorSound": "yes"}}}, "settings"),
        ({"settings": {"widget": {"primaryColor": "red"}}}, "settings"),
        ({"settings": {"widget": "none"}}, "settings"),
        ({"settings": {"a": {"b": {"c": {"d": {"e": {"f": {"g": {"h": {}}}}}}}}}}, "settings"),
    ],
)
def test_put_validates_every_field(platform: Sandbox, body: dict, field: str) -> None:
    manager = platform.login(MANAGER_EMAIL)
    before = _get(platform, manager)
    assert list(field_errors(_put(platform, manager, body))) == [field]
    assert _get(platform, manager) == before
