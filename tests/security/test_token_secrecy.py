"""The platform token stays on the server: never in a page, a fragment, a header, a cookie, a log
line or the session table in clear."""

import logging

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from tests.accounts.helpers import htmx_headers, session_key, token_in_session
from tests.accounts.test_access import ROUTES
from tests.fixtures import sandbox as sandbox_fixtures
from tests.fixtures.console import sign_in

pytestmark = pytest.mark.django_db


def secret_parts(token: str) -> list[str]:
    """The token, and its signature alone (a JWT's header and claims are not secret)."""
    return [token, token.rsplit(".", 1)[-1]]


def everything_sent(response) -> str:
    headers = "\n".join(f"{name}: {value}" for name, value in response.items())
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return headers + "\n" + body.decode(errors="replace")


@pytest.mark.parametrize("email", ["MANAGER_EMAIL", "AGENT_EMAIL"])
def test_the_token_never_reaches_the_browser(console_platform, email, caplog):
    caplog.set_level(logging.DEBUG)
    client = Client()
    sign_in_response = client.post(
        "/login/",
        {"email": getattr(sandbox_fixtures, email), "password": sandbox_fixtures.DEMO_PASSWORD},
    )
    token = token_in_session(client)
    assert token and token.count(".") == 2  # a real JWT from the sandbox

    responses = [sign_in_response]
    for route in ROUTES:
        if route.path == "/logout/":
            continue
        responses.append(client.get(route.path))
        responses.append(client.get(route.path, headers=htmx_headers()))
    cookies = str(client.cookies)

    for part in secret_parts(token):
        for response in responses:
            assert part not in everything_sent(response), response.wsgi_request.path
        assert part not in cookies
        assert part not in caplog.text


def test_the_session_table_holds_the_token_only_encrypted(manager_client):
    token = token_in_session(manager_client)
    row = Session.objects.get(session_key=session_key(manager_client))
    decoded = row.get_decoded()

    for part in secret_parts(token):
        assert part not in row.session_data
        assert all(part not in str(value) for value in decoded.values())


def test_the_password_is_never_logged(console_platform, caplog):
    caplog.set_level(logging.DEBUG)

    sign_in(Client(), sandbox_fixtures.MANAGER_EMAIL)
    Client().post("/login/", {"email": sandbox_fixtures.MANAGER_EMAIL, "password": "Wr0ng-pass"})

    assert sandbox_fixtures.DEMO_PASSWORD not in caplog.text
    assert "Wr0ng-pass" not in caplog.text


def test_a_token_encrypted_under_another_secret_key_is_useless(manager_client, settings):
    from accounts import vault

    session = manager_client.session
    assert vault.read_token(session)  # loads the session while the key is still the old one

    settings.SECRET_KEY = "a-completely-different-secret-key-for-this-test-0123456789"

    assert session[vault.TOKEN]  # the ciphertext is still there...
    assert vault.read_token(session) is None  # ...but no longer opens


def test_rotating_the_secret_key_keeps_sessions_through_the_fallbacks(manager_client, settings):
    from accounts import vault

    session = manager_client.session
    token = vault.read_token(session)
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "the-new-secret-key-after-rotation-0123456789-abcdefghijklmnop"
    settings.SECRET_KEY_FALLBACKS = [old_key]

    assert vault.read_token(session) == token
    assert manager_client.get("/").status_code == 200
