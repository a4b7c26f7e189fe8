"""A manager rotates a widget key in a real browser: confirms their password, picks a 1-hour
window, copies the new key (the clipboard holds exactly the key the platform hashed), watches
the countdown, then revokes the old key now; all under the strict CSP."""

import hashlib
import re

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from playwright.sync_api import expect

from accounts import reauth, vault
from tests.accounts.helpers import platform_as
from tests.fixtures import sandbox as sandbox_fixtures

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page) -> None:
    page.goto("/login/?next=/keys/")
    page.get_by_label("Email").fill(sandbox_fixtures.MANAGER_EMAIL)
    page.get_by_label("Password").fill(sandbox_fixtures.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Widget keys")


def make_sign_in_older_than_ten_minutes(page) -> None:
    """Time travel for the browser's session: the password was typed 11 minutes ago."""
    [cookie] = [c for c in page.context.cookies() if c["name"] == "sessionid"]
    session = SessionStore(session_key=cookie["value"])
    eleven_minutes_ago = timezone.now().timestamp() - 11 * 60
    session[vault.SIGNED_IN_AT] = eleven_minutes_ago
    session.pop(reauth.CONFIRMED_AT, None)
    session.save()


def test_rotate_with_a_1_hour_window_copy_the_new_key_then_revoke_the_old_one_now(
    page, live_console, sandbox
):
    truth = platform_as(sandbox, sandbox_fixtures.MANAGER_EMAIL).tenant
    old = truth.create_api_key("Marketing site", ["www.example.com", "*.example.com"]).key
    keys_before = len(truth.list_api_keys())
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_console.url)
    sign_in(page)
    make_sign_in_older_than_ten_minutes(page)

    row = page.locator(f"#key-{old.id}")
    expect(row).to_contain_text(f"{old.key_prefix}…")  # as the site owner knows the key
    row.get_by_role("link", name="Rotate").click()

    # Confirm it's you, then back on the rotate page with nothing done yet.
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it's you")
    page.get_by_label("Password").fill(sandbox_fixtures.DEMO_PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rotate “Marketing site”")
    assert len(truth.list_api_keys()) == keys_before  # confirming did not rotate anything
    page.get_by_label("1 hour").check()
    page.get_by_role("button", name="Rotate key").click()

    # The one page with the new key: copy it, and check it is the key the platform hashed.
    expect(page.get_by_role("heading", level=1)).to_contain_text("copy the new key now")
    page.get_by_role("button", name="Copy key").click()
    expect(page.locator("#copy-status")).to_have_text("Copied to the clipboard.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert re.fullmatch(r"cxl_live_[A-Za-z0-9_-]+", copied)
    assert page.locator("#new-key-value").input_value() == copied
    keys = {key.id: key for key in truth.list_api_keys()}
    [successor] = [k for k in keys.values() if k.name.startswith("Marketing site (rotated")]
    assert successor.key_hash == hashlib.sha256(copied.encode()).hexdigest()
    assert keys[old.id].status == "ACTIVE"  # the old key works during the window

    # The countdown is live.
    countdown = page.locator("#rotation-status time[data-countdown]")
    expect(countdown).to_have_text(re.compile(r"^59 min \d+ s$"))
    first_reading = countdown.text_content()
    expect(countdown).not_to_have_text(first_reading)

    # Back to the list: the old key is "replaced by …, revoked in 59 min"; revoke it now.
    page.get_by_role("link", name="I have copied the key").click()
    old_row = page.locator(f"#key-{old.id}")
    expect(old_row).to_contain_text("Replaced by “Marketing site (rotated")
    expect(old_row.locator("time[data-countdown]")).to_have_text(re.compile(r"^59 min"))
    old_row.get_by_role("link", name="Revoke now… (the old key “Marketing site”)").click()
    # A confirmation page first: nothing is revoked until it is confirmed.
    expect(page.get_by_role("heading", level=1)).to_have_text("Revoke “Marketing site” now?")
    assert old.id in {key.id for key in truth.list_api_keys()}
    page.get_by_role("button", name="Revoke the old key now").click()

    expect(page.get_by_role("status").filter(has_text="is revoked")).to_have_text(
        "The old key “Marketing site” is revoked."
    )
    expect(page.locator(f"#key-{old.id}")).to_have_count(0)
    remaining = {key.id: key for key in truth.list_api_keys()}
    assert old.id not in remaining
    assert remaining[successor.id].status == "ACTIVE"
    # The key is gone from the browser too: nothing on this page holds it.
    assert copied not in page.content()
    assert page.console_problems == []
