"""/naxon/: the models with their conversation counts, the conversations of one model or of all
(dates typed and shown in the workspace's zone, sort, paging, platform and user), and one
conversation's whole thread, read from the sandbox over real HTTP."""

import re
from datetime import datetime, time, timedelta
from urllib.parse import parse_qs
from zoneinfo import ZoneInfo

import pytest

from sandbox.naxon.credentials import BIG_ID_MODEL_ID, EMPTY_MODEL_ID, WEB_CHAT_MODEL_ID
from tests.naxon.helpers import direct_client, set_up_naxon

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")  # the demo workspace's zone in the sandbox's seed


@pytest.fixture
def naxon(manager_client, platform):
    set_up_naxon(manager_client, platform)
    return direct_client(platform)


def naxon_requests(platform, path: str) -> list[dict]:
    return [r for r in platform.requests() if r["path"].startswith("/naxon" + path)]


def conversation_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'href="/naxon/conversations/(\d+)/"', html)]


def test_without_the_integration_the_page_says_how_to_set_it_up(manager_client):
    response = manager_client.get("/naxon/")

    assert response.status_code == 200
    assert "Naxon AI is not set up" in response.content.decode()
    assert 'href="/integrations/"' in response.content.decode()


def test_the_models_with_their_conversation_counts(manager_client, naxon):
    page = manager_client.get("/naxon/").content.decode()

    for model in naxon.iter_models():
        count = naxon.list_conversations(model_id=model.id, per_page=1).total_rows
        row = re.search(
            rf'<a href="/naxon/models/{model.id}/">([^<]*)</a></td>\s*<td[^>]*>{model.id}</td>'
            rf"\s*<td>(\d+)</td>",
            page,
        )
        assert row, f"no row for model {model.id}"
        assert int(row.group(2)) == count
    assert f'href="/naxon/models/{EMPTY_MODEL_ID}/"' in page


def test_a_models_conversations_link_each_thread_and_show_platform_and_user(manager_client, naxon):
    page = manager_client.get(f"/naxon/models/{WEB_CHAT_MODEL_ID}/?limit=10").content.decode()

    expected = naxon.list_conversations(model_id=WEB_CHAT_MODEL_ID, per_page=10)
    assert conversation_ids(page) == [c.id for c in expected.items]
    assert f"{expected.total_rows} conversations" in page
    for conversation in expected.items:
        assert conversation.platform_user_id in page
        assert conversation.platform in page
    assert "Acme Web Chat" in page


def test_a_date_range_is_days_in_the_workspace_zone_on_the_sort_field(
    manager_client, naxon, platform
):
    sample = naxon.list_conversations(per_page=50, sort="updated_at").items[25]
    day = sample.updated_at.astimezone(NEW_YORK).date()
    platform.clear_requests()

    page = manager_client.get(
        f"/naxon/conversations/?since={day}&until={day}&sort=updated_at&limit=100"
    ).content.decode()

    (sent,) = naxon_requests(platform, "/conversations")
    query = parse_qs(sent["query"])
    start = datetime.combine(day, time.min, NEW_YORK)
    end = datetime.combine(day, time(23, 59, 59), NEW_YORK)
    assert query["since"] == [start.strftime("%Y-%m-%dT%H:%M:%S%z")]
    assert query["until"] == [end.strftime("%Y-%m-%dT%H:%M:%S%z")]
    assert query["sort"] == ["updated_at"]
    expected = naxon.list_conversations(
        since=start, until=end, sort="updated_at", per_page=100
    ).items
    assert sample.id in conversation_ids(page)
    assert conversation_ids(page) == [c.id for c in expected]
    # Shown in the zone too: the sample's update time, as New York's wall clock.
    local = sample.updated_at.astimezone(NEW_YORK)
    assert f"{local:%Y-%m-%d %H:%M:%S} {local.tzname()}" in page
    assert 'value="' + str(day) + '"' in page  # the form shows the day it understood


def test_sorting_by_created_or_updated_orders_newest_first(manager_client, naxon):
    for sort in ("created_at", "updated_at"):
        page = manager_client.get(f"/naxon/conversations/?sort={sort}&limit=25").content.decode()

        expected = naxon.list_conversations(sort=sort, per_page=25).items
        assert conversation_ids(page) == [c.id for c in expected]


def test_paging(manager_client, naxon):
    page = manager_client.get("/naxon/conversations/?limit=10&page=3").content.decode()

    expected = naxon.list_conversations(per_page=10, page=3).items
    assert conversation_ids(page) == [c.id for c in expected]
    assert 'href="/naxon/conversations/?page=4&amp;limit=10" hx-get' in page


def test_the_table_alone_for_htmx(manager_client, naxon):
    response = manager_client.get(
        "/naxon/conversations/?limit=10",
        headers={"HX-Request": "true", "HX-Target": "naxon-rows"},
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<tbody id="naxon-rows"')
    assert 'hx-swap-oob="true"' in html and "<html" not in html
    assert len(conversation_ids(html)) == 10


def test_the_model_with_an_id_beyond_2_to_the_53rd(manager_client, naxon):
    response = manager_client.get(f"/naxon/models/{BIG_ID_MODEL_ID}/")

    assert response.status_code == 200
    expected = naxon.list_conversations(model_id=BIG_ID_MODEL_ID, per_page=25).items
    assert conversation_ids(response.content.decode()) == [c.id for c in expected]
    assert "Instagram" in response.content.decode()


def test_a_whole_thread(manager_client, naxon):
    conversation = max(
        naxon.list_conversations(per_page=100).items,
        key=lambda c: len(c.recent_messages),
    )
    thread = list(naxon.iter_messages(conversation.id))

    page = manager_client.get(f"/naxon/conversations/{conversation.id}/").content.decode()

    assert f"Conversation {conversation.id}" in page
    assert page.count('class="chat-item"') == len(thread)
    positions = [page.index(f'id="message-{m.id}"') for m in thread]
    assert positions == sorted(positions)  # oldest first
    assert f'href="/naxon/models/{conversation.model_id}/"' in page


@pytest.mark.parametrize(
    "path",
    [
        "/naxon/models/999999/",
        "/naxon/conversations/12345/",
        "/naxon/conversations/99999999999999999999/",  # beyond int64
        "/naxon/models/-1/",
    ],
)
def test_unknown_ids_are_404(manager_client, naxon, path):
    assert manager_client.get(path).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "since=yesterday&until=2026-13-45&sort=sideways&page=-4&limit=5000",
        "since=0001-01-01&until=9999-12-31",
        "page=99999",
        "since=2026-12-06&until=2025-01-01",
    ],
)
def test_garbage_in_the_query_string_is_never_an_error(manager_client, naxon, query):
    assert manager_client.get(f"/naxon/conversations/?{query}").status_code == 200


def test_a_refused_token_says_so_and_keeps_the_manager_signed_in(manager_client, platform):
    set_up_naxon(manager_client, platform, token="nxn_not_the_token")

    for path in ("/naxon/", "/naxon/conversations/", "/naxon/conversations/1/"):
        response = manager_client.get(path)
        assert response.status_code == 200
        assert "Naxon AI refused the API token" in response.content.decode()
    assert manager_client.get("/integrations/").status_code == 200


def test_a_failing_platform_is_a_message_not_a_500(manager_client, naxon, platform):
    platform.set_faults(errorRate=1.0, errorStatus=500, paths="^/naxon/conversations")
    try:
        response = manager_client.get("/naxon/conversations/")
    finally:
        platform.clear_faults()

    assert response.status_code == 200
    assert "Could not load conversations" in response.content.decode()


def test_agents_read_it_too(agent_client, manager_client, naxon):
    assert agent_client.get("/naxon/").status_code == 200
    assert agent_client.get(f"/naxon/models/{WEB_CHAT_MODEL_ID}/").status_code == 200
    assert agent_client.get("/naxon/conversations/").status_code == 200


def test_the_navigation_links_it(manager_client, naxon):
    page = manager_client.get("/").content.decode()

    assert 'href="/naxon/"' in page and 'href="/alerts/"' in page


def test_a_day_boundary_in_the_zone(naxon):
    """A guard for the guard: the day's bounds above are New York's, not UTC's."""
    start = datetime.combine(datetime(2026, 12, 6).date(), time.min, NEW_YORK)
    assert start.utcoffset() == timedelta(hours=-5)
