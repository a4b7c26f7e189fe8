"""“Confirm it's you” (accounts.reauth): required, verified by the platform, expiring after 10
minutes, throttled and audited; the user comes back to their page with the action re-offered."""

from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone

from accounts import reauth, throttle, vault
from dashboard.audit.models import AuditEvent
from tests.accounts.helpers import closed_port_url, htmx_headers, session_key
from tests.apikeys.helpers import confirm_password, forget_confirmation, keys_on_platform
from tests.fixtures import sandbox as sandbox_fixtures

pytestmark = pytest.mark.django_db

CREATE = {"name": "Shop", "domains": "shop.example.com", "status": "ACTIVE"}


@pytest.fixture
def stale_manager(manager_client: Client) -> Client:
    """The demo manager, who signed in (typing the password) more than ten minutes ago."""
    forget_confirmation(manager_client)
    return manager_client


def logins_sent(platform) -> int:
    return sum(1 for r in platform.requests() if r["path"].endswith("/api/auth/login"))


def test_a_dangerous_page_asks_to_confirm_first(stale_manager):
    response = stale_manager.get("/keys/new/")

    assert response.status_code == 303
    assert response["Location"] == "/confirm/?next=%2Fkeys%2Fnew%2F"
    page = stale_manager.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "Confirm it's you" in html
    assert sandbox_fixtures.MANAGER_EMAIL in html
    assert 'name="next" value="/keys/new/"' in html


def test_an_htmx_request_gets_an_htmx_redirect_to_the_page_in_the_address_bar(stale_manager):
    response = stale_manager.get("/keys/new/", headers=htmx_headers("http://testserver/keys/?x=1"))
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/confirm/?next=%2Fkeys%2F%3Fx%3D1"


def test_a_refused_post_does_nothing_and_comes_back_with_what_was_typed(stale_manager, platform):
    before = set(keys_on_platform(platform))

    response = stale_manager.post("/keys/new/", CREATE)

    assert response.status_code == 303
    assert response["Location"] == "/confirm/?next=%2Fkeys%2Fnew%2F"
    assert set(keys_on_platform(platform)) == before  # not performed

    confirmed = stale_manager.post(
        "/confirm/", {"password": sandbox_fixtures.DEMO_PASSWORD, "next": "/keys/new/"}
    )
    assert confirmed.status_code == 303 and confirmed["Location"] == "/keys/new/"
    page = stale_manager.get("/keys/new/").content.decode()
    assert "Nothing has been done yet" in page  # the action is re-offered, not performed
    assert 'value="Shop"' in page and "shop.example.com</textarea>" in page
    assert set(keys_on_platform(platform)) == before
    # The kept fields are used once.
    assert 'value="Shop"' not in stale_manager.get("/keys/new/").content.decode()


def test_no_secret_field_is_kept_for_the_return_trip(stale_manager):
    stale_manager.post("/keys/new/", {**CREATE, "password": "hunter22", "api_key": "k"})
    pending = stale_manager.session[reauth.PENDING_FORM]
    assert set(pending["fields"]) == {"name", "domains", "status"}


def test_the_right_password_confirms_for_ten_minutes(stale_manager):
    old_session = session_key(stale_manager)
    old_token = vault.read_token(stale_manager.session)

    confirm_password(stale_manager)

    assert stale_manager.get("/keys/new/").status_code == 200
    assert session_key(stale_manager) != old_session  # a new session id on stepping up
    new_token = vault.read_token(stale_manager.session)
    assert new_token and new_token != old_token  # the vault holds the fresh token
    event = AuditEvent.objects.get(action=reauth.AUDIT_CONFIRMED)
    assert event.outcome == "success" and event.actor_email == sandbox_fixtures.MANAGER_EMAIL


def test_confirming_keeps_the_sessions_absolute_timeout(stale_manager):
    signed_in_at = vault.signed_in_at(stale_manager.session)
    confirm_password(stale_manager)
    assert vault.signed_in_at(stale_manager.session) == signed_in_at


def test_the_confirmation_expires_after_ten_minutes(stale_manager):
    confirm_password(stale_manager)
    forget_confirmation(stale_manager, seconds_ago=reauth.REAUTH_MAX_AGE - 5)
    assert stale_manager.get("/keys/new/").status_code == 200

    forget_confirmation(stale_manager, seconds_ago=reauth.REAUTH_MAX_AGE + 1)
    response = stale_manager.get("/keys/new/")
    assert response.status_code == 303
    assert response["Location"].startswith("/confirm/")


def test_expiry_follows_the_clock(stale_manager):
    confirm_password(stale_manager)
    later = timezone.now() + timedelta(minutes=11)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert not reauth.recently_authenticated(_request_for(stale_manager))


def _request_for(client: Client):
    request = mock.Mock()
    request.session = client.session
    return request


def test_a_wrong_password_is_refused_and_audited(stale_manager):
    response = stale_manager.post("/confirm/", {"password": "wrong-password", "next": "/keys/"})

    assert response.status_code == 200
    assert reauth.INCORRECT in response.content.decode()
    assert stale_manager.get("/keys/new/").status_code == 303
    event = AuditEvent.objects.get(action=reauth.AUDIT_CONFIRMED)
    assert event.outcome == "failure"
    assert "wrong-password" not in str(event.changes) + event.error


def test_failed_attempts_are_throttled_without_asking_the_platform(
    stale_manager, platform, settings
):
    for _ in range(settings.CONFIRM_FAILURES_PER_SESSION):
        stale_manager.post("/confirm/", {"password": "wrong-password"})
    platform.clear_requests()

    response = stale_manager.post("/confirm/", {"password": sandbox_fixtures.DEMO_PASSWORD})

    assert response.status_code == 429
    assert "Too many failed attempts to confirm your password. Try again in 15 minutes." in (
        response.content.decode()
    )
    assert logins_sent(platform) == 0
    assert stale_manager.get("/keys/new/").status_code == 303
    [lockout] = AuditEvent.objects.filter(action=throttle.AUDIT_LOCKOUT)
    assert lockout.changes["scope"] == [None, "session"]


def test_a_session_can_confirm_whatever_failed_sign_ins_others_caused(
    stale_manager, platform, settings
):
    """Guessing the user's password elsewhere locks the account there (and even everywhere
    for sign-in), but never the confirmation of a session that is already signed in."""
    settings.SIGN_IN_FAILURES_PER_ACCOUNT = 10
    for n in range(12):
        address = f"192.0.2.{n // 5 + 1}"
        Client().post(
            "/login/",
            {"email": sandbox_fixtures.MANAGER_EMAIL, "password": "wrong-password"},
            REMOTE_ADDR=address,
        )
    refused = Client().post(
        "/login/",
        {"email": sandbox_fixtures.MANAGER_EMAIL, "password": sandbox_fixtures.DEMO_PASSWORD},
        REMOTE_ADDR="192.0.2.99",
    )
    assert refused.status_code == 429  # sign-in is locked for the account everywhere

    confirm_password(stale_manager)  # asserts the confirmation went through

    assert stale_manager.get("/keys/new/").status_code == 200


def test_one_sessions_wrong_passwords_do_not_lock_another_session(
    stale_manager, console_platform, settings
):
    from tests.fixtures.console import sign_in

    for _ in range(settings.CONFIRM_FAILURES_PER_SESSION + 1):
        stale_manager.post("/confirm/", {"password": "wrong-password"})
    other_session = sign_in(Client(), sandbox_fixtures.MANAGER_EMAIL)
    forget_confirmation(other_session)

    confirm_password(other_session)  # asserts the confirmation went through


def test_an_unreachable_platform_is_said_and_not_counted(stale_manager, settings):
    settings.PLATFORM_URL = closed_port_url()
    response = stale_manager.post("/confirm/", {"password": sandbox_fixtures.DEMO_PASSWORD})

    assert response.status_code == 503
    assert "unreachable" in response.content.decode()
    assert not AuditEvent.objects.filter(action=reauth.AUDIT_CONFIRMED).exists()


def test_next_never_leaves_the_console(stale_manager):
    for target in ("https://evil.example/", "//evil.example/", "/confirm/?next=/"):
        response = stale_manager.post(
            "/confirm/", {"password": sandbox_fixtures.DEMO_PASSWORD, "next": target}
        )
        assert response["Location"] == "/", target


def test_signed_out_users_are_sent_to_sign_in(client, console_platform):
    response = client.get("/confirm/?next=/keys/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_recently_authenticated_is_false_without_a_confirmation(stale_manager):
    assert not reauth.recently_authenticated(_request_for(stale_manager))
    confirm_password(stale_manager)
    assert reauth.recently_authenticated(_request_for(stale_manager))


def test_signing_in_counts_as_typing_the_password(manager_client):
    assert manager_client.get("/keys/new/").status_code == 200
    forget_confirmation(manager_client)
    assert manager_client.get("/keys/new/").status_code == 303
