"""Tenant — Visitors: list (search, filters, tags, paging, stats), get, patch, delete."""

import pytest

from tests.fixtures.sandbox import MANAGER_EMAIL, Sandbox
from tests.sandbox.helpers import assert_error, every_conversation, every_visitor, field_errors, ok

VISITOR_KEYS = {
    "id", "userName", "userEmail", "userPhone", "ip", "country", "countryCode", "city",
    "siteId", "site", "tags", "notes", "externalIds", "isOnline", "isReturning", "visitCount",
    "browser", "os", "device", "currentPage", "referrer", "firstSeenAt", "lastSeenAt",
    "createdAt",
}  # fmt: skip


def _list(sandbox: Sandbox, token: str, **params: object) -> dict:
    return ok(sandbox.api("GET", "/api/tenant/visitors", token, params=params))


def test_the_list_defaults_to_page_1_of_25_most_recent_first(
    sandbox: Sandbox, manager: str
) -> None:
    body = _list(sandbox, manager)

    assert (body["page"], body["limit"]) == (1, 25)
    assert len(body["visitors"]) == 25
    assert body["total"] >= 120
    assert body["totalPages"] == -(-body["total"] // 25)
    seen = [visitor["lastSeenAt"] for visitor in body["visitors"]]
    assert seen == sorted(seen, reverse=True)
    assert all(set(visitor) == VISITOR_KEYS for visitor in body["visitors"])


def test_stats_are_global_whatever_the_filters(sandbox: Sandbox, manager: str) -> None:
    everyone = every_visitor(sandbox, manager)
    expected = {
        "total": len(everyone),
        "online": sum(visitor["isOnline"] for visitor in everyone),
        "returning": sum(visitor["isReturning"] for visitor in everyone),
    }
    assert expected["online"] > 0 and expected["returning"] > 0
    assert _list(sandbox, manager)["stats"] == expected
    assert _list(sandbox, manager, search="no-such-visitor", isOnline="true")["stats"] == expected


def test_the_limit_is_capped_at_100(sandbox: Sandbox, manager: str) -> None:
    body = _list(sandbox, manager, limit=1000)
    assert body["limit"] == 100 and len(body["visitors"]) == 100


@pytest.mark.parametrize(
    "params",
    [{"limit": 0}, {"limit": "x"}, {"page": 0}, {"page": "-1"}, {"isOnline": "yes"},
     {"isOnline": "1"}],
)  # fmt: skip
def test_bad_parameters_are_400(sandbox: Sandbox, manager: str, params: dict) -> None:
    assert list(
        field_errors(sandbox.api("GET", "/api/tenant/visitors", manager, params=params))
    ) == [next(iter(params))]


def test_pages_walk_every_visitor_once(sandbox: Sandbox, manager: str) -> None:
    total = _list(sandbox, manager)["total"]
    ids = [visitor["id"] for visitor in every_visitor(sandbox, manager)]
    assert len(ids) == len(set(ids)) == total
    beyond = _list(sandbox, manager, page=1000)
    assert beyond["visitors"] == [] and beyond["page"] == 1000


@pytest.mark.parametrize("field", ["userName", "userEmail", "userPhone", "ip", "country", "city"])
def test_search_covers_name_email_phone_ip_country_and_city(
    sandbox: Sandbox, manager: str, field: str
) -> None:
    everyone = every_visitor(sandbox, manager)
    sample = next(
        v[field] for v in everyone if v[field] and v[field].isascii() and "<" not in v[field]
    )
    term = sample[1:7].upper() if field != "ip" else sample

    found = every_visitor(sandbox, manager, search=term)

    def matches(visitor: dict) -> bool:
        return any(
            term.lower() in (visitor[name] or "").lower()
            for name in ("userName", "userEmail", "userPhone", "ip", "country", "city")
        )

    assert {v["id"] for v in found} == {v["id"] for v in everyone if matches(v)}
    assert any(visitor[field] == sample for visitor in found)


def test_the_online_filter(sandbox: Sandbox, manager: str) -> None:
    online = _list(sandbox, manager, isOnline="true", limit=100)
    offline = _list(sandbox, manager, isOnline="false", limit=100)
    assert {v["isOnline"] for v in online["visitors"]} == {True}
    assert {v["isOnline"] for v in offline["visitors"]} == {False}
    assert online["total"] + offline["total"] == online["stats"]["total"]
    assert online["total"] == online["stats"]["online"]


def test_the_site_filter(sandbox: Sandbox, manager: str) -> None:
    everyone = every_visitor(sandbox, manager)
    site_id = everyone[0]["siteId"]
    found = every_visitor(sandbox, manager, siteId=site_id)
    assert len(found) == sum(v["siteId"] == site_id for v in everyone) > 0
    assert _list(sandbox, manager, siteId="site_nowhere")["total"] == 0


def test_repeated_tags_match_visitors_with_all_of_them(sandbox: Sandbox, manager: str) -> None:
    everyone = every_visitor(sandbox, manager)
    vip = every_visitor(sandbox, manager, tags="vip")
    both = every_visitor(sandbox, manager, tags=["vip", "enterprise"])

    assert {v["id"] for v in vip} == {v["id"] for v in everyone if "vip" in v["tags"]}
    assert {v["id"] for v in both} == {
        v["id"] for v in everyone if {"vip", "enterprise"} <= set(v["tags"])
    }
    assert 0 < len(both) < len(vip)
    assert _list(sandbox, manager, tags="no-such-tag")["total"] == 0


def test_a_hostile_tag_filters_like_any_other(sandbox: Sandbox, manager: str) -> None:
    tag = "<script>alert(1)</script>"
    found = _list(sandbox, manager, tags=tag)["visitors"]
    assert found and all(tag in visitor["tags"] for visitor in found)


def test_get_is_the_full_profile(sandbox: Sandbox, manager: str) -> None:
    listed = _list(sandbox, manager, limit=1)["visitors"][0]
    assert ok(sandbox.api("GET", f"/api/tenant/visitors/{listed['id']}", manager)) == listed
    response = sandbox.api("GET", "/api/tenant/visitors/vis_01HX", manager)
    assert_error(response, 404, "Visitor not found")


def _first_visitor(sandbox: Sandbox, token: str) -> dict:
    return _list(sandbox, token, search="Jane Cooper")["visitors"][0]


def test_patch_changes_only_the_given_fields(platform: Sandbox) -> None:
    manager = platform.login(MANAGER_EMAIL)
    before = _first_visitor(platform, manager)
    path = f"/api/tenant/visitors/{before['id']}"

    after = ok(platform.api("PATCH", path, manager, json={"notes": "High priority account"}))

    assert after == {**before, "notes": "High priority account"}
    assert ok(platform.api("GET", path, manager)) == after


def test_patch_tags_replaces_the_whole_array(platform: Sandbox) -> None:
    manager = platform.login(MANAGER_EMAIL)
    visitor = _first_visitor(platform, manager)
    path = f"/api/tenant/visitors/{visitor['id']}"

    changed = ok(platform.api("PATCH", path, manager, json={"tags": ["trial", "beta", "trial"]}))
    cleared = ok(platform.api("PATCH", path, manager, json={"tags": []}))

    assert changed["tags"] == ["trial", "beta"]
    assert cleared["tags"] == []
    assert visitor["id"] not in {v["id"] for v in _list(platform, manager, tags="vip")["visitors"]}


def test_patch_sets_every_documented_field_and_null_clears(platform: Sandbox) -> None:
    manager = platform.login(MANAGER_EMAIL)
    visitor = _first_visitor(platform, manager)
    path = f"/api/tenant/visitors/{visitor['id']}"
    changes = {
        "userName": "Jane C.",
        "userEmail": "jane@example.org",
        "userPhone": "+1 555 0100",
        "tags": ["vip"],
        "notes": "Call after 5pm",
    }

    after = ok(platform.api("PATCH", path, manager, json={**changes, "isOnline": False}))
    cleared = ok(platform.api("PATCH", path, manager, json={"userPhone": None, "notes": None}))

    assert {key: after[key] for key in changes} == changes
    assert after["isOnline"] is True  # unknown and read-only fields are ignored
    assert (cleared["userPhone"], cleared["notes"]) == (None, None)


@pytest.mark.parametrize(
    "body, field",
    [
        ({"userName": 5}, "userName"),
        ({"userEmail": "not an email"}, "userEmail"),
        ({"userPhone": ["1"]}, "userPhone"),
        ({"tags": "vip"}, "tags"),
        ({"tags": ["vip", 3]}, "tags"),
        ({"tags": [""]}, "tags"),
        ({"notes": {"a": 1}}, "notes"),
        ({"notes": "x" * 10_001}, "notes"),
    ],
)
def test_patch_type_checks_every_field(platform: Sandbox, body: dict, field: str) -> None:
    manager = platform.login(MANAGER_EMAIL)
    visitor = _first_visitor(platform, manager)
    path = f"/api/tenant/visitors/{visitor['id']}"
    assert list(field_errors(platform.api("PATCH", path, manager, json=body))) == [field]
    assert ok(platform.api("GET", path, manager)) == visitor


def test_delete_removes_the_visitor_and_their_conversations(platform: Sandbox) -> None:
    manager = platform.login(MANAGER_EMAIL)
    theirs = every_conversation(platform, manager)[0]
    path = f"/api/tenant/visitors/{theirs['visitorId']}"
    total = _list(platform, manager)["total"]

    assert ok(platform.api("DELETE", path, manager)) == {"success": True}

    assert_error(platform.api("GET", path, manager), 404)
    assert_error(platform.api("DELETE", path, manager), 404)
    assert _list(platform, manager)["total"] == total - 1
    assert theirs["visitorId"] not in {
        c["visitorId"] for c in every_conversation(platform, manager)
    }
