"""Garbage at every endpoint: whatever arrives, the answer is never a 500 and always either a
success or the documented error shape."""

import json

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fixtures.sandbox import AGENT_EMAIL, MANAGER_EMAIL, Sandbox

ENDPOINTS = [
    "/api/auth/login",
    "/api/tenant/conversations",
    "/api/tenant/conversations/{cnv}",
    "/api/tenant/conversations/{cnv}/resolve",
    "/api/tenant/conversations/{cnv}/status",
    "/api/tenant/conversations/{cnv}/assign",
    "/api/tenant/conversations/{cnv}/mark-read",
    "/api/tenant/visitors",
    "/api/tenant/visitors/{vis}",
    "/api/tenant/agents",
    "/api/tenant/workspace",
    "/api/tenant/api-keys",
    "/api/tenant/api-keys/{key}",
    "/api/agent/profile",
    "/api/agent/conversations",
    "/api/agent/conversations/{cnv}",
    "/api/agent/conversations/{cnv}/messages",
    "/api/agent/conversations/{cnv}/resolve",
    "/api/agent/conversations/{cnv}/assign",
    "/api/agent/conversations/{cnv}/mark-read",
    "/api/agent/visitors",
    "/api/agent/visitors/{vis}",
    "/files/{att}/{name}",
]
PARAMETER_NAMES = [
    "status", "agentId", "search", "limit", "offset", "isOnline", "siteId", "tags", "page",
]  # fmt: skip
FIELD_NAMES = [
    "email", "password", "status", "agentId", "userName", "userEmail", "userPhone", "tags",
    "notes", "name", "companyName", "contactEmail", "language", "timezone", "settings",
    "domains", "content", "messageType",
]  # fmt: skip

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(FIELD_NAMES) | st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=12,
)
bodies = st.one_of(
    st.none(),
    st.dictionaries(st.sampled_from(FIELD_NAMES), json_values, max_size=6).map(
        lambda value: json.dumps(value).encode()
    ),
    json_values.map(lambda value: json.dumps(value).encode()),
    st.binary(max_size=200),
)
numbers_and_words = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.sampled_from(["", "all", "true", "false", "active,waiting", "ACTIVE", "1e3", "0x10"]),
    st.text(max_size=30),
)
queries = st.lists(st.tuples(st.sampled_from(PARAMETER_NAMES), numbers_and_words), max_size=5)
methods = st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"])
content_types = st.sampled_from(
    ["application/json", "text/plain", "multipart/form-data", "multipart/form-data; boundary=x",
     "application/x-www-form-urlencoded", None]
)  # fmt: skip


@pytest.fixture
def material(platform: Sandbox) -> dict:
    manager = platform.login(MANAGER_EMAIL)
    conversation = platform.api("GET", "/api/tenant/conversations?limit=1", manager).json()
    conversation = conversation["conversations"][0]
    return {
        "tokens": [manager, platform.login(AGENT_EMAIL), None, "garbage"],
        "cnv": [conversation["id"], "cnv_nope", "%00", "x" * 300, "..", "é"],
        "vis": [conversation["visitorId"], "vis_nope", "%2e%2e"],
        "key": ["key_nope", "1"],
        "att": ["att_nope"],
        "name": ["a.png", "%FF"],
    }


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_garbage_never_gets_a_500(
    platform: Sandbox, material: dict, endpoint: str, data: st.DataObject
) -> None:
    path = endpoint.format(
        **{
            key: data.draw(st.sampled_from(values))
            for key, values in material.items()
            if key != "tokens"
        }
    )
    method = data.draw(methods)
    token = data.draw(st.sampled_from(material["tokens"]))
    headers = {}
    if (content_type := data.draw(content_types)) is not None:
        headers["Content-Type"] = content_type

    try:
        response = platform.api(
            method,
            path,
            token,
            params=data.draw(queries),
            content=data.draw(bodies),
            headers=headers,
        )
    except httpx.RemoteProtocolError:
        pytest.fail(f"the sandbox dropped {method} {path}")

    assert response.status_code < 500, (method, path, response.text[:500])
    if response.status_code >= 400 and method != "HEAD":
        body = response.json()
        assert set(body) == {"statusCode", "statusMessage", "data"}
        assert body["statusCode"] == response.status_code
