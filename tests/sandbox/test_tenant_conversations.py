"""Tenant — Conversations: list (filters, paging, unread counts, agent stats), get, resolve,
status, assign, mark-read, delete."""

from collections import Counter

import pytest

from tests.fixtures.sandbox import (
    AGENT_EMAIL,
    DEMO_PASSWORD,
    MANAGER_EMAIL,
    OTHER_AGENT_EMAIL,
    OTHER_EMAIL,
    Sandbox,
)
from tests.sandbox.helpers import assert_error, every_conversation, field_errors, ok

SUMMARY_KEYS = {
    "id", "status", "visitorId", "visitor", "agentId", "agent", "siteId", "subject",
    "unreadCount", "lastMessage", "messageCount", "createdAt", "updatedAt", "closedAt",
}  # fmt: skip


def _list(sandbox: Sandbox, token: str, query: str = "", **params: str) -> dict:
    return ok(
        sandbox.api("GET", f"/api/tenant/conversations?{query}", token, params=params or None)
    )


def _detail(sandbox: Sandbox, token: str, conversation_id: str) -> dict:
    return ok(sandbox.api("GET", f"/api/tenant/conversations/{conversation_id}", token))


def _agents(sandbox: Sandbox, token: str) -> list[dict]:
    return ok(sandbox.api("GET", "/api/tenant/agents", token))["agents"]


def test_the_list_defaults_to_50_from_offset_0_newest_first(sandbox: Sandbox, manager: str) -> None:
    body = _list(sandbox, manager)

    assert (body["limit"], body["offset"]) == (50, 0)
    assert body["total"] >= 40
    assert len(body["conversations"]) == min(50, body["total"])
    updated = [item["updatedAt"] for item in body["conversations"]]
    assert updated == sorted(updated, reverse=True)
    assert all(set(item) == SUMMARY_KEYS for item in body["conversations"])


@pytest.mark.parametrize("status", ["ACTIVE", "WAITING", "CLOSED"])
def test_the_status_filter(sandbox: Sandbox, manager: str, status: str) -> None:
    everything = every_conversation(sandbox, manager)
    body = _list(sandbox, manager, f"status={status}&limit=1000")
    assert body["total"] == sum(item["status"] == status for item in everything) > 0
    assert {item["status"] for item in body["conversations"]} == {status}
    assert _list(sandbox, manager, "status=all")["total"] == len(everything)


@pytest.mark.parametrize(
    "query",
    [
        "status=active",
        "status=OPEN",
        "limit=0",
        "limit=abc",
        "limit=-1",
        "offset=-1",
        "offset=1.5",
        "limit=99999999999",
    ],
)
def test_bad_parameters_are_400(sandbox: Sandbox, manager: str, query: str) -> None:
    name = query.split("=")[0]
    assert list(
        field_errors(sandbox.api("GET", f"/api/tenant/conversations?{query}", manager))
    ) == [name]


def test_the_agent_filter(sandbox: Sandbox, manager: str) -> None:
    everything = every_conversation(sandbox, manager)
    per_agent = Counter(item["agentId"] for item in everything)
    for agent in _agents(sandbox, manager):
        body = _list(sandbox, manager, f"agentId={agent['id']}&limit=1000")
        assert body["total"] == per_agent[agent["id"]]
        assert {item["agentId"] for item in body["conversations"]} <= {agent["id"]}
    assert _list(sandbox, manager, "agentId=all")["total"] == len(everything)
    assert _list(sandbox, manager, "agentId=usr_nobody")["total"] == 0


def test_search_looks_in_message_content_visitor_id_and_name(
    sandbox: Sandbox, manager: str
) -> None:
    first = _list(sandbox, manager, "limit=1")["conversations"][0]
    detail = _detail(sandbox, manager, first["id"])
    word = detail["messages"][0]["content"].split()[-1]

    by_content = _list(sandbox, manager, search=word, limit="1000")["conversations"]
    by_visitor_id = _list(sandbox, manager, search=first["visitorId"])["conversations"]
    by_name = _list(sandbox, manager, search="jane cooper", limit="1000")["conversations"]

    assert first["id"] in {item["id"] for item in by_content}
    assert by_visitor_id and {item["visitorId"] for item in by_visitor_id} == {first["visitorId"]}
    assert by_name and all(item["visitor"]["userName"] == "Jane Cooper" for item in by_name)
    assert _list(sandbox, manager, "search=zzzz-no-such-text")["total"] == 0


def test_paging_with_limit_and_offset_walks_every_conversation_once(
    sandbox: Sandbox, manager: str
) -> None:
    total = _list(sandbox, manager)["total"]
    seen = []
    for offset in range(0, total, 7):
        seen += [
            item["id"]
            for item in _list(sandbox, manager, f"limit=7&offset={offset}")["conversations"]
        ]
    assert len(seen) == len(set(seen)) == total
    assert _list(sandbox, manager, f"offset={total}")["conversations"] == []


def test_unread_counts_are_unread_visitor_messages(sandbox: Sandbox, manager: str) -> None:
    body = _list(sandbox, manager, "limit=1000")
    for item in body["conversations"][:15]:
        messages = _detail(sandbox, manager, item["id"])["messages"]
        unread = [m for m in messages if m["senderType"] == "VISITOR" and not m["isRead"]]
        assert item["unreadCount"] == len(unread)
        assert item["messageCount"] == len(messages)
        assert item["lastMessage"]["content"] == messages[-1]["content"]
    assert body["unreadTotal"] == sum(item["unreadCount"] for item in body["conversations"]) > 0


def test_agent_stats_cover_every_agent_whatever_the_filters(sandbox: Sandbox, manager: str) -> None:
    everything = every_conversation(sandbox, manager)
    stats = _list(sandbox, manager, "status=CLOSED&limit=1")["agentStats"]

    assert {row["agentId"] for row in stats} == {agent["id"] for agent in _agents(sandbox, manager)}
    for row in stats:
        theirs = [item for item in everything if item["agentId"] == row["agentId"]]
        assert row["total"] == len(theirs)
        for status in ("ACTIVE", "WAITING", "CLOSED"):
            assert row[status.lower()] == sum(item["status"] == status for item in theirs)
        assert row["unread"] == sum(item["unreadCount"] for item in theirs)


def test_there_are_unassigned_waiting_conversations(sandbox: Sandbox, manager: str) -> None:
    waiting = _list(sandbox, manager, "status=WAITING&limit=1000")["conversations"]
    assert any(item["agentId"] is None and item["agent"] is None for item in waiting)


def test_get_has_the_full_visitor_the_workspace_and_every_message(
    sandbox: Sandbox, manager: str
) -> None:
    summary = _list(sandbox, manager, "limit=1")["conversations"][0]
    detail = _detail(sandbox, manager, summary["id"])

    assert detail["id"] == summary["id"]
    assert detail["visitor"]["id"] == summary["visitorId"]
    assert "tags" in detail["visitor"] and "externalIds" in detail["visitor"]
    assert detail["workspace"]["name"] == "Acme Support"
    created = [message["createdAt"] for message in detail["messages"]]
    assert created == sorted(created) and len(created) == summary["messageCount"]


def test_get_an_unknown_conversation_is_404(sandbox: Sandbox, manager: str) -> None:
    response = sandbox.api("GET", "/api/tenant/conversations/cnv_01HX", manager)
    assert_error(response, 404, "Conversation not found")


def _open_conversation(sandbox: Sandbox, token: str) -> dict:
    return _list(sandbox, token, "status=ACTIVE&limit=1")["conversations"][0]


def test_resolve_closes_and_adds_one_localized_system_message(platform: Sandbox) -> None:
    manager = platform.login(MANAGER_EMAIL)
    conversation = _open_conversation(platform, manager)
    path = f"/api/tenant/conversations/{conversation['id']}/resolve"

    resolved = ok(platform.api("POST", path, manager))
    again = ok(platform.api("POST", path, manager))

    assert resolved["status"] == "CLOSED" and resolved["closedAt"] is not None
    assert again["closedAt"] == resolved["closedAt"]
    messages = _detail(platform, manager, conversation["id"])["messages"]
    system = [m for m in messages if m["senderType"] == "SYSTEM"]
    assert [(m["content"], m["messageType"]) for m in system] == [
        ("Conversation resolved", "SYSTEM")
    ]


@pytest.mark.parametrize(
    "language, text",
    [("tr", "Görüşme çözüldü"), ("de", "Unterhaltung gelöst"), ("es", "Conversación resuelta")],
)
def test_the_resolve_message_speaks_the_workspace_language(
    platform: Sandbox, language: str, text: str
) -> None:
    manager = platform.login(MANAGER_EMAIL)
    ok(platform.api("PUT", "/api/tenant/workspace", manager, json={"language": language}))
    conversation = _open_conversation(platform, manager)

    ok(platform.api("POST", f"/api/tenant/conversations/{conversation['id']}/resolve", manager))

    assert _detail(platform, manager, conversation["id"])["messages"][-1]["content"] == text


def test_globex_resolves_in_german(platform: Sandbox) -> None:
    other = platform.login(OTHER_EMAIL)
    conversation = _open_conversation(platform, other)
    ok(platform.api("POST", f"/api/tenant/conversations/{conversation['id']}/resolve", other))
    last = _detail(platform, other, conversation["id"])["messages"][-1]
    assert last["content"] == "Unterhaltung gelöst"


def test_status_sets_only_the_status(platform: Sandbox) -> None:
    manager = platform.login(MANAGER_EMAIL)
    conversation = _open_conversation(platform, manager)
    path = f"/api/tenant/conversations/{conversation['id']}/status"

    closed = ok(platform.api("PUT", path, manager, json={"status": "CLOSED"}))
    waiting = ok(platform.api("PUT", path, manager, json={"status": "WAITING"}))

    assert closed["status"] == "CLOSED" and closed["closedAt"] is not None
    assert waiting["status"] == "WAITING" and waiting["closedAt"] is None
    assert waiting["messageCount"] == conversation["messageCount"]  # no system message
    for bad in [{}, {"status": "closed"}, {"status": "DONE"}, {"status": 1}]:
        assert list(field_errors(platform.api("PUT", path, manager, json=bad))) == ["status"]


def test_assign_to_an_agent_of_the_workspace(platform: Sandbox) -> None:
    manager = platform.login(MANAGER_EMAIL)
    other = platform.login(OTHER_EMAIL)
    conversation = _list(platform, manager, "status=WAITING&limit=1")["conversations"][0]
    path = f"/api/tenant/conversations/{conversation['id']}/assign"
    target = _agents(platform, manager)[-1]
    globex_agent = _agents(platform, other)[0]
    signed_in = {"email": MANAGER_EMAIL, "password": DEMO_PASSWORD}
    manager_id = ok(platform.api("POST", "/api/auth/login", json=signed_in))["user"]["id"]

    assigned = ok(platform.api("POST", path, manager, json={"agentId": target["id"]}))

    assert assigned["agentId"] == target["id"]
    assert assigned["agent"] == {"id": target["id"], "name": target["name"]}
    assert _detail(platform, manager, conversation["id"])["agentId"] == target["id"]
    for unknown in [globex_agent["id"], "usr_nobody", manager_id]:
        response = platform.api("POST", path, manager, json={"agentId": unknown})
        assert_error(response, 404, "Agent not found")
    assert list(field_errors(platform.api("POST", path, manager, json={}))) == ["agentId"]


def test_mark_read_marks_the_unread_visitor_messages(platform: Sandbox) -> None:
    manager = platform.login(MANAGER_EMAIL)
    conversation = _open_conversation(platform, manager)
    assert conversation["unreadCount"] > 0
    path = f"/api/tenant/conversations/{conversation['id']}/mark-read"

    first = ok(platform.api("POST", path, manager))
    second = ok(platform.api("POST", path, manager))

    assert first == {"success": True, "markedCount": conversation["unreadCount"]}
    assert second == {"success": True, "markedCount": 0}
    messages = _detail(platform, manager, conversation["id"])["messages"]
    assert not [m for m in messages if m["senderType"] == "VISITOR" and not m["isRead"]]


def test_delete_removes_the_conversation(platform: Sandbox) -> None:
    manager = platform.login(MANAGER_EMAIL)
    before = _list(platform, manager)
    conversation = before["conversations"][0]
    path = f"/api/tenant/conversations/{conversation['id']}"

    assert ok(platform.api("DELETE", path, manager)) == {"success": True}

    assert_error(platform.api("GET", path, manager), 404)
    assert_error(platform.api("DELETE", path, manager), 404)
    assert _list(platform, manager)["total"] == before["total"] - 1


# --- the workspace figures after each kind of write ----------------------------------------------
# The list's workspace figures (unreadTotal, agentStats, the filtered totals, the agent's counts)
# come from a tally that triggers keep (sandbox/connextlive/models.py, ConversationTally). After
# each kind of write they must be what a recount of the conversations' own rows gives, and each
# write here must move them (or the test would prove nothing).


def _figures(sandbox: Sandbox, manager: str, agent: str) -> dict:
    """Every workspace figure the two APIs' lists show, as they show it."""
    body = _list(sandbox, manager, "limit=1")
    agent_body = ok(sandbox.api("GET", "/api/agent/conversations?limit=1", agent))
    stats = {row["agentId"]: row for row in body["agentStats"]}
    return {
        "total": body["total"],
        "unreadTotal": body["unreadTotal"],
        "agentStats": stats,
        "by status": {
            status: _list(sandbox, manager, f"status={status}&limit=1")["total"]
            for status in ("ACTIVE", "WAITING", "CLOSED")
        },
        "by agent": {
            agent_id: _list(sandbox, manager, f"agentId={agent_id}&limit=1")["total"]
            for agent_id in stats
        },
        "agent's total": agent_body["total"],
        "agent's counts": agent_body["counts"],
        "agent's open": ok(
            sandbox.api("GET", "/api/agent/conversations?limit=1&status=active,waiting", agent)
        )["total"],
    }


def _recount(sandbox: Sandbox, manager: str) -> dict:
    """The same figures counted from every conversation's own row (its status, its agent, its
    unreadCount, which each summary counts from its messages)."""
    everything = every_conversation(sandbox, manager)
    by_status = {
        status: sum(item["status"] == status for item in everything)
        for status in ("ACTIVE", "WAITING", "CLOSED")
    }
    stats = {}
    for agent in _agents(sandbox, manager):
        theirs = [item for item in everything if item["agentId"] == agent["id"]]
        stats[agent["id"]] = {
            "agentId": agent["id"],
            "agentName": agent["name"],
            **{status.lower(): sum(i["status"] == status for i in theirs) for status in by_status},
            "total": len(theirs),
            "unread": sum(item["unreadCount"] for item in theirs),
        }
    return {
        "total": len(everything),
        "unreadTotal": sum(item["unreadCount"] for item in everything),
        "agentStats": stats,
        "by status": by_status,
        "by agent": {agent_id: row["total"] for agent_id, row in stats.items()},
        "agent's total": len(everything),
        "agent's counts": {status.lower(): count for status, count in by_status.items()},
        "agent's open": by_status["ACTIVE"] + by_status["WAITING"],
    }


def _agent_id(sandbox: Sandbox, agent: str) -> str:
    return ok(sandbox.api("GET", "/api/agent/profile", agent))["id"]


def _unread_of(sandbox: Sandbox, manager: str, status: str, agent_id: str | None) -> dict:
    """A conversation with unread visitor messages, in this status, of this agent (None: of
    nobody)."""
    rows = _list(sandbox, manager, f"status={status}&limit=1000")["conversations"]
    return next(i for i in rows if i["agentId"] == agent_id and i["unreadCount"] > 0)


def _closed_of(sandbox: Sandbox, manager: str, agent_id: str) -> dict:
    """A closed conversation of this agent (the seed's have no unread messages)."""
    rows = _list(sandbox, manager, "status=CLOSED&limit=1000")["conversations"]
    return next(i for i in rows if i["agentId"] == agent_id)


def _mark_read_as_manager(sandbox: Sandbox, manager: str, agent: str) -> None:
    conversation = _unread_of(sandbox, manager, "ACTIVE", _agent_id(sandbox, agent))
    ok(sandbox.api("POST", f"/api/tenant/conversations/{conversation['id']}/mark-read", manager))


def _mark_read_as_agent(sandbox: Sandbox, manager: str, agent: str) -> None:
    conversation = _unread_of(sandbox, manager, "WAITING", _agent_id(sandbox, agent))
    ok(sandbox.api("POST", f"/api/agent/conversations/{conversation['id']}/mark-read", agent))


def _assign_the_unassigned(sandbox: Sandbox, manager: str, agent: str) -> None:
    conversation = _unread_of(sandbox, manager, "WAITING", None)
    path = f"/api/tenant/conversations/{conversation['id']}/assign"
    ok(sandbox.api("POST", path, manager, json={"agentId": _agents(sandbox, manager)[-1]["id"]}))


def _reassign(sandbox: Sandbox, manager: str, agent: str) -> None:
    conversation = _unread_of(sandbox, manager, "WAITING", _agent_id(sandbox, agent))
    path = f"/api/tenant/conversations/{conversation['id']}/assign"
    ok(sandbox.api("POST", path, manager, json={"agentId": _agents(sandbox, manager)[-1]["id"]}))


def _transfer(sandbox: Sandbox, manager: str, agent: str) -> None:
    mine = _agent_id(sandbox, agent)
    conversation = _unread_of(sandbox, manager, "ACTIVE", mine)
    colleague = next(item for item in _agents(sandbox, manager) if item["id"] != mine)
    path = f"/api/agent/conversations/{conversation['id']}/assign"
    ok(sandbox.api("POST", path, agent, json={"agentId": colleague["id"]}))


def _close(sandbox: Sandbox, manager: str, agent: str) -> None:
    conversation = _unread_of(sandbox, manager, "ACTIVE", _agent_id(sandbox, agent))
    path = f"/api/tenant/conversations/{conversation['id']}/status"
    ok(sandbox.api("PUT", path, manager, json={"status": "CLOSED"}))


def _reopen(sandbox: Sandbox, manager: str, agent: str) -> None:
    conversation = _closed_of(sandbox, manager, _agent_id(sandbox, agent))
    path = f"/api/tenant/conversations/{conversation['id']}/status"
    ok(sandbox.api("PUT", path, manager, json={"status": "WAITING"}))


def _resolve_as_manager(sandbox: Sandbox, manager: str, agent: str) -> None:
    conversation = _unread_of(sandbox, manager, "WAITING", None)
    ok(sandbox.api("POST", f"/api/tenant/conversations/{conversation['id']}/resolve", manager))


def _resolve_as_agent(sandbox: Sandbox, manager: str, agent: str) -> None:
    conversation = _unread_of(sandbox, manager, "ACTIVE", _agent_id(sandbox, agent))
    ok(sandbox.api("POST", f"/api/agent/conversations/{conversation['id']}/resolve", agent))


def _reply_to_the_unassigned(sandbox: Sandbox, manager: str, agent: str) -> None:
    """The agent's message claims the conversation and sets it ACTIVE (doc)."""
    conversation = _unread_of(sandbox, manager, "WAITING", None)
    path = f"/api/agent/conversations/{conversation['id']}/messages"
    ok(sandbox.api("POST", path, agent, json={"content": "On it"}))


def _delete_a_conversation(sandbox: Sandbox, manager: str, agent: str) -> None:
    conversation = _unread_of(sandbox, manager, "ACTIVE", _agent_id(sandbox, agent))
    ok(sandbox.api("DELETE", f"/api/tenant/conversations/{conversation['id']}", manager))


def _delete_a_visitor(sandbox: Sandbox, manager: str, agent: str) -> None:
    """Its conversations and their messages go with it (the ORM's cascade)."""
    conversation = _unread_of(sandbox, manager, "WAITING", None)
    ok(sandbox.api("DELETE", f"/api/tenant/visitors/{conversation['visitorId']}", manager))


@pytest.mark.parametrize(
    "write",
    [
        _mark_read_as_manager,
        _mark_read_as_agent,
        _assign_the_unassigned,
        _reassign,
        _transfer,
        _close,
        _reopen,
        _resolve_as_manager,
        _resolve_as_agent,
        _reply_to_the_unassigned,
        _delete_a_conversation,
        _delete_a_visitor,
    ],
    ids=lambda write: write.__name__.strip("_"),
)
def test_the_workspace_figures_follow_each_kind_of_write(platform: Sandbox, write) -> None:
    manager = platform.login(MANAGER_EMAIL)
    agent = platform.login(AGENT_EMAIL)
    before = _figures(platform, manager, agent)
    assert before == _recount(platform, manager)

    write(platform, manager, agent)

    after = _figures(platform, manager, agent)
    assert after == _recount(platform, manager)
    assert after != before


def test_a_reset_brings_the_seeds_figures_back(platform: Sandbox) -> None:
    manager = platform.login(MANAGER_EMAIL)
    agent = platform.login(AGENT_EMAIL)
    seeded = _figures(platform, manager, agent)
    _reply_to_the_unassigned(platform, manager, agent)
    _mark_read_as_manager(platform, manager, agent)
    assert _figures(platform, manager, agent) != seeded

    platform.reset()

    assert _figures(platform, manager, agent) == seeded == _recount(platform, manager)


def test_one_workspaces_writes_leave_the_others_figures_alone(platform: Sandbox) -> None:
    manager = platform.login(MANAGER_EMAIL)
    other = platform.login(OTHER_EMAIL)
    other_agent = platform.login(OTHER_AGENT_EMAIL)
    theirs = _figures(platform, other, other_agent)

    _delete_a_visitor(platform, manager, platform.login(AGENT_EMAIL))
    _resolve_as_manager(platform, manager, platform.login(AGENT_EMAIL))

    assert _figures(platform, other, other_agent) == theirs == _recount(platform, other)
