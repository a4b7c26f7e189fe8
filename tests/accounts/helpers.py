"""Small helpers shared by the accounts, overview and security tests."""

import socket
from typing import Any

from django.contrib.sessions.models import Session
from django.test import Client

from accounts import vault
from dashboard.platforms.connextlive import ConnextliveClient
from tests.fixtures import sandbox as sandbox_fixtures


def platform_as(platform: Any, email: str) -> ConnextliveClient:
    """A client of our own on the sandbox, signed in as `email`: the truth to compare pages with."""
    client = ConnextliveClient(platform.connextlive_url)
    login = client.login(email, sandbox_fixtures.DEMO_PASSWORD)
    return client.with_token(login.token)


def session_key(client: Client) -> str | None:
    cookie = client.cookies.get("sessionid")
    return cookie.value if cookie else None


def session_exists(key: str | None) -> bool:
    return bool(key) and Session.objects.filter(session_key=key).exists()


def token_in_session(client: Client) -> str | None:
    return vault.read_token(client.session)


def edit_session(client: Client, **changes: Any) -> None:
    """Change stored session values (moving time without sleeping)."""
    session = client.session
    for key, value in changes.items():
        session[key] = value
    session.save()


def closed_port_url() -> str:
    """A URL on this machine where nothing listens (the port was just free)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/connextlive"


def htmx_headers(current_url: str = "http://testserver/") -> dict[str, str]:
    return {"HX-Request": "true", "HX-Current-URL": current_url}
