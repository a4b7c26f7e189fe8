"""Shared steps of the keys tests: confirming the password, creating and rotating through the
console, and reading the truth from the sandbox with a client of our own."""

import re
from typing import Any

from django.test import Client

from accounts import reauth
from dashboard.platforms.connextlive import ConnextliveClient
from dashboard.platforms.connextlive_records import ApiKey
from tests.fixtures import sandbox as sandbox_fixtures

PLAIN_KEY = re.compile(r"cxl_live_[A-Za-z0-9_-]{20,}")


def platform_as(platform: Any, email: str = "") -> ConnextliveClient:
    client = ConnextliveClient(platform.connextlive_url)
    login = client.login(email or sandbox_fixtures.MANAGER_EMAIL, sandbox_fixtures.DEMO_PASSWORD)
    return client.with_token(login.token)


def keys_on_platform(platform: Any, email: str = "") -> dict[str, ApiKey]:
    return {key.id: key for key in platform_as(platform, email).tenant.list_api_keys()}


def confirm_password(client: Client, password: str = "") -> None:
    response = client.post(
        "/confirm/", {"password": password or sandbox_fixtures.DEMO_PASSWORD, "next": "/keys/"}
    )
    assert response.status_code == 303, response.content.decode()[:500]


def forget_confirmation(client: Client, seconds_ago: float = reauth.REAUTH_MAX_AGE + 1) -> None:
    """Make the last time the password was typed (sign-in or confirmation) `seconds_ago` ago:
    time travel without sleeping."""
    from django.utils import timezone

    from accounts import vault

    then = timezone.now().timestamp() - seconds_ago
    session = client.session
    session[reauth.CONFIRMED_AT] = then
    session[vault.SIGNED_IN_AT] = min(session[vault.SIGNED_IN_AT], then)
    session.save()


def plain_keys_in(html: str) -> list[str]:
    return PLAIN_KEY.findall(html)


def create_key(
    client: Client, name: str = "Shop", domains: str = "shop.example.com", status: str = "ACTIVE"
) -> tuple[Any, str]:
    """Create through the console; returns the response and the plain key it showed."""
    data = {"name": name, "domains": domains, "status": status}
    response = client.post("/keys/new/", {**data, "submission": submission_of(client)})
    assert response.status_code == 200, response.content.decode()[:500]
    keys = set(plain_keys_in(response.content.decode()))
    assert len(keys) == 1, f"expected one plain key on the page, found {len(keys)}"
    return response, keys.pop()


def submission_of(client: Client) -> str:
    """The one-time submission id of a freshly loaded create form."""
    html = client.get("/keys/new/").content.decode()
    match = re.search(r'name="submission" value="([^"]+)"', html)
    assert match, "no submission id on the create form"
    return match.group(1)


def key_named(platform: Any, name: str, email: str = "") -> ApiKey:
    matches = [key for key in keys_on_platform(platform, email).values() if key.name == name]
    assert len(matches) == 1, f"{len(matches)} keys named {name!r}"
    return matches[0]


def rotate_key(client: Client, key_id: str, window: str = "24h") -> tuple[Any, str]:
    response = client.post(f"/keys/{key_id}/rotate/", {"window": window})
    assert response.status_code == 200, response.content.decode()[:500]
    keys = set(plain_keys_in(response.content.decode()))
    assert len(keys) == 1, f"expected one plain key on the page, found {len(keys)}"
    return response, keys.pop()
