"""What the client puts on the wire: paths, queries, bodies and the Authorization header."""

import json

import httpx
import pytest

from dashboard.platforms.base import PlatformHttp
from dashboard.platforms.connextlive import UNSET, ConnextliveClient, Upload
from dashboard.platforms.errors import PlatformNotFound
from tests.platforms.answers import API_KEY, MESSAGE, SUMMARY, USER, VISITOR, WORKSPACE
from tests.platforms.helpers import (
    BASE_URL,
    TOKEN,
    ScriptedTransport,
    fixed_options,
    json_response,
    make_client,
)

EMPTY_VISITORS = {"visitors": [], "total": 0, "page": 1, "limit": 25, "totalPages": 0}


def sent_json(request: httpx.Request) -> dict:
    return json.loads(request.content)


def test_calls_carry_the_bearer_token(sleeps):
    transport = ScriptedTransport(json_response(200, WORKSPACE))

    make_client(transport, sleeps).tenant.get_workspace()

    assert transport.last.headers["Authorization"] == f"Bearer {TOKEN}"
    assert transport.last.url == "http://platform.test/connextlive/api/tenant/workspace"


def test_another_credential_scheme_only_overrides_auth_headers(sleeps):
    class ApiKeyHttp(PlatformHttp):
        def auth_headers(self) -> dict[str, str]:
            return {"Authorization": "API-Key k-123"}

    transport = ScriptedTransport(json_response(200, {"ok": True}))
    http = ApiKeyHttp(BASE_URL, options=fixed_options(), transport=transport, sleep=sleeps)

    assert http.request("GET", "/kw/api/v1/Ticket/list") == {"ok": True}
    assert transport.last.headers["Authorization"] == "API-Key k-123"


def test_login_sends_credentials_and_no_token(sleeps):
    login = {"token": "new", "expiresAt": "2026-11-28T10:00:00.000Z", "user": USER}
    transport = ScriptedTransport(json_response(200, login))

    result = make_client(transport, sleeps).login("m@example.com", "pw123456")

    assert result.token == "new"
    assert "Authorization" not in transport.last.headers
    assert sent_json(transport.last) == {"email": "m@example.com", "password": "pw123456"}


def test_a_client_repr_does_not_show_its_token():
    client = ConnextliveClient("http://platform.test", TOKEN)

    assert TOKEN not in repr(client)
    assert TOKEN not in repr(client.with_options(max_retries=0))


def test_tenant_conversation_filters(sleeps):
    page = {"conversations": [], "total": 0, "limit": 20, "offset": 40}
    transport = ScriptedTransport(json_response(200, page), json_response(200, page))
    tenant = make_client(transport, sleeps).tenant

    tenant.list_conversations(status="ACTIVE", agent_id="all", search="refund", limit=20, offset=40)
    assert transport.last.url.params.multi_items() == [
        ("status", "ACTIVE"),
        ("agentId", "all"),
        ("search", "refund"),
        ("limit", "20"),
        ("offset", "40"),
    ]

    tenant.list_conversations(search="")
    assert transport.last.url.params.multi_items() == [("limit", "50"), ("offset", "0")]


def test_visitor_filters_repeat_tags_and_spell_booleans(sleeps):
    transport = ScriptedTransport(json_response(200, EMPTY_VISITORS))

    make_client(transport, sleeps).tenant.list_visitors(
        search="jane", is_online=False, site_id="site_1", tags=("vip", "trial"), page=2, limit=100
    )

    assert transport.last.url.params.multi_items() == [
        ("search", "jane"),
        ("isOnline", "false"),
        ("siteId", "site_1"),
        ("tags", "vip"),
        ("tags", "trial"),
        ("page", "2"),
        ("limit", "100"),
    ]


def test_agent_statuses_are_a_lower_case_comma_list(sleeps):
    page = {"conversations": [], "total": 0, "limit": 20, "offset": 0, "counts": {}}
    transport = ScriptedTransport(json_response(200, page), json_response(200, page))
    agent = make_client(transport, sleeps).agent

    agent.list_conversations(statuses=("ACTIVE", "waiting"))
    assert transport.last.url.params["status"] == "active,waiting"

    agent.list_conversations()
    assert "status" not in transport.last.url.params


def test_update_visitor_sends_only_the_fields_given(sleeps):
    transport = ScriptedTransport(json_response(200, VISITOR), json_response(200, VISITOR))
    tenant = make_client(transport, sleeps).tenant

    tenant.update_visitor("vis_1", tags=["vip"], notes="")
    assert transport.last.method == "PATCH"
    assert sent_json(transport.last) == {"tags": ["vip"], "notes": ""}

    tenant.update_visitor("vis_1", user_name="Jane", user_phone=UNSET)
    assert sent_json(transport.last) == {"userName": "Jane"}


def test_update_workspace_sends_only_the_keys_given(sleeps):
    transport = ScriptedTransport(json_response(200, WORKSPACE))

    make_client(transport, sleeps).tenant.update_workspace(
        company_name="Acme GmbH", settings={"widget": {"position": "left"}}
    )

    assert transport.last.method == "PUT"
    assert sent_json(transport.last) == {
        "companyName": "Acme GmbH",
        "settings": {"widget": {"position": "left"}},
    }


def test_create_api_key_sends_domains_as_a_json_string(sleeps):
    created = API_KEY | {"domains": '["a.com","b.com"]', "plainKey": "cxl_live_x"}
    transport = ScriptedTransport(json_response(200, created))

    result = make_client(transport, sleeps).tenant.create_api_key("Widget", ["a.com", "b.com"])

    body = sent_json(transport.last)
    assert body == {"name": "Widget", "domains": '["a.com", "b.com"]', "status": "ACTIVE"}
    assert isinstance(body["domains"], str)
    assert result.key.domains == ("a.com", "b.com")


def test_a_text_message_is_json(sleeps):
    transport = ScriptedTransport(json_response(200, MESSAGE))

    make_client(transport, sleeps).agent.send_message("cnv_1", "Hello")

    assert transport.last.headers["Content-Type"] == "application/json"
    assert sent_json(transport.last) == {"content": "Hello"}


def test_attachments_are_multipart(sleeps):
    transport = ScriptedTransport(json_response(200, MESSAGE))
    uploads = [
        Upload("guide.pdf", b"%PDF-1.4 guide", "application/pdf"),
        Upload("shot.png", b"\x89PNG...", "image/png"),
    ]

    make_client(transport, sleeps).agent.send_message("cnv_1", "See attached", uploads)

    request = transport.last
    assert request.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    body = request.content
    assert b'name="content"\r\n\r\nSee attached' in body
    assert body.count(b'name="attachments"') == 2
    assert b'filename="guide.pdf"' in body and b"%PDF-1.4 guide" in body
    assert b"Content-Type: image/png" in body


def test_ids_are_escaped_in_paths(sleeps):
    transport = ScriptedTransport(json_response(200, VISITOR))

    make_client(transport, sleeps).tenant.get_visitor("vis_1/../../agents?x=1")

    assert (
        transport.last.url.raw_path
        == b"/connextlive/api/tenant/visitors/vis_1%2F..%2F..%2Fagents%3Fx%3D1"
    )


@pytest.mark.parametrize("bad_id", ["", ".", ".."])
def test_dot_segment_ids_never_reach_the_platform(sleeps, bad_id):
    transport = ScriptedTransport()

    with pytest.raises(PlatformNotFound):
        make_client(transport, sleeps).tenant.delete_visitor(bad_id)

    assert transport.requests == []


def test_mark_read_returns_the_count(sleeps):
    transport = ScriptedTransport(json_response(200, {"success": True, "markedCount": 4}))

    assert make_client(transport, sleeps).tenant.mark_conversation_read("cnv_1") == 4
    assert transport.last.url.path.endswith("/api/tenant/conversations/cnv_1/mark-read")


def test_assign_sends_the_agent_id(sleeps):
    transport = ScriptedTransport(json_response(200, SUMMARY), json_response(200, SUMMARY))
    client = make_client(transport, sleeps)

    client.tenant.assign_conversation("cnv_1", "usr_2")
    assert sent_json(transport.last) == {"agentId": "usr_2"}
    client.agent.assign_conversation("cnv_1", "usr_3")
    assert transport.last.url.path.endswith("/api/agent/conversations/cnv_1/assign")


def test_iterators_walk_pages_lazily_with_the_same_filters(sleeps):
    def visitors_page(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["page"])
        items = [VISITOR | {"id": f"vis_{page}_{i}"} for i in range(2 if page < 3 else 1)]
        body = {"visitors": items, "total": 5, "page": page, "limit": 2, "totalPages": 3}
        return json_response(200, body)

    transport = ScriptedTransport(visitors_page, visitors_page, visitors_page)

    ids = [
        v.id for v in make_client(transport, sleeps).tenant.iter_visitors(tags=["vip"], page_size=2)
    ]

    assert ids == ["vis_1_0", "vis_1_1", "vis_2_0", "vis_2_1", "vis_3_0"]
    assert all(r.url.params.get_list("tags") == ["vip"] for r in transport.requests)
