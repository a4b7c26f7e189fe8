"""Session lifetime: idle and absolute timeouts, the token's expiry, sign-out, and the platform
ending a session (401). Time moves by editing the session's stored timestamps, never by sleeping."""

from datetime import datetime

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from accounts import vault
from accounts.middleware import ABSOLUTE_MESSAGE, REVOKED_MESSAGE, TOKEN_MESSAGE
from tests.accounts.helpers import edit_session, htmx_headers, session_exists, session_key
from tests.fixtures import sandbox as sandbox_fixtures

pytestmark = pytest.mark.django_db


def now() -> float:
    return timezone.now().timestamp()


def messages_after(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def assert_sent_to_sign_in(response, next_path: str = "/") -> None:
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={next_path.replace('/', '%2F')}"


def test_a_live_session_opens_pages(manager_client):
    assert manager_client.get("/").status_code == 200


def test_idle_timeout_signs_out_server_side(manager_client, settings):
    key = session_key(manager_client)
    edit_session(manager_client, **{vault.LAST_SEEN_AT: now() - settings.SESSION_IDLE_TIMEOUT - 1})

    response = manager_client.get("/")

    assert_sent_to_sign_in(response)
    assert not session_exists(key)
    assert any("without activity" in m for m in messages_after(response))
    assert manager_client.get("/").status_code == 302


def test_activity_keeps_the_idle_clock_fresh(manager_client, settings):
    almost_idle = now() - settings.SESSION_IDLE_TIMEOUT + 60
    edit_session(manager_client, **{vault.LAST_SEEN_AT: almost_idle})

    assert manager_client.get("/").status_code == 200

    assert vault.last_seen_at(manager_client.session) > almost_idle + 30


def test_background_polling_does_not_count_as_activity(manager_client, settings):
    almost_idle = now() - settings.SESSION_IDLE_TIMEOUT + 60
    edit_session(manager_client, **{vault.LAST_SEEN_AT: almost_idle})

    manager_client.get("/", headers={**htmx_headers(), "X-Switchboard-Background": "1"})

    assert vault.last_seen_at(manager_client.session) == almost_idle


def test_absolute_timeout_ends_even_an_active_session(manager_client, settings):
    key = session_key(manager_client)
    edit_session(
        manager_client,
        **{vault.SIGNED_IN_AT: now() - settings.SESSION_COOKIE_AGE - 1, vault.LAST_SEEN_AT: now()},
    )

    response = manager_client.get("/")

    assert_sent_to_sign_in(response)
    assert not session_exists(key)
    assert ABSOLUTE_MESSAGE in messages_after(response)


def test_the_session_never_outlives_the_platform_token(manager_client):
    key = session_key(manager_client)
    edit_session(manager_client, **{vault.TOKEN_EXPIRES_AT: now() - 1})

    response = manager_client.get("/")

    assert_sent_to_sign_in(response)
    assert not session_exists(key)
    assert TOKEN_MESSAGE in messages_after(response)


def test_the_session_expiry_is_capped_by_the_token_expiry(console_platform, settings):
    from tests.fixtures.console import sign_in

    settings.SESSION_COOKIE_AGE = 30 * 24 * 3600  # longer than the token's 7 days
    client = sign_in(Client(), sandbox_fixtures.MANAGER_EMAIL)

    session = client.session
    token_expiry = vault.token_expires_at(session)
    assert token_expiry is not None
    assert token_expiry - now() < 8 * 24 * 3600
    assert abs(session.get_expiry_date().timestamp() - token_expiry) < 2


def test_the_session_expiry_is_the_absolute_timeout_when_shorter(manager_client, settings):
    expiry: datetime = manager_client.session.get_expiry_date()

    assert abs(expiry.timestamp() - (now() + settings.SESSION_COOKIE_AGE)) < 5


def test_an_undecryptable_token_sends_the_user_to_sign_in(manager_client):
    edit_session(manager_client, **{vault.TOKEN: "not-a-fernet-token"})

    response = manager_client.get("/")

    assert_sent_to_sign_in(response)


def test_idle_timeout_on_an_htmx_request_answers_with_an_htmx_redirect(manager_client, settings):
    edit_session(manager_client, **{vault.LAST_SEEN_AT: now() - settings.SESSION_IDLE_TIMEOUT - 1})

    response = manager_client.get("/", headers=htmx_headers("http://testserver/?tab=x"))

    assert response.status_code == 200
    assert response["HX-Redirect"] == "/login/?next=%2F%3Ftab%3Dx"
    assert b"<form" not in response.content


def test_sign_out_ends_the_session_server_side(manager_client):
    key = session_key(manager_client)

    response = manager_client.post("/logout/")

    assert response.status_code == 303
    assert response["Location"] == "/login/"
    assert not session_exists(key)
    # Even replaying the old cookie gets nothing.
    replay = Client()
    replay.cookies["sessionid"] = key
    assert replay.get("/").status_code == 302


def test_sign_out_is_a_post(manager_client):
    assert manager_client.get("/logout/").status_code == 405
    assert manager_client.get("/").status_code == 200


def test_a_token_revoked_on_the_platform_sends_the_user_to_sign_in(manager_client, platform):
    key = session_key(manager_client)
    platform.revoke_tokens(sandbox_fixtures.MANAGER_EMAIL)

    response = manager_client.get("/")

    assert_sent_to_sign_in(response)
    assert not session_exists(key)
    assert REVOKED_MESSAGE in messages_after(response)


def test_a_revoked_token_on_an_htmx_request_answers_with_an_htmx_redirect(manager_client, platform):
    platform.revoke_tokens(sandbox_fixtures.MANAGER_EMAIL)

    response = manager_client.get("/", headers=htmx_headers("http://testserver/"))

    assert response.status_code == 200
    assert response["HX-Redirect"] == "/login/?next=%2F"
    assert b"Sign in" not in response.content
    assert manager_client.get("/").status_code == 302


def test_after_signing_in_again_the_console_works(manager_client, platform):
    from tests.fixtures.console import sign_in

    platform.revoke_tokens(sandbox_fixtures.MANAGER_EMAIL)
    manager_client.get("/")

    sign_in(manager_client, sandbox_fixtures.MANAGER_EMAIL)

    assert manager_client.get("/").status_code == 200


def test_console_pages_are_never_cached(manager_client):
    response = manager_client.get("/")

    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
