"""Sign-in, tokens (7 days, revocation) and roles."""

import base64
import json
from datetime import datetime

import jwt
import pytest

from tests.fixtures.sandbox import AGENT_EMAIL, DEMO_PASSWORD, MANAGER_EMAIL, Sandbox
from tests.sandbox.helpers import assert_error, field_errors, ok

SEVEN_DAYS = 7 * 24 * 3600

TENANT_ENDPOINTS = [
    ("GET", "/api/tenant/conversations"),
    ("GET", "/api/tenant/conversations/cnv_x"),
    ("POST", "/api/tenant/conversations/cnv_x/resolve"),
    ("PUT", "/api/tenant/conversations/cnv_x/status"),
    ("POST", "/api/tenant/conversations/cnv_x/assign"),
    ("POST", "/api/tenant/conversations/cnv_x/mark-read"),
    ("DELETE", "/api/tenant/conversations/cnv_x"),
    ("GET", "/api/tenant/visitors"),
    ("GET", "/api/tenant/visitors/vis_x"),
    ("PATCH", "/api/tenant/visitors/vis_x"),
    ("DELETE", "/api/tenant/visitors/vis_x"),
    ("GET", "/api/tenant/agents"),
    ("POST", "/api/tenant/agents"),
    ("GET", "/api/tenant/workspace"),
    ("PUT", "/api/tenant/workspace"),
    ("GET", "/api/tenant/api-keys"),
    ("POST", "/api/tenant/api-keys"),
    ("DELETE", "/api/tenant/api-keys/key_x"),
]
AGENT_ENDPOINTS = [
    ("GET", "/api/agent/profile"),
    ("GET", "/api/agent/conversations"),
    ("GET", "/api/agent/conversations/cnv_x"),
    ("GET", "/api/agent/conversations/cnv_x/messages"),
    ("POST", "/api/agent/conversations/cnv_x/messages"),
    ("POST", "/api/agent/conversations/cnv_x/resolve"),
    ("POST", "/api/agent/conversations/cnv_x/assign"),
    ("POST", "/api/agent/conversations/cnv_x/mark-read"),
    ("GET", "/api/agent/visitors"),
    ("GET", "/api/agent/visitors/vis_x"),
]


def _login(sandbox: Sandbox, **body: object):
    return sandbox.api("POST", "/api/auth/login", json=body)


def test_login_returns_an_hs256_jwt_valid_for_seven_days(sandbox: Sandbox) -> None:
    body = ok(_login(sandbox, email=MANAGER_EMAIL, password=DEMO_PASSWORD))

    header = json.loads(base64.urlsafe_b64decode(body["token"].split(".")[0] + "=="))
    claims = jwt.decode(body["token"], options={"verify_signature": False})
    assert header["alg"] == "HS256"
    assert claims["exp"] - claims["iat"] == SEVEN_DAYS
    assert claims["sub"] == body["user"]["id"]
    assert claims["role"] == "CUSTOMER"
    assert claims["tenantId"] == body["user"]["tenantId"]
    assert datetime.fromisoformat(body["expiresAt"]).timestamp() == claims["exp"]
    assert body["user"]["email"] == MANAGER_EMAIL
    assert set(body["user"]) == {
        "id", "email", "name", "role", "avatarUrl", "csatScore", "status", "tenantId",
        "createdAt",
    }  # fmt: skip


def test_agent_login_carries_the_agent_role(sandbox: Sandbox) -> None:
    body = ok(_login(sandbox, email=AGENT_EMAIL, password=DEMO_PASSWORD))
    assert body["user"]["role"] == "AGENT"
    assert jwt.decode(body["token"], options={"verify_signature": False})["role"] == "AGENT"


@pytest.mark.parametrize(
    "email, password",
    [(MANAGER_EMAIL, "wrong-password"), ("nobody@example.com", DEMO_PASSWORD)],
)
def test_wrong_credentials_are_401(sandbox: Sandbox, email: str, password: str) -> None:
    assert_error(_login(sandbox, email=email, password=password), 401, "Invalid email or password")


def test_a_password_shorter_than_6_is_a_validation_error(sandbox: Sandbox) -> None:
    errors = field_errors(_login(sandbox, email=MANAGER_EMAIL, password="12345"))
    assert list(errors) == ["password"]


def test_missing_or_mistyped_fields_are_validation_errors(sandbox: Sandbox) -> None:
    assert set(field_errors(_login(sandbox))) == {"email", "password"}
    assert set(field_errors(_login(sandbox, email=5, password=["x"]))) == {"email", "password"}
    assert "email" in field_errors(_login(sandbox, email="not-an-email", password="secret1"))


def test_malformed_json_is_400(sandbox: Sandbox) -> None:
    response = sandbox.api(
        "POST",
        "/api/auth/login",
        content=b'{"email": ',
        headers={"Content-Type": "application/json"},
    )
    assert_error(response, 400, "Invalid JSON body")


@pytest.mark.parametrize("method, path", TENANT_ENDPOINTS[:3] + AGENT_ENDPOINTS[:3])
def test_a_missing_token_is_401(sandbox: Sandbox, method: str, path: str) -> None:
    assert_error(sandbox.api(method, path), 401, "Authorization token required")
    response = sandbox.api(method, path, headers={"Authorization": "Basic abc"})
    assert_error(response, 401, "Authorization token required")


def test_malformed_forged_and_unsigned_tokens_are_401(sandbox: Sandbox, manager: str) -> None:
    claims = jwt.decode(manager, options={"verify_signature": False})
    forged = jwt.encode(claims, "another-key-of-at-least-thirty-two-bytes!", algorithm="HS256")
    unsigned = jwt.encode(claims, None, algorithm="none")
    for token in ["abc", "a.b.c", forged, unsigned, manager + "x"]:
        response = sandbox.api("GET", "/api/tenant/workspace", token)
        assert_error(response, 401, "Invalid or expired token")


def test_a_token_expires_after_seven_days_on_the_sandbox_clock(platform: Sandbox) -> None:
    token = platform.login(MANAGER_EMAIL)
    platform.set_clock(SEVEN_DAYS - 60)
    ok(platform.api("GET", "/api/tenant/workspace", token))
    platform.set_clock(SEVEN_DAYS + 1)
    assert_error(
        platform.api("GET", "/api/tenant/workspace", token), 401, "Invalid or expired token"
    )


def test_revoked_tokens_are_401_and_a_new_sign_in_works(platform: Sandbox) -> None:
    first = platform.login(MANAGER_EMAIL)
    second = platform.login(MANAGER_EMAIL)
    agent = platform.login(AGENT_EMAIL)

    platform.revoke_tokens(MANAGER_EMAIL)

    for token in (first, second):
        assert_error(platform.api("GET", "/api/tenant/workspace", token), 401)
    ok(platform.api("GET", "/api/agent/profile", agent))
    ok(platform.api("GET", "/api/tenant/workspace", platform.login(MANAGER_EMAIL)))


@pytest.mark.parametrize("method, path", TENANT_ENDPOINTS)
def test_an_agent_may_not_call_tenant_endpoints(
    sandbox: Sandbox, agent: str, method: str, path: str
) -> None:
    assert_error(sandbox.api(method, path, agent, json={}), 403)


@pytest.mark.parametrize("method, path", AGENT_ENDPOINTS)
def test_a_manager_may_not_call_agent_endpoints(
    sandbox: Sandbox, manager: str, method: str, path: str
) -> None:
    assert_error(sandbox.api(method, path, manager, json={}), 403)
