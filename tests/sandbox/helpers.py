"""Assertions shared by the sandbox's tests."""

import httpx

from tests.fixtures.sandbox import Sandbox


def assert_error(response: httpx.Response, status: int, message: str | None = None) -> dict:
    """The documented error body, with this status (and message, when given)."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"statusCode", "statusMessage", "data"}
    assert body["statusCode"] == status
    assert isinstance(body["statusMessage"], str) and body["statusMessage"]
    if message is not None:
        assert body["statusMessage"] == message
    return body


def field_errors(response: httpx.Response) -> dict[str, list[str]]:
    body = assert_error(response, 400)
    return body["data"]["fieldErrors"]


def ok(response: httpx.Response) -> dict:
    assert response.status_code == 200, response.text
    return response.json()


def every_conversation(sandbox: Sandbox, token: str) -> list[dict]:
    return ok(sandbox.api("GET", "/api/tenant/conversations?limit=100000", token))["conversations"]


def every_visitor(sandbox: Sandbox, token: str, **params: object) -> list[dict]:
    """Walks every page of the tenant visitor list."""
    visitors, page = [], 1
    while True:
        query = {**params, "limit": 100, "page": page}
        body = ok(sandbox.api("GET", "/api/tenant/visitors", token, params=query))
        visitors += body["visitors"]
        if page >= body["totalPages"]:
            return visitors
        page += 1
