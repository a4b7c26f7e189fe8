"""The visitors list against the sandbox: every filter in the query string, garbage clamped, the
table and live-rows fragments, platform failures shown in place, agents' read-only view."""

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from dashboard.lib.rows import Clock
from dashboard.platforms.base import path_segment
from dashboard.visitors.rows import visitor_row
from tests.accounts.helpers import platform_as
from tests.fixtures import sandbox as sandbox_fixtures
from tests.platforms.answers import a_visitor
from tests.visitors.helpers import calls_to, detail_links, escaped_forms, htmx, query_of

pytestmark = pytest.mark.django_db

VISITORS_CALL = r"/api/tenant/visitors$"


def truth(platform):
    return platform_as(platform, sandbox_fixtures.MANAGER_EMAIL).tenant


def last_visitors_query(platform, path=VISITORS_CALL) -> dict[str, list[str]]:
    calls = calls_to(platform, "GET", path)
    assert calls, "the page asked the platform nothing"
    return query_of(calls[-1])


# --- the page -----------------------------------------------------------------------------


def test_it_shows_the_first_page_and_the_workspace_stats(manager_client, console_platform):
    expected = truth(console_platform).list_visitors(limit=25)

    response = manager_client.get("/visitors/")

    html = response.content.decode()
    assert response.status_code == 200
    assert detail_links(html, "visitors") == [v.id for v in expected.items]
    assert f"<dt>Total</dt><dd>{expected.stats.total}</dd>" in html
    assert f"<dt>Online</dt><dd>{expected.stats.online}</dd>" in html
    assert f"<dt>Returning</dt><dd>{expected.stats.returning}</dd>" in html
    assert f"Showing 1–25 of {expected.total} results" in html
    assert expected.stats.total > 25  # the seed is big enough for paging: nothing vacuous


def test_one_page_costs_one_platform_call(manager_client, console_platform):
    console_platform.clear_requests()

    manager_client.get("/visitors/?search=jane&isOnline=true")

    assert len(calls_to(console_platform, "GET", r"/api/")) == 1


def test_the_table_shows_each_column(manager_client, console_platform):
    jane = truth(console_platform).list_visitors(search="jane.cooper@example.net").items[0]

    html = manager_client.get("/visitors/?search=jane.cooper").content.decode()

    assert "Jane Cooper" in html and "jane.cooper@example.net" in html
    assert f"{jane.city}, {jane.country}" in html
    assert jane.site.name in html
    for tag in jane.tags:
        assert f'<span class="badge bg-secondary-lt me-1">{tag}</span>' in html
    assert "<span>Online</span>" in html  # the seed's Jane is online


@pytest.mark.parametrize(
    ("seen", "shown"),
    [
        (datetime(2026, 11, 20, 17, 44, 18, 357, tzinfo=UTC), "2026-11-20T17:44:18.000357+00:00"),
        (datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), "2026-01-02T03:04:05+00:00"),
    ],
)
def test_last_seen_is_the_exact_time_and_how_long_ago(seen, shown):
    clock = Clock(seen + timedelta(hours=5), ZoneInfo("UTC"))
    row = visitor_row(a_visitor(id="v1", last_seen_at=seen), "/visitors/", clock)

    assert row.last_seen.iso == shown
    assert row.last_seen.exact == f"{seen:%Y-%m-%d %H:%M:%S} UTC"
    assert row.last_seen.ago == "5 h ago"


def test_each_row_value_is_in_its_named_field():
    seen = datetime(2026, 11, 21, 9, 59, tzinfo=UTC)
    visitor = a_visitor(
        id="v1",
        user_name="Jane",
        user_email="jane@example.com",
        user_phone="+4930123",
        city="Berlin",
        country="Germany",
        site={"id": "site_01", "name": "Docs", "domain": "docs.example"},
        tags=["vip"],
        is_online=False,
        is_returning=True,
        last_seen_at=seen,
    )
    clock = Clock(seen + timedelta(hours=5), ZoneInfo("UTC"))

    row = visitor_row(visitor, "/visitors/", clock)

    assert row._asdict() == {
        "url": "/visitors/v1/",
        "name": "Jane",
        "email": "jane@example.com",
        "phone": "+4930123",
        "location": "Berlin, Germany",
        "site": "Docs",
        "tags": ["vip"],
        "online": False,
        "returning": True,
        "last_seen": clock.moment(seen),
    }


SEARCHED_FIELDS = ["user_name", "user_email", "user_phone", "ip", "country", "city"]


@pytest.mark.parametrize("field", SEARCHED_FIELDS)
def test_search_covers_every_documented_field(manager_client, console_platform, field):
    visitors = truth(console_platform).list_visitors(limit=100).items
    visitor = next(v for v in visitors if getattr(v, field) and getattr(v, field).isascii())
    needle = getattr(visitor, field)

    html = manager_client.get("/visitors/", {"search": needle, "limit": 100}).content.decode()

    assert last_visitors_query(console_platform)["search"] == [needle]
    assert visitor.id in detail_links(html, "visitors")


@pytest.mark.parametrize(("value", "expected"), [("true", True), ("false", False)])
def test_the_online_filter(manager_client, console_platform, value, expected):
    html = manager_client.get("/visitors/", {"isOnline": value, "limit": 100}).content.decode()

    assert last_visitors_query(console_platform)["isOnline"] == [value]
    shown = detail_links(html, "visitors")
    by_id = {v.id: v for v in truth(console_platform).list_visitors(limit=100).items}
    assert shown and all(by_id[v].is_online is expected for v in shown if v in by_id)
    assert ("<span>Online</span>" in html) is expected


def test_the_site_filter(manager_client, console_platform):
    site = truth(console_platform).list_visitors(limit=1).items[0].site
    expected = truth(console_platform).list_visitors(site_id=site.id, limit=100)

    html = manager_client.get("/visitors/", {"siteId": site.id, "limit": 100}).content.decode()

    assert last_visitors_query(console_platform)["siteId"] == [site.id]
    assert detail_links(html, "visitors") == [v.id for v in expected.items]
    assert f'<option value="{site.id}" selected>' in html


def test_several_tags_at_once_match_visitors_with_all_of_them(manager_client, console_platform):
    expected = truth(console_platform).list_visitors(tags=["vip", "enterprise"], limit=100)
    assert expected.items  # Jane has both

    html = manager_client.get("/visitors/?tags=vip&tags=enterprise&limit=100").content.decode()

    assert last_visitors_query(console_platform)["tags"] == ["vip", "enterprise"]
    assert detail_links(html, "visitors") == [v.id for v in expected.items]
    for tag in ("vip", "enterprise"):
        assert re.search(rf'name="tags" value="{tag}"\s+checked', html)


def test_the_tag_filter_offers_the_tags_seen_and_ticks_only_the_filtered_ones(
    manager_client, console_platform
):
    html = manager_client.get("/visitors/?tags=vip&limit=100").content.decode()

    offered = re.findall(r'type="checkbox" name="tags" value="([^"]+)"', html)
    ticked = re.findall(r'type="checkbox" name="tags" value="([^"]+)"\s+checked', html)
    datalist = re.search(r'<datalist id="id_tags_known">(.*?)</datalist>', html, re.S)
    suggested = re.findall(r'<option value="([^"]+)"></option>', datalist[1])
    assert "vip" in offered and len(offered) > 1  # Jane's other tags were seen too
    assert ticked == ["vip"]
    assert suggested == offered


def test_page_size_and_paging(manager_client, console_platform):
    expected = truth(console_platform).list_visitors(page=2, limit=10)

    html = manager_client.get("/visitors/?limit=10&page=2").content.decode()

    assert detail_links(html, "visitors") == [v.id for v in expected.items]
    assert f"Showing 11–20 of {expected.total} results" in html
    # Pager links keep the filters and change only the page.
    assert 'href="/visitors/?page=3&amp;limit=10"' in html
    assert 'href="/visitors/?page=1&amp;limit=10"' in html


def test_a_page_past_the_end_says_so_and_links_to_the_last(manager_client, console_platform):
    total = truth(console_platform).list_visitors(limit=50).total
    last = -(-total // 50)

    response = manager_client.get("/visitors/?limit=50&page=999")

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is no page 999." in html
    assert f'href="/visitors/?page={last}&amp;limit=50">Go to the last page' in html


@pytest.mark.parametrize(
    ("query", "sent"),
    [
        ("page=-1", {"page": ["1"], "limit": ["25"]}),
        ("page=abc&limit=xyz", {"page": ["1"], "limit": ["25"]}),
        ("limit=5000", {"page": ["1"], "limit": ["100"]}),
        ("limit=0", {"page": ["1"], "limit": ["1"]}),
        ("isOnline=maybe", {"page": ["1"], "limit": ["25"]}),
        ("page=99999999999999999999999", {"page": ["100000"], "limit": ["25"]}),
        ("search=%00%01", {"page": ["1"], "limit": ["25"]}),
    ],
)
def test_garbage_in_the_query_string_is_clamped_or_ignored(
    manager_client, console_platform, query, sent
):
    response = manager_client.get(f"/visitors/?{query}")

    assert response.status_code == 200
    asked = last_visitors_query(console_platform)
    assert {key: asked[key] for key in ("page", "limit")} == sent
    assert "isOnline" not in asked and "search" not in asked


def test_unknown_tags_and_sites_match_nothing_without_an_error(manager_client, console_platform):
    response = manager_client.get("/visitors/?tags=no-such-tag&siteId=site_nope")

    assert response.status_code == 200
    assert "No visitors match these filters." in response.content.decode()


# --- fragments ----------------------------------------------------------------------------


def test_an_htmx_filter_request_gets_the_table_the_stats_and_a_canonical_url(
    manager_client, console_platform
):
    response = manager_client.get(
        "/visitors/?search=jane&isOnline=&siteId=&limit=5000&page=-3",
        headers=htmx("visitor-table"),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="visitor-table"')
    assert re.search(r'<dl id="visitor-stats"[^>]*hx-swap-oob="true">', html)
    assert "<html" not in html and 'id="visitor-filters"' not in html
    # Garbage and empty fields are gone from the address bar.
    assert response["HX-Push-Url"] == "/visitors/?search=jane&limit=100"
    assert "HX-Request" in response["Vary"]


def test_the_live_refresh_gets_rows_with_stats_and_pager_out_of_band(
    manager_client, console_platform
):
    response = manager_client.get("/visitors/?limit=10", headers=htmx("visitor-rows"))

    html = response.content.decode()
    assert html.lstrip().startswith('<tbody id="visitor-rows"')
    assert re.search(r'<dl id="visitor-stats"[^>]*hx-swap-oob="true">', html)
    assert 'id="visitor-pager"' in html and 'id="visitor-live-status"' in html
    assert html.count('hx-swap-oob="true"') == 3
    assert "HX-Push-Url" not in response  # a refresh adds no history entry
    assert 'hx-get="/visitors/?limit=10" hx-trigger="livetable:refresh"' in html


def test_the_rows_poll_their_own_canonical_url(manager_client, console_platform):
    html = manager_client.get("/visitors/?tags=vip&isOnline=true&page=1").content.decode()

    assert 'hx-get="/visitors/?isOnline=true&amp;tags=vip" hx-trigger="livetable:refresh"' in html
    assert 'data-live-refresh="10000"' in html


def test_a_boosted_or_history_restore_request_gets_the_full_page(manager_client, console_platform):
    boosted = manager_client.get("/visitors/", headers={"HX-Request": "true", "HX-Boosted": "true"})
    restore = manager_client.get(
        "/visitors/", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )

    for response in (boosted, restore):
        assert "<html" in response.content.decode()


# --- platform failures --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("faults", "words"),
    [
        ({"errorRate": 1, "errorStatus": 500}, "The platform is unavailable right now"),
        ({"errorRate": 1, "errorStatus": 429, "retryAfter": 30}, "rate limiting"),
        ({"dropRate": 1}, "connection dropped"),
    ],
)
def test_a_failing_platform_is_shown_in_the_table_not_as_an_error_page(
    manager_client, console_platform, faults, words
):
    console_platform.set_faults(**faults, paths="/api/tenant/visitors")

    response = manager_client.get("/visitors/?search=jane")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Could not load visitors." in html and words in html
    assert 'value="jane"' in html  # the filters stay usable


def test_a_platform_timeout_is_shown_in_the_table(manager_client, console_platform, settings):
    settings.PLATFORM_READ_TIMEOUT = 0.3
    settings.PLATFORM_MAX_RETRIES = 0
    console_platform.set_faults(latencyMs=1500, paths="/api/tenant/visitors")

    response = manager_client.get("/visitors/")

    assert response.status_code == 200
    assert "timeout" in response.content.decode()


def test_a_failed_live_refresh_keeps_the_rows_and_says_updates_are_paused(
    manager_client, console_platform
):
    console_platform.set_faults(errorRate=1, errorStatus=503, paths="/api/tenant/visitors")

    response = manager_client.get("/visitors/", headers=htmx("visitor-rows"))

    html = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Reswap"] == "none"
    assert 'id="visitor-live-status"' in html and 'hx-swap-oob="true"' in html
    assert "Live updates paused" in html and "visitor-rows" not in html


def test_a_revoked_sign_in_on_a_live_refresh_is_an_htmx_redirect(manager_client, console_platform):
    console_platform.revoke_tokens(sandbox_fixtures.MANAGER_EMAIL)

    response = manager_client.get("/visitors/", headers=htmx("visitor-rows"))

    assert response.status_code == 200
    assert response["HX-Redirect"].startswith("/login/")


def test_a_live_refresh_does_not_count_as_activity(manager_client, console_platform):
    from accounts import vault
    from tests.accounts.helpers import edit_session

    a_minute_ago = vault.last_seen_at(manager_client.session) - 60
    edit_session(manager_client, **{vault.LAST_SEEN_AT: a_minute_ago})
    before = vault.last_seen_at(manager_client.session)

    manager_client.get(
        "/visitors/", headers={**htmx("visitor-rows"), "X-Switchboard-Background": "1"}
    )

    assert vault.last_seen_at(manager_client.session) == before


# --- who sees what ------------------------------------------------------------------------


def test_agents_browse_visitors_through_the_agent_api(agent_client, console_platform):
    console_platform.clear_requests()

    response = agent_client.get("/visitors/?search=jane&tags=vip&siteId=x")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Jane Cooper" in html
    calls = console_platform.requests()
    assert [c["path"] for c in calls] == ["/connextlive/api/agent/visitors"]
    # The agent API has no site or tag filter: neither is offered nor sent.
    assert "tags" not in query_of(calls[0]) and "siteId" not in query_of(calls[0])
    assert 'name="siteId"' not in html and 'name="tags"' not in html


def test_another_workspace_never_sees_these_visitors(other_client, console_platform):
    mine = truth(console_platform).list_visitors(limit=100).items

    html = other_client.get("/visitors/?limit=100").content.decode()

    shown = set(detail_links(html, "visitors"))
    assert shown and not shown & {v.id for v in mine}


def test_signed_out_users_go_to_sign_in(client, console_platform):
    response = client.get("/visitors/?search=jane")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_search_box_keeps_what_was_typed_escaped(manager_client, console_platform):
    typed = '"><script>alert(1)</script>'

    html = manager_client.get("/visitors/", {"search": typed}).content.decode()

    assert typed not in html
    assert any(f'value="{escaped}"' in html for escaped in escaped_forms(typed))


@given(st.text(max_size=30) | st.from_regex(r"vis_[0-9A-Z]{26}", fullmatch=True))
def test_a_visitor_id_in_a_row_link_is_encoded_as_quote_would(visitor_id):
    assume(visitor_id not in ("", ".", ".."))  # ids no page can have: no link (tests/lib)
    assert path_segment(visitor_id) == quote(visitor_id, safe="")
