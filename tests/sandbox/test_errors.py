"""The error shape for unknown paths (404), wrong methods (405) and malformed bodies (400)."""

import httpx
import pytest

from tests.fixtures.sandbox import Sandbox
from tests.sandbox.helpers import assert_error

JSON_BODY_ENDPOINTS = [
    ("PUT", "/api/tenant/conversations/{cnv}/status"),
    ("POST", "/api/tenant/conversations/{cnv}/assign"),
    ("PATCH", "/api/tenant/visitors/{vis}"),
    ("POST", "/api/tenant/agents"),
    ("PUT", "/api/tenant/workspace"),
    ("POST", "/api/tenant/api-keys"),
]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/nope",
        "/connextlive",
        "/connextlive/",
        "/connextlive/api",
        "/connextlive/api/tenant/nope",
        "/connextlive/api/tenant/visitors/vis_x/extra",
        "/connextlive/api/tenant/visitors/",
        "/naxon/nope",
        "/__sandbox__/nope",
    ],
)
def test_an_unknown_path_is_404_in_the_error_shape(sandbox: Sandbox, path: str) -> None:
    assert_error(httpx.get(sandbox.url + path), 404)
    assert_error(httpx.post(sandbox.url + path), 404)


@pytest.mark.parametrize(
    "method, path, allowed",
    [
        ("GET", "/api/auth/login", "POST"),
        ("DELETE", "/api/tenant/agents", "GET, POST"),
        ("POST", "/api/tenant/visitors/vis_x", "DELETE, GET, PATCH"),
        ("PUT", "/api/tenant/conversations/cnv_x/resolve", "POST"),
        ("GET", "/api/tenant/conversations/cnv_x/status", "PUT"),
        ("PATCH", "/api/tenant/workspace", "GET, PUT"),
        ("GET", "/api/tenant/api-keys/key_x", "DELETE"),
        ("DELETE", "/api/agent/conversations/cnv_x/messages", "GET, POST"),
        ("POST", "/api/agent/profile", "GET"),
    ],
)
def test_a_wrong_method_is_405_with_allow(
    sandbox: Sandbox, manager: str, method: str, path: str, allowed: str
) -> None:
    response = sandbox.api(method, path, manager)
    assert_error(response, 405, "Method Not Allowed")
    assert response.headers["Allow"] == allowed


@pytest.mark.parametrize("method, path", JSON_BODY_ENDPOINTS)
@pytest.mark.parametrize("body", [b"{", b"{'single': 'quotes'}", b"\xff\xfe", b"NaN", b"[" * 5000])
def test_a_malformed_json_body_is_400(
    sandbox: Sandbox, manager: str, method: str, path: str, body: bytes
) -> None:
    conversations = sandbox.api("GET", "/api/tenant/conversations?limit=1", manager).json()
    conversation = conversations["conversations"][0]
    filled = path.format(cnv=conversation["id"], vis=conversation["visitorId"])
    response = sandbox.api(
        method, filled, manager, content=body, headers={"Content-Type": "application/json"}
    )
    assert_error(response, 400, "Invalid JSON body")


@pytest.mark.parametrize("body", [b"[]", b"42", b'"text"', b"null", b"true"])
def test_a_json_body_that_is_not_an_object_is_400(
    sandbox: Sandbox, manager: str, body: bytes
) -> None:
    response = sandbox.api("POST", "/api/tenant/agents", manager, content=body)
    error = assert_error(response, 400, "Validation failed")
    assert error["data"]["formErrors"]


def test_an_oversized_body_is_400_not_500(sandbox: Sandbox, manager: str) -> None:
    huge = b'{"name": "' + b"x" * (6 * 1024 * 1024) + b'"}'
    assert_error(sandbox.api("POST", "/api/tenant/api-keys", manager, content=huge), 400)
