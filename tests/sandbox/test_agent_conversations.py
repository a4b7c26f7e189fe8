"""Agent — Profile, Conversations (list, get, resolve, transfer, mark-read) and Visitors."""

import pytest

from tests.fixtures.sandbox import AGENT_EMAIL, OTHER_AGENT_EMAIL, Sandbox
from tests.sandbox.helpers import assert_error, every_conversation, field_errors, ok


def _list(sandbox: Sandbox, token: str, **params: object) -> dict:
    return ok(sandbox.api("GET", "/api/agent/conversations", token, params=params))


def _me(sandbox: Sandbox, token: str) -> dict:
    return ok(sandbox.api("GET", "/api/agent/profile", token))


def test_the_profile_is_the_agent_with_its_tenant(sandbox: Sandbox, agent: str) -> None:
    profile = _me(sandbox, agent)
    assert profile["email"] == AGENT_EMAIL and profile["role"] == "AGENT"
    assert profile["tenant"]["id"] == profile["tenantId"]
    assert profile["tenant"]["name"] == "Acme"
    assert "avatarUrl" in profile and profile["csatScore"] == 4.6


def test_the_list_defaults_to_20_with_global_counts(
    sandbox: Sandbox, agent: str, manager: str
) -> None:
    everything = every_conversation(sandbox, manager)
    body = _list(sandbox, agent)

    assert (body["limit"], body["offset"], body["total"]) == (20, 0, len(everything))
    assert len(body["conversations"]) == 20
    assert body["counts"] == {
        status.lower(): sum(item["status"] == status for item in everything)
        for status in ("ACTIVE", "WAITING", "CLOSED")
    }
    assert _list(sandbox, agent, status="closed", search="no-match")["counts"] == body["counts"]


@pytest.mark.parametrize(
    "status, expected",
    [
        ("active", {"ACTIVE"}),
        ("waiting", {"WAITING"}),
        ("closed", {"CLOSED"}),
        ("active,waiting", {"ACTIVE", "WAITING"}),
        ("active, closed", {"ACTIVE", "CLOSED"}),
    ],
)
def test_status_takes_a_lower_case_comma_list(
    sandbox: Sandbox, agent: str, status: str, expected: set
) -> None:
    body = _list(sandbox, agent, status=status, limit=50)
    assert {item["status"] for item in body["conversations"]} == expected
    assert body["total"] == sum(body["counts"][word.lower()] for word in expected)


@pytest.mark.parametrize(
    "params",
    [{"status": "ACTIVE"}, {"status": "active,open"}, {"status": "all"}, {"limit": 0},
     {"limit": "twenty"}, {"offset": -5}],
)  # fmt: skip
def test_bad_parameters_are_400(sandbox: Sandbox, agent: str, params: dict) -> None:
    response = sandbox.api("GET", "/api/agent/conversations", agent, params=params)
    assert list(field_errors(response)) == list(params)


def test_the_limit_is_capped_at_50(sandbox: Sandbox, agent: str) -> None:
    body = _list(sandbox, agent, limit=51)
    assert body["limit"] == 50 and len(body["conversations"]) == 50


def test_offset_pages_through_the_list(sandbox: Sandbox, agent: str) -> None:
    first = _list(sandbox, agent, limit=10)["conversations"]
    second = _list(sandbox, agent, limit=10, offset=10)["conversations"]
    together = _list(sandbox, agent, limit=20)["conversations"]
    assert first + second == together


def test_search_is_by_visitor_name_or_email(sandbox: Sandbox, agent: str) -> None:
    by_name = _list(sandbox, agent, search="jane cooper", limit=50)["conversations"]
    by_email = _list(sandbox, agent, search="jane.cooper@example", limit=50)["conversations"]
    assert by_name and by_name == by_email
    assert {item["visitor"]["userName"] for item in by_name} == {"Jane Cooper"}
    content = "How do I reset my password"
    assert _list(sandbox, agent, search=content)["total"] == 0  # not message content


def test_get_is_the_detail_of_a_conversation_of_the_tenant(
    sandbox: Sandbox, agent: str, manager: str
) -> None:
    summary = _list(sandbox, agent, limit=1)["conversations"][0]
    detail = ok(sandbox.api("GET", f"/api/agent/conversations/{summary['id']}", agent))
    tenant_detail = ok(sandbox.api("GET", f"/api/tenant/conversations/{summary['id']}", manager))

    assert detail == {key: value for key, value in tenant_detail.items() if key != "messages"}
    assert detail["visitor"]["id"] == summary["visitorId"]
    response = sandbox.api("GET", "/api/agent/conversations/cnv_unknown", agent)
    assert_error(response, 404, "Conversation not found")


def _mine(sandbox: Sandbox, token: str) -> dict:
    me = _me(sandbox, token)["id"]
    everything = _list(sandbox, token, status="active,waiting", limit=50)["conversations"]
    return next(item for item in everything if item["agentId"] == me)


def test_resolve_closes_with_a_system_message(platform: Sandbox) -> None:
    agent = platform.login(AGENT_EMAIL)
    conversation = _mine(platform, agent)

    resolved = ok(
        platform.api("POST", f"/api/agent/conversations/{conversation['id']}/resolve", agent)
    )

    assert resolved["status"] == "CLOSED" and resolved["closedAt"]
    messages = ok(
        platform.api("GET", f"/api/agent/conversations/{conversation['id']}/messages", agent)
    )["messages"]
    assert (messages[-1]["senderType"], messages[-1]["content"]) == (
        "SYSTEM",
        "Conversation resolved",
    )


def test_only_the_assigned_agent_may_transfer(platform: Sandbox) -> None:
    agent = platform.login(AGENT_EMAIL)
    conversation = _mine(platform, agent)
    path = f"/api/agent/conversations/{conversation['id']}/assign"
    colleague = _colleague(platform, conversation["agentId"])
    colleague_token = platform.login(colleague["email"])

    refused = platform.api("POST", path, colleague_token, json={"agentId": colleague["id"]})
    moved = ok(platform.api("POST", path, agent, json={"agentId": colleague["id"]}))
    back = platform.api("POST", path, agent, json={"agentId": conversation["agentId"]})

    assert_error(refused, 403)
    assert moved["agentId"] == colleague["id"]
    assert_error(back, 403)  # no longer the assigned agent


def test_transfer_to_an_unknown_or_foreign_agent_is_404(platform: Sandbox) -> None:
    agent = platform.login(AGENT_EMAIL)
    foreign = _me(platform, platform.login(OTHER_AGENT_EMAIL))["id"]
    conversation = _mine(platform, agent)
    path = f"/api/agent/conversations/{conversation['id']}/assign"

    for target in [foreign, "usr_nobody"]:
        assert_error(platform.api("POST", path, agent, json={"agentId": target}), 404)
    assert list(field_errors(platform.api("POST", path, agent, json={"agentId": ""}))) == [
        "agentId"
    ]
    assert (
        ok(platform.api("GET", f"/api/agent/conversations/{conversation['id']}", agent))["agentId"]
        == conversation["agentId"]
    )


def test_transfer_of_an_unassigned_conversation_is_403(platform: Sandbox) -> None:
    agent = platform.login(AGENT_EMAIL)
    waiting = _list(platform, agent, status="waiting", limit=50)["conversations"]
    unassigned = next(item for item in waiting if item["agentId"] is None)
    response = platform.api(
        "POST",
        f"/api/agent/conversations/{unassigned['id']}/assign",
        agent,
        json={"agentId": _me(platform, agent)["id"]},
    )
    assert_error(response, 403)


def test_mark_read(platform: Sandbox) -> None:
    agent = platform.login(AGENT_EMAIL)
    conversation = next(
        item for item in _list(platform, agent, limit=50)["conversations"] if item["unreadCount"]
    )
    path = f"/api/agent/conversations/{conversation['id']}/mark-read"
    assert ok(platform.api("POST", path, agent)) == {
        "success": True,
        "markedCount": conversation["unreadCount"],
    }
    assert ok(platform.api("POST", path, agent))["markedCount"] == 0


def _colleague(sandbox: Sandbox, my_id: str) -> dict:
    manager = sandbox.login("manager@example.com")
    agents = ok(sandbox.api("GET", "/api/tenant/agents", manager))["agents"]
    return next(agent for agent in agents if agent["id"] != my_id)


# Agent — Visitors


def test_agent_visitors_list_and_get(sandbox: Sandbox, agent: str, manager: str) -> None:
    body = ok(sandbox.api("GET", "/api/agent/visitors", agent))
    tenant = ok(sandbox.api("GET", "/api/tenant/visitors", manager))

    assert body == tenant  # same page, same stats
    visitor = body["visitors"][0]
    assert ok(sandbox.api("GET", f"/api/agent/visitors/{visitor['id']}", agent)) == visitor
    assert_error(sandbox.api("GET", "/api/agent/visitors/vis_unknown", agent), 404)


def test_agent_visitor_search_is_by_name_or_email_only(sandbox: Sandbox, agent: str) -> None:
    def search(term: str) -> list[dict]:
        params = {"search": term, "limit": 100}
        return ok(sandbox.api("GET", "/api/agent/visitors", agent, params=params))["visitors"]

    assert {v["userName"] for v in search("Jane Cooper")} >= {"Jane Cooper"}
    assert search("jane.cooper@example.net")[0]["userName"] == "Jane Cooper"
    city = search("jane.cooper@example.net")[0]["city"]
    assert all(city not in ((v["userName"] or "") + (v["userEmail"] or "")) for v in search(city))


def test_agent_visitors_filters_and_limits(sandbox: Sandbox, agent: str) -> None:
    online = ok(sandbox.api("GET", "/api/agent/visitors", agent, params={"isOnline": "true"}))
    assert online["visitors"] and {v["isOnline"] for v in online["visitors"]} == {True}
    capped = ok(sandbox.api("GET", "/api/agent/visitors", agent, params={"limit": 500}))
    assert capped["limit"] == 100
    page_two = ok(sandbox.api("GET", "/api/agent/visitors", agent, params={"page": 2}))
    assert page_two["page"] == 2 and len(page_two["visitors"]) == 25
    for params in [{"isOnline": "maybe"}, {"page": 0}, {"limit": "-3"}]:
        response = sandbox.api("GET", "/api/agent/visitors", agent, params=params)
        assert list(field_errors(response)) == list(params)
