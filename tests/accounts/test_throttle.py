"""Sign-in throttling: per account and per client address, checked before the platform is asked."""

import pytest
from django.test import Client

from accounts.views import INCORRECT
from tests.fixtures import sandbox as sandbox_fixtures

pytestmark = pytest.mark.django_db


def attempt(client: Client, email: str, password: str, address: str = "203.0.113.5"):
    return client.post("/login/", {"email": email, "password": password}, REMOTE_ADDR=address)


def login_calls(platform) -> int:
    return sum(1 for r in platform.requests() if r["path"].endswith("/api/auth/login"))


def test_an_account_is_locked_after_too_many_failures(console_platform, settings):
    settings.SIGN_IN_FAILURES_PER_ACCOUNT = 3
    client = Client()
    for _ in range(3):
        assert attempt(client, sandbox_fixtures.MANAGER_EMAIL, "wrong-password").status_code == 200
    calls_before = login_calls(console_platform)

    response = attempt(client, sandbox_fixtures.MANAGER_EMAIL, sandbox_fixtures.DEMO_PASSWORD)

    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert login_calls(console_platform) == calls_before  # the platform was not even asked
    assert Client().get("/").status_code == 302


def test_the_account_lock_holds_from_any_address_and_any_spelling(console_platform, settings):
    settings.SIGN_IN_FAILURES_PER_ACCOUNT = 2
    for _ in range(2):
        attempt(Client(), sandbox_fixtures.MANAGER_EMAIL, "wrong-password", address="192.0.2.1")

    response = attempt(
        Client(),
        f"  {sandbox_fixtures.MANAGER_EMAIL.upper()} ",
        sandbox_fixtures.DEMO_PASSWORD,
        address="192.0.2.99",
    )

    assert response.status_code == 429


def test_other_accounts_are_not_locked_by_one_accounts_failures(console_platform, settings):
    settings.SIGN_IN_FAILURES_PER_ACCOUNT = 2
    for _ in range(2):
        attempt(Client(), sandbox_fixtures.MANAGER_EMAIL, "wrong-password")

    response = attempt(Client(), sandbox_fixtures.AGENT_EMAIL, sandbox_fixtures.DEMO_PASSWORD)

    assert response.status_code == 302


def test_an_address_is_locked_after_too_many_failures_across_accounts(console_platform, settings):
    settings.SIGN_IN_FAILURES_PER_ACCOUNT = 100
    settings.SIGN_IN_FAILURES_PER_IP = 3
    for n in range(3):
        attempt(Client(), f"someone{n}@example.com", "wrong-password", address="198.51.100.7")

    locked = attempt(
        Client(), sandbox_fixtures.AGENT_EMAIL, sandbox_fixtures.DEMO_PASSWORD, "198.51.100.7"
    )
    elsewhere = attempt(
        Client(), sandbox_fixtures.AGENT_EMAIL, sandbox_fixtures.DEMO_PASSWORD, "198.51.100.8"
    )

    assert locked.status_code == 429
    assert elsewhere.status_code == 302


def test_a_successful_sign_in_clears_the_accounts_count(console_platform, settings):
    settings.SIGN_IN_FAILURES_PER_ACCOUNT = 3
    for _ in range(2):
        attempt(Client(), sandbox_fixtures.MANAGER_EMAIL, "wrong-password")
    assert (
        attempt(
            Client(), sandbox_fixtures.MANAGER_EMAIL, sandbox_fixtures.DEMO_PASSWORD
        ).status_code
        == 302
    )

    for _ in range(2):
        response = attempt(Client(), sandbox_fixtures.MANAGER_EMAIL, "wrong-password")
        assert response.context["form"].non_field_errors() == [INCORRECT]
    assert (
        attempt(
            Client(), sandbox_fixtures.MANAGER_EMAIL, sandbox_fixtures.DEMO_PASSWORD
        ).status_code
        == 302
    )


def test_but_never_the_addresss_count(console_platform, settings):
    settings.SIGN_IN_FAILURES_PER_ACCOUNT = 100
    settings.SIGN_IN_FAILURES_PER_IP = 3
    for n in range(2):
        attempt(Client(), f"someone{n}@example.com", "wrong-password")
    attempt(Client(), sandbox_fixtures.MANAGER_EMAIL, sandbox_fixtures.DEMO_PASSWORD)
    attempt(Client(), "someone9@example.com", "wrong-password")

    response = attempt(Client(), sandbox_fixtures.AGENT_EMAIL, sandbox_fixtures.DEMO_PASSWORD)

    assert response.status_code == 429


def test_the_cache_keeps_no_email_or_address_in_clear(console_platform):
    from django.db import connection

    attempt(Client(), sandbox_fixtures.MANAGER_EMAIL, "wrong-password", address="203.0.113.77")

    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM switchboard_cache")
        keys = " ".join(row[0] for row in cursor.fetchall())
    assert keys
    assert sandbox_fixtures.MANAGER_EMAIL not in keys
    assert "203.0.113.77" not in keys
