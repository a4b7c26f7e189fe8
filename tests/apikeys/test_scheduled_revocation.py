"""The scheduled revocation, run as the beat task runs it, with "now" passed in (time travel):
on time and not before, retried after platform failures, overdue when the stored sign-in cannot
be used, a vanished key counted as revoked, and claims that two workers can never both win."""

from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.utils import timezone

from dashboard.apikeys import revocation, tasks
from dashboard.apikeys.models import KeyRotation
from dashboard.apikeys.revocation import (
    CLAIM_LEASE,
    claim_due,
    due_rotations,
    revoke_due_rotations,
)
from dashboard.audit.models import AuditEvent
from dashboard.platforms.connextlive import ConnextliveClient
from tests.apikeys.helpers import create_key, key_named, keys_on_platform, platform_as, rotate_key
from tests.fixtures import sandbox as sandbox_fixtures

pytestmark = pytest.mark.django_db

State = KeyRotation.State


def run_beat(now):
    """One tick of the beat task at `now`."""
    return revoke_due_rotations(now, client_for_token=ConnextliveClient.from_settings)


def rotated(client, platform, window="1h", name="Shop") -> KeyRotation:
    create_key(client, name=name, domains="shop.example.com")
    rotate_key(client, key_named(platform, name).id, window)
    return KeyRotation.objects.get(old_key_name=name)


def end_window(rotation: KeyRotation) -> datetime:
    """Move the rotation's window end just into the past, for tests that also open pages (the
    console's own clock, and with it the session timeouts, keeps running normally)."""
    past = timezone.now() - timedelta(seconds=1)
    KeyRotation.objects.filter(pk=rotation.pk).update(revoke_at=past, next_attempt_at=past)
    rotation.refresh_from_db()
    return timezone.now()


def about(moment: datetime, expected: datetime) -> bool:
    """Equal but for the seconds the batch itself took (claims are stamped as it goes)."""
    return expected <= moment < expected + timedelta(seconds=5)


def deletes_sent(platform) -> list:
    return [r for r in platform.requests() if r["method"] == "DELETE"]


def test_the_old_key_is_revoked_when_the_window_ends_and_not_before(keys_manager, platform):
    rotation = rotated(keys_manager, platform, "1h")

    assert run_beat(rotation.revoke_at - timedelta(seconds=1)) == []
    assert keys_on_platform(platform)[rotation.old_key_id].status == "ACTIVE"

    [attempt] = run_beat(rotation.revoke_at)

    assert attempt.revoked
    keys = keys_on_platform(platform)
    assert rotation.old_key_id not in keys
    assert keys[rotation.successor_key_id].status == "ACTIVE"
    rotation.refresh_from_db()
    assert rotation.state == State.REVOKED
    assert about(rotation.revoked_at, rotation.revoke_at)
    assert rotation.sealed_token == "" and rotation.token_expires_at is None
    event = AuditEvent.objects.get(action=revocation.AUDIT_SCHEDULED_REVOKE)
    assert event.outcome == "success"
    assert event.actor_email == sandbox_fixtures.MANAGER_EMAIL
    assert event.target_id == rotation.old_key_id


def test_the_celery_task_uses_the_current_time(keys_manager, platform):
    rotation = rotated(keys_manager, platform, "24h")

    with mock.patch("django.utils.timezone.now", return_value=rotation.revoke_at):
        assert tasks.revoke_due_keys() == 1

    assert rotation.old_key_id not in keys_on_platform(platform)


def test_a_platform_failure_is_retried_at_a_later_tick(keys_manager, platform, settings):
    settings.PLATFORM_MAX_RETRIES = 0  # the client's own quick retries are not what is tested
    rotation = rotated(keys_manager, platform, "1h")
    now = end_window(rotation)
    platform.set_faults(errorRate=1, errorStatus=503, paths="api-keys/key_")

    [attempt] = run_beat(now)

    assert not attempt.revoked
    rotation.refresh_from_db()
    assert rotation.state == State.SCHEDULED
    assert rotation.attempts == 1
    assert "unavailable" in rotation.last_error
    assert about(rotation.next_attempt_at, now + revocation.RETRY_FIRST)
    assert keys_on_platform(platform)[rotation.old_key_id].status == "ACTIVE"

    # The page says plainly that the revocation is overdue, and why.
    html = keys_manager.get("/keys/").content.decode()
    assert "Revocation of “Shop” overdue since" in html
    assert "Attempt 1 failed" in html and "unavailable" in html

    assert run_beat(now + timedelta(seconds=10)) == []  # backing off
    first_retry = rotation.next_attempt_at
    [second] = run_beat(first_retry)  # still failing: a longer back-off
    rotation.refresh_from_db()
    assert not second.revoked and rotation.attempts == 2
    assert about(rotation.next_attempt_at, first_retry + revocation.retry_delay(2))

    platform.clear_faults()
    [third] = run_beat(rotation.next_attempt_at)
    assert third.revoked
    assert rotation.old_key_id not in keys_on_platform(platform)


def test_a_rate_limited_revocation_waits_at_least_the_retry_after(keys_manager, platform):
    rotation = rotated(keys_manager, platform, "1h")
    platform.set_faults(errorRate=1, errorStatus=429, retryAfter=600, paths="api-keys/key_")

    run_beat(rotation.revoke_at)

    rotation.refresh_from_db()
    assert rotation.state == State.SCHEDULED
    assert rotation.next_attempt_at >= rotation.revoke_at + timedelta(seconds=600)


def test_a_key_gone_from_the_platform_meanwhile_counts_as_revoked(keys_manager, platform):
    rotation = rotated(keys_manager, platform, "1h")
    platform_as(platform).tenant.delete_api_key(rotation.old_key_id)

    [attempt] = run_beat(rotation.revoke_at)

    assert attempt.revoked
    rotation.refresh_from_db()
    assert rotation.state == State.REVOKED
    assert rotation.note == revocation.GONE_NOTE
    html = keys_manager.get("/keys/").content.decode()
    assert "already gone from the platform" in html


def test_a_7_day_window_outliving_the_stored_token_is_overdue_and_offered(keys_manager, platform):
    rotation = rotated(keys_manager, platform, "7d")
    # The token came from a sign-in moments before: it expires a little before the window ends.
    assert rotation.token_expires_at < rotation.revoke_at
    html = keys_manager.get("/keys/").content.decode()
    assert f'id="rotation-{rotation.pk}-token"' in html  # warned ahead of time
    platform.clear_requests()

    [attempt] = run_beat(rotation.revoke_at)  # the beat at the end of the 7 days

    assert attempt.state == State.OVERDUE
    assert not deletes_sent(platform)  # an expired token is not even tried
    rotation.refresh_from_db()
    assert rotation.state == State.OVERDUE and rotation.sealed_token == ""
    assert rotation.last_error == revocation.TOKEN_EXPIRED

    html = keys_manager.get("/keys/").content.decode()
    alert = html[html.index(f'id="rotation-{rotation.pk}-alert"') :]
    assert "overdue since" in alert and "Revoke the old key now" in alert
    assert f"/keys/rotations/{rotation.pk}/revoke-now/" in alert

    keys_manager.post(f"/keys/rotations/{rotation.pk}/revoke-now/")
    rotation.refresh_from_db()
    assert rotation.state == State.REVOKED
    assert rotation.old_key_id not in keys_on_platform(platform)


def test_a_token_revoked_on_the_platform_makes_the_revocation_overdue(keys_manager, platform):
    rotation = rotated(keys_manager, platform, "1h")
    platform.revoke_tokens(sandbox_fixtures.MANAGER_EMAIL)

    [attempt] = run_beat(rotation.revoke_at)

    assert attempt.state == State.OVERDUE
    rotation.refresh_from_db()
    assert rotation.last_error == revocation.TOKEN_REFUSED
    assert AuditEvent.objects.get(action=revocation.AUDIT_SCHEDULED_REVOKE).outcome == "failure"


def test_a_refusal_for_good_is_failed_and_not_retried(keys_manager, platform):
    rotation = rotated(keys_manager, platform, "1h")
    now = end_window(rotation)
    platform.set_faults(errorRate=1, errorStatus=403, paths="api-keys/key_")

    [attempt] = run_beat(now)
    platform.clear_faults()

    assert attempt.state == State.FAILED
    assert run_beat(now + timedelta(days=1)) == []
    html = keys_manager.get("/keys/").content.decode()
    assert "Connextlive refused it" in html


def test_a_kept_old_key_is_never_revoked(keys_manager, platform):
    rotation = rotated(keys_manager, platform, "1h")
    keys_manager.post(f"/keys/rotations/{rotation.pk}/keep/")

    assert run_beat(rotation.revoke_at + timedelta(days=30)) == []
    assert keys_on_platform(platform)[rotation.old_key_id].status == "ACTIVE"


def test_only_one_of_two_claimers_wins(keys_manager, platform):
    rotation = rotated(keys_manager, platform, "1h")
    now = rotation.revoke_at

    assert claim_due(rotation.pk, now) is True
    assert claim_due(rotation.pk, now) is False
    assert due_rotations(now) == []


def test_a_claim_whose_worker_died_is_due_again_after_the_lease(keys_manager, platform):
    rotation = rotated(keys_manager, platform, "1h")
    now = rotation.revoke_at
    assert claim_due(rotation.pk, now)  # ... and the worker dies before finishing

    assert due_rotations(now + CLAIM_LEASE - timedelta(seconds=1)) == []
    [attempt] = run_beat(now + CLAIM_LEASE)

    assert attempt.revoked
    rotation.refresh_from_db()
    assert rotation.attempts == 2


def test_keep_is_refused_while_a_worker_is_revoking(keys_manager, platform):
    rotation = rotated(keys_manager, platform, "1h")
    now = end_window(rotation)
    assert claim_due(rotation.pk, now)

    response = keys_manager.post(f"/keys/rotations/{rotation.pk}/keep/")

    assert response.status_code == 303
    assert "being revoked at this very moment" in keys_manager.get("/keys/").content.decode()
    rotation.refresh_from_db()
    assert rotation.state == State.SCHEDULED
    assert AuditEvent.objects.get(action="apikey.rotation.keep").outcome == "failure"


def test_opening_the_keys_page_renews_a_stored_token_that_would_expire_first(
    keys_manager, platform
):
    rotation = rotated(keys_manager, platform, "24h")
    soon = rotation.created_at + timedelta(hours=1)
    KeyRotation.objects.filter(pk=rotation.pk).update(token_expires_at=soon)

    keys_manager.get("/keys/")

    rotation.refresh_from_db()
    assert rotation.token_expires_at > rotation.revoke_at
    [attempt] = run_beat(rotation.revoke_at)
    assert attempt.revoked


def test_the_stored_token_is_sealed(keys_manager, platform):
    rotated(keys_manager, platform, "1h")
    rotation = KeyRotation.objects.get()
    from accounts import vault

    token = vault.read_token(keys_manager.session)
    assert token and token not in rotation.sealed_token
    assert rotation.sealed_token.startswith("gAAAA")  # a Fernet token
