"""The ConnectiveOne chats and tickets pages against the running sandbox: every filter the
document gives (created-at range in the viewer's zone, status, operator, priority), sorting,
paging through limit and offset, the chat page, agents reading, and failures as messages."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from dashboard.platforms.connectiveone import ApiKeyAuth, ConnectiveOneClient
from sandbox.connectiveone.credentials import API_KEY
from sandbox.people import PEOPLE
from tests.broadcasts.helpers import set_up_connectiveone

CHATS, TICKETS = "/connectiveone/chats/", "/connectiveone/tickets/"


@pytest.fixture
def api(platform) -> ConnectiveOneClient:
    """The same instance, read directly, to know what the pages must show."""
    return ConnectiveOneClient(platform.url + "/connectiveone", ApiKeyAuth(API_KEY))


@pytest.fixture
def connected(manager_client, platform):
    set_up_connectiveone(manager_client, platform)
    return manager_client


def chat_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'href="/connectiveone/chats/(\d+)/"', html)]


def test_it_lists_the_newest_chats_with_their_included_data(connected, api):
    newest = api.list_chat_rooms(limit=25, include=["operator", "bot"]).items

    html = connected.get(CHATS).content.decode()

    assert chat_ids(html) == [room.id for room in newest]
    assert f"{api.list_chat_rooms(limit=1).total} chats" in html
    assert "Acme Assistant" in html  # include=bot
    assert any(r.operator and r.operator.name in html for r in newest)  # include=operator


def test_status_operator_sort_and_page_reach_the_platform(connected, api):
    expected = api.list_chat_rooms(
        status="closed", operator_id=1, sort="updatedAt", order="asc", limit=10, offset=10
    )

    response = connected.get(
        CHATS,
        {"status": "closed", "operator": "1", "sort": "updatedAt", "limit": "10", "page": "2"},
    )

    assert chat_ids(response.content.decode()) == [room.id for room in expected.items]
    assert f"{expected.total} chats" in response.content.decode()


def test_the_created_range_is_read_in_the_workspaces_zone(connected, api):
    """Days typed into the filter are whole days of the viewer's zone: the demo workspace's,
    America/New_York (read at sign-in), not UTC."""
    zone = ZoneInfo("America/New_York")
    rooms = list(api.iter_chat_rooms())
    day = rooms[len(rooms) // 2].created_at.astimezone(zone).date()
    start = datetime.combine(day, datetime.min.time(), tzinfo=zone)
    expected = [r.id for r in rooms if start <= r.created_at < start + timedelta(days=1)]
    in_utc = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
    utc_day = [r.id for r in rooms if in_utc <= r.created_at < in_utc + timedelta(days=1)]

    html = connected.get(
        CHATS,
        {
            "createdFrom": day.isoformat(),
            "createdTo": day.isoformat(),
            "limit": "100",
            "sort": "createdAt",
        },  # fmt: skip
    ).content.decode()

    assert chat_ids(html) == expected and expected
    assert expected != utc_day


def test_tickets_filter_by_status_and_priority(connected, api):
    expected = api.list_tickets(status="new", priority="high", sort="priority", limit=25)

    html = connected.get(TICKETS, {"status": "new", "priority": "high"}).content.decode()

    assert f"{expected.total} tickets" in html and expected.total > 0
    assert html.count('<span class="badge bg-red-lt">High</span>') == len(expected.items)


def test_garbage_in_the_query_string_is_ignored(connected):
    response = connected.get(
        CHATS,
        {
            "status": "maybe",
            "operator": "x'",
            "sort": "drop",
            "createdFrom": "yesterday",
            "limit": "5000",
            "page": "-3",
        },  # fmt: skip
    )

    assert response.status_code == 200
    assert "100 chats" not in response.content.decode()


def test_a_chat_page_shows_the_person_and_the_tickets(connected, api):
    jane = PEOPLE[0]
    room = api.list_chat_rooms(email=jane.email).items[0]
    ticket = api.list_tickets(limit=1).items[0]

    html = connected.get(f"/connectiveone/chats/{room.id}/").content.decode()
    with_ticket = connected.get(f"/connectiveone/chats/{ticket.chat_room_id}/").content.decode()

    assert jane.name in html and jane.phone in html and jane.email in html
    assert ticket.subject in with_ticket
    assert connected.get("/connectiveone/chats/99999999/").status_code == 404


def test_agents_read_the_same_pages(connected, agent_client):
    chats = agent_client.get(CHATS)
    tickets = agent_client.get(TICKETS)

    assert chats.status_code == 200 and tickets.status_code == 200
    assert chat_ids(chats.content.decode())
    assert "read only" in chats.content.decode()


def test_without_the_integration_the_page_says_how_to_connect(manager_client):
    html = manager_client.get(CHATS).content.decode()

    assert "ConnectiveOne is not connected" in html


def test_a_platform_failure_is_the_tables_message(connected, platform):
    platform.set_faults(errorRate=1.0, errorStatus=503, paths=r"^/connectiveone/")

    response = connected.get(CHATS)
    refresh = connected.get(CHATS, headers={"HX-Request": "true", "HX-Target": "chat-rows"})

    assert response.status_code == 200
    assert "Could not load chats" in response.content.decode()
    assert "Live updates paused" in refresh.content.decode()


def test_a_refused_credential_does_not_sign_the_user_out(connected, platform):
    from dashboard.integrations.models import Integration

    integration = Integration.objects.get(kind=Integration.Kind.CONNECTIVEONE)
    integration.store_secrets({"api_key": "wrong"})
    integration.save()

    response = connected.get(TICKETS)

    assert response.status_code == 200
    assert "ConnectiveOne refused the integration" in response.content.decode()
    assert connected.get("/visitors/").status_code == 200  # still signed in
