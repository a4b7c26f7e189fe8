"""The conversations list: status tabs with counts, agent filter, search, unread badges, the
per-agent panel, garbage clamped, fragments and live refresh; managers and agents."""

import re

import pytest

from tests.conversations.helpers import agent_api, counts_on_platform, tenant
from tests.visitors.helpers import calls_to, detail_links, htmx, query_of

pytestmark = pytest.mark.django_db

TENANT_LIST = r"/api/tenant/conversations$"
AGENT_LIST = r"/api/agent/conversations$"


def tab_counts(html: str) -> dict[str, str]:
    """{tab label: count shown} from the status tabs."""
    return dict(re.findall(r'(Active|Waiting|Closed|All) <span class="badge[^"]*">([^<]+)</', html))


def test_tabs_show_each_status_count(manager_client, console_platform):
    expected = counts_on_platform(console_platform)

    html = manager_client.get("/conversations/").content.decode()

    assert tab_counts(html) == {
        "Active": str(expected["ACTIVE"]),
        "Waiting": str(expected["WAITING"]),
        "Closed": str(expected["CLOSED"]),
        "All": str(expected["all"]),
    }
    assert min(expected.values()) > 0


@pytest.mark.parametrize("status", ["ACTIVE", "WAITING", "CLOSED"])
def test_a_tab_lists_that_status_and_keeps_all_counts(manager_client, console_platform, status):
    listed = list(tenant(console_platform).iter_conversations(status=status))
    if status == "WAITING":
        listed.reverse()  # the customer waiting longest first
    counts = counts_on_platform(console_platform)

    html = manager_client.get(f"/conversations/?status={status}").content.decode()

    assert detail_links(html, "conversations") == [c.id for c in listed[:25]]
    assert tab_counts(html)["All"] == str(counts["all"])
    assert 'aria-current="page"' in html
    hidden = f'<input type="hidden" name="status" value="{status}" form="conversation-filters">'
    assert hidden in html


def test_the_tab_counts_cost_about_one_call(manager_client, console_platform):
    console_platform.clear_requests()

    manager_client.get("/conversations/?status=ACTIVE")

    # The page and two counts; the third count is the page's own total. Made concurrently.
    assert len(calls_to(console_platform, "GET", TENANT_LIST)) == 3


def test_the_waiting_tab_lists_the_longest_waiting_first_on_every_page(
    manager_client, console_platform
):
    newest_first = [c.id for c in tenant(console_platform).iter_conversations(status="WAITING")]
    oldest_first = newest_first[::-1]
    assert len(oldest_first) > 5

    first = manager_client.get("/conversations/?status=WAITING&limit=5").content.decode()
    second = manager_client.get("/conversations/?status=WAITING&limit=5&page=2").content.decode()
    last_page = -(-len(oldest_first) // 5)
    last = manager_client.get(f"/conversations/?status=WAITING&limit=5&page={last_page}")

    assert detail_links(first, "conversations") == oldest_first[:5]
    assert detail_links(second, "conversations") == oldest_first[5:10]
    tail = oldest_first[(last_page - 1) * 5 :]
    assert detail_links(last.content.decode(), "conversations") == tail


def test_the_agent_filter(manager_client, console_platform):
    stats = tenant(console_platform).list_conversations(limit=1).agent_stats
    busiest = max(stats, key=lambda s: s.total)
    expected = tenant(console_platform).list_conversations(
        status="all", agent_id=busiest.agent_id, limit=100
    )

    console_platform.clear_requests()

    html = manager_client.get(
        f"/conversations/?agentId={busiest.agent_id}&limit=100"
    ).content.decode()

    assert detail_links(html, "conversations") == [c.id for c in expected.items]
    calls = calls_to(console_platform, "GET", TENANT_LIST)
    assert calls and all(query_of(c)["agentId"] == [busiest.agent_id] for c in calls)
    assert tab_counts(html)["All"] == str(busiest.total)
    assert f'<option value="{busiest.agent_id}" selected>' in html


def test_search(manager_client, console_platform):
    conversation = tenant(console_platform).list_conversations(status="all", limit=1).items[0]

    html = manager_client.get(f"/conversations/?search={conversation.visitor_id}").content.decode()

    assert conversation.id in detail_links(html, "conversations")
    assert query_of(calls_to(console_platform, "GET", TENANT_LIST)[-1])["search"] == [
        conversation.visitor_id
    ]


def test_unread_badges_and_the_per_agent_panel(manager_client, console_platform):
    page = tenant(console_platform).list_conversations(status="all", limit=25)
    unread = [c for c in page.items if c.unread_count]
    assert unread

    html = manager_client.get("/conversations/").content.decode()

    for conversation in unread:
        assert f'title="Unread messages">{conversation.unread_count}</span>' in html
    assert f"{page.unread_total} unread" in html
    for stat in page.agent_stats:
        assert f"?agentId={stat.agent_id}" in html


def test_paging_uses_offsets(manager_client, console_platform):
    expected = tenant(console_platform).list_conversations(status="all", limit=10, offset=10)

    html = manager_client.get("/conversations/?limit=10&page=2").content.decode()

    assert detail_links(html, "conversations") == [c.id for c in expected.items]
    asked = query_of(calls_to(console_platform, "GET", TENANT_LIST)[0])
    assert asked["offset"] == ["10"] and asked["limit"] == ["10"]


@pytest.mark.parametrize(
    "query",
    ["status=maybe", "status=active", "page=-1&limit=5000", "agentId=&search=%00", "limit=abc"],
)
def test_garbage_in_the_query_string_never_breaks_the_page(manager_client, console_platform, query):
    response = manager_client.get(f"/conversations/?{query}")

    assert response.status_code == 200
    for call in calls_to(console_platform, "GET", TENANT_LIST):
        asked = query_of(call)
        assert asked["status"][0] in ("ACTIVE", "WAITING", "CLOSED", "all")
        assert 1 <= int(asked["limit"][0]) <= 100 and int(asked["offset"][0]) >= 0


def test_an_htmx_tab_change_gets_the_table_with_tabs_and_stats_out_of_band(
    manager_client, console_platform
):
    response = manager_client.get(
        "/conversations/?status=CLOSED&page=-2", headers=htmx("conversation-table")
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<section id="conversation-table"')
    assert re.search(r'<nav id="conversation-tabs"[^>]*hx-swap-oob="true"', html)
    assert re.search(r'<section id="conversation-agent-stats"[^>]*hx-swap-oob="true"', html)
    assert response["HX-Push-Url"] == "/conversations/?status=CLOSED"


def test_the_live_refresh_gets_rows_and_counts(manager_client, console_platform):
    response = manager_client.get("/conversations/", headers=htmx("conversation-rows"))

    html = response.content.decode()
    assert html.lstrip().startswith('<tbody id="conversation-rows"')
    assert html.count('hx-swap-oob="true"') == 4
    assert "HX-Push-Url" not in response


def test_a_failing_platform_is_shown_in_the_table(manager_client, console_platform):
    console_platform.set_faults(errorRate=1, errorStatus=500, paths="/api/tenant/conversations")

    response = manager_client.get("/conversations/?search=abc")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Could not load conversations." in html and 'value="abc"' in html


# --- agents -------------------------------------------------------------------------------


def test_agents_get_the_agent_api_with_its_global_counts(agent_client, console_platform):
    console_platform.clear_requests()

    html = agent_client.get("/conversations/").content.decode()

    platform_calls = [c["path"] for c in console_platform.requests() if c["method"] == "GET"]
    assert platform_calls == ["/connextlive/api/agent/conversations"]
    page = agent_api(console_platform).list_conversations(limit=20)
    assert detail_links(html, "conversations") == [c.id for c in page.items]
    assert tab_counts(html) == {
        "Active": str(page.counts.active),
        "Waiting": str(page.counts.waiting),
        "Closed": str(page.counts.closed),
        "All": str(page.counts.active + page.counts.waiting + page.counts.closed),
    }
    assert 'name="agentId"' not in html and "By agent" not in html


def test_agent_tabs_use_the_lower_case_status_and_the_documented_limit(
    agent_client, console_platform
):
    agent_client.get("/conversations/?status=ACTIVE&limit=100")

    asked = query_of(calls_to(console_platform, "GET", AGENT_LIST)[-1])
    assert asked["status"] == ["active"] and asked["limit"] == ["50"]


def test_an_agents_waiting_tab_lists_the_longest_waiting_first(agent_client, console_platform):
    api = agent_api(console_platform)
    newest_first = [c.id for c in api.iter_conversations(statuses=["waiting"])]

    html = agent_client.get("/conversations/?status=waiting").content.decode()

    assert detail_links(html, "conversations") == newest_first[::-1][:20]


def test_an_agent_has_an_assigned_to_me_tab(agent_client, console_platform):
    api = agent_api(console_platform)
    me = api.profile().id
    mine = [c.id for c in api.iter_conversations() if c.agent_id == me]
    assert 0 < len(mine) < 60

    html = agent_client.get("/conversations/?status=mine&limit=50").content.decode()

    assert detail_links(html, "conversations") == mine[:50]
    assert re.search(rf'Assigned to me <span class="badge[^"]*">{len(mine)}<', html)
    assert 'aria-current="page"' in html
    everything = agent_client.get("/conversations/").content.decode()
    assert "Assigned to me</a>" in re.sub(r"\s+</a>", "</a>", everything)  # the tab, no count


def test_managers_have_no_assigned_to_me_tab(manager_client, console_platform):
    html = manager_client.get("/conversations/?status=mine").content.decode()

    assert "Assigned to me" not in html
    assert tab_counts(html)["All"]  # "mine" is garbage here: the All tab


def test_another_workspace_sees_none_of_these(other_client, console_platform):
    mine = {c.id for c in tenant(console_platform).iter_conversations(status="all")}

    html = other_client.get("/conversations/?limit=100").content.decode()

    shown = set(detail_links(html, "conversations"))
    assert shown and not shown & mine
