"""A manager invites an agent in a real browser and sees the pending invitation appear, with the
counts, without a page load."""

import pytest
from playwright.sync_api import expect

from tests.accounts.helpers import platform_as
from tests.e2e.test_workspace import sign_in_as_manager, watch_console
from tests.fixtures import sandbox as sandbox_fixtures

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NAME, EMAIL = "Nadia Newcomer", "nadia@example.com"


def test_manager_invites_an_agent_and_sees_the_pending_invitation(page, live_console, platform):
    problems = watch_console(page)
    sign_in_as_manager(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Agents").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Agents")
    pending = int(page.locator('[data-count="pending"]').inner_text())
    page.evaluate("window.notReloaded = true")  # gone if the page were loaded again

    invite = page.locator("#invite-form")
    invite.get_by_label("Full name").fill(NAME)
    invite.get_by_label("Email").fill(EMAIL)
    invite.get_by_role("button", name="Send invitation").click()

    row = page.locator("#invitations tr", has_text=EMAIL)
    expect(row).to_contain_text(NAME)
    expect(row).to_contain_text("in 6 days")
    expect(page.locator("#invite-notice")).to_contain_text(f"Invitation sent to {NAME}")
    expect(page.locator('[data-count="pending"]')).to_have_text(str(pending + 1))
    expect(page.locator("#invite-form").get_by_label("Email")).to_have_value("")
    assert page.evaluate("window.notReloaded") is True
    truth = platform_as(platform, sandbox_fixtures.MANAGER_EMAIL).tenant.list_agents()
    assert EMAIL in {i.email for i in truth.invitations if i.status == "PENDING"}
    assert problems == []


def test_inviting_an_existing_agent_shows_the_message_in_place(page, live_console, platform):
    problems = watch_console(page)
    sign_in_as_manager(page)
    page.goto("/agents/")

    invite = page.locator("#invite-form")
    invite.get_by_label("Full name").fill("Alex Again")
    invite.get_by_label("Email").fill(sandbox_fixtures.AGENT_EMAIL)
    invite.get_by_role("button", name="Send invitation").click()

    expect(page.locator("#id_email_error")).to_contain_text("already an agent")
    expect(invite.get_by_label("Email")).to_have_value(sandbox_fixtures.AGENT_EMAIL)
    assert problems == []


def test_an_expired_invitation_is_sent_again_from_its_row_and_stays_one_row(
    page, live_console, platform
):
    problems = watch_console(page)
    sign_in_as_manager(page)
    page.goto("/agents/")
    expired = page.locator("#invitations tr", has_text="dmitri@example.com")
    expect(expired).to_contain_text("Expired")
    expired_count = int(page.locator('[data-count="expired"]').inner_text())

    expired.get_by_role("button", name="Invite again: Dmitri Ivanov").click()

    expect(page.locator("#invite-notice")).to_contain_text("Invitation sent to Dmitri Ivanov")
    again = page.locator("#invitations tr", has_text="dmitri@example.com")
    expect(again).to_have_count(1)  # one row per person: the new invitation
    expect(again).to_contain_text("just now")
    expect(again).not_to_contain_text("Expired")
    expect(page.locator('[data-count="expired"]')).to_have_text(str(expired_count - 1))
    truth = platform_as(platform, sandbox_fixtures.MANAGER_EMAIL).tenant.list_agents()
    assert "dmitri@example.com" in {i.email for i in truth.invitations if i.status == "PENDING"}
    assert problems == []
