"""Sign-in throttling: per account at one address, per address, and per account from anywhere;
each attempt takes its slot before the platform is asked, and a lockout lasts its window."""

import pytest
from django.test import Client

from accounts import counters, throttle
from accounts.models import ThrottleCounter
from accounts.views import INCORRECT
from dashboard.audit.models import AuditEvent
from tests.fixtures import sandbox as sandbox_fixtures

pytestmark = pytest.mark.django_db

MANAGER = sandbox_fixtures.MANAGER_EMAIL
AGENT = sandbox_fixtures.AGENT_EMAIL
RIGHT = sandbox_fixtures.DEMO_PASSWORD
WRONG = "wrong-password"
HOME = "203.0.113.5"


def attempt(email: str, password: str, address: str = HOME, client: Client | None = None):
    client = client or Client()
    return client.post("/login/", {"email": email, "password": password}, REMOTE_ADDR=address)


def login_calls(platform) -> int:
    return sum(1 for r in platform.requests() if r["path"].endswith("/api/auth/login"))


def fail(times: int, email: str = MANAGER, address: str = HOME) -> None:
    for _ in range(times):
        assert attempt(email, WRONG, address).status_code == 200


def test_an_account_is_locked_at_one_address_after_too_many_failures(console_platform, settings):
    fail(settings.SIGN_IN_FAILURES_PER_ACCOUNT_AND_IP)
    calls_before = login_calls(console_platform)

    response = attempt(MANAGER, RIGHT)

    assert response.status_code == 429
    assert (
        "Too many failed sign-in attempts for this account. Try again in 15 minutes."
        in response.content.decode()
    )
    assert login_calls(console_platform) == calls_before  # the platform was not even asked
    assert Client().get("/").status_code == 302


def test_the_failure_that_locks_says_so_and_for_how_long(console_platform, settings):
    fail(settings.SIGN_IN_FAILURES_PER_ACCOUNT_AND_IP - 1)

    response = attempt(MANAGER, WRONG)

    errors = response.context["form"].non_field_errors()
    assert errors == [
        f"{INCORRECT} Too many failed sign-in attempts for this account. Try again in 15 minutes."
    ]


def test_the_lock_holds_for_any_spelling_of_the_email(console_platform, settings):
    fail(settings.SIGN_IN_FAILURES_PER_ACCOUNT_AND_IP)

    assert attempt(f"  {MANAGER.upper()} ", RIGHT).status_code == 429


def test_the_right_password_from_another_address_still_signs_in(console_platform, settings):
    fail(settings.SIGN_IN_FAILURES_PER_ACCOUNT_AND_IP)

    assert attempt(MANAGER, RIGHT, address="198.51.100.20").status_code == 302


def test_other_accounts_at_the_same_address_are_not_locked(console_platform, settings):
    fail(settings.SIGN_IN_FAILURES_PER_ACCOUNT_AND_IP)

    assert attempt(AGENT, RIGHT).status_code == 302


def test_one_address_alone_cannot_lock_the_account_everywhere(console_platform, settings):
    """The per-account limit sits above what one address can reach, window after window."""
    windows_in_the_account_window = (
        settings.SIGN_IN_ACCOUNT_WINDOW // settings.SIGN_IN_THROTTLE_WINDOW
    )
    most_from_one_address = settings.SIGN_IN_FAILURES_PER_ACCOUNT_AND_IP * (
        windows_in_the_account_window + 1
    )
    assert most_from_one_address < settings.SIGN_IN_FAILURES_PER_ACCOUNT


def test_guesses_from_many_addresses_lock_the_account_everywhere(console_platform, settings):
    settings.SIGN_IN_FAILURES_PER_ACCOUNT = 6
    for n in range(6):
        attempt(MANAGER, WRONG, address=f"192.0.2.{n + 1}")

    response = attempt(MANAGER, RIGHT, address="192.0.2.99")

    assert response.status_code == 429
    assert "it is locked. Try again in 60 minutes." in response.content.decode()


def test_an_address_is_locked_after_too_many_failures_across_accounts(console_platform, settings):
    settings.SIGN_IN_FAILURES_PER_IP = 3
    for n in range(3):
        attempt(f"someone{n}@example.com", WRONG, address="198.51.100.7")

    locked = attempt(AGENT, RIGHT, address="198.51.100.7")
    elsewhere = attempt(AGENT, RIGHT, address="198.51.100.8")

    assert locked.status_code == 429
    assert "from your network" in locked.content.decode()
    assert elsewhere.status_code == 302


def test_a_successful_sign_in_clears_its_accounts_count_at_that_address(console_platform, settings):
    limit = settings.SIGN_IN_FAILURES_PER_ACCOUNT_AND_IP
    fail(limit - 1)
    assert attempt(MANAGER, RIGHT).status_code == 302

    for _ in range(limit - 1):
        response = attempt(MANAGER, WRONG)
        assert response.context["form"].non_field_errors() == [INCORRECT]
    assert attempt(MANAGER, RIGHT).status_code == 302


def test_but_never_the_addresss_count(console_platform, settings):
    settings.SIGN_IN_FAILURES_PER_IP = 3
    for n in range(2):
        attempt(f"someone{n}@example.com", WRONG)
    attempt(MANAGER, RIGHT)
    attempt("someone9@example.com", WRONG)

    assert attempt(AGENT, RIGHT).status_code == 429


def test_an_unreachable_platform_does_not_count_against_anyone(console_platform, settings):
    from tests.accounts.helpers import closed_port_url

    reachable = settings.PLATFORM_URL
    settings.PLATFORM_URL = closed_port_url()
    for _ in range(settings.SIGN_IN_FAILURES_PER_ACCOUNT_AND_IP + 2):
        assert attempt(MANAGER, RIGHT).status_code == 503

    settings.PLATFORM_URL = reachable
    assert attempt(MANAGER, RIGHT).status_code == 302


@pytest.mark.usefixtures("counter_store")
def test_the_lockout_holds_at_14_minutes_and_lifts_at_15(console_platform, settings, console_clock):
    fail(settings.SIGN_IN_FAILURES_PER_ACCOUNT_AND_IP)

    console_clock.advance(minutes=14)
    still_locked = attempt(MANAGER, RIGHT)
    assert still_locked.status_code == 429
    assert "Try again in 1 minute." in still_locked.content.decode()

    console_clock.advance(minutes=1)
    assert attempt(MANAGER, RIGHT).status_code == 302


@pytest.mark.usefixtures("counter_store")
def test_hammering_a_locked_account_does_not_make_the_lock_longer(
    console_platform, settings, console_clock
):
    fail(settings.SIGN_IN_FAILURES_PER_ACCOUNT_AND_IP)
    for _ in range(10):
        console_clock.advance(minutes=1)
        assert attempt(MANAGER, WRONG).status_code == 429

    console_clock.advance(minutes=5)

    assert attempt(MANAGER, RIGHT).status_code == 302


def test_each_lockout_is_audited_once_with_its_length(console_platform, settings):
    user_tenant = _sign_in_once_to_know_the_user()
    fail(settings.SIGN_IN_FAILURES_PER_ACCOUNT_AND_IP)
    for _ in range(3):
        attempt(MANAGER, RIGHT)  # refused: the same lockout, not a new one

    [event] = AuditEvent.objects.filter(action=throttle.AUDIT_LOCKOUT)
    assert event.outcome == "failure"
    assert event.actor_email == MANAGER and event.target_label == MANAGER
    assert event.ip == HOME
    assert event.tenant_id == user_tenant  # shown to the workspace's managers
    assert event.changes == {"scope": [None, "account_address"], "minutes": [None, 15]}
    assert "locked for 15 min" in event.error


def _sign_in_once_to_know_the_user() -> str:
    from accounts.models import User

    assert attempt(MANAGER, RIGHT, address="192.0.2.200").status_code == 302
    return User.objects.get(email=MANAGER).tenant_id


def test_the_store_keeps_no_email_or_address_in_clear(console_platform, counter_store):
    attempt(MANAGER, WRONG, address="203.0.113.77")

    keys = " ".join(stored_keys(counter_store))
    assert keys
    assert MANAGER not in keys
    assert "203.0.113.77" not in keys


def stored_keys(store_kind: str) -> list[str]:
    if store_kind == "database":
        return list(ThrottleCounter.objects.values_list("key", flat=True))
    store = counters.store()
    assert isinstance(store, counters.RedisCounters)
    return [name.decode() for name in store._redis.scan_iter(match=counters.REDIS_PREFIX + "*")]
