"""Workspace isolation: no id of one workspace is visible or changeable from another (404),
and no list shows another workspace's records."""

import pytest

from tests.fixtures.sandbox import (
    AGENT_EMAIL,
    MANAGER_EMAIL,
    OTHER_AGENT_EMAIL,
    OTHER_EMAIL,
    Sandbox,
)
from tests.sandbox.helpers import assert_error, every_conversation, every_visitor, ok

# Every endpoint that takes an id, with a body that would be valid for a record of one's own.
TENANT_ID_ENDPOINTS = [
    ("GET", "/api/tenant/conversations/{cnv}", None),
    ("POST", "/api/tenant/conversations/{cnv}/resolve", None),
    ("PUT", "/api/tenant/conversations/{cnv}/status", {"status": "WAITING"}),
    ("POST", "/api/tenant/conversations/{cnv}/assign", {"agentId": "{own_agent}"}),
    ("POST", "/api/tenant/conversations/{cnv}/mark-read", None),
    ("DELETE", "/api/tenant/conversations/{cnv}", None),
    ("GET", "/api/tenant/visitors/{vis}", None),
    ("PATCH", "/api/tenant/visitors/{vis}", {"notes": "mine now"}),
    ("DELETE", "/api/tenant/visitors/{vis}", None),
    ("DELETE", "/api/tenant/api-keys/{key}", None),
]
AGENT_ID_ENDPOINTS = [
    ("GET", "/api/agent/conversations/{cnv}", None),
    ("GET", "/api/agent/conversations/{cnv}/messages", None),
    ("POST", "/api/agent/conversations/{cnv}/messages", {"content": "hello from elsewhere"}),
    ("POST", "/api/agent/conversations/{cnv}/resolve", None),
    ("POST", "/api/agent/conversations/{cnv}/assign", {"agentId": "{own_agent}"}),
    ("POST", "/api/agent/conversations/{cnv}/mark-read", None),
    ("GET", "/api/agent/visitors/{vis}", None),
]


def _records(sandbox: Sandbox, manager_email: str) -> dict[str, str]:
    token = sandbox.login(manager_email)
    conversation = every_conversation(sandbox, token)[0]
    return {
        "cnv": conversation["id"],
        "vis": conversation["visitorId"],
        "key": ok(sandbox.api("GET", "/api/tenant/api-keys", token))["apiKeys"][0]["id"],
        "agent": ok(sandbox.api("GET", "/api/tenant/agents", token))["agents"][0]["id"],
    }


def _fill(template: object, ids: dict[str, str]) -> object:
    if isinstance(template, str):
        return template.format(**ids)
    if isinstance(template, dict):
        return {key: _fill(value, ids) for key, value in template.items()}
    return template


@pytest.fixture
def acme_and_globex(platform: Sandbox) -> tuple[dict[str, str], dict[str, str]]:
    return _records(platform, MANAGER_EMAIL), _records(platform, OTHER_EMAIL)


@pytest.mark.parametrize("method, path, body", TENANT_ID_ENDPOINTS + AGENT_ID_ENDPOINTS)
@pytest.mark.parametrize("direction", ["globex-on-acme", "acme-on-globex"])
def test_another_workspaces_id_is_not_found(
    platform: Sandbox, acme_and_globex: tuple, method: str, path: str, body: object,
    direction: str,
) -> None:  # fmt: skip
    acme, globex = acme_and_globex
    target, caller = (acme, globex) if direction == "globex-on-acme" else (globex, acme)
    if path.startswith("/api/tenant"):
        email = OTHER_EMAIL if caller is globex else MANAGER_EMAIL
    else:
        email = OTHER_AGENT_EMAIL if caller is globex else AGENT_EMAIL
    token = platform.login(email)
    ids = {**target, "own_agent": caller["agent"]}

    response = platform.api(method, _fill(path, ids), token, json=_fill(body, ids))

    assert_error(response, 404)
    owner = platform.login(MANAGER_EMAIL if target is acme else OTHER_EMAIL)
    ok(platform.api("GET", f"/api/tenant/conversations/{target['cnv']}", owner))
    ok(platform.api("GET", f"/api/tenant/visitors/{target['vis']}", owner))
    keys = ok(platform.api("GET", "/api/tenant/api-keys", owner))["apiKeys"]
    assert target["key"] in {key["id"] for key in keys}


def test_lists_show_only_the_callers_workspace(sandbox: Sandbox) -> None:
    acme = sandbox.login(MANAGER_EMAIL)
    globex = sandbox.login(OTHER_EMAIL)
    globex_agent = sandbox.login(OTHER_AGENT_EMAIL)

    acme_visitors = {v["id"] for v in every_visitor(sandbox, acme)}
    globex_visitors = {v["id"] for v in every_visitor(sandbox, globex)}
    acme_conversations = {c["id"] for c in every_conversation(sandbox, acme)}
    globex_conversations = {c["id"] for c in every_conversation(sandbox, globex)}

    assert acme_visitors and globex_visitors and not acme_visitors & globex_visitors
    assert acme_conversations and globex_conversations
    assert not acme_conversations & globex_conversations
    agent_view = ok(sandbox.api("GET", "/api/agent/conversations?limit=50", globex_agent))
    assert {c["id"] for c in agent_view["conversations"]} <= globex_conversations
    acme_agents = ok(sandbox.api("GET", "/api/tenant/agents", acme))["agents"]
    globex_agents = ok(sandbox.api("GET", "/api/tenant/agents", globex))["agents"]
    assert not {a["id"] for a in acme_agents} & {a["id"] for a in globex_agents}
    acme_workspace = ok(sandbox.api("GET", "/api/tenant/workspace", acme))
    assert ok(sandbox.api("GET", "/api/tenant/workspace", globex))["id"] != acme_workspace["id"]


def test_filters_cannot_reach_into_another_workspace(sandbox: Sandbox) -> None:
    acme = sandbox.login(MANAGER_EMAIL)
    globex = sandbox.login(OTHER_EMAIL)
    globex_visitor = every_visitor(sandbox, globex)[0]
    globex_agent = ok(sandbox.api("GET", "/api/tenant/agents", globex))["agents"][0]

    by_site = ok(
        sandbox.api("GET", f"/api/tenant/visitors?siteId={globex_visitor['siteId']}", acme)
    )
    by_agent = ok(
        sandbox.api("GET", f"/api/tenant/conversations?agentId={globex_agent['id']}", acme)
    )
    by_search = ok(
        sandbox.api("GET", f"/api/tenant/conversations?search={globex_visitor['id']}", acme)
    )

    assert by_site["total"] == by_agent["total"] == by_search["total"] == 0
